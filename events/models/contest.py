"""The students' contest «Вместе против коррупции» (issue 18): a contest with its nominations, age groups
and criteria; contestants (students, who are not users of the site: see ``docs/contest.md``), their works
and the jury's score sheets.

State changes go through :mod:`events.contest.services`; access through :mod:`events.contest.access`.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from people.private_storage import PrivateFolderStorage, random_file_name

# Works and consent forms live outside MEDIA_ROOT, under no public URL (``CONTEST_FILES_ROOT``, default
# ``var/contest``); only the contest's views serve them.
_storage = PrivateFolderStorage("CONTEST_FILES_ROOT", "contest")


def contest_storage():
    return _storage


def contest_upload_to(instance, filename):
    """A random name keeping only the (checked) extension."""
    return random_file_name(filename)


class Contest(ClusterableModel):
    title = models.CharField(_("название"), max_length=200, default="Вместе против коррупции")
    year = models.PositiveSmallIntegerField(_("год"))
    submissions_open_at = models.DateTimeField(_("приём работ с"))
    submissions_close_at = models.DateTimeField(_("приём работ до"))
    judging_start_at = models.DateTimeField(_("оценка жюри с"))
    judging_end_at = models.DateTimeField(_("оценка жюри до"))
    rules = models.TextField(_("положение о конкурсе"), blank=True)
    partners = models.TextField(
        _("организаторы и партнёры"), blank=True, help_text=_("По одной организации в строке.")
    )
    winners_published_at = models.DateTimeField(
        _("итоги опубликованы"), null=True, blank=True, editable=False
    )
    jurors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("члены жюри"),
        blank=True,
        related_name="contests_judged",
        help_text=_("Пользователи с ролью «Член жюри», которые оценивают работы этого конкурса."),
    )

    verbose_name_accusative = _("конкурс")

    class Meta:
        verbose_name = _("конкурс студентов")
        verbose_name_plural = _("конкурсы студентов")
        ordering = ["-year", "-pk"]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def get_absolute_url(self):
        return reverse("contest:detail", args=[self.pk])

    def partner_list(self):
        return [line.strip() for line in self.partners.splitlines() if line.strip()]

    def submissions_open(self, now=None):
        now = now or timezone.now()
        return self.submissions_open_at <= now < self.submissions_close_at

    def judging_open(self, now=None):
        now = now or timezone.now()
        return self.judging_start_at <= now < self.judging_end_at

    def judging_over(self, now=None):
        return (now or timezone.now()) >= self.judging_end_at

    @property
    def published(self):
        return self.winners_published_at is not None


class Nomination(models.Model):
    contest = ParentalKey(Contest, on_delete=models.CASCADE, related_name="nominations")
    title = models.CharField(_("название"), max_length=200)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("номинация")
        verbose_name_plural = _("номинации")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class AgeGroup(models.Model):
    contest = ParentalKey(Contest, on_delete=models.CASCADE, related_name="age_groups")
    title = models.CharField(_("название"), max_length=100)
    min_age = models.PositiveSmallIntegerField(_("возраст от, лет"))
    max_age = models.PositiveSmallIntegerField(_("возраст до, лет (включительно)"))

    class Meta:
        verbose_name = _("возрастная группа")
        verbose_name_plural = _("возрастные группы")
        ordering = ["min_age", "pk"]

    def __str__(self):
        return self.title


class Criterion(models.Model):
    contest = ParentalKey(Contest, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(_("название"), max_length=200)
    max_points = models.PositiveSmallIntegerField(
        _("наибольший балл"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("критерий оценки")
        verbose_name_plural = _("критерии оценки")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class Contestant(models.Model):
    """A student registered for one contest. Not a ``people.User``: a contestant signs in to the contest
    pages only (a session key of their own), so no servants' page ever sees them signed in."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="contestants")
    email = models.EmailField(_("электронная почта"))
    password = models.CharField(_("пароль"), max_length=128)
    last_name = models.CharField(_("фамилия"), max_length=100)
    first_name = models.CharField(_("имя"), max_length=100)
    patronymic = models.CharField(_("отчество"), max_length=100, blank=True)
    birth_date = models.DateField(_("дата рождения"), null=True)
    institution = models.CharField(_("образовательная организация"), max_length=250, blank=True)
    publish_name = models.BooleanField(_("согласие на публикацию имени среди победителей"), default=False)
    parent_consent = models.BooleanField(_("согласие родителя (законного представителя)"), default=False)
    parent_name = models.CharField(_("родитель (законный представитель)"), max_length=250, blank=True)
    consent_file = models.FileField(
        _("подписанное согласие родителя"),
        storage=contest_storage,
        upload_to=contest_upload_to,
        max_length=200,
        blank=True,
    )
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    email_confirmed_at = models.DateTimeField(_("адрес подтверждён"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(
        _("письмо для подтверждения отправлено"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("зарегистрирован"), default=timezone.now)
    data_erased_at = models.DateTimeField(_("персональные данные удалены"), null=True, blank=True)

    class Meta:
        verbose_name = _("участник конкурса")
        verbose_name_plural = _("участники конкурса")
        ordering = ["contest", "last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "email"], name="contestant_unique_email"),
        ]

    def __str__(self):
        return self.full_name or _("участник № %(pk)s") % {"pk": self.pk}

    @property
    def full_name(self):
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    def age_on(self, day):
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def is_minor(self, day=None):
        age = self.age_on(day or timezone.localdate())
        return age is not None and age < 18


class Work(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="works")
    contestant = models.ForeignKey(Contestant, on_delete=models.CASCADE, related_name="works")
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="works")
    age_group = models.ForeignKey(AgeGroup, on_delete=models.PROTECT, related_name="works")
    code = models.CharField(_("шифр работы"), max_length=20, unique=True)
    title = models.CharField(_("название работы"), max_length=200)
    file = models.FileField(
        _("файл"), storage=contest_storage, upload_to=contest_upload_to, max_length=200, blank=True
    )
    file_name = models.CharField(_("имя файла"), max_length=200, blank=True)
    file_type = models.CharField(_("тип файла"), max_length=100, blank=True)
    submitted_at = models.DateTimeField(_("подана"), default=timezone.now)
    updated_at = models.DateTimeField(_("заменена"), default=timezone.now)
    place = models.PositiveSmallIntegerField(
        _("место"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )

    class Meta:
        verbose_name = _("конкурсная работа")
        verbose_name_plural = _("конкурсные работы")
        ordering = ["contest", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["contestant", "nomination"], name="contest_work_one_per_nomination"
            ),
        ]

    def __str__(self):
        return self.code


class ScoreSheet(models.Model):
    """One juror's scores of one work (a row per criterion in :class:`Score`)."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="sheets")
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contest_sheets"
    )
    comment = models.TextField(_("комментарий"), blank=True)
    updated_at = models.DateTimeField(_("изменён"), default=timezone.now)

    class Meta:
        verbose_name = _("оценочный лист")
        verbose_name_plural = _("оценочные листы")
        constraints = [
            models.UniqueConstraint(fields=["work", "juror"], name="contest_one_sheet_per_juror"),
        ]

    def __str__(self):
        return f"{self.work} — {self.juror}"

    @property
    def total(self):
        return sum(score.points for score in self.scores.all())


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    points = models.PositiveSmallIntegerField(_("баллы"))

    class Meta:
        verbose_name = _("балл")
        verbose_name_plural = _("баллы")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="contest_one_score_per_criterion"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.points}"

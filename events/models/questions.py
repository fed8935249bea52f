"""Live Q&A of an event: participants ask, others upvote, a moderator marks questions answered or hides them.

State changes go through :mod:`events.live` (``ask``, ``upvote``, ``moderate``), which check who may do
what, enforce the length and rate limits and tell the connected browsers after the commit.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

QUESTION_MAX_LENGTH = 500


class QuestionQuerySet(models.QuerySet):
    def for_event(self, event):
        return self.filter(event=event).select_related("author__municipality")

    def visible(self):
        """What participants see: everything but hidden questions."""
        return self.exclude(state=Question.State.HIDDEN)

    def asked_by_after(self, user, moment):
        return self.filter(author=user, created__gt=moment)


class Question(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("ожидает ответа")
        ANSWERED = "answered", _("отвечен")
        HIDDEN = "hidden", _("скрыт модератором")

    event = models.ForeignKey(
        "events.EventPage",
        verbose_name=_("мероприятие"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        on_delete=models.CASCADE,
        related_name="event_questions",
    )
    text = models.TextField(_("вопрос"), max_length=QUESTION_MAX_LENGTH)
    state = models.CharField(_("состояние"), max_length=20, choices=State.choices, default=State.OPEN)
    votes = models.PositiveIntegerField(_("голосов"), default=0)
    version = models.PositiveIntegerField(
        _("версия"), default=1, help_text=_("Растёт при каждом изменении вопроса.")
    )
    created = models.DateTimeField(_("задан"), default=timezone.now)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("модератор"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderated_event_questions",
    )
    moderated_at = models.DateTimeField(_("время модерации"), null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("вопрос участника")
        verbose_name_plural = _("вопросы участников")
        ordering = ["event", "created", "pk"]
        indexes = [
            models.Index(fields=["event", "created"]),
            models.Index(fields=["author", "event", "created"]),
        ]

    def __str__(self):
        return self.text[:60]

    def author_label(self):
        """ "Иванов И. И., Бабынинский район": the author's surname, initials and municipality."""
        author = self.author
        initials = " ".join(f"{part[0]}." for part in (author.first_name, author.patronymic) if part)
        name = " ".join(part for part in (author.last_name, initials) if part) or author.username
        if author.municipality_id:
            return _("%(name)s, %(municipality)s") % {"name": name, "municipality": author.municipality}
        return name


class QuestionVote(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("вопрос"), on_delete=models.CASCADE, related_name="question_votes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("участник"),
        on_delete=models.CASCADE,
        related_name="event_question_votes",
    )
    created = models.DateTimeField(_("время"), default=timezone.now)

    class Meta:
        verbose_name = _("голос за вопрос")
        verbose_name_plural = _("голоса за вопросы")
        constraints = [models.UniqueConstraint("question", "user", name="questionvote_unique_question_user")]

    def __str__(self):
        return f"{self.user} → {self.question_id}"

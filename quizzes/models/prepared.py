"""A person's paper for a campaign, made before the start so that the start only sets the clock.

When thousands press «Начать тест» at one moment, each start would draw and shuffle the questions,
freeze their snapshot and render them for the page. A prepared paper is all of that, made earlier:
when the person opens the campaign's intro page during the minutes before the start, or by
``manage.py prepare_papers`` over the audience. The start then copies it into a new
:class:`~quizzes.models.Sitting` inside the database and sends the stored questions
(:mod:`quizzes.services.prepared`).

A paper is not a sitting: it lives in its own table, so no count, report, monitor, attempt rule or
export can see it as "started". It is valid only for the quiz version and the versions of the questions it
was drawn from, and for the attempt number it was made for: a quiz or a drawn question edited, retired
or deleted before the start, a campaign switched to another quiz, or a sitting begun in the meantime
make it stale, and the start then draws afresh and drops it. (Questions added to a category the quiz
draws from do not: the paper is as if the person had started when it was made.)
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .campaigns import TestCampaign
from .quizzes import Quiz


class PreparedPaper(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("слушатель"), on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(
        TestCampaign, verbose_name=_("тестирование"), on_delete=models.CASCADE, related_name="prepared_papers"
    )
    quiz = models.ForeignKey(Quiz, verbose_name=_("тест"), on_delete=models.CASCADE, related_name="+")
    quiz_version = models.DateTimeField(_("версия теста"))
    # The latest change among the drawn questions when they were drawn: an edit (or a retirement) of any
    # of them gives a later one, a deletion a smaller count.
    questions_version = models.DateTimeField(_("версия вопросов"))
    number = models.PositiveSmallIntegerField(_("номер попытки"))
    question_order = models.JSONField(_("порядок вопросов"), default=list)
    snapshot = models.JSONField(_("вопросы попытки"), default=dict)
    pass_mark = models.PositiveSmallIntegerField(_("проходной балл, %"))
    max_score = models.DecimalField(_("максимум баллов"), max_digits=8, decimal_places=2, default=0)
    questions = models.TextField(_("вопросы для страницы теста"))
    prepared_at = models.DateTimeField(_("подготовлен"))

    class Meta:
        verbose_name = _("подготовленный вариант")
        verbose_name_plural = _("подготовленные варианты")
        constraints = [
            models.UniqueConstraint("campaign", "user", name="prepared_paper_one_per_person"),
        ]

    def __str__(self):
        return _("%(user)s — %(campaign)s, попытка %(number)s") % {
            "user": self.user,
            "campaign": self.campaign,
            "number": self.number,
        }

"""Servant pages of remote testing: my campaigns, a campaign's intro, the test page and the result.

The test page is a shell: ``quizzes/static/quizzes/take.js`` loads the questions from the JSON API
(:mod:`quizzes.api`) and saves each answer as the person goes; without JavaScript the same page is
one server-rendered form (:mod:`quizzes.plain_form`). Every page is scoped to the person:
another person's campaign or sitting is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..api.review import result_summary, review_items
from ..cabinet import my_campaign, my_campaigns
from ..exceptions import QuizError, SittingExpired, SittingFinished
from ..models import Sitting
from ..plain_form import FINISH, plain_questions, save_form
from ..result_notes import notes_for
from ..services import finish_sitting, start_campaign_sitting
from ..services.prepared import prepare_paper, start_prepared


def _my_sitting_or_404(user, sitting_id, now):
    sitting = Sitting.objects.filter(user=user, pk=sitting_id).select_related("quiz", "campaign").first()
    if sitting is None:
        raise Http404
    if sitting.is_in_progress and not sitting.accepts_answers_at(now):
        finish_sitting(sitting, now=now)
    return sitting


def take_strings():
    """The Russian texts take.js shows (it has no gettext of its own)."""
    return {
        "saved": _("сохранено"),
        "saving": _("сохраняется…"),
        "retry": _("не сохранено, повторим"),
        "rejected": _("не сохранено: %(detail)s"),
        "unanswered": _("нет ответа"),
        "question": _("Вопрос %(number)s из %(total)s"),
        "points": _("Баллов: %(points)s"),
        "true": _("Верно"),
        "false": _("Неверно"),
        "choose": _("— выберите —"),
        "your_answer": _("Ваш ответ"),
        "number_hint": _("Введите число; дробную часть можно отделить запятой."),
        "no_limit": _("без ограничения"),
        "offline": _(
            "Нет связи с сервером. Ответы сохранены в браузере и будут отправлены, когда связь вернётся."
        ),
        "online": _("Связь восстановлена."),
        "pending": _("Не отправлено ответов: %(count)s."),
        "confirm_finish": _("Завершить тест? Изменить ответы после этого будет нельзя."),
        "confirm_finish_pending": _(
            "Не все ответы удалось отправить (%(count)s). Всё равно завершить тест? "
            "Неотправленные ответы не будут учтены."
        ),
        "finishing": _("Завершаем тест…"),
        "finish_failed": _("Не удалось завершить тест: нет связи с сервером. Попробуйте ещё раз."),
        "time_up": _("Время вышло. Тест завершается; ответы, сохранённые до этого момента, учтены."),
        "closed": _("Попытка уже завершена. Переходим к результату…"),
        "session": _(
            "Сеанс входа истёк. Войдите на сайт в другой вкладке, ответы будут отправлены повторно."
        ),
        "load_failed": _("Не удалось загрузить тест. Повторяем…"),
    }


@login_required
def campaign_list(request):
    return render(request, "quizzes/taking/campaign_list.html", {"entries": my_campaigns(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_detail(request, campaign_id):
    """The campaign's intro; POST starts (or resumes) the person's sitting and opens the test page."""
    now = timezone.now()
    entry = my_campaign(request.user, campaign_id, now)
    if entry is None:
        raise Http404
    if request.method == "POST":
        started = start_prepared(request.user, campaign_id, now=now)
        if started is not None:
            return redirect("quizzes:take", started.sitting_id)
        try:
            sitting = start_campaign_sitting(request.user, entry.campaign, now=now)
        except QuizError as error:
            messages.error(request, error.message)
            return redirect("quizzes:campaign", campaign_id)
        return redirect("quizzes:take", sitting.pk)
    if entry.sitting is None or not entry.sitting.is_in_progress:
        # The person waits here for the start: draw their questions now, not in the start's rush.
        prepare_paper(request.user, entry.campaign, now=now)
    return render(request, "quizzes/taking/campaign_detail.html", {"entry": entry})


@login_required
@require_http_methods(["GET", "POST"])
def take(request, sitting_id):
    """The test page: take.js drives it through the JSON API; without JavaScript (or with ``?plain=1``)
    it is one form (:mod:`quizzes.plain_form`) that POSTs here."""
    now = timezone.now()
    sitting = _my_sitting_or_404(request.user, sitting_id, now)
    if not sitting.is_in_progress:
        return redirect("quizzes:result", sitting.pk)
    plain = request.GET.get("plain") == "1"
    answers = errors = None
    status = 200
    if request.method == "POST":
        try:
            answers, errors = save_form(request.user, sitting, request.POST, now)
        except (SittingFinished, SittingExpired) as error:
            finish_sitting(sitting, now=now)
            messages.error(request, error.message)
            return redirect("quizzes:result", sitting.pk)
        if not errors:
            if request.POST.get("action") == FINISH:
                finish_sitting(sitting, now=now)
                return redirect("quizzes:result", sitting.pk)
            messages.success(request, _("Ответы сохранены."))
            return redirect(request.get_full_path())
        status = 422
    context = {
        "sitting": sitting,
        "strings": take_strings(),
        "plain": plain,
        "plain_questions": plain_questions(sitting, answers, errors),
        "plain_errors": bool(errors),
        "minutes_left": (sitting.seconds_left(now) + 59) // 60 if sitting.deadline else None,
    }
    return render(request, "quizzes/taking/take.html", context, status=status)


@login_required
def result(request, sitting_id):
    """The result, with the review when the quiz allows it now. A sitting whose time is up (even
    within the grace for late answers) is finished here; one still running goes back to its page."""
    now = timezone.now()
    sitting = _my_sitting_or_404(request.user, sitting_id, now)
    if sitting.is_in_progress:
        if sitting.seconds_left(now) != 0:
            return redirect("quizzes:take", sitting.pk)
        finish_sitting(sitting, now=now)
    summary = result_summary(sitting, now)
    return render(
        request,
        "quizzes/taking/result.html",
        {
            "sitting": sitting,
            "summary": summary,
            "review": review_items(sitting, now) if summary["review_available"] else None,
            "notes": notes_for(sitting),
        },
    )

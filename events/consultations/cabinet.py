"""«Мои вопросы» in «Мой кабинет» and the notices of answers (registered in ``events.consultations``)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from people.notices import Notice

from ..models import Consultation, ConsultationMessage

SECTION_LIMIT = 10


def my_questions_section(request):
    """Every signed-in person may ask: the section shows their latest questions and the way to ask."""
    if not request.user.is_authenticated:
        return None
    questions = list(
        Consultation.objects.filter(asker=request.user)
        .select_related("topic")
        .order_by("-updated_at", "-pk")[: SECTION_LIMIT + 1]
    )
    return {
        "title": _("Мои вопросы в уполномоченный орган"),
        "template": "events/consultations/cabinet_section.html",
        "questions": questions[:SECTION_LIMIT],
        "more": len(questions) > SECTION_LIMIT,
    }


def my_notices(user, limit):
    """An answer to each of the person's questions, newest first (a source of :mod:`people.notices`)."""
    answers = (
        ConsultationMessage.objects.filter(
            consultation__asker=user, kind=ConsultationMessage.Kind.ANSWER, consultation__texts_erased_at=None
        )
        .select_related("consultation")
        .order_by("-created_at", "-pk")[:limit]
    )
    return [
        Notice(
            created_at=answer.created_at,
            text=_("Уполномоченный орган ответил на ваш вопрос «%(subject)s».")
            % {"subject": answer.consultation.subject},
            url=reverse("consultations:detail", args=[answer.consultation_id]),
            link_text=_("Открыть переписку"),
        )
        for answer in answers
    ]

"""Publishing an answered question in the materials library, anonymised («Вопрос — ответ»).

The FAQ is content of ``cms``: a :class:`cms.models.MaterialPage` of the kind «Ответ на вопрос»
(``MaterialKind.FAQ``) under the library, with the edited question as its summary and the edited answer
as its text. ``cms`` does not know consultations (it may not import ``events``); the consultation keeps
a link to its page (``Consultation.faq_page``). So the library lists, filters, searches and feeds the
FAQ like any other material, and the page has Wagtail's revisions and history; publishing again from
the consultation, or editing the page in the admin, changes it.

Nothing about the asker goes to the page by itself: the form starts from the question and the answers
with the asker's names, e-mail, organization and municipality replaced by «…» (:func:`anonymised`);
regional managers edit the text before it is published.
"""

import html
import json
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.models import MaterialIndexPage, MaterialKind, MaterialPage, MaterialTopic

from ..models import ConsultationMessage
from . import audit
from .access import may_answer
from .services import ConsultationError

PLACEHOLDER = "…"
TITLE_MAX_LENGTH = 255


def _personal_words(consultation):
    """The asker's names, e-mail, login, organization and municipality, longest first."""
    words = set()
    asker = consultation.asker
    if asker is not None:
        full = " ".join(part for part in (asker.last_name, asker.first_name, asker.patronymic) if part)
        words |= {full, asker.last_name, asker.first_name, asker.patronymic, asker.email, asker.username}
    for place in (consultation.organization, consultation.municipality):
        if place is not None:
            words.add(place.name)
    return sorted((word for word in words if word and len(word) >= 2), key=len, reverse=True)


def _pattern(word):
    """A name in any case form: «Сидорова» also finds «Сидоровой», «Анна» — «Анне»; a phrase or an
    address is found as it is."""
    if re.fullmatch(r"[^\W\d_]+", word) and len(word) >= 4:
        stem = re.sub(r"(ий|ый|ой|[аяйьеоыиу])$", "", word, flags=re.IGNORECASE)
        if len(stem) >= 3:
            return re.compile(rf"(?<!\w){re.escape(stem)}\w*", re.IGNORECASE)
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)


def anonymised(text, consultation):
    """``text`` with the asker's names, e-mail, organization and municipality replaced by «…»."""
    for word in _personal_words(consultation):
        text = _pattern(word).sub(PLACEHOLDER, text)
    return text


def mentions_asker(text, consultation):
    """Which of the asker's personal words ``text`` still contains (for the editor's warning)."""
    return [word for word in _personal_words(consultation) if _pattern(word).search(text)]


def draft(consultation):
    """The form's starting values: title, question and the answers, anonymised."""
    answers = consultation.messages.filter(kind=ConsultationMessage.Kind.ANSWER).order_by("created_at", "pk")
    page = consultation.faq_page
    if page is not None:
        page = page.specific
        return {"title": page.title, "question": page.summary, "answer": _text_of(page)}
    return {
        "title": anonymised(consultation.subject, consultation)[:TITLE_MAX_LENGTH],
        "question": anonymised(consultation.text, consultation),
        "answer": anonymised("\n\n".join(answer.text for answer in answers), consultation),
    }


def _paragraphs_html(text):
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]
    return "".join(
        "<p>" + "<br/>".join(html.escape(line) for line in block.splitlines()) + "</p>" for block in blocks
    )


def _text_of(page):
    """The answer's plain text back from the page's paragraphs (for editing again)."""
    parts = []
    for block in page.body:
        if block.block_type == "paragraph":
            source = str(block.value.source if hasattr(block.value, "source") else block.value)
            source = re.sub(r"<br\s*/?>", "\n", source)
            parts.extend(
                html.unescape(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<p>(.*?)</p>", source, re.S)
            )
    return "\n\n".join(parts)


def library():
    return MaterialIndexPage.objects.live().first()


def publish(user, consultation, *, title, question, answer, now=None):
    """Publish (or publish again) the consultation as a material of the library; returns the page."""
    if not may_answer(user):
        raise ConsultationError(_("Публиковать ответы может только уполномоченный орган."))
    if consultation.texts_erased_at is not None:
        raise ConsultationError(_("Переписка по этому вопросу удалена, опубликовать её нельзя."))
    if not consultation.has_answer:
        raise ConsultationError(_("Опубликовать можно только вопрос, на который дан ответ."))
    title, question, answer = (value.strip() for value in (title, question, answer))
    if not (title and question and answer):
        raise ConsultationError(_("Заполните заголовок, вопрос и ответ."))
    index = library()
    if index is None:
        raise ConsultationError(_("Библиотека материалов ещё не создана: опубликовать ответ некуда."))
    now = now or timezone.now()
    body = json.dumps(
        [
            {"type": "heading", "value": {"text": _("Ответ"), "level": "h2"}},
            {"type": "paragraph", "value": _paragraphs_html(answer)},
        ]
    )
    if not index.permissions_for_user(user).can_publish_subpage():
        raise ConsultationError(_("У вас нет права публиковать материалы библиотеки (Wagtail)."))
    # All or nothing: the topic, the page, its revision and the consultation's link are written in one
    # transaction, so a failed publication leaves neither a page nor a new topic behind.
    with transaction.atomic():
        # Locked: two managers publishing the same question at once make one page, not two.
        locked = type(consultation).objects.select_for_update(of=("self",)).get(pk=consultation.pk)
        if locked.texts_erased_at is not None:
            raise ConsultationError(_("Переписка по этому вопросу удалена, опубликовать её нельзя."))
        topic, _created = MaterialTopic.objects.get_or_create(name=locked.topic.name)
        page = locked.faq_page.specific if locked.faq_page_id else None
        if page is None:
            page = MaterialPage(
                title=title[:TITLE_MAX_LENGTH],
                slug=f"otvet-na-vopros-{consultation.pk}",
                kind=MaterialKind.FAQ,
                date=timezone.localdate(now),
                summary=question,
                body=body,
                live=False,
                owner=user,
            )
            index.add_child(instance=page)
        else:
            page.title = title[:TITLE_MAX_LENGTH]
            page.summary = question
            page.body = body
        page.topics.add(topic)
        page.save_revision(user=user, log_action=True).publish(user=user)
        locked.faq_page = page
        locked.save(update_fields=["faq_page"])
        audit.log(locked, audit.PUBLISHED, user, {"page": page.pk})
    consultation.faq_page = page
    return page

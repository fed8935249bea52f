"""A person's own result sheet («Лист результатов») of a finished sitting, as a printable PDF.

It says who took which test where and when, the score, the per cent and whether the test was
passed, and — only where the review would show the questions — the result per topic (the question's
category in the bank, as :mod:`quizzes.analytics.topics` counts topics).

The sheet never tells more than the result page: the topics are summed over the items of
:func:`quizzes.api.review.review_items` that are not *withheld* (questions the person can still meet
where it counts, see :mod:`quizzes.answerable`), and only when the quiz allows a review now. No
question, answer, explanation or legal norm is printed at all.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.pdf import Document

from .analytics.participation import ONE_DECIMAL
from .api.review import review_items
from .models import Category, Question

TOPIC_COLUMNS = (
    (gettext_lazy("Тема"), 98, "L"),
    (gettext_lazy("Вопросов"), 22, "R"),
    (gettext_lazy("Баллы"), 32, "C"),
    (gettext_lazy("Процент"), 26, "R"),
)


@dataclass
class TopicResult:
    name: str
    questions: int = 0
    points: Decimal = Decimal(0)
    max_points: Decimal = Decimal(0)

    @property
    def percent(self):
        if not self.max_points:
            return None
        return (self.points * 100 / self.max_points).quantize(ONE_DECIMAL, ROUND_HALF_UP)


@dataclass
class ResultSheet:
    sitting: object
    review_available: bool
    topics: list = field(default_factory=list)  # TopicResult, in the order of the topic names
    withheld: int = 0  # questions left out of the topics: still answerable where it counts
    generated_at: object = None


def _topics(sitting, items):
    category_of = dict(
        Question.objects.non_polymorphic()
        .filter(pk__in=[item["id"] for item in items])
        .values_list("pk", "category_id")
    )
    names = Category.objects.in_bulk(set(category_of.values()))
    topics = {}
    for item in items:
        category = names.get(category_of.get(item["id"]))
        name = category.name if category else _("Без темы")
        topic = topics.setdefault(name, TopicResult(name))
        points = Decimal(item["points"])
        topic.questions += 1
        topic.max_points += points
        topic.points += points * Decimal(item["fraction"] or 0)
    return sorted(topics.values(), key=lambda topic: topic.name.lower())


def result_sheet(sitting, now=None):
    """The sheet of a finished ``sitting`` as its owner may see it at ``now``."""
    now = now or timezone.now()
    sheet = ResultSheet(sitting=sitting, review_available=sitting.may_review(now), generated_at=now)
    if sheet.review_available:
        items = review_items(sitting, now)
        shown = [item for item in items if not item["withheld"]]
        sheet.withheld = len(items) - len(shown)
        sheet.topics = _topics(sitting, shown)
    return sheet


def _number(value):
    return "" if value is None else floatformat(value, -2)


def render_result_sheet(sheet):
    """The sheet as PDF bytes."""
    sitting = sheet.sitting
    person = sitting.user
    title = sitting.campaign.title if sitting.campaign_id else sitting.quiz.title
    document = Document(_("Лист результатов: %(title)s") % {"title": title})
    document.add_page()
    document.heading(_("Лист результатов"))
    if sitting.campaign_id:
        document.paragraph(_("дистанционного тестирования"), align="C")
    document.space(3)
    facts = [
        (_("ФИО"), person.get_full_name() or person.get_username()),
        (_("Организация"), person.organization or "—"),
        (_("Должность"), person.position or "—"),
    ]
    if person.municipality_id:
        facts.append((_("Муниципальное образование"), person.municipality.name))
    if sitting.campaign_id:
        facts.append((_("Тестирование"), f"«{sitting.campaign.title}»"))
    finished_at = timezone.localtime(sitting.finished_at) if sitting.finished_at else None
    facts += [
        (_("Тест"), sitting.quiz.title),
        (_("Попытка"), sitting.number),
        (_("Дата прохождения"), formats.date_format(finished_at, "d.m.Y, H:i") if finished_at else "—"),
        (
            _("Набрано баллов"),
            _("%(score)s из %(max)s") % {"score": _number(sitting.score), "max": _number(sitting.max_score)},
        ),
        (_("Результат, %"), formats.number_format(sitting.percent, 2)),
        (_("Проходной балл, %"), sitting.pass_mark),
        (_("Итог"), _("тест пройден") if sitting.passed else _("тест не пройден")),
    ]
    document.facts(facts, label_width=0.34)
    if sheet.topics:
        document.paragraph(_("Результаты по темам"), bold=True)
        document.space(1)
        document.data_table(
            [label for label, _width, _align in TOPIC_COLUMNS],
            [
                (
                    topic.name,
                    str(topic.questions),
                    _("%(score)s из %(max)s")
                    % {"score": _number(topic.points), "max": _number(topic.max_points)},
                    "—" if topic.percent is None else formats.number_format(topic.percent, 1),
                )
                for topic in sheet.topics
            ],
            col_widths=tuple(width for _label, width, _align in TOPIC_COLUMNS),
            align=tuple(align for _label, _width, align in TOPIC_COLUMNS),
            size=9,
        )
    if not sheet.review_available:
        document.paragraph(
            _(
                "Результаты по темам будут показаны вместе с разбором ответов, когда его откроют "
                "по правилам теста."
            ),
            size=9,
            grey=True,
        )
    elif sheet.withheld:
        document.paragraph(
            _(
                "Вопросы, которые могут встретиться вам в открытом тестировании или курсе (%(count)s), "
                "в результаты по темам не включены: они будут показаны позже."
            )
            % {"count": sheet.withheld},
            size=9,
            grey=True,
        )
    document.space(4)
    document.paragraph(
        _("Сведения на %(date)s по данным платформы «Антикор: обучение».")
        % {"date": formats.date_format(timezone.localtime(sheet.generated_at), "j E Y, H:i")},
        size=8,
        grey=True,
    )
    return document.to_bytes()

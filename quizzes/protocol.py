"""The protocol of a campaign's results for one municipality (with its settlements) or for the regional
bodies: a printable PDF for the municipality's commission to sign.

:func:`campaign_protocol` gathers the data within the manager's scope: the participants of
:func:`quizzes.analytics.participants` with their counted sitting (the best or the last, as the
quiz says: the same sitting the campaign's tables count), and totals that equal the campaign's
table for that municipality. :func:`render_protocol` draws it with :mod:`people.pdf`.

Who may print which protocol, the audit entry and the POST are the view's business
(:mod:`quizzes.protocol_views`).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, Subquery
from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.pdf import Document

from . import analytics
from .analytics.participation import NO_MUNICIPALITY, ONE_DECIMAL, ResultRow

# Columns of the participants' table: heading, width in mm (they add up to the 178 mm between the
# margins), alignment.
COLUMNS = (
    (gettext_lazy("№"), 7, "R"),
    (gettext_lazy("ФИО"), 36, "L"),
    (gettext_lazy("Организация"), 31.5, "L"),
    (gettext_lazy("Должность"), 26, "L"),
    (gettext_lazy("Дата прохождения"), 18.5, "C"),
    (gettext_lazy("Баллы"), 15, "C"),
    (gettext_lazy("Процент"), 12.5, "R"),
    (gettext_lazy("Результат"), 19, "L"),
    (gettext_lazy("Попыток"), 12.5, "R"),
)
MEMBER_LINES = 3  # lines for the members of the commission


@dataclass
class ProtocolRow:
    name: str
    organization: str
    position: str
    finished_at: object  # the counted sitting's end, or None
    score: Decimal | None
    max_score: Decimal | None
    percent: Decimal | None
    result: str
    attempts: int


@dataclass
class Protocol:
    campaign: object
    municipality: object  # a Municipality, or None for the regional bodies
    settlements: list  # names of the municipality's settlements
    rows: list = field(default_factory=list)
    totals: ResultRow = None
    generated_at: object = None

    @property
    def place(self):
        """The municipality in words, as the heading and the audit log name it."""
        return str(NO_MUNICIPALITY) if self.municipality is None else str(self.municipality)


def protocol_title(place):
    return _("Протокол результатов тестирования: %(place)s") % {"place": place}


def campaign_period(campaign):
    start, end = timezone.localtime(campaign.opens_at), timezone.localtime(campaign.closes_at)
    return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"


def result_label(person):
    """«сдал», «не сдал» by the counted sitting; else where the person stands."""
    if person.result_passed is not None:
        return _("сдал") if person.result_passed else _("не сдал")
    if person.awaiting:
        return _("ожидает проверки")
    if person.in_progress:
        return _("не завершил")
    return _("не приступал")


def _with_counted_result(people, campaign):
    counted = analytics.counted_sittings(campaign).filter(user=OuterRef("pk"), quiz_id=campaign.quiz_id)
    return people.annotate(
        result_score=Subquery(counted.values("score")[:1]),
        result_max_score=Subquery(counted.values("max_score")[:1]),
        result_finished_at=Subquery(counted.values("finished_at")[:1]),
    )


def _totals(people):
    """The campaign table's figures over these people: a person counts once, by the counted sitting."""
    totals = ResultRow(key=None, name=str(_("Итого")))
    percents = []
    for person in people:
        totals.expected += bool(person.is_expected)
        totals.started += bool(person.attempts)
        if person.result_percent is not None:
            totals.finished += 1
            totals.passed += bool(person.result_passed)
            percents.append(Decimal(person.result_percent))
    if percents:
        totals.average = (sum(percents) / len(percents)).quantize(ONE_DECIMAL, ROUND_HALF_UP)
    return totals


def campaign_protocol(campaign, scope, municipality=None, now=None):
    """The protocol of ``campaign`` for ``municipality`` (with its settlements), or for the regional
    bodies (people without a municipality) when it is None; only people in ``scope``."""
    if municipality is None:
        people = analytics.participants(campaign, scope).filter(municipality__isnull=True)
        settlements = []
    else:
        people = analytics.participants(campaign, scope, municipality=municipality)
        settlements = [str(settlement) for settlement in municipality.settlements.order_by("name")]
    people = list(_with_counted_result(people, campaign))
    rows = [
        ProtocolRow(
            name=person.get_full_name() or person.get_username(),
            organization=str(person.organization or ""),
            position=person.position,
            finished_at=person.result_finished_at,
            score=person.result_score,
            max_score=person.result_max_score,
            percent=person.result_percent,
            result=result_label(person),
            attempts=person.attempts or 0,
        )
        for person in people
    ]
    return Protocol(
        campaign=campaign,
        municipality=municipality,
        settlements=settlements,
        rows=rows,
        totals=_totals(people),
        generated_at=now or timezone.now(),
    )


def _date(value, format_name="d.m.Y"):
    return "" if value is None else formats.date_format(timezone.localtime(value), format_name)


def _number(value):
    return "" if value is None else floatformat(value, -2)


def _percent(value):
    return "" if value is None else formats.number_format(value, 2)


def _signature_line(document, label, y):
    """``label`` on the left, a line for the signature and one for the name (left blank)."""
    left = document.l_margin
    document.set_xy(left, y)
    document.cell(60, 5, label)
    sign_from, sign_to = left + 62, left + 102
    name_from, name_to = left + 108, document.w - document.r_margin
    document.line(sign_from, y + 5, sign_to, y + 5)
    document.line(name_from, y + 5, name_to, y + 5)
    document.set_font_size(7)
    document.set_xy(sign_from, y + 5.3)
    document.cell(sign_to - sign_from, 3, _("(подпись)"), align="C")
    document.set_xy(name_from, y + 5.3)
    document.cell(name_to - name_from, 3, _("(расшифровка подписи)"), align="C")
    document.set_font_size(10)


SIGNATURE_STEP = 10  # mm from one signature line to the next


def _signature_block(document):
    """The commission's signatures: chair, members, secretary, and the date; kept on one page."""
    height = 12 + SIGNATURE_STEP * (MEMBER_LINES + 2) + 12
    if document.will_page_break(height):
        document.add_page()
    document.space(3)
    document.paragraph(_("Подписи членов комиссии"), bold=True)
    y = document.get_y() + 2
    _signature_line(document, _("Председатель комиссии"), y)
    y += SIGNATURE_STEP
    for number in range(MEMBER_LINES):
        _signature_line(document, _("Члены комиссии:") if number == 0 else "", y)
        y += SIGNATURE_STEP
    _signature_line(document, _("Секретарь комиссии"), y)
    document.set_xy(document.l_margin, y + SIGNATURE_STEP + 2)
    document.paragraph(_("Дата: «____» ______________ 20____ г."))


def render_protocol(protocol):
    """The protocol as PDF bytes."""
    campaign, quiz, totals = protocol.campaign, protocol.campaign.quiz, protocol.totals
    document = Document(protocol_title(protocol.place))
    document.add_page()
    document.heading(_("Протокол результатов тестирования"))
    document.paragraph(
        _("дистанционного тестирования на знание законодательства о противодействии коррупции"), align="C"
    )
    document.space(3)
    facts = [
        (_("Тестирование"), f"«{campaign.title}»"),
        (
            _("Тест"),
            _("«%(quiz)s», проходной балл %(mark)s%%") % {"quiz": quiz.title, "mark": quiz.pass_mark},
        ),
        (
            _("Сроки проведения"),
            _("с %(start)s по %(end)s")
            % {
                "start": _date(campaign.opens_at, "j E Y, H:i"),
                "end": _date(campaign.closes_at, "j E Y, H:i"),
            },
        ),
    ]
    if protocol.municipality is None:
        facts.append((_("Органы власти"), _("Областные органы (без муниципального образования)")))
    else:
        facts.append((_("Муниципальное образование"), protocol.municipality.name))
        if protocol.settlements:
            facts.append((_("Поселения"), ", ".join(protocol.settlements)))
    facts.append((_("Сведения на"), _date(protocol.generated_at, "j E Y, H:i")))
    document.facts(facts, label_width=0.36)
    if protocol.rows:
        document.data_table(
            [label for label, _width, _align in COLUMNS],
            [
                (
                    str(number),
                    row.name,
                    row.organization,
                    row.position,
                    _date(row.finished_at),
                    ""
                    if row.score is None
                    else _("%(score)s из %(max)s")
                    % {"score": _number(row.score), "max": _number(row.max_score)},
                    _percent(row.percent),
                    row.result,
                    str(row.attempts),
                )
                for number, row in enumerate(protocol.rows, start=1)
            ],
            col_widths=tuple(width for _label, width, _align in COLUMNS),
            align=tuple(align for _label, _width, align in COLUMNS),
        )
    else:
        document.paragraph(_("Ни ожидаемых участников, ни попыток нет."))
    document.paragraph(_("Итоги"), bold=True)
    document.facts(
        [
            (_("Ожидалось участников"), totals.expected),
            (_("Приступили к тестированию"), totals.started),
            (_("Завершили тестирование"), totals.finished),
            (_("Сдали"), totals.passed),
            (
                _("Участие, %"),
                "—" if totals.participation is None else formats.number_format(totals.participation, 1),
            ),
            (
                _("Средний результат, %"),
                "—" if totals.average is None else formats.number_format(totals.average, 1),
            ),
        ],
        label_width=0.45,
    )
    document.paragraph(
        _(
            "Человек учитывается один раз, сколько бы попыток у него ни было: результат — по засчитанной "
            "попытке (лучшей или последней, как задано в тесте). Участие — доля завершивших тестирование "
            "среди ожидаемых участников."
        ),
        size=8,
        grey=True,
    )
    _signature_block(document)
    return document.to_bytes()

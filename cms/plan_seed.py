"""Reading an anti-corruption plan from the text export of its decree (КонсультантПлюс).

The export holds the decree's requisites in its page header and the plan as a table with four
tab-separated columns: «N п/п», «Наименование мероприятия», «Сроки реализации», «Ответственные
исполнители». Page breaks cut the table:

* an item's row may go on in a later line that starts with a tab: its non-empty cells continue the
  title, deadline and executors of the row above;
* a section heading may go on in the next line ("3. … положений," + "способствующих …");
* empty lines, the page header and footer lines are not rows.

Continuation fragments are joined with a single space, which restores the text of the document.

    plan = parse_plan_text(path.read_text(encoding="utf-8"))   # raises PlanParseError
    plan.as_dict()                                             # what cms/data/plan_<year>.json holds
    ParsedPlan.from_dict(json.loads(...))                      # raises PlanDataError
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

COLUMN_COUNT = 4
TABLE_HEADER = ("N п/п", "Наименование мероприятия", "Сроки реализации", "Ответственные исполнители")

SECTION_RE = re.compile(r"^(?P<number>\d+)\.\s+(?P<title>\S.*)$")
ITEM_NUMBER_RE = re.compile(r"^(?P<section>\d+)\.(?P<index>\d+)\.?$")
# "Постановление Губернатора Калужской области от 07.12.2023 N 587 "Об утверждении плана …"".
ACT_RE = re.compile(
    r"(?<!\S)(?P<kind>[А-ЯЁ][а-яё]+) (?P<issuer>[^\"]+?) от (?P<date>\d{2}\.\d{2}\.\d{4})"
    r" N (?P<number>[\w/-]+)\s+\"(?P<title>[^\"]+)\""
)
ACT_TITLE_RE = re.compile(r"^Об утверждении плана (?P<subject>.+ на (?P<year>\d{4}) год)$")
# Lines the export repeats on every page.
RUNNING_LINE_RES = [
    re.compile(pattern)
    for pattern in (
        r"^Документ предоставлен \**КонсультантПлюс\**$",
        r"^(www\.)?consultant\.ru$",
        r"^Дата сохранения: \d{2}\.\d{2}\.\d{4}$",
        r"^Страница \d+ из \d+$",
        r"^КонсультантПлюс$",
        r"^надежная правовая поддержка$",
    )
]


class PlanParseError(ValueError):
    """The text is not a plan table this parser understands; ``line`` is 1-based (None: whole text)."""

    def __init__(self, message, line=None):
        self.line = line
        if line is not None:
            message = _("Строка %(line)s: %(message)s") % {"line": line, "message": message}
        super().__init__(message)


class PlanDataError(ValueError):
    """Plan data (a dict, e.g. read from JSON) is missing something or contradicts itself."""


@dataclass
class ParsedItem:
    number: str
    title: str
    deadline: str
    executors: str

    @property
    def index(self):
        return int(self.number.split(".")[1])


@dataclass
class ParsedSection:
    number: int
    title: str
    items: list[ParsedItem] = field(default_factory=list)


@dataclass
class ParsedPlan:
    title: str
    year: int
    act_kind: str
    act_issuer: str
    act_date: datetime.date
    act_number: str
    act_title: str
    sections: list[ParsedSection] = field(default_factory=list)

    @property
    def items(self):
        return [item for section in self.sections for item in section.items]

    def as_dict(self):
        """A JSON-ready dict; :meth:`from_dict` reads it back."""
        return {
            "plan": {
                "title": self.title,
                "year": self.year,
                "act_kind": self.act_kind,
                "act_issuer": self.act_issuer,
                "act_date": self.act_date.isoformat(),
                "act_number": self.act_number,
                "act_title": self.act_title,
            },
            "sections": [
                {
                    "number": section.number,
                    "title": section.title,
                    "items": [
                        {
                            "number": item.number,
                            "title": item.title,
                            "deadline": item.deadline,
                            "executors": item.executors,
                        }
                        for item in section.items
                    ],
                }
                for section in self.sections
            ],
        }

    @classmethod
    def from_dict(cls, data):
        try:
            head = data["plan"]
            plan = cls(
                title=_text(head, "title"),
                year=_whole(head, "year"),
                act_kind=_text(head, "act_kind"),
                act_issuer=_text(head, "act_issuer"),
                act_date=datetime.date.fromisoformat(_text(head, "act_date")),
                act_number=_text(head, "act_number"),
                act_title=_text(head, "act_title"),
                sections=[
                    ParsedSection(
                        number=_whole(section, "number"),
                        title=_text(section, "title"),
                        items=[
                            ParsedItem(
                                number=_text(item, "number"),
                                title=_text(item, "title"),
                                deadline=_text(item, "deadline"),
                                executors=_text(item, "executors"),
                            )
                            for item in section["items"]
                        ],
                    )
                    for section in data["sections"]
                ],
            )
        except PlanDataError:
            raise
        except KeyError as error:
            raise PlanDataError(_("В данных плана нет поля %(name)s.") % {"name": error.args[0]}) from error
        except (TypeError, ValueError) as error:
            raise PlanDataError(_("Данные плана повреждены: %(error)s") % {"error": error}) from error
        plan.check()
        return plan

    def check(self):
        """Raise PlanDataError unless numbers are unique and every item sits in its own section."""
        if not self.sections:
            raise PlanDataError(_("В плане нет ни одного раздела."))
        seen_sections, seen_items = set(), set()
        for section in self.sections:
            if section.number in seen_sections:
                raise PlanDataError(_("Раздел %(number)s повторяется.") % {"number": section.number})
            seen_sections.add(section.number)
            for item in section.items:
                match = ITEM_NUMBER_RE.match(item.number)
                if not match or int(match["section"]) != section.number:
                    raise PlanDataError(
                        _("Мероприятие %(item)s не может стоять в разделе %(section)s.")
                        % {"item": item.number, "section": section.number}
                    )
                if item.number in seen_items:
                    raise PlanDataError(_("Мероприятие %(number)s повторяется.") % {"number": item.number})
                seen_items.add(item.number)


def _text(mapping, key):
    value = mapping[key]
    if not isinstance(value, str) or not value.strip():
        raise PlanDataError(_("Поле %(name)s должно быть непустой строкой.") % {"name": key})
    return value


def _whole(mapping, key):
    value = mapping[key]
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise PlanDataError(_("Поле %(name)s должно быть целым положительным числом.") % {"name": key})
    return value


def _cells(line):
    return [" ".join(cell.split()) for cell in line.split("\t")]


def _join(*fragments):
    return " ".join(fragment for fragment in fragments if fragment)


def parse_plan_text(text):
    """Parse the text export of a plan decree into a :class:`ParsedPlan` (raises PlanParseError)."""
    lines = text.splitlines()
    header_at = next(
        (n for n, line in enumerate(lines) if tuple(_cells(line)) == TABLE_HEADER),
        None,
    )
    if header_at is None:
        raise PlanParseError(
            _("Не найдена шапка таблицы плана: «%(header)s».") % {"header": " | ".join(TABLE_HEADER)}
        )
    preamble = [" ".join(line.split()) for line in lines[:header_at] if line.strip()]
    plan = _parse_requisites(preamble)
    running_lines = set(preamble)

    section = None
    item = None
    heading_open = False  # the last row was a section heading, which may go on in the next line
    for n, line in enumerate(lines[header_at + 1 :], start=header_at + 2):
        text_line = " ".join(line.split())
        if not text_line:
            continue
        if "\t" not in line:
            if text_line in running_lines or any(regex.match(text_line) for regex in RUNNING_LINE_RES):
                continue  # the page header or footer
            raise PlanParseError(
                _("текст вне таблицы и не колонтитул: «%(text)s».") % {"text": text_line[:80]}, line=n
            )
        cells = _cells(line)
        if len(cells) != COLUMN_COUNT:
            raise PlanParseError(
                _("ожидалось %(expected)s столбцов через табуляцию, найдено %(found)s.")
                % {"expected": COLUMN_COUNT, "found": len(cells)},
                line=n,
            )
        if tuple(cells) == TABLE_HEADER:  # the header repeated on a new page
            continue
        first, title, deadline, executors = cells

        if not first:
            if item is None:
                raise PlanParseError(_("продолжение строки, но выше нет мероприятия."), line=n)
            item.title = _join(item.title, title)
            item.deadline = _join(item.deadline, deadline)
            item.executors = _join(item.executors, executors)
            heading_open = False
            continue

        number = ITEM_NUMBER_RE.match(first)
        if number:
            item = _start_item(section, number, title, deadline, executors, n)
            heading_open = False
            continue

        heading = SECTION_RE.match(first)
        if heading and not (title or deadline or executors):
            section = _start_section(plan, int(heading["number"]), heading["title"], n)
            item = None
            heading_open = True
            continue

        if heading_open and not (title or deadline or executors):
            section.title = _join(section.title, first)
            continue

        raise PlanParseError(_("непонятная строка «%(text)s».") % {"text": text_line[:80]}, line=n)

    _check_complete(plan)
    return plan


def _parse_requisites(preamble):
    match = ACT_RE.search(" ".join(preamble))
    if not match:
        raise PlanParseError(
            _(
                "Не найдены реквизиты акта (например, «Постановление … от 07.12.2023 N 587 "
                '"Об утверждении …"»).'
            )
        )
    act_title = match["title"]
    about = ACT_TITLE_RE.match(act_title)
    if not about:
        raise PlanParseError(
            _("Название акта «%(title)s» не похоже на «Об утверждении плана … на <год> год».")
            % {"title": act_title}
        )
    title = "План " + about["subject"]
    if title.upper() not in preamble:
        raise PlanParseError(
            _("В документе нет заголовка плана «%(title)s», совпадающего с названием акта.")
            % {"title": title.upper()}
        )
    return ParsedPlan(
        title=title,
        year=int(about["year"]),
        act_kind=match["kind"],
        act_issuer=match["issuer"],
        act_date=datetime.datetime.strptime(match["date"], "%d.%m.%Y").date(),
        act_number=match["number"],
        act_title=act_title,
    )


def _start_section(plan, number, title, line):
    expected = plan.sections[-1].number + 1 if plan.sections else 1
    if number != expected:
        raise PlanParseError(
            _("раздел %(found)s, а ожидался раздел %(expected)s.") % {"found": number, "expected": expected},
            line=line,
        )
    section = ParsedSection(number=number, title=title)
    plan.sections.append(section)
    return section


def _start_item(section, number, title, deadline, executors, line):
    if section is None:
        raise PlanParseError(
            _("мероприятие %(number)s до первого раздела.") % {"number": number[0]}, line=line
        )
    if int(number["section"]) != section.number:
        raise PlanParseError(
            _("мероприятие %(item)s в разделе %(section)s.") % {"item": number[0], "section": section.number},
            line=line,
        )
    expected = section.items[-1].index + 1 if section.items else 1
    if int(number["index"]) != expected:
        raise PlanParseError(
            _("мероприятие %(found)s, а ожидалось %(expected)s.")
            % {"found": number[0], "expected": f"{section.number}.{expected}"},
            line=line,
        )
    item = ParsedItem(
        number=f"{section.number}.{expected}", title=title, deadline=deadline, executors=executors
    )
    section.items.append(item)
    return item


def _check_complete(plan):
    if not plan.sections:
        raise PlanParseError(_("В таблице нет ни одного раздела."))
    for section in plan.sections:
        if not section.items:
            raise PlanParseError(_("В разделе %(number)s нет мероприятий.") % {"number": section.number})
        for item in section.items:
            for name, label in (
                ("title", _("наименование")),
                ("deadline", _("сроки реализации")),
                ("executors", _("ответственные исполнители")),
            ):
                if not getattr(item, name):
                    raise PlanParseError(
                        _("У мероприятия %(number)s не заполнено: %(field)s.")
                        % {"number": item.number, "field": label}
                    )

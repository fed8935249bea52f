"""The Russian text of the plan-execution report, generated from the figures of each item.

Russian has three plural forms (1 семинар, 2 семинара, 5 семинаров); :func:`plural` picks one, each
form being a translatable string of its own.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import NEWLY_HIRED_DAYS

from .figures import CONSULTATION_ITEMS, LETTER_ITEMS, MATERIAL_ITEMS, Activities, ItemFigures, hire_window


def plural_form(n):
    """0 for «1 человек», 1 for «2 человека», 2 for «5 человек»."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def plural(n, one, few, many):
    return f"{n} {(one, few, many)[plural_form(n)]}"


def people(n):
    return plural(n, _("человек"), _("человека"), _("человек"))


def in_period(period):
    """«В 2024 году» or «В период с 01.01.2024 по 30.06.2024»."""
    whole_year = (period.start.month, period.start.day, period.end.month, period.end.day) == (1, 1, 12, 31)
    if whole_year and period.start.year == period.end.year:
        return _("В %(year)s году") % {"year": period.start.year}
    return _("В период с %(start)s по %(end)s") % {
        "start": f"{period.start:%d.%m.%Y}",
        "end": f"{period.end:%d.%m.%Y}",
    }


def quoted(titles):
    return ", ".join(f"«{title}»" for title in titles)


def _of_group(figures: ItemFigures):
    """« (государственные гражданские служащие)» after a count of people, when the item names a group."""
    return f" ({figures.group_label})" if figures.has_group else ""


def _courses_sentence(figures: ItemFigures, total):
    activities = figures.activities
    courses = activities.courses
    text = _("Обучение организовано по %(courses)s на платформе дистанционного обучения: %(titles)s.") % {
        "courses": plural(
            len(courses), _("программе (курсу)"), _("программам (курсам)"), _("программам (курсам)")
        ),
        "titles": quoted(course.title for course in courses),
    }
    completed = total.get("completed", 0)
    if completed:
        text += " " + _("Завершили обучение%(group)s: %(people)s.") % {
            "group": _of_group(figures),
            "people": people(completed),
        }
    else:
        text += " " + _("Завершивших обучение в отчётном периоде нет.")
    return text


def _events_sentence(figures: ItemFigures, total, municipality_count):
    events = figures.activities.events
    text = _("Проведено %(events)s: %(titles)s.") % {
        "events": plural(len(events), _("мероприятие"), _("мероприятия"), _("мероприятий")),
        "titles": "; ".join(
            f"«{event.title}» ({timezone.localdate(event.start):%d.%m.%Y})" for event in events
        ),
    }
    participants = total.get("event_participants", 0)
    if figures.has_group:
        text += " " + _("Число участников из числа лиц категории «%(group)s» — %(people)s") % {
            "group": figures.group_label,
            "people": people(participants),
        }
    else:
        text += " " + _("Число участников — %(people)s") % {"people": people(participants)}
    if municipality_count:
        text += " " + _("из %(count)s") % {
            "count": plural(
                municipality_count,
                _("муниципального образования"),
                _("муниципальных образований"),
                _("муниципальных образований"),
            )
        }
    if figures.has_group:
        return text + _(" (отметившихся лично или названных поимённо в залах трансляции).")
    return text + _(" (с учётом участников, собиравшихся в залах трансляции).")


def _audience_sentence(total):
    text = _("На семинарах с заданной аудиторией ожидалось %(expected)s, пришли %(attended)s") % {
        "expected": people(total["audience_expected"]),
        "attended": total["audience_attended"],
    }
    if total.get("audience_attended_percent") is not None:
        text += " " + _("(%(percent)s %%)") % {
            "percent": str(total["audience_attended_percent"]).replace(".", ",")
        }
    return text + "."


def _campaigns_sentence(figures: ItemFigures, total):
    campaigns = figures.activities.campaigns
    text = _("Проведено %(campaigns)s знаний: %(titles)s.") % {
        "campaigns": plural(
            len(campaigns),
            _("дистанционное тестирование"),
            _("дистанционных тестирования"),
            _("дистанционных тестирований"),
        ),
        "titles": quoted(campaign.title for campaign in campaigns),
    }
    text += " " + _("Прошли тестирование%(group)s: %(people)s, из них успешно — %(passed)s.") % {
        "group": _of_group(figures),
        "people": people(total.get("tested", 0)),
        "passed": total.get("passed", 0),
    }
    return text


def _materials_sentence(activities: Activities):
    materials = activities.materials
    verb = (_("Размещён"), _("Размещено"), _("Размещено"))[plural_form(len(materials))]
    return _("%(verb)s %(materials)s в библиотеке материалов портала: %(titles)s.") % {
        "verb": verb,
        "materials": plural(
            len(materials),
            _("информационно-разъяснительный материал"),
            _("информационно-разъяснительных материала"),
            _("информационно-разъяснительных материалов"),
        ),
        "titles": "; ".join(f"«{material.title}» ({material.date:%d.%m.%Y})" for material in materials),
    }


def _consultations_sentence(figures: ItemFigures, total):
    asked = figures.activities.consultations
    answered = total.get("consultations_answered", 0)
    verb = (_("поступил"), _("поступило"), _("поступило"))[plural_form(asked)]
    return _(
        "Уполномоченный орган консультировал служащих органов местного самоуправления: на портале "
        "%(verb)s %(questions)s, ответ дан на %(answered)s."
    ) % {
        "verb": verb,
        "questions": plural(asked, _("вопрос"), _("вопроса"), _("вопросов")),
        "answered": answered,
    }


def _letters_sentence(figures: ItemFigures, total, municipality_count):
    """«Уполномоченный орган направил на портале 2 письма ответственным за противодействие коррупции в
    3 муниципальных образованиях: получателей — 12, из них ознакомились — 9 (75,0 %).»"""
    letters = figures.activities.letters
    recipients = total.get("letter_recipients", 0)
    acknowledged = total.get("letters_acknowledged", 0)
    text = _(
        "Уполномоченный орган направил на портале %(letters)s ответственным за противодействие коррупции"
    ) % {"letters": plural(letters, _("письмо"), _("письма"), _("писем"))}
    if municipality_count:
        text += " " + _("в %(municipalities)s") % {
            "municipalities": plural(
                municipality_count,
                _("муниципальном образовании"),
                _("муниципальных образованиях"),
                _("муниципальных образованиях"),
            )
        }
    else:
        text += " " + _("органов местного самоуправления")
    text += ": " + _("получателей — %(recipients)s") % {"recipients": recipients}
    if not acknowledged:
        return text + ", " + _("отметок об ознакомлении нет.")
    text += ", " + _("из них ознакомились — %(acknowledged)s") % {"acknowledged": acknowledged}
    if total.get("letters_acknowledged_percent") is not None:
        text += " " + _("(%(percent)s %%)") % {
            "percent": str(total["letters_acknowledged_percent"]).replace(".", ",")
        }
    return text + "."


def _target_sentence(figures: ItemFigures, total):
    target, trained = total.get("target", 0), total.get("trained", 0)
    if not target:
        return _("Лиц этой категории (%(group)s) в учёте платформы нет.") % {"group": figures.target_label}
    text = _("Категория «%(group)s»: %(target)s, из них приняли участие в обучении %(trained)s") % {
        "group": figures.target_label,
        "target": people(target),
        "trained": trained,
    }
    if total.get("trained_percent") is not None:
        text += " " + _("(%(percent)s %%)") % {"percent": str(total["trained_percent"]).replace(".", ",")}
    text += "."
    if "in_time" in total:
        text += " " + _("В установленный срок прошли обучение %(people)s.") % {
            "people": people(total["in_time"])
        }
    return text


def item_paragraphs(figures: ItemFigures):
    """The paragraphs describing what was done for the item, in the order of the report."""
    total = figures.total.values
    activities = figures.activities
    paragraphs = []
    if not activities and figures.item.number in MATERIAL_ITEMS:
        paragraphs.append(
            _(
                "%(when)s материалы по этому пункту плана в библиотеке материалов портала не размещались, "
                "мероприятия на платформе дистанционного обучения не проводились."
            )
            % {"when": in_period(figures.period)}
        )
    elif not activities:
        paragraphs.append(
            _(
                "%(when)s мероприятия по этому пункту плана на платформе дистанционного обучения "
                "не проводились."
            )
            % {"when": in_period(figures.period)}
        )
    else:
        paragraphs.append(_("%(when)s:") % {"when": in_period(figures.period)})
    if activities.materials:
        paragraphs.append(_materials_sentence(activities))
    if activities.courses:
        paragraphs.append(_courses_sentence(figures, total))
    if activities.events:
        represented = sum(
            1 for row in figures.rows if row.key is not None and row.values.get("event_participants")
        )
        paragraphs.append(_events_sentence(figures, total, represented))
    if "audience_expected" in total:
        paragraphs.append(_audience_sentence(total))
    if activities.campaigns:
        paragraphs.append(_campaigns_sentence(figures, total))
    if activities.consultations:
        paragraphs.append(_consultations_sentence(figures, total))
    if activities.letters:
        reached = 0
        if not figures.by_organization:
            reached = sum(
                1 for row in figures.rows if row.key is not None and row.values.get("letter_recipients")
            )
        paragraphs.append(_letters_sentence(figures, total, reached))
    if figures.has_target:
        paragraphs.append(_target_sentence(figures, total))
    return paragraphs


def _day(date):
    return f"{date:%d.%m.%Y}"


def _whom(item, period):
    """The first sentence of the note: who is counted (or, for 5.5, which materials)."""
    number = item.number
    if number == "1.3":
        return _(
            "Учтены муниципальные служащие и лица, замещающие муниципальные должности: пункт — о содействии "
            "органам местного самоуправления в организации работы по противодействию коррупции."
        )
    if number == "5.1":
        return _(
            "Учтены только государственные гражданские служащие Калужской области; муниципальные служащие "
            "не учитываются (их обучение — пункт 1.3)."
        )
    if number == "5.2":
        return (
            _(
                "Учтены только государственные гражданские служащие Калужской области, отметившиеся на "
                "мероприятии лично или названные поимённо в отчёте зала трансляции; неназванные участники "
                "залов трансляции не учитываются."
            )
            + " "
            + _audience_note()
        )
    if number in MATERIAL_ITEMS:
        return _(
            "Учтены опубликованные материалы библиотеки материалов портала, привязанные к пункту, с датой "
            "материала с %(start)s по %(end)s; для курсов, мероприятий и тестирований категория участников "
            "не ограничена."
        ) % {"start": _day(period.start), "end": _day(period.end)}
    if number == "5.7":
        return _(
            "Пункт охватывает и государственных гражданских служащих, и работников: учтены все, у кого в "
            "учётной записи отмечены обязанности по противодействию коррупции, в том числе муниципальные "
            "служащие."
        )
    if number == "5.8":
        window = hire_window(item, period)
        if window is None:
            whom = _(
                "Учитываются государственные гражданские служащие, впервые поступившие на службу в течение "
                "срока мероприятия («%(deadline)s»); отчётный период с этим сроком не пересекается, поэтому "
                "таких лиц нет."
            ) % {"deadline": item.deadline}
        else:
            whom = _(
                "Учтены государственные гражданские служащие, впервые поступившие на службу с %(start)s по "
                "%(end)s (срок мероприятия «%(deadline)s» в пределах отчётного периода); должности, "
                "связанные с соблюдением антикоррупционных стандартов, платформа не различает, поэтому "
                "учтены все впервые поступившие."
            ) % {"start": _day(window[0]), "end": _day(window[1]), "deadline": item.deadline}
        return (
            whom
            + " "
            + _(
                "В срок — завершившие курс не позднее срока, назначенного при записи, а без него — в течение "
                "%(days)s дней после поступления."
            )
            % {"days": NEWLY_HIRED_DAYS}
        )
    if number == "5.9":
        return _(
            "Пункт охватывает и государственных гражданских служащих, и работников: учтены все, у кого в "
            "учётной записи отмечено участие в закупках, в том числе муниципальные служащие."
        )
    return _("Пункт не называет категорию участников: учтены все участники.")


def _consultations_note(item, period):
    if item.number not in CONSULTATION_ITEMS:
        return ""
    return " " + _(
        "Консультации — вопросы в уполномоченный орган, заданные на портале с %(start)s по %(end)s из "
        "муниципальных образований (по профилю спросившего на момент вопроса, независимо от его категории); "
        "с ответом — те из них, на которые ответ дан до %(next)s."
    ) % {
        "start": _day(period.start),
        "end": _day(period.end),
        "next": _day(period.end + datetime.timedelta(days=1)),
    }


def _letters_note(item, period):
    if item.number not in LETTER_ITEMS:
        return ""
    return " " + _(
        "Письма — письма муниципалитетам (информационные письма, методические рекомендации, судебная "
        "практика, обзоры изменений законодательства), отправленные на портале с %(start)s по %(end)s "
        "ответственным за противодействие коррупции в муниципальных образованиях; получатель учтён в "
        "муниципальном образовании и организации, где он был при отправке, независимо от его категории; "
        "ознакомились — получатели, отметившие ознакомление до %(next)s."
    ) % {
        "start": _day(period.start),
        "end": _day(period.end),
        "next": _day(period.end + datetime.timedelta(days=1)),
    }


def _audience_note():
    """For the seminar items (``SEMINAR_ITEMS`` of :mod:`.figures`): how expected and attended count."""
    return _(
        "Для семинаров, у которых выбрана аудитория, «ожидалось» — активные члены аудитории из этой "
        "категории на день отчёта (уволенные не учитываются), «пришли» — те из них, кто отметился лично "
        "или назван поимённо в отчёте зала трансляции; человек, ожидавшийся на двух семинарах, считается "
        "дважды."
    )


def how_counted(item, period):
    """The item's «Как считалось» note (Russian): who is counted, which activities, which dates."""
    return (
        _whom(item, period)
        + " "
        + _(
            "Засчитываются курсы, завершённые с %(start)s по %(end)s, мероприятия, начавшиеся в эти дни "
            "и уже закончившиеся, и тестирования, открытые в эти дни, — если они привязаны к пункту "
            "%(number)s этого плана или к пункту с тем же номером в планах прошлых лет."
        )
        % {"start": _day(period.start), "end": _day(period.end), "number": item.number}
        + _consultations_note(item, period)
        + _letters_note(item, period)
    )

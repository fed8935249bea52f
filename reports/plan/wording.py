"""The Russian text of the plan-execution report, generated from the figures of each item.

Russian has three plural forms (1 семинар, 2 семинара, 5 семинаров); :func:`plural` picks one, each
form being a translatable string of its own.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from .figures import Activities, ItemFigures


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


def _courses_sentence(activities: Activities, total):
    courses = activities.courses
    text = _("Обучение организовано по %(courses)s на платформе дистанционного обучения: %(titles)s.") % {
        "courses": plural(
            len(courses), _("программе (курсу)"), _("программам (курсам)"), _("программам (курсам)")
        ),
        "titles": quoted(course.title for course in courses),
    }
    completed = total.get("completed", 0)
    if completed:
        text += " " + _("Завершили обучение: %(people)s.") % {"people": people(completed)}
    else:
        text += " " + _("Завершивших обучение в отчётном периоде нет.")
    return text


def _events_sentence(activities: Activities, total, municipality_count):
    events = activities.events
    text = _("Проведено %(events)s: %(titles)s.") % {
        "events": plural(len(events), _("мероприятие"), _("мероприятия"), _("мероприятий")),
        "titles": "; ".join(
            f"«{event.title}» ({timezone.localdate(event.start):%d.%m.%Y})" for event in events
        ),
    }
    participants = total.get("event_participants", 0)
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
    return text + _(" (с учётом участников, собиравшихся в залах трансляции).")


def _campaigns_sentence(activities: Activities, total):
    campaigns = activities.campaigns
    text = _("Проведено %(campaigns)s знаний: %(titles)s.") % {
        "campaigns": plural(
            len(campaigns),
            _("дистанционное тестирование"),
            _("дистанционных тестирования"),
            _("дистанционных тестирований"),
        ),
        "titles": quoted(campaign.title for campaign in campaigns),
    }
    text += " " + _("Прошли тестирование: %(people)s, из них успешно — %(passed)s.") % {
        "people": people(total.get("tested", 0)),
        "passed": total.get("passed", 0),
    }
    return text


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
    if not activities:
        paragraphs.append(
            _(
                "%(when)s мероприятия по этому пункту плана на платформе дистанционного обучения "
                "не проводились."
            )
            % {"when": in_period(figures.period)}
        )
    else:
        paragraphs.append(_("%(when)s:") % {"when": in_period(figures.period)})
    if activities.courses:
        paragraphs.append(_courses_sentence(activities, total))
    if activities.events:
        represented = sum(
            1 for row in figures.rows if row.key is not None and row.values.get("event_participants")
        )
        paragraphs.append(_events_sentence(activities, total, represented))
    if activities.campaigns:
        paragraphs.append(_campaigns_sentence(activities, total))
    if figures.has_target:
        paragraphs.append(_target_sentence(figures, total))
    return paragraphs

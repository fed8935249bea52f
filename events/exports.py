"""The attendance of an event as an XLSX workbook, within what the person may see.

Sheet 1 has the totals per municipality with the formula of :mod:`events.attendance` (personal
check-ins, the broadcast room's head count, the named participants, those of them who also checked
in, and the total counting nobody twice); sheet 2 names the people of the event: registered (or on
the waiting list) — so that before the event it is the list of who is coming — checked in personally,
or named in a broadcast room's report. Both are narrowed by the same :class:`Scope` as the
attendance page, so a municipal manager's workbook holds their municipality (with its settlements)
only.
"""

import io

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from people.models import User
from people.personal_exports import PersonalExport, record_export
from people.spreadsheets import cell_value

from .attendance import ParticipantLink, attendance_summary
from .models import Attendance, Registration

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_ROW = 3  # row 1: the event, row 2: empty, row 3: column headings
BOLD = Font(bold=True)


def filename(event):
    return f"attendance-event-{event.pk}.xlsx"


def event_people(event, scope):
    """People of the scope who registered for ``event`` (a registration not cancelled), checked in
    personally or were named in one of its broadcast rooms."""
    there = (
        Q(pk__in=Registration.objects.filter(event=event).active().values("user"))
        | Q(pk__in=Attendance.objects.filter(event=event).values("user"))
        | Q(pk__in=ParticipantLink.objects.filter(broadcastroom__event=event).values("user"))
    )
    return (
        scope.people(User.objects.filter(there))
        .select_related("municipality", "organization")
        .order_by("municipality__name", "last_name", "first_name", "pk")
    )


def _title(event):
    when = timezone.localtime(event.start).strftime("%d.%m.%Y %H:%M")
    return _("%(title)s, %(when)s") % {"title": event.title, "when": when}


def _table(sheet, title, headings, rows, widths):
    sheet.append([title])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=12)
    sheet.append([])
    sheet.append(headings)
    for cell in sheet[HEADER_ROW]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([cell_value(value) for value in row])  # names from rosters never run as formulas
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"B{HEADER_ROW + 1}"


def _totals_sheet(sheet, event, scope):
    summary = attendance_summary(event, None if scope.everything else scope.municipalities())
    rows = [
        [
            row.name,
            row.personal,
            row.head_count if row.has_room else None,
            row.named,
            row.overlap,
            row.total,
        ]
        for row in summary["rows"]
    ]
    if summary["without_municipality"]:
        without = summary["without_municipality"]
        rows.append([_("Региональные органы и без муниципального образования"), without, None, 0, 0, without])
    rows.append([_("Всего"), None, None, None, None, summary["total"]])
    _table(
        sheet,
        _title(event),
        [
            _("Муниципальное образование"),
            _("Отметились лично"),
            _("В зале трансляции (число присутствовавших)"),
            _("Названы поимённо"),
            _("Из них отметились лично"),
            _("Итого без двойного счёта"),
        ],
        rows,
        [45, 14, 18, 14, 16, 16],
    )
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def _people_sheet(sheet, event, scope):
    """The named people's sheet; returns how many people it names."""
    people = list(event_people(event, scope))
    ids = [person.pk for person in people]
    check_ins = {a.user_id: a for a in Attendance.objects.filter(event=event, user_id__in=ids)}
    rooms = dict(
        ParticipantLink.objects.filter(broadcastroom__event=event, user_id__in=ids).values_list(
            "user_id", "broadcastroom__municipality__name"
        )
    )
    statuses = dict(Registration.Status.choices)
    registrations = dict(
        Registration.objects.filter(event=event, user_id__in=ids).values_list("user_id", "status")
    )
    rows = []
    for person in people:
        check_in = check_ins.get(person.pk)
        status = registrations.get(person.pk)
        rows.append(
            [
                person.get_full_name() or person.username,
                str(person.organization or ""),
                str(person.municipality or ""),
                timezone.localtime(check_in.checked_in_at).replace(tzinfo=None) if check_in else None,
                check_in.get_method_display() if check_in else "",
                rooms.get(person.pk, ""),
                str(statuses[status]) if status else _("без регистрации"),
            ]
        )
    _table(
        sheet,
        _title(event),
        [
            _("Участник"),
            _("Организация"),
            _("Муниципальное образование"),
            _("Отметился лично"),
            _("Способ отметки"),
            _("Назван в отчёте зала трансляции"),
            _("Регистрация"),
        ],
        rows,
        [36, 40, 32, 18, 22, 32, 18],
    )
    for (cell,) in sheet.iter_rows(min_row=HEADER_ROW + 1, min_col=4, max_col=4):
        cell.number_format = "DD.MM.YYYY HH:MM"
    return len(people)


def workbook_title(event):
    return _("Посещаемость: %(title)s") % {"title": event.title}


def attendance_workbook(event, scope):
    """``(workbook, people)``: the two sheets for a person whose attendance scope of ``event`` is
    ``scope``, and how many people the second one names."""
    workbook = Workbook()
    totals = workbook.active
    totals.title = _("По муниципальным образованиям")[:31]
    _totals_sheet(totals, event, scope)
    people = _people_sheet(workbook.create_sheet(_("Участники")[:31]), event, scope)
    workbook.properties.title = workbook_title(event)
    return workbook, people


def attendance_xlsx(event, user):
    """The workbook as bytes for ``user``, entered in the audit log of personal-data exports.

    Raises Http404 for somebody who sees nobody at this event (see EventPage.attendance_scope)."""
    scope = event.attendance_scope(user)
    if scope.is_empty:
        raise Http404
    workbook, people = attendance_workbook(event, scope)
    buffer = io.BytesIO()
    workbook.save(buffer)
    record_export(
        PersonalExport(
            user=user,
            key="event_attendance",
            title=workbook_title(event),
            format="xlsx",
            scope=scope.description(),
            period=timezone.localtime(event.start).strftime("%d.%m.%Y"),
            params={_("Мероприятие"): event.title},
            row_count=people,
        )
    )
    return buffer.getvalue()

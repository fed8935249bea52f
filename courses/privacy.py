"""Personal data of courses (registered in ``CoursesConfig.ready``, see :mod:`people.privacy`).

* No retention rule of its own: enrolments, lesson progress, certificates and reminders are the
  training record of the person and the figures of the plan; they stay while the account is active
  and go nameless with it.
* Anonymizing a person puts the pseudonym in place of the name written on their certificates (a
  verification by code then shows no name), and clears what SCORM packages saved to resume a lesson
  (suspend data and location: free data of a third-party package, which may hold typed answers); the
  status, score and time of SCORM lessons stay with the training record, as lesson progress does.
* «Мои данные»: the person's enrolments with their progress, certificates, SCORM lessons (status,
  score, time) and reminder emails.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from people.privacy import DataSheet, pseudonym, register_eraser, register_provider, yes_no

from .models import Certificate, Enrollment, Reminder, ScormRecord


def rename_certificate_holders(user_ids):
    for user_id in user_ids:
        Certificate.objects.filter(user_id=user_id).update(holder_name=pseudonym(user_id))


def clear_scorm_resume_data(user_ids):
    ScormRecord.objects.filter(enrollment__user_id__in=user_ids).update(suspend_data="", location="")


def scorm_sheet(user):
    records = (
        ScormRecord.objects.filter(enrollment__user=user)
        .select_related("enrollment__course", "lesson", "package")
        .order_by("started_at", "pk")
    )
    return DataSheet(
        _("Интерактивные уроки"),
        [
            _("Курс"),
            _("Урок"),
            _("Состояние"),
            _("Результат"),
            _("Время в уроке, мин"),
            _("Начат"),
            _("Пройден"),
            _("Данные для продолжения, символов"),
        ],
        [
            [
                record.enrollment.course.title,
                record.lesson.title,
                str(record.status_label()),
                str(record.score_label()),
                round(record.time_spent_seconds / 60),
                record.started_at,
                record.completed_at,
                len(record.suspend_data),
            ]
            for record in records
        ],
        in_training_record=True,
    )


def my_courses(user):
    enrollments = (
        Enrollment.objects.filter(user=user)
        .select_related("course", "certificate")
        .annotate(studied=Count("lesson_progress", filter=Q(lesson_progress__studied_at__isnull=False)))
        .order_by("enrolled_at", "pk")
    )
    courses = DataSheet(
        _("Курсы"),
        [
            _("Курс"),
            _("Основание"),
            _("Записан"),
            _("Пройти до"),
            _("Изучено уроков"),
            _("Курс завершён"),
            _("Сертификат"),
            _("Запись действует"),
        ],
        [
            [
                enrollment.course.title,
                enrollment.get_source_display(),
                enrollment.enrolled_at,
                enrollment.due_date,
                enrollment.studied,
                enrollment.completed_at,
                enrollment.certificate.number if enrollment.certificate_id else "",
                yes_no(enrollment.is_active),
            ]
            for enrollment in enrollments
        ],
        in_training_record=True,
    )
    certificates = DataSheet(
        _("Сертификаты"),
        [_("Номер"), _("Курс"), _("Фамилия, имя, отчество"), _("Часов"), _("Выдан"), _("Действителен до")],
        [
            [
                certificate.number,
                certificate.course_title,
                certificate.holder_name,
                certificate.hours,
                certificate.issued_at,
                certificate.valid_until,
            ]
            for certificate in Certificate.objects.filter(user=user).order_by("issued_at", "pk")
        ],
        in_training_record=True,
    )
    reminders = DataSheet(
        _("Напоминания"),
        [_("Курс"), _("Напоминание"), _("Срок"), _("Состояние"), _("Отправлено")],
        [
            [
                reminder.enrollment.course.title,
                reminder.get_kind_display(),
                reminder.due_date,
                reminder.get_status_display(),
                reminder.sent_at,
            ]
            for reminder in Reminder.objects.filter(enrollment__user=user)
            .select_related("enrollment__course")
            .order_by("created_at", "pk")
        ],
    )
    scorm = scorm_sheet(user)  # only for people who took a SCORM lesson
    return [courses, certificates, *([scorm] if scorm.rows else []), reminders]


def register():
    register_eraser(rename_certificate_holders)
    register_eraser(clear_scorm_resume_data)
    register_provider(my_courses, order=20)

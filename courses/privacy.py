"""Personal data of courses (registered in ``CoursesConfig.ready``, see :mod:`people.privacy`).

* No retention rule of its own: enrolments, lesson progress, certificates and reminders are the
  training record of the person and the figures of the plan; they stay while the account is active
  and go nameless with it.
* Anonymizing a person puts the pseudonym in place of the name written on their certificates (a
  verification by code then shows no name).
* «Мои данные»: the person's enrolments with their progress, certificates and reminder emails.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from people.privacy import DataSheet, pseudonym, register_eraser, register_provider, yes_no

from .models import Certificate, Enrollment, Reminder


def rename_certificate_holders(user_ids):
    for user_id in user_ids:
        Certificate.objects.filter(user_id=user_id).update(holder_name=pseudonym(user_id))


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
    return [courses, certificates, reminders]


def register():
    register_eraser(rename_certificate_holders)
    register_provider(my_courses, order=20)

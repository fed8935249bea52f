# An event's audience and registration mode, invitations of the audience and feedback after the event
# (issue 18; events/targeting.py, events/invitations.py, events/feedback.py, docs/events.md).

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def rating(label):
    return models.PositiveSmallIntegerField(
        validators=[
            django.core.validators.MinValueValidator(1),
            django.core.validators.MaxValueValidator(5),
        ],
        verbose_name=label,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_consultations"),
        ("people", "0003_import_permission"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="eventpage",
            name="audience",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "Для кого проводится мероприятие: по ней считают ожидаемых участников и рассылают "
                    "приглашения. Пусто — аудитория не задана."
                ),
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="people.audience",
                verbose_name="аудитория",
            ),
        ),
        migrations.AddField(
            model_name="eventpage",
            name="registration_mode",
            field=models.CharField(
                choices=[("open", "открыта для всех"), ("audience", "только для аудитории мероприятия")],
                default="open",
                help_text=(
                    "«Только для аудитории»: остальные увидят объяснение и не смогут зарегистрироваться."
                ),
                max_length=20,
                verbose_name="регистрация",
            ),
        ),
        migrations.CreateModel(
            name="EventInvitation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "письмо ожидает очереди"),
                            ("sent", "письмо в очереди"),
                            ("no_email", "нет адреса электронной почты"),
                            ("failed", "письмо не поставлено в очередь"),
                        ],
                        default="pending",
                        max_length=16,
                        verbose_name="письмо",
                    ),
                ),
                ("batch", models.UUIDField(editable=False)),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="приглашён"),
                ),
                (
                    "sent_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="письмо поставлено в очередь"),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="invitations",
                        to="events.eventpage",
                        verbose_name="мероприятие",
                    ),
                ),
                (
                    "invited_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="кто пригласил",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="event_invitations",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="приглашённый",
                    ),
                ),
            ],
            options={
                "verbose_name": "приглашение на мероприятие",
                "verbose_name_plural": "приглашения на мероприятия",
                "ordering": ["-created_at", "-pk"],
                "indexes": [models.Index(fields=["user", "created_at"], name="eventinvitation_user_created")],
                "constraints": [
                    models.UniqueConstraint(
                        models.F("event"), models.F("user"), name="eventinvitation_once_per_person"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="EventFeedback",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("usefulness", rating("полезность")),
                ("clarity", rating("понятность")),
                ("organization", rating("организация")),
                ("comment", models.TextField(blank=True, max_length=2000, verbose_name="комментарий")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="оставлен"),
                ),
                (
                    "updated_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="изменён"),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="feedback",
                        to="events.eventpage",
                        verbose_name="мероприятие",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="event_feedback",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="участник",
                    ),
                ),
            ],
            options={
                "verbose_name": "отзыв о мероприятии",
                "verbose_name_plural": "отзывы о мероприятиях",
                "ordering": ["event", "-updated_at", "-pk"],
                "constraints": [
                    models.UniqueConstraint(
                        models.F("event"), models.F("user"), name="eventfeedback_once_per_person"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("usefulness__gte", 1), ("usefulness__lte", 5)),
                        name="eventfeedback_usefulness_1_5",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("clarity__gte", 1), ("clarity__lte", 5)),
                        name="eventfeedback_clarity_1_5",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("organization__gte", 1), ("organization__lte", 5)),
                        name="eventfeedback_organization_1_5",
                    ),
                ],
            },
        ),
    ]

# Consultations: topics, questions and their threads (events.consultations, docs/consultations.md).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import events.models.consultations

TOPICS = [
    "Конфликт интересов",
    "Сведения о доходах, расходах, об имуществе и обязательствах имущественного характера",
    "Подарки",
    "Иная оплачиваемая работа",
    "Уведомление о склонении к коррупционным правонарушениям",
    "Другое",
]


def add_topics(apps, schema_editor):
    Topic = apps.get_model("events", "ConsultationTopic")
    for position, name in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(name=name, defaults={"position": position * 10})


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0006_materialpage_kind_faq"),
        ("events", "0005_broadcast_room_head_count_bounded"),
        ("people", "0003_import_permission"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ConsultationTopic",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=150, unique=True, verbose_name="название")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="порядок")),
                (
                    "is_active",
                    models.BooleanField(
                        default=True,
                        help_text="Снимите, чтобы тему больше не выбирали в новых вопросах.",
                        verbose_name="предлагается",
                    ),
                ),
            ],
            options={
                "verbose_name": "тема консультаций",
                "verbose_name_plural": "темы консультаций",
                "ordering": ["position", "name"],
            },
        ),
        migrations.CreateModel(
            name="Consultation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("subject", models.CharField(max_length=200, verbose_name="вопрос кратко")),
                ("text", models.TextField(max_length=5000, verbose_name="вопрос")),
                (
                    "attachment",
                    models.FileField(
                        blank=True,
                        max_length=255,
                        storage=events.models.consultations.consultation_storage,
                        upload_to=events.models.consultations.attachment_upload_to,
                        verbose_name="вложение",
                    ),
                ),
                (
                    "attachment_name",
                    models.CharField(blank=True, max_length=255, verbose_name="имя файла вложения"),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[("open", "ожидает ответа"), ("answered", "дан ответ"), ("closed", "закрыт")],
                        default="open",
                        max_length=20,
                        verbose_name="состояние",
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="задан")),
                (
                    "updated_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="последнее изменение"
                    ),
                ),
                (
                    "waiting_since",
                    models.DateTimeField(
                        blank=True,
                        help_text="Время вопроса или последнего уточнения.",
                        null=True,
                        verbose_name="ожидает ответа с",
                    ),
                ),
                ("due_on", models.DateField(blank=True, null=True, verbose_name="срок ответа")),
                (
                    "first_answered_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="первый ответ"),
                ),
                ("answered_at", models.DateTimeField(blank=True, null=True, verbose_name="последний ответ")),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="закрыт")),
                (
                    "texts_erased_at",
                    models.DateTimeField(
                        blank=True,
                        help_text=(
                            "По сроку хранения или при обезличивании спросившего; "
                            "запись остаётся для подсчётов."
                        ),
                        null=True,
                        verbose_name="тексты удалены",
                    ),
                ),
                (
                    "asker",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="consultations",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="кто спросил",
                    ),
                ),
                (
                    "faq_page",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="cms.materialpage",
                        verbose_name="опубликован как материал",
                    ),
                ),
                (
                    "municipality",
                    models.ForeignKey(
                        blank=True,
                        help_text="Из профиля спросившего на момент вопроса.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="people.municipality",
                        verbose_name="муниципальное образование",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="people.organization",
                        verbose_name="организация",
                    ),
                ),
                (
                    "topic",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="consultations",
                        to="events.consultationtopic",
                        verbose_name="тема",
                    ),
                ),
            ],
            options={
                "verbose_name": "консультация",
                "verbose_name_plural": "консультации",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(fields=["state", "due_on"], name="consultation_state_due_on"),
                    models.Index(fields=["created_at"], name="consultation_created_at"),
                    models.Index(fields=["asker", "created_at"], name="consultation_asker_created"),
                ],
            },
        ),
        migrations.CreateModel(
            name="ConsultationMessage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("answer", "ответ"), ("follow_up", "уточнение")],
                        max_length=20,
                        verbose_name="вид",
                    ),
                ),
                ("text", models.TextField(max_length=5000, verbose_name="текст")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="время")),
                (
                    "author",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="автор",
                    ),
                ),
                (
                    "consultation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="messages",
                        to="events.consultation",
                        verbose_name="консультация",
                    ),
                ),
            ],
            options={
                "verbose_name": "сообщение консультации",
                "verbose_name_plural": "сообщения консультаций",
                "ordering": ["consultation", "created_at", "pk"],
                "indexes": [
                    models.Index(fields=["consultation", "created_at"], name="consultation_message_thread")
                ],
            },
        ),
        migrations.RunPython(add_topics, migrations.RunPython.noop),
    ]

# Letters to municipalities (docs/letters.md). Written for this feature only: the contest models of
# another migration 0008 are not here.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0006_materialpage_kind_faq"),
        ("events", "0007_event_audience"),
        ("people", "0008_audience_owner_municipality"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Letter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("subject", models.CharField(max_length=255, verbose_name="тема письма")),
                (
                    "message",
                    models.TextField(blank=True, max_length=5000, verbose_name="сопроводительный текст"),
                ),
                (
                    "legal_norm",
                    models.CharField(
                        blank=True,
                        help_text="Для письма об изменении закона, например «ст. 12 273-ФЗ».",
                        max_length=255,
                        verbose_name="норма закона",
                    ),
                ),
                (
                    "all_municipalities",
                    models.BooleanField(default=False, verbose_name="всем муниципальным образованиям"),
                ),
                (
                    "sent_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="отправлено"),
                ),
                ("recipient_count", models.PositiveIntegerField(default=0, verbose_name="получателей")),
                ("mailed_count", models.PositiveIntegerField(default=0, verbose_name="писем на почту")),
                (
                    "material",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cms.materialpage",
                        verbose_name="материал",
                    ),
                ),
                (
                    "municipalities",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Вместе с поселениями в их составе.",
                        related_name="+",
                        to="people.municipality",
                        verbose_name="муниципальные образования",
                    ),
                ),
                (
                    "sent_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="кто отправил",
                    ),
                ),
            ],
            options={
                "verbose_name": "письмо муниципалитетам",
                "verbose_name_plural": "письма муниципалитетам",
                "ordering": ["-sent_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="LetterRecipient",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="отправлено"),
                ),
                (
                    "letter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="recipients",
                        to="events.letter",
                        verbose_name="письмо",
                    ),
                ),
                (
                    "mail",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="people.outgoingmail",
                        verbose_name="письмо на почту",
                    ),
                ),
                (
                    "municipality",
                    models.ForeignKey(
                        blank=True,
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
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="letters_received",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="получатель",
                    ),
                ),
            ],
            options={
                "verbose_name": "получатель письма",
                "verbose_name_plural": "получатели писем",
                "ordering": ["letter", "pk"],
            },
        ),
        migrations.CreateModel(
            name="LetterAcknowledgement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "acknowledged_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="ознакомлен"),
                ),
                (
                    "recipient",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="acknowledgement",
                        to="events.letterrecipient",
                        verbose_name="получатель",
                    ),
                ),
            ],
            options={
                "verbose_name": "отметка об ознакомлении",
                "verbose_name_plural": "отметки об ознакомлении",
            },
        ),
        migrations.CreateModel(
            name="LetterReminder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("scope", models.CharField(blank=True, max_length=500, verbose_name="границы доступа")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="время")),
                (
                    "letter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reminders",
                        to="events.letter",
                        verbose_name="письмо",
                    ),
                ),
                (
                    "sent_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="кто напомнил",
                    ),
                ),
            ],
            options={
                "verbose_name": "напоминание о письме",
                "verbose_name_plural": "напоминания о письмах",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="LetterReminderRecipient",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="время")),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="events.letterrecipient",
                    ),
                ),
                (
                    "reminder",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="events.letterreminder",
                    ),
                ),
            ],
            options={
                "verbose_name": "кому напомнили",
                "verbose_name_plural": "кому напомнили",
            },
        ),
        migrations.AddField(
            model_name="letterreminder",
            name="recipients",
            field=models.ManyToManyField(
                related_name="reminders",
                through="events.LetterReminderRecipient",
                to="events.letterrecipient",
                verbose_name="кому",
            ),
        ),
        migrations.AddIndex(
            model_name="letter",
            index=models.Index(fields=["sent_at"], name="letter_sent_at"),
        ),
        migrations.AddIndex(
            model_name="letterrecipient",
            index=models.Index(fields=["user", "created_at"], name="letter_recipient_user"),
        ),
        migrations.AddConstraint(
            model_name="letterrecipient",
            constraint=models.UniqueConstraint(fields=("letter", "user"), name="letter_recipient_once"),
        ),
        migrations.AddIndex(
            model_name="letterreminderrecipient",
            index=models.Index(fields=["recipient", "created_at"], name="letter_reminded_recipient"),
        ),
        migrations.AddConstraint(
            model_name="letterreminderrecipient",
            constraint=models.UniqueConstraint(
                fields=("reminder", "recipient"), name="letter_reminder_recipient_once"
            ),
        ),
    ]

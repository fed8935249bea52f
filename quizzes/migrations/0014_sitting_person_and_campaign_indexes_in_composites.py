"""Sittings lose their own indexes on the person and the campaign: the unique (person, quiz, context,
number) and the index (campaign, person) lead with them.

Only the two indexes are dropped. Django's AlterField would also drop and re-add both foreign keys,
checking every sitting again under a lock on the people and campaigns tables; nothing about them
changes. The names are the ones Django gave the indexes in 0001 (the same on PostgreSQL and SQLite).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

INDEXES = (
    ("quizzes_sitting_campaign_id_b8992818", "campaign_id"),
    ("quizzes_sitting_user_id_c8705a72", "user_id"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0013_prepared_papers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="sitting",
                    name="campaign",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="sittings",
                        to="quizzes.testcampaign",
                        verbose_name="тестирование",
                    ),
                ),
                migrations.AlterField(
                    model_name="sitting",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="sittings",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="слушатель",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "quizzes_sitting" ("{column}")',
                )
                for name, column in INDEXES
            ],
        ),
    ]

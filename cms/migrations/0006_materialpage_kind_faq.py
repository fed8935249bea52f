# The «Ответ на вопрос» kind of material: consultations published anonymised (events.consultations).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0005_plan_year_range"),
    ]

    operations = [
        migrations.AlterField(
            model_name="materialpage",
            name="kind",
            field=models.CharField(
                choices=[
                    ("methodological", "Методические рекомендации"),
                    ("court_practice", "Судебная практика"),
                    ("information_letter", "Информационное письмо"),
                    ("legislation_review", "Обзор изменений законодательства"),
                    ("faq", "Ответ на вопрос"),
                    ("other", "Иное"),
                ],
                max_length=32,
                verbose_name="вид материала",
            ),
        ),
    ]

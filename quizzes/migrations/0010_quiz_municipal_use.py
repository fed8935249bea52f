from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0009_drop_old_answer_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="quiz",
            name="municipal_use",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Муниципальные менеджеры могут проводить по этому тесту тестирования для служащих своего "
                    "муниципального образования."
                ),
                verbose_name="для муниципальных тестирований",
            ),
        ),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0007_scorm"),
    ]

    operations = [
        migrations.AddField(
            model_name="coursepage",
            name="municipal_use",
            field=models.BooleanField(
                default=False,
                help_text="Муниципальные менеджеры могут назначать этот курс служащим своего муниципального образования.",
                verbose_name="для муниципальных назначений",
            ),
        ),
    ]

from django.db import migrations

HOME_TITLE = "Антикор: обучение"


def create_homepage(apps, schema_editor):
    """Replace Wagtail's default welcome page with our HomePage and make it the default site's root."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("cms.HomePage")

    Page.objects.filter(content_type__app_label="wagtailcore", content_type__model="page", depth=2).delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    root = Page.objects.get(depth=1)
    homepage = HomePage.objects.create(
        title=HOME_TITLE,
        draft_title=HOME_TITLE,
        slug="home",
        content_type=content_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        live=True,
        locale_id=root.locale_id,
        intro=(
            "<p>Дистанционное обучение и тестирование государственных и муниципальных служащих "
            "Калужской области по вопросам противодействия коррупции.</p>"
        ),
    )
    root.numchild = 1
    root.save(update_fields=["numchild"])
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page_id=homepage.pk, is_default_site=True, site_name=HOME_TITLE
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("cms.HomePage").objects.filter(depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]

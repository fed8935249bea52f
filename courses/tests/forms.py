"""Form data of the course pages' admin forms, as the Wagtail editor posts them."""

from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield


def course_form(course, **fields_and_actions):
    data = {
        "title": course.title,
        "slug": course.slug,
        "summary": course.summary or "Основы антикоррупционного законодательства.",
        "description": rich_text(""),
        "audience_text": "",
        "hours": str(course.hours),
        "recertify_days_before": "30",
        "issues_certificate": "on",
        "self_enrollment": "on",
    }
    data.update(fields_and_actions)
    return nested_form_data(data)


def lesson_form(title="Подарки", slug="gifts", text="Порядок уведомления о получении подарка.", **actions):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "intro": "О подарках",
            "body": streamfield([("paragraph", rich_text(f"<p>{text}</p>"))]),
            **actions,
        }
    )

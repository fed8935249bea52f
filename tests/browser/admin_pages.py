"""What the browser journeys through the Wagtail admin share: the trainer and the reviewer, signing in,
submitting a page to the workflow, inserting a StreamField block, and whether a page is in review."""

from wagtail.models import WorkflowState

from cms.moderation import WORKFLOW_NAME
from people.factories import make_person, make_regional_manager
from people.roles import Role

PASSWORD = "Берёзовая-роща-7"
SUBMIT = f'Отправить в "{WORKFLOW_NAME}"'  # Wagtail 8's Russian label of the workflow action


def make_trainer():
    return make_person(
        role=Role.TRAINER,
        username="o.petrova",
        last_name="Петрова",
        first_name="Ольга",
        email="o.petrova@example.org",
        password=PASSWORD,
    )


def make_reviewer():
    return make_regional_manager(
        username="i.sokolov",
        last_name="Соколов",
        first_name="Игорь",
        email="i.sokolov@example.org",
        password=PASSWORD,
    )


def admin_log_in(page, user):
    page.goto("/admin/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url("**/admin/")


def submit_for_moderation(page):
    """Submit the page in the editor to the workflow, from the footer's action menu."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="Больше действий").click()
    page.get_by_role("button", name=SUBMIT).click()
    expect(page.locator(".messages")).to_contain_text("отправлена на модерацию")


def insert_block(page, section, block_label):
    section.locator("button[title='Вставить блок']").first.click()
    page.get_by_role("option", name=block_label, exact=True).click()


def wait_until_still(locator, tries=25):
    """Wait for an element to stop moving (a StreamField block unfolds with an animation)."""
    previous = None
    for _try in range(tries):
        box = locator.bounding_box()
        if box is not None and box == previous:
            return
        previous = box
        locator.page.wait_for_timeout(100)


def in_moderation(page_object):
    return WorkflowState.objects.filter(
        base_content_type__model="page",
        object_id=str(page_object.pk),
        status=WorkflowState.STATUS_IN_PROGRESS,
    ).exists()

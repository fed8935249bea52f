"""Moderation: the workflow on the home page, trainers' page permissions limited to their sections."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowPage

from cms.models import HomePage, MaterialIndexPage, MaterialKind, MaterialPage, StandardPage
from cms.moderation import (
    TASK_NAME,
    TRAINER_SECTIONS,
    WORKFLOW_NAME,
    ensure_moderation,
    sync_trainer_permissions,
)
from people.factories import make_person, make_regional_manager
from people.roles import Role, group_for

pytestmark = pytest.mark.django_db


def trainer_rights():
    return set(
        GroupPagePermission.objects.filter(group=group_for(Role.TRAINER)).values_list(
            "page_id", "permission__codename"
        )
    )


@pytest.fixture
def home():
    return HomePage.objects.get()


@pytest.fixture
def library(home):
    return home.add_child(instance=MaterialIndexPage(title="Материалы", slug="materials"))


def test_the_workflow_is_set_up_by_migrate_on_the_home_page(home):
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert workflow.active
    assert WorkflowPage.objects.get(page=home).workflow == workflow
    assert home.get_workflow() == workflow
    [task] = [task.specific for task in workflow.tasks]
    assert isinstance(task, GroupApprovalTask)
    assert task.name == TASK_NAME
    assert list(task.groups.all()) == [group_for(Role.REGIONAL_MANAGER)]


def test_setting_up_twice_changes_nothing(home, library):
    before = (
        Workflow.objects.count(),
        GroupApprovalTask.objects.count(),
        WorkflowPage.objects.count(),
        GroupPagePermission.objects.count(),
    )
    ensure_moderation()
    ensure_moderation()
    call_command("migrate", verbosity=0)
    ensure_moderation()
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert workflow.workflow_tasks.count() == 1
    # The library got the trainers' two permissions on the first run; nothing else was added.
    assert (
        Workflow.objects.count(),
        GroupApprovalTask.objects.count(),
        WorkflowPage.objects.count(),
        GroupPagePermission.objects.count(),
    ) == (before[0], before[1], before[2], before[3] + 2)


def test_a_workflow_switched_off_by_hand_is_switched_on_again(home):
    Workflow.objects.filter(name=WORKFLOW_NAME).update(active=False)
    WorkflowPage.objects.filter(page=home).delete()
    ensure_moderation()
    assert home.get_workflow().name == WORKFLOW_NAME


def test_trainers_may_add_and_edit_in_sections_only(home, library):
    standard = home.add_child(instance=StandardPage(title="О проекте", slug="about"))
    ensure_moderation()
    assert trainer_rights() == {(library.pk, "add_page"), (library.pk, "change_page")}

    trainer = make_person(role=Role.TRAINER)
    letter = MaterialPage(title="Письмо", kind=MaterialKind.INFORMATION_LETTER, date="2024-03-01")
    material = library.add_child(instance=letter)
    for page in (library, material):
        perms = page.permissions_for_user(trainer)
        assert perms.can_edit()
        assert perms.can_submit_for_moderation()
        assert not perms.can_publish()
        assert not perms.can_unpublish()
    assert library.permissions_for_user(trainer).can_add_subpage()
    for page in (home, standard):
        perms = page.permissions_for_user(trainer)
        assert not perms.can_edit()
        assert not perms.can_add_subpage()
        assert not perms.can_publish()


def test_regional_managers_review_and_publish_everywhere(home, library):
    manager = make_regional_manager()
    standard = home.add_child(instance=StandardPage(title="О проекте", slug="about"))
    for page in (home, library, standard):
        perms = page.permissions_for_user(manager)
        assert perms.can_edit()
        assert perms.can_publish()


def test_a_new_section_gets_the_trainers_permissions_once_committed(home, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        library = home.add_child(instance=MaterialIndexPage(title="Материалы", slug="materials"))
    assert trainer_rights() == {(library.pk, "add_page"), (library.pk, "change_page")}


def test_other_pages_give_trainers_nothing(home, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        home.add_child(instance=StandardPage(title="О проекте", slug="about"))
    assert trainer_rights() == set()


def test_publish_rights_and_rights_elsewhere_are_taken_away(home, library):
    trainers = group_for(Role.TRAINER)
    for page, codename in ((library, "publish_page"), (home, "change_page")):
        GroupPagePermission.objects.create(
            group=trainers,
            page=page,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    sync_trainer_permissions()
    assert trainer_rights() == {(library.pk, "add_page"), (library.pk, "change_page")}


def test_every_section_model_exists():
    from django.apps import apps

    for label in TRAINER_SECTIONS:
        assert issubclass(apps.get_model(label), Page)

"""Moderation of site content: who may write which pages, and who publishes them.

* Trainers write in their sections only — under the course catalogue, the events index and the
  materials library (:data:`TRAINER_SECTIONS`): they may add and edit pages there and submit them for
  moderation, but never publish. They get no page permission anywhere else.
* Regional managers (the authorized body) review: the workflow "Проверка и публикация" on the home
  page (so it covers every section) has one group approval task for them; approving publishes. They
  may also edit and publish any page directly.
* A course is reviewed with its lessons, once: lessons have no workflow of their own and follow their
  course's review (``courses.review``, built on this workflow's signals; docs/roles.md). Events,
  materials and text pages are reviewed one page at a time.

:func:`ensure_moderation` brings all of this up to date after every ``migrate`` (like the role
groups); a section index page created later gets the trainers' permissions once it is committed.
Idempotent.
"""

from django.apps import apps
from django.contrib.auth.models import Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from people.roles import Role, group_for

from .models import HomePage

WORKFLOW_NAME = "Проверка и публикация"
TASK_NAME = "Проверка уполномоченным органом"

# The index pages whose subtrees trainers write in (string references: cms imports no domain app).
TRAINER_SECTIONS = ("courses.CourseIndexPage", "events.EventIndexPage", "cms.MaterialIndexPage")

# Page permissions (codenames of wagtailcore.Page) of each role.
TRAINER_PAGE_PERMISSIONS = ("add_page", "change_page")
REVIEWER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")


def section_models():
    """The section index page classes that exist in this project."""
    found = []
    for label in TRAINER_SECTIONS:
        try:
            found.append(apps.get_model(label))
        except LookupError:  # an app left out of INSTALLED_APPS
            continue
    return found


def section_pages():
    """Every section index page in the tree (any locale, live or not)."""
    models = section_models()
    if not models:
        return Page.objects.none()
    return Page.objects.type(*models)


def _page_permissions(codenames):
    found = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="wagtailcore", content_type__model="page", codename__in=codenames
        )
    }
    return [found[codename] for codename in codenames if codename in found]


def _grant(group, page, permissions):
    for permission in permissions:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def grant_section(page):
    """Let trainers add and edit pages under ``page`` (a section index page)."""
    _grant(group_for(Role.TRAINER), page, _page_permissions(TRAINER_PAGE_PERMISSIONS))


def sync_trainer_permissions():
    """Trainers get exactly add + change on every section index page, and nothing else anywhere
    (a publish right or a permission elsewhere, e.g. granted by hand, is taken away)."""
    trainers = group_for(Role.TRAINER)
    permissions = _page_permissions(TRAINER_PAGE_PERMISSIONS)
    sections = list(section_pages())
    for page in sections:
        _grant(trainers, page, permissions)
    GroupPagePermission.objects.filter(group=trainers).exclude(
        page__in=sections, permission__in=permissions
    ).delete()


def sync_reviewer_permissions(home):
    """Regional managers may edit and publish everything under the home page."""
    _grant(group_for(Role.REGIONAL_MANAGER), home, _page_permissions(REVIEWER_PAGE_PERMISSIONS))


def ensure_workflow(home):
    """The workflow "Проверка и публикация" with the regional managers' approval task, on ``home``."""
    reviewers = group_for(Role.REGIONAL_MANAGER)
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    if not task.active:
        task.active = True
        task.save(update_fields=["active"])
    task.groups.set([reviewers])

    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    steps = WorkflowTask.objects.filter(workflow=workflow)
    if list(steps.order_by("sort_order").values_list("task_id", flat=True)) != [task.pk]:
        steps.delete()
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return workflow


# Wagtail checks image and document rights per collection, not only as model permissions: without
# these on the root collection, trainers could not upload a slide or a memo into their pages.
TRAINER_COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
]


def sync_trainer_collections():
    root = Collection.get_first_root_node()
    if root is None:
        return
    trainers = group_for(Role.TRAINER)
    for app_label, codename in TRAINER_COLLECTION_PERMISSIONS:
        permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if permission is not None:
            GroupCollectionPermission.objects.get_or_create(
                group=trainers, collection=root, permission=permission
            )


def ensure_moderation():
    """Workflow, reviewers' and trainers' page permissions, brought up to date (idempotent)."""
    sync_trainer_permissions()
    sync_trainer_collections()
    home = HomePage.objects.first()
    if home is None:  # a database without a site yet (a flush): nothing to moderate
        return None
    sync_reviewer_permissions(home)
    return ensure_workflow(home)


# --- receivers (connected in CmsConfig.ready) --------------------------------------------------------


def migrated(sender, **kwargs):
    # post_migrate fires once per app; the permissions and tables of later apps appear as they are
    # migrated, so this runs each time (cheap and idempotent), like people.signals.create_role_groups.
    if Permission.objects.filter(content_type__app_label="wagtailcore", codename="publish_page").exists():
        ensure_moderation()


def section_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        page_id = instance.pk
        transaction.on_commit(lambda: _grant_if_still_there(page_id), robust=True)


def _grant_if_still_there(page_id):
    page = Page.objects.filter(pk=page_id).first()
    if page is not None:
        grant_section(page)


def connect():
    from django.db.models.signals import post_migrate, post_save

    post_migrate.connect(migrated, dispatch_uid="cms_ensure_moderation")
    for model in section_models():
        post_save.connect(
            section_created, sender=model, dispatch_uid=f"cms_section_created_{model._meta.label}"
        )

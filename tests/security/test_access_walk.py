"""The access-control walk: every URL pattern of ``config.urls`` and every WebSocket route, as each role
and as anonymous, against an explicit expectation table.

A pattern that is not in the table fails the test: a new URL must be classified here. Path parameters
are filled with real ids from the fixture, including ids of another municipality's objects (``*_foreign``
cases), which must be "not found". The Wagtail and Django admins are covered by prefix rules.
"""

import asyncio
import datetime
import re

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection

from cms.models import HomePage, MaterialIndexPage, MaterialKind, MaterialPage
from courses.factories import make_course, make_lesson
from courses.models import Enrollment
from courses.scorm.packages import create_package
from courses.scorm.sample import build_package
from courses.services import enrol, issue_certificate
from events.consultations import services as consultation_services
from events.factories import make_event, make_organizer, make_writing_trainer
from events.letters import services as letter_services
from events.models import ConsultationTopic
from people.audience import Audience
from people.factories import (
    make_municipal_manager,
    make_municipality,
    make_organization,
    make_person,
    make_regional_manager,
)
from quizzes.factories import make_quiz, make_single_choice
from quizzes.models import TestCampaign
from quizzes.services import start_campaign_sitting
from reports.models import ExportAuditEntry

ANON, SERVANT, TRAINER, MUNICIPAL, REGIONAL = "anonymous", "servant", "trainer", "municipal", "regional"
ORGANIZER = "organizer"
ROLES = (ANON, SERVANT, TRAINER, MUNICIPAL, REGIONAL, ORGANIZER)

# Outcomes: OK 200; LOGIN 302 to the login page; GO another redirect; DENY 403; NONE 404; NOT_ALLOWED 405.
OK, LOGIN, GO, DENY, NONE, NOT_ALLOWED = "200", "login", "redirect", "403", "404", "405"
BAD = "400"  # a form that is refused with its errors, nothing written
PREFIX_RULES = ("admin/", "django-admin/")
# Admin patterns open to everybody: the login and password reset forms, the icon sprite, translations.
PUBLIC_ADMIN_PATTERNS = {
    "wagtailadmin_login",
    "admin:login",
    "admin:logout",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
}


def expect(anonymous, servant, trainer, municipal, regional, organizer=None):
    """Outcomes per role; an organizer of events gets what a trainer gets unless said otherwise
    (neither owns the servant's objects nor manages anybody)."""
    organizer = trainer if organizer is None else organizer
    return dict(zip(ROLES, (anonymous, servant, trainer, municipal, regional, organizer), strict=True))


ALL_OK = expect(OK, OK, OK, OK, OK)
LOGGED_IN_OK = expect(LOGIN, OK, OK, OK, OK)
MANAGERS_ONLY = expect(LOGIN, DENY, DENY, OK, OK)
OWN_ONLY = expect(LOGIN, OK, NONE, NONE, NONE)  # the servant's own object; others: not found
NOBODY = expect(LOGIN, NONE, NONE, NONE, NONE)  # another municipality's person's object
OTHER_MUNICIPALITY = expect(LOGIN, DENY, DENY, NONE, OK)  # a manager page about another municipality
OTHER_MUNICIPALITY_GO = expect(LOGIN, DENY, DENY, NONE, GO)  # the same, a POST that redirects
# A lesson's SCORM package: the enrolled servant; the regional manager, who may edit every course, previews
# it unrecorded (a trainer with rights on the catalogue too: courses/tests/test_scorm_serving.py; the
# walk's catalogue is made after the trainers' rights were granted, so its trainer cannot edit it).
SCORM_OK = expect(LOGIN, OK, NONE, NONE, OK, NONE)
SCORM_POST = expect(LOGIN, BAD, NONE, NONE, DENY, NONE)

# pattern name -> {case name: (method, path kwargs/args spec, expectations)}. Values in specs are keys of
# the fixture's ``ids`` (strings) or literals (ints/other).
TABLE = {
    "healthz": {"get": ("get", {}, ALL_OK)},
    "login": {"get": ("get", {}, expect(OK, GO, GO, GO, GO))},
    "logout": {"get": ("get", {}, expect(NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED))},
    "password_change": {"get": ("get", {}, LOGGED_IN_OK)},
    "password_change_done": {"get": ("get", {}, LOGGED_IN_OK)},
    "password_reset": {"get": ("get", {}, ALL_OK)},
    "password_reset_done": {"get": ("get", {}, ALL_OK)},
    "password_reset_confirm": {"get": ("get", {"uidb64": "MQ", "token": "bad-token"}, ALL_OK)},
    "password_reset_complete": {"get": ("get", {}, ALL_OK)},
    # the invitation's set-password link and the one-time code page (for people without e-mail)
    "invitation_confirm": {"get": ("get", {"uidb64": "MQ", "token": "bad-token"}, ALL_OK)},
    "password_code": {"get": ("get", {}, ALL_OK)},
    "cabinet": {"get": ("get", {}, LOGGED_IN_OK)},
    "my_data": {"get": ("get", {}, LOGGED_IN_OK)},  # the person's own data only (tests/test_privacy.py)
    "privacy": {"get": ("get", {}, ALL_OK)},
    "certificate_verify_form": {"get": ("get", {}, ALL_OK)},  # the public form to type a code
    "certificate_verify": {
        "own": ("get", {"code": "certificate_code"}, ALL_OK),
        "missing": ("get", {"code": "no-such-code"}, expect(NONE, NONE, NONE, NONE, NONE)),
    },
    "wagtaildocs_serve": {
        "public": ("get", ["document", "document_name"], ALL_OK),
        "missing": ("get", [999_999, "x.txt"], expect(NONE, NONE, NONE, NONE, NONE)),
    },
    "wagtaildocs_authenticate_with_password": {
        "missing": ("get", {"restriction_id": 999_999}, expect(NONE, NONE, NONE, NONE, NONE))
    },
    "wagtailcore_authenticate_with_password": {
        "missing": (
            "get",
            {"page_view_restriction_id": 999_999, "page_id": "event"},
            expect(NONE, NONE, NONE, NONE, NONE),
        )
    },
    "wagtailcore_login": {"get": ("get", {}, ALL_OK)},
    "wagtail_serve": {
        "home": ("get", [""], ALL_OK),
        "event": ("get", ["event_path"], ALL_OK),
        "missing": ("get", ["no-such-page/"], expect(NONE, NONE, NONE, NONE, NONE)),
    },
    # --- the API (JSON; 401 for anonymous)
    "api-v1:openapi-json": {"get": ("get", {}, ALL_OK)},
    "api-v1:openapi-view": {"get": ("get", {}, ALL_OK)},
    "api-v1:api-root": {"get": ("get", {}, expect(NONE, NONE, NONE, NONE, NONE))},
    "api-v1:tests_my_campaigns": {"get": ("get", {}, expect("401", OK, OK, OK, OK))},
    "api-v1:tests_start_sitting": {
        # the municipal manager works in the audience's municipality: a participant too
        "own": ("post", {"campaign_id": "campaign"}, expect("401", OK, NONE, OK, NONE)),
        "foreign": ("post", {"campaign_id": "campaign_foreign"}, expect("401", NONE, NONE, NONE, NONE)),
    },
    "api-v1:tests_sitting": {
        "own": ("get", {"sitting_id": "sitting"}, expect("401", OK, NONE, NONE, NONE)),
        "foreign": ("get", {"sitting_id": "sitting_foreign"}, expect("401", NONE, NONE, NONE, NONE)),
    },
    "api-v1:tests_answer": {
        "foreign": (
            "put",
            {"sitting_id": "sitting_foreign", "question_id": "question"},
            expect("401", NONE, NONE, NONE, NONE),
        ),
    },
    "api-v1:tests_finish": {
        "foreign": ("post", {"sitting_id": "sitting_foreign"}, expect("401", NONE, NONE, NONE, NONE)),
    },
    "api-v1:tests_result": {
        "own": ("get", {"sitting_id": "sitting"}, expect("401", "409", NONE, NONE, NONE)),
        "foreign": ("get", {"sitting_id": "sitting_foreign"}, expect("401", NONE, NONE, NONE, NONE)),
    },
    # --- taking pages
    "quizzes:my_campaigns": {"get": ("get", {}, LOGGED_IN_OK)},
    "quizzes:campaign": {
        "own": ("get", {"campaign_id": "campaign"}, expect(LOGIN, OK, NONE, OK, NONE)),
        "foreign": ("get", {"campaign_id": "campaign_foreign"}, NOBODY),
    },
    "quizzes:take": {
        "own": ("get", {"sitting_id": "sitting"}, OWN_ONLY),
        "foreign": ("get", {"sitting_id": "sitting_foreign"}, NOBODY),
    },
    "quizzes:result": {
        "own": ("get", {"sitting_id": "sitting"}, expect(LOGIN, GO, NONE, NONE, NONE)),
        "foreign": ("get", {"sitting_id": "sitting_foreign"}, NOBODY),
    },
    # --- manager pages of testing
    "quizzes_manage:campaigns": {"get": ("get", {}, MANAGERS_ONLY)},
    "quizzes_manage:results": {"get": ("get", {"pk": "campaign"}, MANAGERS_ONLY)},
    "quizzes_manage:export": {"get": ("get", {"pk": "campaign"}, MANAGERS_ONLY)},
    "quizzes_manage:organizations": {"get": ("get", {"pk": "campaign"}, MANAGERS_ONLY)},
    "quizzes_manage:municipality": {
        "own": ("get", {"pk": "campaign", "municipality_pk": "municipality"}, MANAGERS_ONLY),
        "foreign": (
            "get",
            {"pk": "campaign", "municipality_pk": "municipality_foreign"},
            expect(LOGIN, DENY, DENY, NONE, OK),
        ),
    },
    "quizzes_manage:municipality_people": {
        "own": ("get", {"pk": "campaign", "municipality_pk": "municipality"}, MANAGERS_ONLY),
        "foreign": (
            "get",
            {"pk": "campaign", "municipality_pk": "municipality_foreign"},
            expect(LOGIN, DENY, DENY, NONE, OK),
        ),
    },
    "quizzes_manage:organization_people": {
        "own": ("get", {"pk": "campaign", "organization_pk": "organization"}, MANAGERS_ONLY),
        "foreign": (
            "get",
            {"pk": "campaign", "organization_pk": "organization_foreign"},
            expect(LOGIN, DENY, DENY, NONE, OK),
        ),
    },
    "quizzes_manage:people": {"get": ("get", {"pk": "campaign"}, MANAGERS_ONLY)},
    "quizzes_manage:items": {"get": ("get", {"pk": "campaign"}, MANAGERS_ONLY)},
    "quizzes_manage:topics": {"get": ("get", {"pk": "campaign"}, MANAGERS_ONLY)},
    # the printed protocol names people: POST only, audited; another municipality's is "not found"
    "quizzes_manage:municipality_protocol": {
        "get": (
            "get",
            {"pk": "campaign", "municipality_pk": "municipality"},
            expect(LOGIN, *[NOT_ALLOWED] * 5),
        ),
        "own": ("post", {"pk": "campaign", "municipality_pk": "municipality"}, MANAGERS_ONLY),
        "foreign": (
            "post",
            {"pk": "campaign", "municipality_pk": "municipality_foreign"},
            expect(LOGIN, DENY, DENY, NONE, OK),
        ),
    },
    "quizzes_manage:regional_protocol": {
        "get": ("get", {"pk": "campaign"}, expect(LOGIN, *[NOT_ALLOWED] * 5)),
        "post": ("post", {"pk": "campaign"}, expect(LOGIN, DENY, DENY, NONE, OK)),
    },
    # operations on one person's test (a reason each, audited); the walk's JSON body is a 400 that
    # writes nothing; the regrade is the regional managers' only
    "quizzes_manage:person": {
        "own": ("get", {"pk": "campaign", "person_pk": "person"}, MANAGERS_ONLY),
        "foreign": ("get", {"pk": "campaign_foreign", "person_pk": "person_foreign"}, OTHER_MUNICIPALITY),
    },
    **{
        name: {
            "get": ("get", spec, expect(LOGIN, *[NOT_ALLOWED] * 5)),
            "own": ("post", spec, expect(LOGIN, DENY, DENY, BAD, BAD)),
            "foreign": ("post", foreign, expect(LOGIN, DENY, DENY, NONE, BAD)),
        }
        for name, spec, foreign in (
            (
                "quizzes_manage:person_extra_time",
                {"pk": "campaign", "person_pk": "person"},
                {"pk": "campaign_foreign", "person_pk": "person_foreign"},
            ),
            (
                "quizzes_manage:person_extra_attempt",
                {"pk": "campaign", "person_pk": "person"},
                {"pk": "campaign_foreign", "person_pk": "person_foreign"},
            ),
            (
                "quizzes_manage:sitting_reset",
                {"pk": "campaign", "sitting_pk": "sitting"},
                {"pk": "campaign_foreign", "sitting_pk": "sitting_foreign"},
            ),
            (
                "quizzes_manage:answer_override",
                {"pk": "campaign", "sitting_pk": "sitting", "question_pk": "question"},
                {"pk": "campaign_foreign", "sitting_pk": "sitting_foreign", "question_pk": "question"},
            ),
        )
    },
    "quizzes_manage:sitting": {
        "own": ("get", {"pk": "campaign", "sitting_pk": "sitting"}, MANAGERS_ONLY),
        "foreign": ("get", {"pk": "campaign_foreign", "sitting_pk": "sitting_foreign"}, OTHER_MUNICIPALITY),
    },
    "quizzes_manage:regrade": {
        "own": ("get", {"pk": "campaign"}, expect(LOGIN, DENY, DENY, DENY, OK)),
        "foreign": ("get", {"pk": "campaign_foreign"}, expect(LOGIN, DENY, DENY, DENY, OK)),
        "post": ("post", {"pk": "campaign"}, expect(LOGIN, DENY, DENY, DENY, BAD)),
    },
    # the named roster of an audience (people.rosters)
    "audience_rosters": {"get": ("get", {}, MANAGERS_ONLY)},
    "audience_roster": {
        "own": ("get", {"pk": "audience"}, MANAGERS_ONLY),
        "foreign": ("get", {"pk": "audience_foreign"}, OTHER_MUNICIPALITY),
        "post": ("post", {"pk": "audience"}, expect(LOGIN, DENY, DENY, BAD, BAD)),
        "post_foreign": ("post", {"pk": "audience_foreign"}, expect(LOGIN, DENY, DENY, NONE, BAD)),
    },
    "quizzes:result_sheet": {  # the walk's sitting is in progress: back to the result page
        "own": ("get", {"sitting_id": "sitting"}, expect(LOGIN, GO, NONE, NONE, NONE)),
        "foreign": ("get", {"sitting_id": "sitting_foreign"}, NOBODY),
    },
    "quizzes_manage:monitor": {"get": ("get", {"pk": "campaign"}, MANAGERS_ONLY)},
    # --- courses
    "courses:enrol": {"get": ("get", {"pk": "course"}, expect(LOGIN, GO, GO, GO, GO))},
    "courses:final_quiz": {"get": ("get", {"pk": "course"}, expect(LOGIN, *[NOT_ALLOWED] * 4))},
    "courses:mark_studied": {"get": ("get", {"pk": "course"}, expect(LOGIN, *[NOT_ALLOWED] * 4))},
    "courses:practice_quiz": {
        "get": ("get", {"pk": "course", "quiz_pk": "quiz"}, expect(LOGIN, *[NOT_ALLOWED] * 4))
    },
    "courses:certificate_png": {
        "own": ("get", {"number": "certificate"}, OWN_ONLY),
        "foreign": ("get", {"number": "certificate_foreign"}, NOBODY),
    },
    "courses:certificate_pdf": {
        "own": ("get", {"number": "certificate"}, OWN_ONLY),
        "foreign": ("get", {"number": "certificate_foreign"}, NOBODY),
    },
    # a lesson's SCORM package (SCORM_OK above)
    "courses:scorm_file": {
        "own": (
            "get",
            {"pk": "scorm_lesson", "package_pk": "scorm_package", "path": "res/index.html"},
            SCORM_OK,
        ),
        "missing": (
            "get",
            {"pk": "scorm_lesson", "package_pk": "scorm_package", "path": "res/missing.html"},
            expect(LOGIN, NONE, NONE, NONE, NONE),
        ),
    },
    "courses:scorm_runtime": {
        "get": ("get", {"pk": "scorm_lesson", "package_pk": "scorm_package"}, SCORM_OK),
        # the walk's body is not SCORM data: the servant's commit is refused (400), previews are not recorded
        "post": ("post", {"pk": "scorm_lesson", "package_pk": "scorm_package"}, SCORM_POST),
    },
    "courses:overdue": {"get": ("get", {}, MANAGERS_ONLY)},
    "courses:overdue_csv": {
        "get": ("get", {}, expect(LOGIN, *[NOT_ALLOWED] * 5)),  # a download writes the log
        "post": ("post", {}, MANAGERS_ONLY),
    },
    # --- events
    "events:upcoming_ics": {"get": ("get", {}, ALL_OK)},
    "events:event_ics": {"get": ("get", {"pk": "event"}, ALL_OK)},
    "events:register": {"get": ("get", {"pk": "event"}, expect(LOGIN, GO, GO, GO, GO))},
    "events:cancel": {"get": ("get", {"pk": "event"}, expect(LOGIN, *[NOT_ALLOWED] * 4))},
    "events:check_in": {"get": ("get", {"pk": "event"}, expect(LOGIN, *[NOT_ALLOWED] * 4))},
    "events:stream": {"get": ("get", {"pk": "event"}, expect(LOGIN, NONE, NONE, NONE, NONE))},
    # people of the whole region: organizers and managers; a trainer who writes the page sees nobody
    "events:attendance": {"get": ("get", {"pk": "event"}, expect(LOGIN, NONE, NONE, OK, OK, OK))},
    "events:choose_room": {"get": ("get", {"pk": "event"}, expect(LOGIN, NONE, NONE, NONE, NONE))},
    "events:room_report": {
        "own": ("get", {"pk": "event", "municipality_pk": "municipality"}, NOBODY),
        "foreign": ("get", {"pk": "event", "municipality_pk": "municipality_foreign"}, NOBODY),
    },
    # live Q&A over HTTP (POST only; the WebSocket route carries the same actions)
    "events:ask_question": {"get": ("get", {"pk": "event"}, expect(LOGIN, *[NOT_ALLOWED] * 4))},
    "events:upvote_question": {
        "get": ("get", {"pk": "event", "question_pk": 999_999}, expect(LOGIN, *[NOT_ALLOWED] * 4))
    },
    "events:moderate_question": {
        "get": ("get", {"pk": "event", "question_pk": 999_999}, expect(LOGIN, *[NOT_ALLOWED] * 4))
    },
    # the audience of an event (issue 18): invitations are the organizers' (the walk's event has no
    # audience: a POST is refused with 409, nothing sent); feedback opens after the end to participants
    # only (403 with the reason); its results without names for organizers and managers in scope
    "events:invitations": {
        "get": ("get", {"pk": "event"}, expect(LOGIN, NONE, NONE, NONE, OK, OK)),
        "post": ("post", {"pk": "event"}, expect(LOGIN, NONE, NONE, NONE, "409", "409")),
    },
    "events:feedback": {
        "get": ("get", {"pk": "event"}, expect(LOGIN, DENY, DENY, DENY, DENY, DENY)),
        "post": ("post", {"pk": "event"}, expect(LOGIN, DENY, DENY, DENY, DENY, DENY)),
    },
    "events:feedback_results": {"get": ("get", {"pk": "event"}, expect(LOGIN, NONE, NONE, OK, OK, OK))},
    # --- the manager dashboard, exports and the plan report
    "events:attendance_xlsx": {
        "get": ("get", {"pk": "event"}, expect(LOGIN, *[NOT_ALLOWED] * 5)),  # a download writes the log
        "post": ("post", {"pk": "event"}, expect(LOGIN, NONE, NONE, OK, OK, OK)),
    },
    "reports:dashboard": {"get": ("get", {}, MANAGERS_ONLY)},
    "reports:municipality": {
        "own": ("get", {"municipality": "municipality"}, MANAGERS_ONLY),
        "foreign": ("get", {"municipality": "municipality_foreign"}, OTHER_MUNICIPALITY),
    },
    "reports:municipality_people": {
        "own": ("get", {"municipality": "municipality"}, MANAGERS_ONLY),
        "foreign": ("get", {"municipality": "municipality_foreign"}, OTHER_MUNICIPALITY),
    },
    "reports:organization": {
        "own": ("get", {"municipality": "municipality", "organization": "organization"}, MANAGERS_ONLY),
        "foreign": (
            "get",
            {"municipality": "municipality_foreign", "organization": "organization_foreign"},
            OTHER_MUNICIPALITY,
        ),
    },
    # one person's training record and its workbook (a POST, audited)
    "reports:person": {
        "own": ("get", {"pk": "person"}, MANAGERS_ONLY),
        "foreign": ("get", {"pk": "person_foreign"}, OTHER_MUNICIPALITY),
    },
    "reports:person_xlsx": {
        "get": ("get", {"pk": "person"}, expect(LOGIN, *[NOT_ALLOWED] * 4)),
        "own": ("post", {"pk": "person"}, MANAGERS_ONLY),
        "foreign": ("post", {"pk": "person_foreign"}, OTHER_MUNICIPALITY),
    },
    # a plan item's page: managers only; here no plan exists, so managers get "not found"
    "reports:plan_item": {
        "missing": ("get", {"year": 1999, "number": "5.1"}, expect(LOGIN, DENY, DENY, NONE, NONE))
    },
    "reports:plan_item_municipality": {
        "missing": (
            "get",
            {"year": 1999, "number": "5.1", "municipality": "municipality_foreign"},
            expect(LOGIN, DENY, DENY, NONE, NONE),
        )
    },
    "reports_exports:audit": {"get": ("get", {}, expect(LOGIN, DENY, DENY, DENY, OK))},
    "reports_exports:jobs": {"get": ("get", {}, LOGGED_IN_OK)},  # the person's own export jobs
    "reports_exports:job": {"missing": ("get", {"pk": 999_999}, NOBODY)},
    "reports_exports:download": {"missing": ("get", {"pk": 999_999}, NOBODY)},
    "reports_exports:export": {
        "missing": ("post", {"key": "no-such-table"}, expect(LOGIN, DENY, DENY, NONE, NONE))
    },
    "reports_exports:plan_report": {"get": ("get", {}, MANAGERS_ONLY)},
    # --- consultations (events.consultations, docs/consultations.md): the asker's own questions; a
    # municipal manager reads those of their municipality; regional managers answer and publish. The
    # walk's JSON body is no form: a 400 that writes nothing.
    "consultations:mine": {"get": ("get", {}, LOGGED_IN_OK)},
    "consultations:ask": {
        "get": ("get", {}, LOGGED_IN_OK),
        "post": ("post", {}, expect(LOGIN, BAD, BAD, BAD, BAD)),
    },
    "consultations:manage": {"get": ("get", {}, MANAGERS_ONLY)},
    "consultations:detail": {
        "own": ("get", {"pk": "consultation"}, expect(LOGIN, OK, NONE, OK, OK)),
        "foreign": ("get", {"pk": "consultation_foreign"}, expect(LOGIN, NONE, NONE, NONE, OK)),
    },
    "consultations:attachment": {
        "own": ("get", {"pk": "consultation"}, expect(LOGIN, OK, NONE, OK, OK)),
        "foreign": ("get", {"pk": "consultation_foreign"}, NOBODY),  # it has no attachment
    },
    "consultations:reply": {
        "get": ("get", {"pk": "consultation"}, expect(LOGIN, *[NOT_ALLOWED] * 4)),
        "own": ("post", {"pk": "consultation"}, expect(LOGIN, BAD, NONE, DENY, BAD)),
        "foreign": ("post", {"pk": "consultation_foreign"}, expect(LOGIN, NONE, NONE, NONE, BAD)),
    },
    "consultations:publish": {  # the walk's questions have no answer yet: back to the thread
        "own": ("get", {"pk": "consultation"}, expect(LOGIN, DENY, DENY, DENY, GO)),
        "post": ("post", {"pk": "consultation_foreign"}, expect(LOGIN, DENY, DENY, DENY, GO)),
    },
    "consultations:close": {  # the servant closes their own; closing again is a message, not an error
        "get": ("get", {"pk": "consultation"}, expect(LOGIN, *[NOT_ALLOWED] * 4)),
        "own": ("post", {"pk": "consultation"}, expect(LOGIN, GO, NONE, DENY, GO)),
        "foreign": ("post", {"pk": "consultation_foreign"}, expect(LOGIN, NONE, NONE, NONE, GO)),
    },
    # --- the students' contest (events.contest, docs/contest.md): public pages; contestants are not
    # users, so no role here is one (their pages send to the contest's sign-in); the walk has no juror
    # (jurors: events/tests/test_contest.py); organizers and regional managers see works and results.
    "contest:index": {"get": ("get", {}, ALL_OK)},
    "contest:detail": {"get": ("get", {"pk": "contest"}, ALL_OK)},
    "contest:register": {
        "get": ("get", {"pk": "contest"}, ALL_OK),
        "post": ("post", {"pk": "contest"}, dict.fromkeys(ROLES, BAD)),
    },
    "contest:confirm": {"get": ("get", {"token": "no-such-token"}, dict.fromkeys(ROLES, BAD))},
    "contest:sign_in": {
        "get": ("get", {"pk": "contest"}, ALL_OK),
        "post": ("post", {"pk": "contest"}, dict.fromkeys(ROLES, BAD)),
    },
    "contest:sign_out": {
        "get": ("get", {}, dict.fromkeys(ROLES, NOT_ALLOWED)),
        "post": ("post", {}, dict.fromkeys(ROLES, GO)),
    },
    "contest:mine": {"get": ("get", {"pk": "contest"}, dict.fromkeys(ROLES, GO))},
    "contest:work_file": {"get": ("get", {"pk": "contest_work"}, expect(NONE, NONE, NONE, NONE, OK, OK))},
    "contest:consent_file": {"get": ("get", {"pk": "contestant"}, expect(NONE, NONE, NONE, NONE, OK, OK))},
    "contest:jury": {"get": ("get", {"pk": "contest"}, expect(LOGIN, DENY, DENY, DENY, DENY))},
    "contest:score": {
        "get": ("get", {"pk": "contest_work"}, expect(LOGIN, DENY, DENY, DENY, DENY)),
        "post": ("post", {"pk": "contest_work"}, expect(LOGIN, DENY, DENY, DENY, DENY)),
    },
    "contest:manage": {"get": ("get", {"pk": "contest"}, expect(LOGIN, DENY, DENY, DENY, OK, OK))},
    "contest:export": {"get": ("get", {"pk": "contest"}, expect(LOGIN, DENY, DENY, DENY, OK, OK))},
    "contest:set_place": {
        "get": ("get", {"pk": "contest_work"}, dict.fromkeys(ROLES, NOT_ALLOWED)),
        "post": ("post", {"pk": "contest_work"}, expect(LOGIN, DENY, DENY, DENY, GO, GO)),
    },
    "contest:publish": {  # the walk's contest is still open: a message, nothing published
        "get": ("get", {"pk": "contest"}, dict.fromkeys(ROLES, NOT_ALLOWED)),
        "post": ("post", {"pk": "contest"}, expect(LOGIN, DENY, DENY, DENY, GO, GO)),
    },
    # --- letters to municipalities (events.letters, docs/letters.md): the recipient's own letter (the
    # walk's servant is a coordinator of the home municipality); managers see the letters that reached
    # their scope; regional managers send. Reminding again is a message and a redirect, not an error.
    "letters:mine": {"get": ("get", {}, LOGGED_IN_OK)},
    "letters:detail": {
        "own": ("get", {"pk": "letter"}, expect(LOGIN, OK, NONE, NONE, NONE)),
        "foreign": ("get", {"pk": "letter_foreign"}, NOBODY),
    },
    "letters:acknowledge": {
        "get": ("get", {"pk": "letter"}, expect(LOGIN, *[NOT_ALLOWED] * 4)),
        "own": ("post", {"pk": "letter"}, expect(LOGIN, GO, NONE, NONE, NONE)),
        "foreign": ("post", {"pk": "letter_foreign"}, NOBODY),
    },
    "letters:manage": {"get": ("get", {}, MANAGERS_ONLY)},
    "letters:new": {
        "get": ("get", {}, expect(LOGIN, DENY, DENY, DENY, OK)),
        "post": ("post", {}, expect(LOGIN, DENY, DENY, DENY, BAD)),
    },
    "letters:status": {
        "own": ("get", {"pk": "letter"}, expect(LOGIN, DENY, DENY, OK, OK)),
        "foreign": ("get", {"pk": "letter_foreign"}, OTHER_MUNICIPALITY),
    },
    "letters:remind": {
        "get": ("get", {"pk": "letter"}, expect(LOGIN, *[NOT_ALLOWED] * 4)),
        "own": ("post", {"pk": "letter"}, expect(LOGIN, DENY, DENY, GO, GO)),
        "foreign": ("post", {"pk": "letter_foreign"}, OTHER_MUNICIPALITY_GO),
    },
}

# WebSocket routes: route -> {role: "accept" or the close code}. Path parameters as in TABLE.
WEBSOCKET_TABLE = {
    "ws/health/": ({}, dict.fromkeys(ROLES, "accept")),
    "ws/tests/campaigns/<int:pk>/monitor/": (
        {"pk": "campaign"},
        {ANON: 4403, SERVANT: 4403, TRAINER: 4403, MUNICIPAL: "accept", REGIONAL: "accept", ORGANIZER: 4403},
    ),
    "ws/events/<int:pk>/live/": (
        {"pk": "event"},
        # organizers (the organizer role, regional managers) and registered participants only; a
        # trainer who writes the event page is neither
        {ANON: 4401, SERVANT: 4403, TRAINER: 4403, MUNICIPAL: 4403, REGIONAL: "accept", ORGANIZER: "accept"},
    ),
}
WEBSOCKET_FOREIGN = {
    # a municipal manager of another municipality watching this campaign
    "ws/tests/campaigns/<int:pk>/monitor/": ({"pk": "campaign"}, "foreign_manager", 4403),
}


# --- enumeration ---------------------------------------------------------------------------------


def url_patterns(patterns=None, prefix="", namespace=None):
    """``(route, qualified name, pattern)`` of every URL pattern, through includes."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part) or None
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + str(entry.pattern), name, entry


def websocket_routes():
    from config.websocket_urls import websocket_urlpatterns

    return [str(route.pattern) for route in websocket_urlpatterns]


def fill_route(route, values):
    """A concrete path for a route with ``<conv:name>`` parameters."""

    def value(match):
        return str(values[match.group(2)])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def websocket_paths(ids):
    """Every WebSocket route filled with ids (used by the answer-key leak scan too)."""
    defaults = {"pk": ids.get("pk") or ids.get("campaign")}
    return [fill_route(route, {**defaults, **ids}) for route in websocket_routes()]


# --- the world -----------------------------------------------------------------------------------


def make_walk_contest(media, settings):
    """A students' contest taking works, with a minor's work and consent form (events.contest)."""
    from events.models import AgeGroup, Contest, Contestant, Nomination, Work

    settings.CONTEST_FILES_ROOT = str(media / "contest")
    now = timezone.now()
    contest = Contest.objects.create(
        year=now.year,
        submissions_open_at=now - datetime.timedelta(days=1),
        submissions_close_at=now + datetime.timedelta(days=5),
        judging_start_at=now + datetime.timedelta(days=6),
        judging_end_at=now + datetime.timedelta(days=20),
    )
    nomination = Nomination.objects.create(contest=contest, title="Плакат")
    group = AgeGroup.objects.create(contest=contest, title="14–17 лет", min_age=14, max_age=17)
    contestant = Contestant.objects.create(
        contest=contest,
        email="student@example.org",
        password="!",
        last_name="Студентова",
        first_name="Ася",
        birth_date=datetime.date(now.year - 16, 1, 1),
        parent_consent=True,
        parent_name="Студентова И. И.",
    )
    contestant.consent_file.save("s.pdf", ContentFile(b"%PDF-1.4 consent"), save=True)
    work = Work(
        contest=contest,
        contestant=contestant,
        nomination=nomination,
        age_group=group,
        code="WALK-1",
        title="Плакат",
        file_name="p.pdf",
        file_type="application/pdf",
    )
    work.file.save("p.pdf", ContentFile(b"%PDF-1.4 work"), save=True)
    return {"contest": contest.pk, "contest_work": work.pk, "contestant": contestant.pk}


@pytest.fixture
def world(media, settings, tmp_path):
    settings.SCORM_ROOT = tmp_path / "scorm"
    home = make_municipality("Город Обнинск")
    other = make_municipality("Город Калуга")
    organization = make_organization(home)
    organization_foreign = make_organization(other)
    people = {
        ANON: None,
        SERVANT: make_person(organization),
        TRAINER: make_writing_trainer(),  # with the page rights trainers really have
        MUNICIPAL: make_municipal_manager(home),
        REGIONAL: make_regional_manager(),
        ORGANIZER: make_organizer(),
    }
    stranger = make_person(organization_foreign)
    question = make_single_choice()
    quiz = make_quiz([question], time_limit=30)
    now = timezone.now()

    def campaign_for(municipality):
        audience = Audience.objects.create(title=str(municipality))
        audience.municipalities.add(municipality)
        return TestCampaign.objects.create(
            title=f"Тестирование: {municipality}",
            quiz=quiz,
            audience=audience,
            opens_at=now - datetime.timedelta(days=1),
            closes_at=now + datetime.timedelta(days=1),
        )

    campaign = campaign_for(home)
    campaign_foreign = campaign_for(other)
    sitting = start_campaign_sitting(people[SERVANT], campaign, now=now)
    sitting_foreign = start_campaign_sitting(stranger, campaign_foreign, now=now)
    course = make_course(lessons=1)
    scorm_package = create_package(ContentFile(build_package("1.2"), name="scorm.zip"), course)
    scorm_lesson = make_lesson(course, body=[], scorm_package=scorm_package)
    enrol(people[SERVANT], course, Enrollment.Source.SELF)
    certificate = issue_certificate(people[SERVANT], course)
    certificate_foreign = issue_certificate(stranger, course)
    event = make_event()
    assert event.permissions_for_user(people[TRAINER]).can_edit()
    if Collection.get_first_root_node() is None:  # a transactional test flushed it
        Collection.add_root(name="Root")
    document = get_document_model().objects.create(
        title="Методические рекомендации", file=ContentFile(b"text", name="metod.txt")
    )
    settings.CONSULTATION_FILES_ROOT = str(media / "consultations")
    topic = ConsultationTopic.objects.get_or_create(name="Подарки")[0]
    consultation = consultation_services.ask(
        people[SERVANT],
        topic=topic,
        subject="Вопрос",
        text="Текст",
        attachment=ContentFile(b"t", name="a.txt"),
    )
    consultation_foreign = consultation_services.ask(stranger, topic=topic, subject="Чужой", text="Текст")
    contest_ids = make_walk_contest(media, settings)
    # letters to municipalities: the servant and the stranger are coordinators of their municipalities
    for coordinator in (people[SERVANT], stranger):
        coordinator.has_anticorruption_duties = True
        coordinator.save()
    library = HomePage.objects.first().add_child(
        instance=MaterialIndexPage(title="Материалы", slug="materials")
    )
    material = library.add_child(
        instance=MaterialPage(title="Письмо", kind=MaterialKind.INFORMATION_LETTER, date=now.date())
    )
    letter = letter_services.send_letter(people[REGIONAL], material=material, municipalities=[home])
    letter_foreign = letter_services.send_letter(people[REGIONAL], material=material, municipalities=[other])
    ids = {
        "consultation": consultation.pk,
        "consultation_foreign": consultation_foreign.pk,
        **contest_ids,
        "letter": letter.pk,
        "letter_foreign": letter_foreign.pk,
        "municipality": home.pk,
        "municipality_foreign": other.pk,
        "organization": organization.pk,
        "organization_foreign": organization_foreign.pk,
        "campaign": campaign.pk,
        "campaign_foreign": campaign_foreign.pk,
        "sitting": sitting.pk,
        "sitting_foreign": sitting_foreign.pk,
        "question": question.pk,
        "quiz": quiz.pk,
        "course": course.pk,
        "scorm_lesson": scorm_lesson.pk,
        "scorm_package": scorm_package.pk,
        "certificate": certificate.number,
        "certificate_foreign": certificate_foreign.number,
        "certificate_code": certificate.code,
        "event": event.pk,
        "person": people[SERVANT].pk,
        "person_foreign": stranger.pk,
        "audience": campaign.audience_id,
        "audience_foreign": campaign_foreign.audience_id,
        "event_path": event.url.strip("/") + "/",
        "document": document.pk,
        "document_name": document.filename,
    }
    return {"people": people, "ids": ids, "foreign_manager": make_municipal_manager(other)}


# --- the walk ------------------------------------------------------------------------------------


def resolve_spec(spec, ids):
    pick = lambda value: ids[value] if isinstance(value, str) and value in ids else value  # noqa: E731
    if isinstance(spec, dict):
        return {key: pick(value) for key, value in spec.items()}
    return [pick(value) for value in spec]


def path_for(name, spec, ids, route):
    values = resolve_spec(spec, ids)
    if name == "wagtail_serve":
        return "/" + values[0]
    if name == "wagtaildocs_serve":
        return f"/documents/{values[0]}/{values[1]}"
    if isinstance(values, dict):
        return reverse(name, kwargs=values)
    return reverse(name, args=values)


# URLs that hand out a file holding nobody else's personal data (so not entered in the audit log of
# personal-data exports): calendars, a person's own certificate, aggregate reports, templates. Every
# other file the walk receives must add exactly one entry to the log (people.personal_exports).
FILES_WITHOUT_OTHERS_DATA = {
    "events:event_ics",
    "events:upcoming_ics",
    "courses:certificate_png",
    "my_data",  # the requester's own data
    "quizzes:result_sheet",  # the person's own result
    "quizzes_manage:export",  # a campaign's counts per municipality: nobody named
    "courses:certificate_pdf",
    "wagtaildocs_serve",
    # a question's attachment: the asker's own upload, not a file the platform writes about people;
    # managers' downloads are in the question's log (events.consultations.audit)
    "consultations:attachment",
    # a contestant's own work or parent's consent form; organizers' downloads are in the contest's log
    "contest:work_file",
    "contest:consent_file",
}
SPREADSHEET_TYPES = ("text/csv", "application/vnd.openxmlformats", "application/pdf", "text/calendar")


def is_file(response):
    disposition = response.get("Content-Disposition", "")
    return response.status_code == 200 and (
        "attachment" in disposition or response.get("Content-Type", "").startswith(SPREADSHEET_TYPES)
    )


def outcome(response):
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response["Location"]
        return LOGIN if "/login/" in location else GO
    return str(status)


def client_for(person):
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def test_every_url_pattern_is_classified():
    missing = sorted(
        f"{name or '(unnamed)'}  [{route}]"
        for route, name, _pattern in url_patterns()
        if not route.startswith(PREFIX_RULES) and name not in TABLE
    )
    assert not missing, (
        "URL patterns without an access expectation in tests/security/test_access_walk.py TABLE "
        "(classify each for anonymous, servant, trainer, municipal and regional managers):\n"
        + "\n".join(missing)
    )
    stale = sorted(set(TABLE) - {name for _route, name, _pattern in url_patterns()})
    assert not stale, f"TABLE names patterns that no longer exist: {stale}"


def test_every_websocket_route_is_classified():
    missing = sorted(set(websocket_routes()) - set(WEBSOCKET_TABLE))
    assert not missing, f"WebSocket routes without an expectation in WEBSOCKET_TABLE: {missing}"


@pytest.mark.django_db
def test_walk_every_url_as_every_role(world):
    clients = {role: client_for(person) for role, person in world["people"].items()}
    routes = {name: route for route, name, _pattern in url_patterns()}
    failures = []
    checked = 0
    for name, cases in TABLE.items():
        if name not in routes:
            continue
        for case, (method, spec, expected) in cases.items():
            path = path_for(name, spec, world["ids"], routes[name])
            for role in ROLES:
                kwargs = {}
                if method != "get":
                    kwargs = {"content_type": "application/json", "data": '{"answer": null, "seq": 1}'}
                audited = ExportAuditEntry.objects.count()
                response = getattr(clients[role], method)(path, **kwargs)
                got = outcome(response)
                if (
                    is_file(response)
                    and name not in FILES_WITHOUT_OTHERS_DATA
                    and ExportAuditEntry.objects.count() != audited + 1
                ):
                    failures.append(f"{name} [{case}] as {role}: a file with people, not in the audit log")
                checked += 1
                if got != expected[role]:
                    failures.append(
                        f"{name} [{case}] {method.upper()} {path} as {role}: {got}, expected {expected[role]}"
                    )
    assert not failures, "\n".join(failures)
    assert checked >= 5 * len(TABLE)


def admin_paths():
    """One concrete path per admin pattern (parameters filled with a dummy id or word)."""
    paths = []
    for route, name, _pattern in url_patterns():
        if not route.startswith(PREFIX_RULES):
            continue
        path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: "1" if m.group(1) in ("int", None) else "x", route)
        path = path.replace("^", "").replace("$", "").replace("\\", "")
        path = re.sub(r"\(\?P<\w+>[^)]*\)|\([^)]*\)", "1", path)
        path = re.sub(r"[\[\]\+\*\?]", "", path)
        paths.append((name, "/" + path))
    return paths


@pytest.mark.django_db
def test_admin_prefixes_refuse_anonymous_and_servants(world):
    """Anonymous → the admin login; a servant (no admin access) → redirected away or 403, never a page."""
    anonymous = client_for(None)
    servant = client_for(world["people"][SERVANT])
    failures = []
    seen = 0
    for name, path in admin_paths():
        if name in PUBLIC_ADMIN_PATTERNS or (name or "").startswith(
            ("wagtailadmin_password_reset", "admin:password_reset")
        ):
            continue
        seen += 1
        response = anonymous.get(path)
        if response.status_code not in (301, 302, 404) or (
            response.status_code == 302 and "login" not in response["Location"]
        ):
            failures.append(f"anonymous {name} {path}: {response.status_code}")
        response = servant.get(path)
        if response.status_code not in (301, 302, 403, 404):
            failures.append(f"servant {name} {path}: {response.status_code}")
    assert seen > 300
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "people_import",
        "quizzes_import:upload",
        "quizzes_import:template",
        "quizzes_grading:queue",
        "people_invitations",
        "people_mail",
        "reports_broadcasts",
        "reports_broadcast_new",
        "cms_plans:import",
        "cms_plans:template",
        "cms_plans:copy",
        "quizzes_import:export",
        "quizzes_campaign:add",
        "courses_assignment:add",
        "wagtailsnippets_people_audience:add",
    ],
)
def test_sensitive_admin_pages(world, url_name):
    """Pages in the admin that only some admin roles may use."""
    allowed = {
        # a municipal manager imports, and runs audiences, campaigns and assignments, for their own
        # municipality only (people.ownership; people/tests/test_municipal_ownership.py)
        "people_import": {MUNICIPAL, REGIONAL},
        "quizzes_campaign:add": {MUNICIPAL, REGIONAL},
        "courses_assignment:add": {MUNICIPAL, REGIONAL},
        "wagtailsnippets_people_audience:add": {MUNICIPAL, REGIONAL},
        "quizzes_import:upload": {TRAINER, REGIONAL},
        "quizzes_import:template": {TRAINER, REGIONAL},
        "quizzes_grading:queue": {TRAINER, REGIONAL},
        "people_invitations": {MUNICIPAL, REGIONAL},
        "people_mail": {MUNICIPAL, REGIONAL},
        "reports_broadcasts": {MUNICIPAL, REGIONAL},
        "reports_broadcast_new": {MUNICIPAL, REGIONAL},
        "cms_plans:import": {REGIONAL},
        "cms_plans:template": {REGIONAL},
        "cms_plans:copy": {REGIONAL},
        "quizzes_import:export": {TRAINER, REGIONAL},
    }[url_name]
    for role in (TRAINER, ORGANIZER, MUNICIPAL, REGIONAL):
        response = client_for(world["people"][role]).get(reverse(url_name))
        if role in allowed:
            assert response.status_code == 200, (url_name, role)
        else:
            assert response.status_code in (302, 403), (url_name, role, response.status_code)


async def _websocket_outcome(path, headers):
    from config.asgi import application

    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    if not connected:
        return "refused"
    try:
        message = await communicator.receive_output(timeout=2)
    except (Exception, asyncio.CancelledError):  # nothing sent: an open connection that waits
        return "accept"  # (the timeout has cancelled the application already)
    if message.get("type") == "websocket.close":
        return message.get("code")
    await communicator.disconnect()
    return "accept"


def websocket_headers(person):
    headers = [(b"origin", b"http://127.0.0.1:8000")]
    if person is not None:
        client = client_for(person)
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return headers


@pytest.fixture
def in_memory_channel_layer(settings):
    """Who may connect is the question, not the transport: with the Redis layer, a consumer that
    closed itself at once can leave a task that keeps async_to_sync's event loop from closing."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("in_memory_channel_layer")
def test_walk_every_websocket_route_as_every_role(world):
    failures = []
    for route, (spec, expected) in WEBSOCKET_TABLE.items():
        path = fill_route(route, resolve_spec(spec, world["ids"]))
        for role in ROLES:
            got = async_to_sync(_websocket_outcome)(path, websocket_headers(world["people"][role]))
            if got != expected[role]:
                failures.append(f"{route} as {role}: {got}, expected {expected[role]}")
    for route, (spec, who, expected) in WEBSOCKET_FOREIGN.items():
        path = fill_route(route, resolve_spec(spec, world["ids"]))
        got = async_to_sync(_websocket_outcome)(path, websocket_headers(world[who]))
        if got != expected:
            failures.append(f"{route} as {who}: {got}, expected {expected}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("in_memory_channel_layer")
def test_websocket_from_a_foreign_origin_is_refused(world):
    path = fill_route("ws/health/", {})
    headers = [(b"origin", b"https://evil.example.com"), *websocket_headers(world["people"][SERVANT])[1:]]
    assert async_to_sync(_websocket_outcome)(path, headers) != "accept"

"""The students' contest (events.contest, docs/contest.md): registration and confirmation, parents'
consent, the checks of uploaded works, deadlines, the separation of contestants from the servants' part,
the jury's scoring, the ranking, winners and their publication, file access, audit, retention, demo."""

import datetime
import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.factories import make_course
from events.contest import access, services
from events.contest.demo import build_demo_contest
from events.contest.privacy import CONTEST
from events.models import AgeGroup, Contest, Contestant, Criterion, Nomination, ScoreSheet, Work
from people.factories import make_person, make_regional_manager
from people.mail.models import OutgoingMail
from people.privacy import apply_retention
from people.roles import GROUP_NAMES, Role, ensure_roles, roles_of
from reports.models import ExportAuditEntry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
# EBML headers as real files start: the DocType element names the format (WebM or Matroska).
EBML = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08"
WEBM = EBML + b"\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02" + b"\x00" * 16
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\x00" * 16
MKV = EBML + b"\x42\x82\x88matroska\x42\x87\x81\x04\x42\x85\x81\x02" + b"\x00" * 16
PASSWORD = "Konkurs-2026-parol"


def docx_bytes(with_document=True):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if with_document:
            archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.CONTEST_FILES_ROOT = str(tmp_path / "contest")
    settings.SITE_URL = "https://antikor.example.org"
    return tmp_path


@pytest.fixture(autouse=True)
def clear_cache():
    from django.core.cache import cache

    cache.clear()


def make_contest(*, phase="submissions", **fields):
    """A contest in its submissions (default), judging or finished phase."""
    now = timezone.now()
    day = datetime.timedelta(days=1)
    starts = {
        "submissions": now - 5 * day,
        "judging": now - 20 * day,
        "over": now - 40 * day,
    }[phase]
    contest = Contest.objects.create(
        title="Вместе против коррупции",
        year=now.year,
        submissions_open_at=starts,
        submissions_close_at=starts + 10 * day,
        judging_start_at=starts + 11 * day,
        judging_end_at=starts + 30 * day,
        rules="Положение: работы принимаются в электронном виде.",
        partners="Прокуратура Калужской области\nАдминистрация Губернатора Калужской области",
        **fields,
    )
    Nomination.objects.create(contest=contest, title="Плакат", position=0)
    Nomination.objects.create(contest=contest, title="Эссе", position=1)
    AgeGroup.objects.create(contest=contest, title="14–17 лет", min_age=14, max_age=17)
    AgeGroup.objects.create(contest=contest, title="18–25 лет", min_age=18, max_age=25)
    Criterion.objects.create(contest=contest, title="Соответствие теме", max_points=10, position=0)
    Criterion.objects.create(contest=contest, title="Оригинальность", max_points=5, position=1)
    return contest


def years_ago(years, days=30):
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


def make_contestant(contest, *, confirmed=True, born=None, email=None, **fields):
    contestant = Contestant.objects.create(
        contest=contest,
        email=email or f"student{Contestant.objects.count() + 1}@example.org",
        password="!",
        last_name=fields.pop("last_name", "Смирнова"),
        first_name=fields.pop("first_name", "Алина"),
        birth_date=born or years_ago(20),
        email_confirmed_at=timezone.now() if confirmed else None,
        **fields,
    )
    contestant.password = make_password(PASSWORD)
    contestant.save()
    return contestant


def put_work(contestant, nomination=None, content=PDF, name="rabota.pdf", phase_now=None):
    """A work stored directly (whatever the dates), for the jury's and organizers' tests."""
    contest = contestant.contest
    nomination = nomination or contest.nominations.first()
    work = Work(
        contest=contest,
        contestant=contestant,
        nomination=nomination,
        age_group=services.age_group_for(contestant),
        code=services._new_code(contest),
        title=f"Работа № {Work.objects.count() + 1}",
        file_name=name,
        file_type="application/pdf",
    )
    work.file.save(name, SimpleUploadedFile(name, content), save=False)
    work.save()
    return work


def make_juror(contest=None, **fields):
    """A user with the jury role, on ``contest``'s jury list if given."""
    juror = make_person(role=Role.JURY, **fields)
    if contest is not None:
        contest.jurors.add(juror)
    return juror


def signed_in(contestant):
    client = Client()
    session = client.session
    session[access.SESSION_KEY] = {"id": contestant.pk, "hash": access._password_hash(contestant)}
    session.save()
    return client


def registration_data(**overrides):
    data = {
        "last_name": "Смирнова",
        "first_name": "Алина",
        "patronymic": "",
        "birth_date": years_ago(20).isoformat(),
        "institution": "КГУ им. К. Э. Циолковского",
        "email": "alina@example.org",
        "password": PASSWORD,
        "publish_name": "on",
        "personal_data": "on",
    }
    data.update(overrides)
    return data


def points_for(contest, *values):
    return {criterion.pk: value for criterion, value in zip(contest.criteria.all(), values, strict=True)}


# --- registration and confirmation ---------------------------------------------------------------


def test_registration_sends_a_confirmation_link_and_the_link_confirms_and_signs_in(client):
    contest = make_contest()
    response = client.post(reverse("contest:register", args=[contest.pk]), registration_data())
    assert response.status_code == 200
    assert "Мы отправили письмо" in response.content.decode()
    contestant = Contestant.objects.get()
    assert contestant.email_confirmed_at is None
    assert contestant.password != PASSWORD and contestant.password.startswith(("pbkdf2", "argon2", "md5"))
    letter = OutgoingMail.objects.get(recipient="alina@example.org")
    assert letter.kind == services.MAIL_CONFIRMATION
    link = re.search(r"https://antikor\.example\.org(/contest/confirm/[^/\s]+/)", letter.body).group(1)
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == reverse("contest:mine", args=[contest.pk])
    contestant.refresh_from_db()
    assert contestant.email_confirmed_at is not None
    assert client.get(reverse("contest:mine", args=[contest.pk])).status_code == 200
    # a link works once
    assert client.get(link).status_code == 400


def test_the_mail_kind_is_registered():
    from people.mail import registered_kinds

    assert services.MAIL_CONFIRMATION in {kind.code for kind in registered_kinds()}


def test_an_expired_or_bogus_link_is_a_russian_400(client, settings):
    contest = make_contest()
    response = client.get(reverse("contest:confirm", args=["nonsense"]))
    assert response.status_code == 400 and "неверна" in response.content.decode()
    client.post(reverse("contest:register", args=[contest.pk]), registration_data())
    link = re.search(r"(/contest/confirm/[^/\s]+/)", OutgoingMail.objects.get().body).group(1)
    long_ago = timezone.now() - datetime.timedelta(hours=73)
    Contestant.objects.update(created_at=long_ago, confirmation_sent_at=long_ago)  # counted from the letter
    settings.CONTEST_CONFIRMATION_HOURS = 72
    response = client.get(link)
    assert response.status_code == 400 and "истёк" in response.content.decode()


def test_an_unconfirmed_contestant_cannot_submit():
    contest = make_contest()
    contestant = make_contestant(contest, confirmed=False)
    upload = SimpleUploadedFile("rabota.pdf", PDF)
    with pytest.raises(services.ContestError, match="подтвердите адрес"):
        services.submit_work(
            contestant, nomination=contest.nominations.first(), title="Эссе", upload=upload, file_type="x"
        )
    response = signed_in(contestant).post(
        reverse("contest:mine", args=[contest.pk]),
        {"nomination": contest.nominations.first().pk, "title": "Эссе", "file": upload},
    )
    assert response.status_code == 400 and "подтвердите адрес" in response.content.decode()
    assert not Work.objects.exists()


def test_the_same_address_twice_is_refused_in_russian(client):
    contest = make_contest()
    client.post(reverse("contest:register", args=[contest.pk]), registration_data())
    response = client.post(reverse("contest:register", args=[contest.pk]), registration_data())
    assert response.status_code == 400 and "уже зарегистрирован" in response.content.decode()
    assert Contestant.objects.count() == 1


def test_bad_registration_input_is_a_russian_400(client):
    contest = make_contest()
    response = client.post(
        reverse("contest:register", args=[contest.pk]),
        registration_data(birth_date="вчера", email="нет", personal_data=""),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Введите дату рождения" in text and "Без согласия на обработку" in text
    response = client.post(
        reverse("contest:register", args=[contest.pk]),
        registration_data(birth_date=(timezone.localdate() + datetime.timedelta(days=3)).isoformat()),
    )
    assert response.status_code == 400 and "в будущем" in response.content.decode()
    assert not Contestant.objects.exists()


def test_registration_closes_with_the_submissions(client):
    contest = make_contest(phase="judging")
    response = client.post(reverse("contest:register", args=[contest.pk]), registration_data())
    assert response.status_code == 302 and not Contestant.objects.exists()


# --- a minor needs a parent's consent ----------------------------------------------------------


def test_a_minor_needs_the_consent_checkbox_the_parent_and_the_signed_form(client):
    contest = make_contest()
    url = reverse("contest:register", args=[contest.pk])
    minor = years_ago(16)
    response = client.post(url, registration_data(birth_date=minor.isoformat()))
    assert response.status_code == 400 and "согласие родителя" in response.content.decode()
    response = client.post(
        url,
        registration_data(birth_date=minor.isoformat(), parent_consent="on", parent_name="Мама"),
    )
    assert response.status_code == 400, "the box without the signed form is not enough"
    assert not Contestant.objects.exists()
    response = client.post(
        url,
        {
            **registration_data(
                birth_date=minor.isoformat(), parent_consent="on", parent_name="Смирнова И. П."
            ),
            "consent_file": SimpleUploadedFile("soglasie.pdf", PDF),
        },
    )
    assert response.status_code == 200
    contestant = Contestant.objects.get()
    assert contestant.parent_consent and contestant.consent_file
    assert contestant.consent_file.read() == PDF
    assert "soglasie" not in contestant.consent_file.name  # stored under a random name


def test_a_second_registration_of_a_minor_leaves_no_consent_form_behind(client, private_files):
    contest = make_contest()
    url = reverse("contest:register", args=[contest.pk])
    data = registration_data(birth_date=years_ago(16).isoformat(), parent_consent="on", parent_name="Мама")
    for expected in (200, 400):  # the second time the address is taken: refused, and its form not kept
        response = client.post(url, {**data, "consent_file": SimpleUploadedFile("soglasie.pdf", PDF)})
        assert response.status_code == expected
    stored = [path for path in (private_files / "contest").rglob("*") if path.is_file()]
    assert [path.name for path in stored] == [Path(Contestant.objects.get().consent_file.name).name]


def test_a_work_sent_twice_at_once_is_a_russian_refusal_and_leaves_one_file(private_files, monkeypatch):
    contest = make_contest()
    contestant = make_contestant(contest)
    nomination = contest.nominations.first()

    def send():
        services.submit_work(
            contestant,
            nomination=nomination,
            title="Моя работа",
            upload=SimpleUploadedFile("rabota.pdf", PDF),
            file_type="application/pdf",
        )

    send()
    # The other request's work is not seen yet (both looked before either saved): the row's constraint
    # refuses the second one.
    monkeypatch.setattr(services, "_existing_work", lambda contestant, nomination: None)
    with pytest.raises(services.ContestError, match="уже принята"):
        send()
    assert Work.objects.count() == 1
    stored = [path for path in (private_files / "contest").rglob("*") if path.is_file()]
    assert [path.name for path in stored] == [Path(Work.objects.get().file.name).name]


def test_five_wrong_passwords_lock_the_address_in_that_contest_only(client):
    contest, other = make_contest(), make_contest()
    make_contestant(contest, email="student@example.org")
    make_contestant(other, email="student@example.org")
    url = reverse("contest:sign_in", args=[contest.pk])
    for _attempt in range(services.SIGN_IN_ATTEMPTS):
        response = client.post(url, {"email": "Student@example.org ", "password": "неверный"})
        assert response.status_code == 400 and "Неверный адрес" in response.content.decode()
    response = client.post(url, {"email": "student@example.org", "password": PASSWORD})
    assert response.status_code == 400 and "Слишком много неудачных попыток" in response.content.decode()
    assert services.authenticate(other, "student@example.org", PASSWORD) is not None
    with pytest.raises(services.ContestError):
        services.authenticate(contest, "student@example.org", PASSWORD)


def test_the_service_refuses_a_registration_after_the_submissions_too():
    contest = make_contest(phase="over")
    with pytest.raises(services.ContestError, match="Регистрация закрыта"):
        services.register(
            contest,
            email="late@example.org",
            password=PASSWORD,
            last_name="Поздняков",
            first_name="Илья",
            birth_date=years_ago(19),
        )
    assert not Contestant.objects.exists()


def test_an_adult_needs_no_parent():
    contest = make_contest()
    contestant = services.register(
        contest,
        email="adult@example.org",
        password=PASSWORD,
        last_name="Кузнецов",
        first_name="Илья",
        birth_date=years_ago(19),
    )
    assert not contestant.parent_consent


def test_a_minor_without_consent_cannot_submit():
    contest = make_contest()
    contestant = make_contestant(contest, born=years_ago(16))
    with pytest.raises(services.ContestError, match="согласия родителя"):
        services.submit_work(
            contestant,
            nomination=contest.nominations.first(),
            title="Плакат",
            upload=SimpleUploadedFile("p.pdf", PDF),
            file_type="application/pdf",
        )


def test_a_fake_consent_form_is_refused(client):
    contest = make_contest()
    response = client.post(
        reverse("contest:register", args=[contest.pk]),
        {
            **registration_data(
                birth_date=years_ago(16).isoformat(), parent_consent="on", parent_name="Мама"
            ),
            "consent_file": SimpleUploadedFile("soglasie.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert response.status_code == 400 and "не соответствует формату" in response.content.decode()


# --- works ---------------------------------------------------------------------------------------


def submit(client, contest, name, content, nomination=None, title="Моя работа"):
    return client.post(
        reverse("contest:mine", args=[contest.pk]),
        {
            "nomination": (nomination or contest.nominations.first()).pk,
            "title": title,
            "file": SimpleUploadedFile(name, content),
        },
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rabota.pdf", PDF),
        ("plakat.png", PNG),
        ("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 16),
        ("esse.docx", docx_bytes()),
        ("rolik.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 16),
        ("rolik.webm", WEBM),
    ],
)
def test_each_allowed_type_is_accepted(name, content):
    contest = make_contest()
    contestant = make_contestant(contest)
    response = submit(signed_in(contestant), contest, name, content)
    assert response.status_code == 302, response.content.decode()[:500]
    work = Work.objects.get()
    assert work.file.read() == content and work.file_name == name and work.code.startswith(str(contest.year))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "не принимаются"),
        ("page.html", b"<script>alert(1)</script>", "не принимаются"),
        ("virus.pdf", b"MZ\x90\x00 renamed", "не соответствует формату"),
        ("plakat.png", PDF, "не соответствует формату"),
        ("esse.docx", docx_bytes(with_document=False), "не соответствует формату"),
        ("esse.docx", b"PK\x03\x04 broken zip", "не соответствует формату"),
        ("empty.pdf", b"", "пуст"),
        # Containers of another format renamed (the content is recognised by the filetype library):
        ("rolik.webm", MKV, "не соответствует формату"),  # Matroska is EBML too, but not WebM
        ("rolik.mp4", MOV, "не соответствует формату"),  # QuickTime is ISO BMFF too, but not MP4
        ("foto.jpg", PNG, "не соответствует формату"),
    ],
)
def test_a_wrong_file_is_refused_with_a_russian_400(name, content, message):
    contest = make_contest()
    contestant = make_contestant(contest)
    response = submit(signed_in(contestant), contest, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Work.objects.exists()


def test_size_limits_come_from_settings(settings):
    contest = make_contest()
    contestant = make_contestant(contest)
    client = signed_in(contestant)
    settings.CONTEST_MAX_WORK_SIZE = 10
    settings.CONTEST_MAX_VIDEO_SIZE = 1000
    response = submit(client, contest, "rabota.pdf", PDF)
    assert response.status_code == 400 and "слишком большой" in response.content.decode()
    video = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100
    assert submit(client, contest, "rolik.mp4", video).status_code == 302  # a video has its own limit
    settings.CONTEST_MAX_VIDEO_SIZE = 50
    response = submit(client, contest, "rolik.mp4", video, nomination=contest.nominations.last())
    assert response.status_code == 400 and "слишком большой" in response.content.decode()


def test_a_work_is_replaced_before_the_deadline_keeping_its_code(django_capture_on_commit_callbacks):
    contest = make_contest()
    contestant = make_contestant(contest)
    client = signed_in(contestant)
    assert submit(client, contest, "first.pdf", PDF).status_code == 302
    first = Work.objects.get()
    old_path = first.file.path
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, contest, "second.pdf", PDF + b"v2", title="Вторая версия")
    assert response.status_code == 302
    work = Work.objects.get()
    assert work.code == first.code and work.title == "Вторая версия" and work.file_name == "second.pdf"
    assert work.file.read() == PDF + b"v2"
    assert not os.path.exists(old_path), "the replaced file is deleted"
    # another nomination is another work
    assert submit(client, contest, "third.pdf", PDF, nomination=contest.nominations.last()).status_code == 302
    assert Work.objects.count() == 2


def test_no_work_after_the_deadline():
    contest = make_contest(phase="judging")
    contestant = make_contestant(contest)
    response = submit(signed_in(contestant), contest, "rabota.pdf", PDF)
    assert response.status_code == 400 and "Приём работ закрыт" in response.content.decode()
    assert not Work.objects.exists()


def test_the_age_group_follows_the_birth_date_and_a_misfit_is_refused():
    contest = make_contest()
    assert services.age_group_for(make_contestant(contest, born=years_ago(20))).title == "18–25 лет"
    consent = SimpleUploadedFile("s.pdf", PDF)
    minor = make_contestant(contest, born=years_ago(15), parent_consent=True, consent_file=consent)
    assert services.age_group_for(minor).title == "14–17 лет"
    old = make_contestant(contest, born=years_ago(40))
    with pytest.raises(services.ContestError, match="возрастной группе"):
        services.submit_work(
            old,
            nomination=contest.nominations.first(),
            title="Эссе",
            upload=SimpleUploadedFile("p.pdf", PDF),
            file_type="application/pdf",
        )


def test_a_nomination_of_another_contest_is_refused(client):
    contest = make_contest()
    other = make_contest()
    contestant = make_contestant(contest)
    response = submit(signed_in(contestant), contest, "rabota.pdf", PDF, nomination=other.nominations.first())
    assert response.status_code == 400 and "из списка" in response.content.decode()


# --- contestants are kept out of the servants' part ----------------------------------------------


def test_a_contestant_reaches_nothing_of_the_servants_part():
    contest = make_contest()
    contestant = make_contestant(contest)
    client = signed_in(contestant)
    assert client.get(reverse("contest:mine", args=[contest.pk])).status_code == 200
    course = make_course(lessons=1)
    for url in (
        reverse("cabinet"),
        reverse("quizzes:my_campaigns"),
        reverse("courses:enrol", args=[course.pk]),
        reverse("consultations:mine"),
        "/admin/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url
    assert client.get("/api/v1/tests/campaigns").status_code in (401, 403)
    # nor the jury's or organizers' pages
    for name in ("contest:jury", "contest:manage"):
        response = client.get(reverse(name, args=[contest.pk]))
        assert response.status_code == 302 and "login" in response["Location"]


def test_a_contestant_session_is_separate_from_sign_in_of_users(client):
    contest = make_contest()
    contestant = make_contestant(contest)
    response = client.post(
        reverse("contest:sign_in", args=[contest.pk]), {"email": contestant.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("cabinet")).status_code == 302
    assert client.get(reverse("contest:mine", args=[contest.pk])).status_code == 200
    client.post(reverse("contest:sign_out"))
    assert client.get(reverse("contest:mine", args=[contest.pk])).status_code == 302


def test_a_contestant_of_one_contest_is_not_signed_in_to_another():
    contest, other = make_contest(), make_contest()
    client = signed_in(make_contestant(contest))
    response = client.get(reverse("contest:mine", args=[other.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("contest:sign_in", args=[other.pk])


def test_a_changed_password_ends_the_session():
    contest = make_contest()
    contestant = make_contestant(contest)
    client = signed_in(contestant)
    contestant.password = "!changed"
    contestant.save()
    assert client.get(reverse("contest:mine", args=[contest.pk])).status_code == 302


def test_wrong_password_is_a_russian_400_and_repeated_failures_lock(client):
    contest = make_contest()
    contestant = make_contestant(contest)
    url = reverse("contest:sign_in", args=[contest.pk])
    for _attempt in range(5):
        response = client.post(url, {"email": contestant.email, "password": "wrong"})
        assert response.status_code == 400 and "Неверный адрес" in response.content.decode()
    response = client.post(url, {"email": contestant.email, "password": PASSWORD})
    assert response.status_code == 400 and "Слишком много" in response.content.decode()


# --- jury ----------------------------------------------------------------------------------------


def test_the_jury_role_has_its_group():
    ensure_roles()
    juror = make_juror()
    assert juror.groups.filter(name=GROUP_NAMES[Role.JURY]).exists()
    assert roles_of(juror) == {Role.JURY}


def test_a_juror_sees_codes_not_personal_data():
    contest = make_contest(phase="judging")
    work = put_work(make_contestant(contest, last_name="Секретова", email="secret@example.org"))
    client = Client()
    client.force_login(make_juror(contest))
    text = client.get(reverse("contest:jury", args=[contest.pk])).content.decode()
    assert work.code in text and "Секретова" not in text and "secret@example.org" not in text
    text = client.get(reverse("contest:score", args=[work.pk])).content.decode()
    assert "Секретова" not in text and "rabota.pdf" not in text
    response = client.get(reverse("contest:work_file", args=[work.pk]))
    assert response.status_code == 200
    assert work.code in response["Content-Disposition"] and "rabota" not in response["Content-Disposition"]


def test_only_jurors_score():
    contest = make_contest(phase="judging")
    work = put_work(make_contestant(contest))
    client = Client()
    client.force_login(make_person())
    assert client.get(reverse("contest:jury", args=[contest.pk])).status_code == 403
    assert client.post(reverse("contest:score", args=[work.pk]), {}).status_code == 403
    assert Client().get(reverse("contest:jury", args=[contest.pk])).status_code == 302


def test_a_juror_scores_in_the_judging_period_one_sheet_per_work():
    contest = make_contest(phase="judging")
    work = put_work(make_contestant(contest))
    juror = make_juror(contest)
    client = Client()
    client.force_login(juror)
    criteria = list(contest.criteria.all())
    url = reverse("contest:score", args=[work.pk])
    response = client.post(url, {f"criterion_{criteria[0].pk}": 8, f"criterion_{criteria[1].pk}": 4})
    assert response.status_code == 302
    response = client.post(url, {f"criterion_{criteria[0].pk}": 9, f"criterion_{criteria[1].pk}": 5})
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get()
    assert sheet.total == 14 and sheet.scores.count() == 2
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ScoreSheet.objects.create(work=work, juror=juror)


def test_points_above_the_criterion_maximum_are_refused():
    contest = make_contest(phase="judging")
    work = put_work(make_contestant(contest))
    juror = make_juror(contest)
    with pytest.raises(services.ContestError, match="от 0 до 5"):
        services.score(juror, work, points_for(contest, 10, 6))
    with pytest.raises(services.ContestError, match="от 0 до 10"):
        services.score(juror, work, points_for(contest, -1, 1))
    with pytest.raises(services.ContestError, match="Поставьте баллы"):
        services.score(juror, work, {contest.criteria.first().pk: 3})
    client = Client()
    client.force_login(juror)
    criteria = list(contest.criteria.all())
    response = client.post(
        reverse("contest:score", args=[work.pk]),
        {f"criterion_{criteria[0].pk}": 11, f"criterion_{criteria[1].pk}": "много"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Не больше 10 баллов" in text and "Введите целое число" in text
    assert not ScoreSheet.objects.exists()


@pytest.mark.parametrize("phase", ["submissions", "over"])
def test_no_scoring_outside_the_judging_period(phase):
    contest = make_contest(phase=phase)
    work = put_work(make_contestant(contest))
    juror = make_juror(contest)
    with pytest.raises(services.ContestError, match="период работы жюри"):
        services.score(juror, work, points_for(contest, 5, 5))
    client = Client()
    client.force_login(juror)
    criteria = list(contest.criteria.all())
    response = client.post(
        reverse("contest:score", args=[work.pk]), {f"criterion_{c.pk}": 1 for c in criteria}
    )
    assert response.status_code == 400 and "период работы жюри" in response.content.decode()
    assert not ScoreSheet.objects.exists()


def test_a_juror_does_not_see_other_jurors_scores():
    contest = make_contest(phase="judging")
    work = put_work(make_contestant(contest))
    first, second = make_juror(contest), make_juror(contest)
    services.score(first, work, points_for(contest, 7, 3))  # total 10
    client = Client()
    client.force_login(second)
    text = client.get(reverse("contest:jury", args=[contest.pk])).content.decode()
    assert "не оценена" in text and ">10<" not in text
    text = client.get(reverse("contest:score", args=[work.pk])).content.decode()
    assert 'value="7"' not in text


# --- ranking, winners, the public page ------------------------------------------------------------


def test_the_ranking_averages_jurors_totals_per_nomination_and_age_group_and_states_ties():
    contest = make_contest(phase="judging")
    poster, essay = contest.nominations.all()
    a = put_work(make_contestant(contest, last_name="Альфа"), poster)
    b = put_work(make_contestant(contest, last_name="Бета"), poster)
    c = put_work(make_contestant(contest, last_name="Гамма"), poster)
    d = put_work(make_contestant(contest, last_name="Дельта"), essay)
    young = make_contestant(contest, born=years_ago(15), parent_consent=True)
    e = put_work(young, poster)
    j1, j2 = make_juror(contest), make_juror(contest)
    services.score(j1, a, points_for(contest, 10, 5))  # 15
    services.score(j2, a, points_for(contest, 6, 3))  # 9 → average 12
    services.score(j1, b, points_for(contest, 9, 3))  # 12 → average 12: a tie with a
    services.score(j1, c, points_for(contest, 2, 1))  # 3
    services.score(j1, d, points_for(contest, 1, 1))
    groups = services.ranking(contest)
    titles = [(g["nomination"].title, g["age_group"].title) for g in groups]
    assert titles == [("Плакат", "14–17 лет"), ("Плакат", "18–25 лет"), ("Эссе", "18–25 лет")]
    adults = groups[1]["rows"]
    assert [row["work"] for row in adults] == [*sorted([a, b], key=lambda w: w.code), c]
    assert [row["average"] for row in adults] == [12, 12, 3]
    assert [row["rank"] for row in adults] == [1, 1, 3]
    assert [row["tie"] for row in adults] == [True, True, False]
    assert groups[0]["rows"][0]["work"] == e and groups[0]["rows"][0]["average"] is None
    client = Client()
    client.force_login(make_regional_manager())
    text = client.get(reverse("contest:manage", args=[contest.pk])).content.decode()
    assert "равный балл" in text and "Альфа" in text


def test_only_organizers_see_submissions_and_ranking():
    contest = make_contest(phase="judging")
    url = reverse("contest:manage", args=[contest.pk])
    for person, status in (
        (make_person(), 403),
        (make_juror(), 403),
        (make_person(role=Role.ORGANIZER), 200),
    ):
        client = Client()
        client.force_login(person)
        assert client.get(url).status_code == status


def test_the_organizer_sets_places_and_publishes_after_judging_and_the_page_shows_consented_names():
    contest = make_contest(phase="judging")
    named = put_work(make_contestant(contest, last_name="Победова", first_name="Вера", publish_name=True))
    hidden = put_work(make_contestant(contest, last_name="Скрытов", first_name="Иван", publish_name=False))
    organizer = make_person(role=Role.ORGANIZER)
    client = Client()
    client.force_login(organizer)
    assert client.post(reverse("contest:set_place", args=[named.pk]), {"place": "1"}).status_code == 302
    assert client.post(reverse("contest:set_place", args=[hidden.pk]), {"place": "2"}).status_code == 302
    assert client.post(reverse("contest:set_place", args=[named.pk]), {"place": "7"}).status_code == 400
    response = client.post(reverse("contest:publish", args=[contest.pk]), follow=True)
    assert "после окончания работы жюри" in response.content.decode()
    contest.refresh_from_db()
    assert not contest.published
    public = Client().get(contest.get_absolute_url()).content.decode()
    assert "Победова" not in public and "Победители" not in public
    Contest.objects.filter(pk=contest.pk).update(judging_end_at=timezone.now() - datetime.timedelta(hours=1))
    response = client.post(reverse("contest:publish", args=[contest.pk]))
    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.published
    public = Client().get(contest.get_absolute_url()).content.decode()
    assert "Вера Победова" in public and "Скрытов" not in public and "имя не публикуется" in public
    assert "Прокуратура Калужской области" in public and "работы принимаются в электронном виде" in public
    # places are frozen once published
    client.post(reverse("contest:set_place", args=[named.pk]), {"place": ""})
    named.refresh_from_db()
    assert named.place == 1


def test_results_are_published_once_and_a_stale_work_cannot_change_its_place_after():
    contest = make_contest(phase="over")
    work = put_work(make_contestant(contest))
    organizer = make_regional_manager()
    stale = Work.objects.select_related("contest").get(pk=work.pk)  # loaded before the publication
    services.set_place(organizer, work, 1)
    services.publish(organizer, contest)
    first = Contest.objects.get(pk=contest.pk).winners_published_at
    with pytest.raises(services.ContestError, match="уже опубликованы"):
        later = first + datetime.timedelta(days=1)
        services.publish(organizer, Contest.objects.get(pk=contest.pk), now=later)
    with pytest.raises(services.ContestError, match="места менять нельзя"):
        services.set_place(organizer, stale, 2)
    assert Work.objects.get(pk=work.pk).place == 1
    assert Contest.objects.get(pk=contest.pk).winners_published_at == first


def test_publishing_needs_winners():
    contest = make_contest(phase="over")
    with pytest.raises(services.ContestError, match="отметьте победителей"):
        services.publish(make_regional_manager(), contest)


def test_a_minor_winner_is_named_only_with_the_parent_consent():
    contest = make_contest(phase="over")
    minor = make_contestant(contest, born=years_ago(16), publish_name=True, parent_consent=False)
    assert services.public_name(minor) == ""
    minor.parent_consent = True
    assert services.public_name(minor) == "Алина Смирнова"


def test_others_cannot_set_places_or_publish():
    contest = make_contest(phase="over")
    work = put_work(make_contestant(contest))
    for person in (make_person(), make_juror()):
        client = Client()
        client.force_login(person)
        assert client.post(reverse("contest:set_place", args=[work.pk]), {"place": "1"}).status_code == 403
        assert client.post(reverse("contest:publish", args=[contest.pk])).status_code == 403
    work.refresh_from_db()
    assert work.place is None


# --- organizers manage the entries ---------------------------------------------------------------


def organizer_client(**fields):
    client = Client()
    client.force_login(make_person(role=Role.ORGANIZER, **fields))
    return client


def with_consent(contestant):
    contestant.consent_file.save("s.pdf", SimpleUploadedFile("s.pdf", PDF), save=True)
    return contestant


def entry_action(client, contestant, action):
    return client.post(
        reverse("contest:manage", args=[contestant.contest_id]),
        {"action": action, "contestant": contestant.pk},
        follow=True,
    )


def test_the_organizer_sees_contestants_their_confirmation_and_minors_consent():
    contest = make_contest()
    make_contestant(contest, last_name="Подтверждённая", email="ok@example.org")
    make_contestant(contest, last_name="Неподтверждённый", confirmed=False, email="wait@example.org")
    with_consent(make_contestant(contest, last_name="Младшая", born=years_ago(16), parent_consent=True))
    make_contestant(contest, last_name="Безсогласия", born=years_ago(16))
    response = organizer_client().get(reverse("contest:manage", args=[contest.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Зарегистрировано участников: 4, из них подтвердили адрес: 3." in text
    assert "ok@example.org" in text and "wait@example.org" in text
    assert "есть, файл" in text and "нет (участник младше 18 лет)" in text and "не требуется" in text
    assert text.count('value="delete"') == 1 and text.count('value="resend"') == 1


def test_the_organizer_deletes_an_unconfirmed_entry_with_its_files_and_it_is_logged():
    from wagtail.models import ModelLogEntry

    contest = make_contest()
    entry = with_consent(
        make_contestant(
            contest, confirmed=False, born=years_ago(16), parent_consent=True, last_name="Ушедший"
        )
    )
    path = entry.consent_file.path
    response = entry_action(organizer_client(), entry, "delete")
    assert response.status_code == 200
    assert "Запись участника «Ушедший Алина» удалена." in response.content.decode()
    assert not Contestant.objects.filter(pk=entry.pk).exists()
    assert not os.path.exists(path) and not os.path.exists(path + ".deleting")
    log = ModelLogEntry.objects.get(action="events.contest.delete_contestant")
    assert log.data["contestant"] == entry.pk and "Ушедший" not in str(log.data)
    assert "Удалена неподтверждённая запись участника" in response.content.decode()  # the page's log


def test_a_confirmed_entry_is_not_deleted():
    contest = make_contest()
    confirmed = with_consent(make_contestant(contest, born=years_ago(16), parent_consent=True))
    response = entry_action(organizer_client(), confirmed, "delete")
    assert response.status_code == 200 and "только неподтверждённую" in response.content.decode()
    confirmed.refresh_from_db()
    assert os.path.exists(confirmed.consent_file.path)


def test_deleting_an_entry_is_all_or_nothing(monkeypatch):
    contest = make_contest()
    entry = with_consent(make_contestant(contest, confirmed=False, born=years_ago(16), parent_consent=True))
    path = entry.consent_file.path

    def refuse(*args):
        raise PermissionError("read-only")

    # the file cannot be removed: the entry stays, with its file, and the organizer reads why
    monkeypatch.setattr(services.os, "replace", refuse)
    response = entry_action(organizer_client(), entry, "delete")
    assert response.status_code == 200 and "Не удалось удалить файлы участника" in response.content.decode()
    assert Contestant.objects.filter(pk=entry.pk).exists() and os.path.exists(path)
    monkeypatch.undo()

    # the database refuses after the file was set aside: the file is put back
    from django.db import DatabaseError

    real = services._set_aside

    def then_fail(storage, names, moved):
        real(storage, names, moved)
        assert not os.path.exists(path)
        raise DatabaseError("commit failed")

    monkeypatch.setattr(services, "_set_aside", then_fail)
    with pytest.raises(DatabaseError):
        services.delete_unconfirmed(make_regional_manager(), entry)
    assert Contestant.objects.filter(pk=entry.pk).exists()
    with open(path, "rb") as stored:
        assert stored.read() == PDF


def test_the_organizer_resends_the_confirmation_letter_with_a_fresh_link_rate_limited(client, settings):
    from wagtail.models import ModelLogEntry

    settings.CONTEST_CONFIRMATION_HOURS = 72
    contest = make_contest()
    client.post(reverse("contest:register", args=[contest.pk]), registration_data())
    entry = Contestant.objects.get()
    old_link = re.search(r"(/contest/confirm/[^/\s]+/)", OutgoingMail.objects.get().body).group(1)
    long_ago = timezone.now() - datetime.timedelta(hours=80)
    Contestant.objects.update(created_at=long_ago, confirmation_sent_at=long_ago)  # the link expired
    organizer = organizer_client()
    response = entry_action(organizer, entry, "resend")
    assert "отправлено новое письмо для подтверждения адреса" in response.content.decode()
    assert OutgoingMail.objects.filter(recipient="alina@example.org").count() == 2
    letter = OutgoingMail.objects.order_by("-pk").first()
    assert letter.kind == services.MAIL_CONFIRMATION
    link = re.search(r"(/contest/confirm/[^/\s]+/)", letter.body).group(1)
    assert link != old_link
    assert ModelLogEntry.objects.filter(action="events.contest.resend_confirmation").count() == 1
    # at once again: refused, no letter
    response = entry_action(organizer, entry, "resend")
    assert "Повторить можно не раньше" in response.content.decode()
    assert OutgoingMail.objects.count() == 2
    # the old link no longer works, the new one does (counted from the new letter)
    assert Client().get(old_link).status_code == 400
    assert Client().get(link).status_code == 302
    entry.refresh_from_db()
    assert entry.email_confirmed_at is not None
    response = entry_action(organizer, entry, "resend")
    assert "уже подтвердил адрес" in response.content.decode()
    assert OutgoingMail.objects.count() == 2


def test_the_resend_limit_passes_with_time():
    contest = make_contest()
    entry = make_contestant(contest, confirmed=False)
    manager = make_regional_manager()
    services.resend_confirmation(manager, entry)
    with pytest.raises(services.ContestError, match="не раньше"):
        services.resend_confirmation(manager, entry)
    later = timezone.now() + services.RESEND_INTERVAL + datetime.timedelta(seconds=1)
    services.resend_confirmation(manager, entry, now=later)
    assert OutgoingMail.objects.count() == 2


def test_only_organizers_manage_entries_by_post_with_csrf():
    contest = make_contest()
    entry = make_contestant(contest, confirmed=False)
    url = reverse("contest:manage", args=[contest.pk])
    data = {"action": "delete", "contestant": entry.pk}
    response = Client().post(url, data)
    assert response.status_code == 302 and "login" in response["Location"]
    response = signed_in(make_contestant(contest)).post(url, data)
    assert response.status_code == 302 and "login" in response["Location"]
    for person in (make_person(), make_juror(contest), make_person(role=Role.TRAINER)):
        client = Client()
        client.force_login(person)
        assert client.post(url, data).status_code == 403
        assert client.post(url, {**data, "action": "resend"}).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_regional_manager())
    assert strict.post(url, data).status_code == 403  # no CSRF token
    assert Contestant.objects.filter(pk=entry.pk).exists() and not OutgoingMail.objects.exists()
    organizer = organizer_client()
    other = make_contestant(make_contest(), confirmed=False)
    assert organizer.post(url, {"action": "delete", "contestant": other.pk}).status_code == 404
    assert organizer.post(url, {"action": "delete", "contestant": 999999}).status_code == 404
    for bad in ({"action": "delete", "contestant": "x"}, {"action": "drop", "contestant": entry.pk}, {}):
        response = organizer.post(url, bad)
        assert response.status_code == 400 and "Неверный запрос" in response.content.decode()
    assert organizer.get(url.replace(str(contest.pk), "999999")).status_code == 404
    assert Contestant.objects.filter(pk__in=[entry.pk, other.pk]).count() == 2


# --- the contest's jury list ---------------------------------------------------------------------


def test_a_juror_sees_and_scores_only_the_contests_they_are_on():
    mine, other = make_contest(phase="judging"), make_contest(phase="judging")
    mine_work = put_work(make_contestant(mine))
    other_work = put_work(make_contestant(other))
    juror = make_juror(mine)
    client = Client()
    client.force_login(juror)
    assert client.get(reverse("contest:jury", args=[mine.pk])).status_code == 200
    assert client.get(reverse("contest:jury", args=[other.pk])).status_code == 403
    assert client.get(reverse("contest:score", args=[other_work.pk])).status_code == 403
    criteria = list(other.criteria.all())
    points = {f"criterion_{c.pk}": 1 for c in criteria}
    response = client.post(reverse("contest:score", args=[other_work.pk]), points)
    assert response.status_code == 403 and not ScoreSheet.objects.exists()
    with pytest.raises(services.ContestError, match="не входите в жюри"):
        services.score(juror, other_work, points_for(other, 1, 1))
    assert client.get(reverse("contest:work_file", args=[other_work.pk])).status_code == 404
    assert client.get(reverse("contest:work_file", args=[mine_work.pk])).status_code == 200
    assert "Оценка работ (жюри)" in client.get(mine.get_absolute_url()).content.decode()
    assert "Оценка работ (жюри)" not in client.get(other.get_absolute_url()).content.decode()
    services.score(juror, mine_work, points_for(mine, 1, 1))
    assert ScoreSheet.objects.count() == 1


def test_the_organizer_chooses_the_jury_list_and_it_is_logged():
    from wagtail.models import ModelLogEntry

    contest = make_contest(phase="judging")
    first = make_juror(last_name="Первая")
    second = make_juror(last_name="Второй")
    servant = make_person(last_name="Неприсяжный")
    url = reverse("contest:manage", args=[contest.pk])
    organizer = organizer_client()
    text = organizer.get(url).content.decode()
    assert "Первая" in text and "Второй" in text and "Неприсяжный" not in text
    assert "Члены жюри пока не выбраны." in text
    response = organizer.post(url, {"action": "jury", "jurors": [first.pk, second.pk]}, follow=True)
    assert "Состав жюри сохранён." in response.content.decode()
    assert set(contest.jurors.all()) == {first, second}
    entry = ModelLogEntry.objects.get(action="events.contest.jury")
    assert sorted(entry.data["added"]) == sorted([first.pk, second.pk]) and entry.data["removed"] == []
    organizer.post(url, {"action": "jury", "jurors": [first.pk]})
    assert list(contest.jurors.all()) == [first]
    assert ModelLogEntry.objects.filter(action="events.contest.jury").count() == 2
    for bad in ([servant.pk], ["x"], [999999]):
        response = organizer.post(url, {"action": "jury", "jurors": bad})
        assert response.status_code == 400 and "Выберите членов жюри из списка" in response.content.decode()
    assert list(contest.jurors.all()) == [first]
    for person in (make_person(), second, make_person(role=Role.TRAINER)):
        client = Client()
        client.force_login(person)
        assert client.post(url, {"action": "jury", "jurors": [second.pk]}).status_code == 403
    assert list(contest.jurors.all()) == [first]
    # nobody on the list: the juror who was left out has no access any more
    organizer.post(url, {"action": "jury"})
    assert not contest.jurors.exists()
    client = Client()
    client.force_login(first)
    assert client.get(reverse("contest:jury", args=[contest.pk])).status_code == 403


def test_the_jury_list_is_frozen_once_the_results_are_published():
    contest = make_contest(phase="over")
    juror = make_juror()
    Contest.objects.filter(pk=contest.pk).update(winners_published_at=timezone.now())
    contest.refresh_from_db()
    with pytest.raises(services.ContestError, match="состав жюри менять нельзя"):
        services.set_jurors(make_regional_manager(), contest, [juror])
    response = organizer_client().post(
        reverse("contest:manage", args=[contest.pk]), {"action": "jury", "jurors": [juror.pk]}
    )
    assert response.status_code == 400 and "состав жюри менять нельзя" in response.content.decode()
    assert not contest.jurors.exists()


def test_the_ranking_counts_only_the_sheets_of_the_current_jury():
    contest = make_contest(phase="judging")
    work = put_work(make_contestant(contest))
    stays, leaves = make_juror(contest), make_juror(contest)
    services.score(stays, work, points_for(contest, 10, 5))  # 15
    services.score(leaves, work, points_for(contest, 1, 1))  # 2
    assert services.ranking(contest)[0]["rows"][0]["average"] == 8.5
    services.set_jurors(make_regional_manager(), contest, [stays])
    row = services.ranking(contest)[0]["rows"][0]
    assert row["average"] == 15 and row["sheets"] == 1


# --- files and audit -----------------------------------------------------------------------------


def test_work_files_go_to_the_owner_the_jury_and_organizers_only():
    contest = make_contest(phase="judging")
    owner = make_contestant(contest)
    work = put_work(owner)
    url = reverse("contest:work_file", args=[work.pk])
    response = signed_in(owner).get(url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert signed_in(make_contestant(contest)).get(url).status_code == 404
    assert Client().get(url).status_code == 404
    for person, status in ((make_person(), 404), (make_juror(contest), 200), (make_regional_manager(), 200)):
        client = Client()
        client.force_login(person)
        assert client.get(url).status_code == status
    assert client.get(reverse("contest:work_file", args=[999999])).status_code == 404


def test_consent_forms_go_to_the_contestant_and_organizers_only_not_the_jury():
    contest = make_contest()
    minor = make_contestant(contest, born=years_ago(16), parent_consent=True)
    minor.consent_file.save("s.pdf", SimpleUploadedFile("s.pdf", PDF), save=True)
    url = reverse("contest:consent_file", args=[minor.pk])
    assert signed_in(minor).get(url).status_code == 200
    for person, status in (
        (make_juror(), 404),
        (make_person(), 404),
        (make_person(role=Role.ORGANIZER), 200),
    ):
        client = Client()
        client.force_login(person)
        assert client.get(url).status_code == status


def test_organizers_downloads_are_logged_and_the_export_is_audited():
    from wagtail.models import ModelLogEntry

    contest = make_contest(phase="judging")
    work = put_work(make_contestant(contest, last_name="Выгрузкина"))
    client = Client()
    client.force_login(make_regional_manager())
    client.get(reverse("contest:work_file", args=[work.pk]))
    assert ModelLogEntry.objects.filter(action="events.contest.download").count() == 1
    before = ExportAuditEntry.objects.count()
    response = client.get(reverse("contest:export", args=[contest.pk]))
    assert response.status_code == 200 and "Выгрузкина" in response.content.decode("utf-8-sig")
    assert ExportAuditEntry.objects.count() == before + 1
    servant = Client()
    servant.force_login(make_person())
    assert servant.get(reverse("contest:export", args=[contest.pk])).status_code == 403


# --- personal data -------------------------------------------------------------------------------


def test_retention_erases_contestants_after_the_period(settings, django_capture_on_commit_callbacks):
    settings.RETENTION_CONTEST_YEARS = 1
    old = make_contest(phase="over")
    Contest.objects.filter(pk=old.pk).update(judging_end_at=timezone.now() - datetime.timedelta(days=400))
    minor = make_contestant(
        old, born=years_ago(16), parent_consent=True, parent_name="Мама", publish_name=True
    )
    minor.consent_file.save("s.pdf", SimpleUploadedFile("s.pdf", PDF), save=True)
    work = put_work(minor)
    work.place = 1
    work.save()
    consent_path, work_path = minor.consent_file.path, work.file.path
    recent = make_contest(phase="over")
    kept = make_contestant(recent, last_name="Свежая")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=io.StringIO())
    minor.refresh_from_db()
    work.refresh_from_db()
    assert minor.data_erased_at and minor.last_name == "" and minor.birth_date is None
    assert minor.email.endswith("@invalid") and not minor.consent_file and not minor.parent_name
    assert not work.file and work.place == 1 and work.code
    assert not os.path.exists(consent_path) and not os.path.exists(work_path)
    kept.refresh_from_db()
    assert kept.last_name == "Свежая" and kept.data_erased_at is None
    assert services.public_name(minor) == ""


def test_the_retention_rule_is_registered():
    from people.privacy import rules

    assert CONTEST in rules()
    assert apply_retention  # the command's function


# --- bad input never a 500 -----------------------------------------------------------------------


def test_unknown_objects_are_404(client):
    for name in ("contest:detail", "contest:register", "contest:sign_in", "contest:mine"):
        assert client.get(reverse(name, args=[999999])).status_code == 404
    manager = Client()
    manager.force_login(make_regional_manager())
    assert manager.get(reverse("contest:manage", args=[999999])).status_code == 404
    assert manager.post(reverse("contest:set_place", args=[999999]), {"place": "1"}).status_code == 404


def test_the_public_pages_open_for_anybody(client):
    contest = make_contest()
    assert client.get(reverse("contest:index")).status_code == 200
    response = client.get(contest.get_absolute_url())
    assert response.status_code == 200 and "Зарегистрироваться" in response.content.decode()


# --- demo ----------------------------------------------------------------------------------------


def test_the_demo_builder_makes_a_contest_with_works_and_scores_once():
    make_regional_manager(username="region")
    out = io.StringIO()
    build_demo_contest(out, {})
    build_demo_contest(out, {})
    contest = Contest.objects.get()
    assert contest.works.count() == 4 and ScoreSheet.objects.filter(work__contest=contest).count() == 3
    juror = ScoreSheet.objects.filter(work__contest=contest).first().juror  # works are ordered by random code
    assert Role.JURY in roles_of(juror)
    assert list(contest.jurors.all()) == [juror], "the demo juror is on the contest's jury list"
    assert services.ranking(contest)


# --- the admin -----------------------------------------------------------------------------------


def test_regional_managers_edit_the_contest_in_the_russian_admin():
    ensure_roles()
    contest = make_contest()
    client = Client()
    client.force_login(make_regional_manager())
    response = client.get("/admin/snippets/events/contest/")
    assert response.status_code == 200 and "Вместе против коррупции" in response.content.decode()
    response = client.get("/admin/snippets/events/contest/add/")
    text = response.content.decode()
    assert response.status_code == 200 and "Номинации" in text and "Критерии оценки" in text
    assert client.get(f"/admin/snippets/events/contest/edit/{contest.pk}/").status_code == 200
    servant = Client()
    servant.force_login(make_person())
    assert servant.get("/admin/snippets/events/contest/").status_code in (302, 403)


def test_a_work_without_a_file_cannot_be_scored():
    """The jury list hides a work whose file is gone; its score page is a 404 and the service refuses."""
    contest = make_contest(phase="judging")
    work = put_work(make_contestant(contest))
    work.file.delete(save=False)
    Work.objects.filter(pk=work.pk).update(file="")
    work = Work.objects.get(pk=work.pk)
    juror = make_juror(contest)
    with pytest.raises(services.ContestError, match="нет файла"):
        services.score(juror, work, points_for(contest, 5, 5))
    client = Client()
    client.force_login(juror)
    url = reverse("contest:score", args=[work.pk])
    assert work.code not in client.get(reverse("contest:jury", args=[contest.pk])).content.decode()
    assert client.get(url).status_code == 404
    criteria = list(contest.criteria.all())
    assert client.post(url, {f"criterion_{c.pk}": 1 for c in criteria}).status_code == 404
    assert not ScoreSheet.objects.exists()

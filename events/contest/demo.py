"""A demo contest for ``manage.py demo_data``: «Вместе против коррупции» of the current year in its
judging period, with nominations, age groups, criteria, four confirmed contestants (one a minor with a
parent's consent), their works and the scores of the demo juror «jury» (made here, role «Член жюри», on the
contest's jury list).

Idempotent: the contest is found by its title and year; nothing that exists is changed.
"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import User
from people.roles import Role, assign_role

from ..models import AgeGroup, Contest, Contestant, Criterion, Nomination, Work
from . import services

TITLE = "Вместе против коррупции"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
CONTESTANTS = [
    ("Смирнова", "Алина", datetime.date(2004, 5, 12), "КГУ им. К. Э. Циолковского", True, "Плакат"),
    ("Кузнецов", "Илья", datetime.date(2003, 11, 2), "Калужский филиал РАНХиГС", False, "Эссе"),
    (
        "Попова",
        "Дарья",
        datetime.date(2001, 2, 20),
        "Калужский филиал Финансового университета",
        True,
        "Эссе",
    ),
    ("Волков", "Максим", None, "Калужский колледж экономики и технологий", True, "Плакат"),
]


def build_demo_contest(stdout, options):
    now = timezone.now()
    year = timezone.localdate(now).year
    if Contest.objects.filter(title=TITLE, year=year).exists():
        stdout.write(_("Конкурс студентов: уже есть — пропускаю."))
        return
    contest = Contest.objects.create(
        title=TITLE,
        year=year,
        submissions_open_at=now - datetime.timedelta(days=40),
        submissions_close_at=now - datetime.timedelta(days=5),
        judging_start_at=now - datetime.timedelta(days=4),
        judging_end_at=now + datetime.timedelta(days=10),
        rules=(
            "Конкурс проводится прокуратурой Калужской области, Администрацией Губернатора Калужской "
            "области и органами местного самоуправления среди студентов образовательных организаций "
            "области. Работы принимаются в электронном виде в номинациях «Плакат» и «Эссе»."
        ),
        partners="Прокуратура Калужской области\nАдминистрация Губернатора Калужской области\n"
        "Органы местного самоуправления Калужской области",
    )
    nominations = {
        title: Nomination.objects.create(contest=contest, title=title, position=n)
        for n, title in enumerate(["Плакат", "Эссе"])
    }
    AgeGroup.objects.create(contest=contest, title="14–17 лет", min_age=14, max_age=17)
    AgeGroup.objects.create(contest=contest, title="18–25 лет", min_age=18, max_age=25)
    criteria = [
        Criterion.objects.create(contest=contest, title="Соответствие теме", max_points=10, position=0),
        Criterion.objects.create(contest=contest, title="Оригинальность", max_points=10, position=1),
        Criterion.objects.create(contest=contest, title="Качество исполнения", max_points=5, position=2),
    ]
    juror = User.objects.filter(username="jury").first()
    if juror is None:
        model = User.objects.filter(username="region").first()  # the demo accounts' password
        juror = User(username="jury", email="jury@example.org", last_name="Жюриева", first_name="Елена")
        if model is not None:
            juror.password = model.password
        else:
            juror.set_unusable_password()
        juror.save()
    assign_role(juror, Role.JURY)
    contest.jurors.add(juror)  # the contest's jury list
    works = 0
    for n, (last, first, born, institution, publish, nomination) in enumerate(CONTESTANTS):
        minor = born is None
        born = born or timezone.localdate(now).replace(year=year - 16, month=1, day=15)
        contestant = Contestant.objects.create(
            contest=contest,
            email=f"student{n + 1}@example.org",
            password="!",
            last_name=last,
            first_name=first,
            birth_date=born,
            institution=institution,
            publish_name=publish,
            parent_consent=minor,
            parent_name="Волкова Ирина Сергеевна" if minor else "",
            email_confirmed_at=now - datetime.timedelta(days=30),
            created_at=now - datetime.timedelta(days=30),
        )
        if minor:
            contestant.consent_file.save("soglasie.pdf", ContentFile(PDF), save=True)
        age_group = services.age_group_for(contestant)
        work = Work(
            contest=contest,
            contestant=contestant,
            nomination=nominations[nomination],
            age_group=age_group,
            code=services._new_code(contest),
            title=f"{nomination}: честность начинается с меня ({first})",
            file_name="rabota.pdf" if nomination == "Эссе" else "plakat.png",
            file_type="application/pdf" if nomination == "Эссе" else "image/png",
            submitted_at=now - datetime.timedelta(days=10),
            updated_at=now - datetime.timedelta(days=10),
        )
        work.file.save(work.file_name, ContentFile(PDF if nomination == "Эссе" else PNG), save=False)
        work.save()
        works += 1
        if n < 3:
            points = {c.pk: min(c.max_points, 4 + (n + i) % 6) for i, c in enumerate(criteria)}
            services.score(juror, work, points, now=now)
    stdout.write(_("Конкурс студентов: добавлен конкурс, работ %(works)d, жюри — «jury».") % {"works": works})

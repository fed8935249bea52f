"""Demo course for ``manage.py demo_data``: the basics of anti-corruption law with four lessons and an
interactive SCORM lesson (a tiny package made by ``courses.scorm.sample``), a practice quiz, a final quiz
from the question bank, and the demo servant enrolled.

Idempotent: the catalogue and the course are found by slug, the category and quizzes by name, and
nothing that exists is changed. Lesson texts retell federal law (273-ФЗ, 25-ФЗ, 79-ФЗ, the Civil
Code); they carry no figures beyond those of the law itself.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.models import HomePage, PlanItem
from cms.moderation import grant_section
from cms.stream_values import block_id, callout, heading, paragraph, quote
from people.models import User
from quizzes.models import (
    Category,
    Choice,
    MatchingPair,
    MatchingQuestion,
    MultipleChoiceQuestion,
    NumericAnswer,
    NumericQuestion,
    Quiz,
    QuizQuestion,
    ShortAnswer,
    ShortTextQuestion,
    SingleChoiceQuestion,
    TrueFalseQuestion,
)

from . import services
from .models import CourseIndexPage, CoursePage, Enrollment, LessonPage
from .scorm.packages import create_package
from .scorm.sample import DEMO_TITLE, build_package

INDEX_SLUG = "courses"
COURSE_SLUG = "osnovy-protivodejstviya-korrupcii"
COURSE_TITLE = "Основы противодействия коррупции на государственной и муниципальной службе"
CATEGORY_NAME = "Основы противодействия коррупции"
FINAL_QUIZ_TITLE = "Итоговый тест курса «Основы противодействия коррупции»"
PRACTICE_QUIZ_TITLE = "Проверь себя: конфликт интересов"
PLAN_ITEMS = ["5.1", "5.7"]
DEMO_SERVANT = "servant"
SCORM_LESSON_SLUG = "podarki-interaktivnyj-urok"


def check_yourself(quiz, text=""):
    return {
        "type": "check_yourself",
        "value": {"title": "Проверь себя", "text": text, "quiz": quiz.pk},
        "id": block_id(),
    }


def lessons(practice_quiz):
    return [
        {
            "slug": "federalnyj-zakon-273-fz",
            "title": "Федеральный закон «О противодействии коррупции»: основные понятия",
            "intro": "Что закон понимает под коррупцией и противодействием коррупции, на каких принципах "
            "строится эта работа.",
            "body": [
                paragraph(
                    "<p>Основные принципы противодействия коррупции, правовые и организационные основы "
                    "предупреждения коррупции и борьбы с ней установлены Федеральным законом от 25 декабря "
                    "2008 г. № 273-ФЗ «О противодействии коррупции».</p>"
                ),
                heading("Что такое коррупция"),
                quote(
                    "Коррупция: а) злоупотребление служебным положением, дача взятки, получение взятки, "
                    "злоупотребление полномочиями, коммерческий подкуп либо иное незаконное использование "
                    "физическим лицом своего должностного положения вопреки законным интересам общества и "
                    "государства в целях получения выгоды в виде денег, ценностей, иного имущества или "
                    "услуг имущественного характера, иных имущественных прав для себя или для третьих лиц "
                    "либо незаконное предоставление такой выгоды указанному лицу другими физическими "
                    "лицами; б) совершение деяний, указанных в подпункте «а» настоящего пункта, от имени "
                    "или в интересах юридического лица.",
                    "273-ФЗ, ст. 1, п. 1",
                ),
                heading("Противодействие коррупции"),
                paragraph(
                    "<p>Противодействие коррупции — деятельность органов власти, институтов гражданского "
                    "общества, организаций и физических лиц в пределах их полномочий:</p>"
                    "<ul><li>по предупреждению коррупции, в том числе по выявлению и последующему "
                    "устранению причин коррупции (профилактика коррупции);</li>"
                    "<li>по выявлению, предупреждению, пресечению, раскрытию и расследованию "
                    "коррупционных правонарушений (борьба с коррупцией);</li>"
                    "<li>по минимизации и (или) ликвидации последствий коррупционных правонарушений.</li>"
                    "</ul>"
                ),
                heading("Обязанности служащего"),
                paragraph(
                    "<p>Государственные и муниципальные служащие соблюдают ограничения и запреты, "
                    "исполняют обязанности, установленные законодательством о противодействии коррупции "
                    "(для гражданских служащих — Федеральный закон № 79-ФЗ, для муниципальных — "
                    "Федеральный закон № 25-ФЗ). Среди них — обязанность уведомлять представителя "
                    "нанимателя (работодателя), органы прокуратуры или другие государственные органы обо "
                    "всех случаях обращения к служащему каких-либо лиц в целях склонения его к совершению "
                    "коррупционных правонарушений (ст. 9 273-ФЗ).</p>"
                ),
                callout(
                    "important",
                    "<p>Уведомление о склонении к коррупционному правонарушению — должностная обязанность "
                    "служащего. Её невыполнение является правонарушением, влекущим увольнение с "
                    "государственной или муниципальной службы либо привлечение к иным видам "
                    "ответственности.</p>",
                ),
            ],
        },
        {
            "slug": "konflikt-interesov",
            "title": "Конфликт интересов: как распознать и урегулировать",
            "intro": "Личная заинтересованность, обязанность уведомить о конфликте интересов и способы его "
            "урегулирования.",
            "body": [
                quote(
                    "Под конфликтом интересов понимается ситуация, при которой личная заинтересованность "
                    "(прямая или косвенная) лица, замещающего должность, замещение которой предусматривает "
                    "обязанность принимать меры по предотвращению и урегулированию конфликта интересов, "
                    "влияет или может повлиять на надлежащее, объективное и беспристрастное исполнение им "
                    "должностных (служебных) обязанностей (осуществление полномочий).",
                    "273-ФЗ, ст. 10, ч. 1",
                ),
                heading("Личная заинтересованность"),
                paragraph(
                    "<p>Личная заинтересованность — возможность получения доходов в виде денег, иного "
                    "имущества, в том числе имущественных прав, услуг имущественного характера, "
                    "результатов выполненных работ или каких-либо выгод (преимуществ) самим служащим, "
                    "состоящими с ним в близком родстве или свойстве лицами (родителями, супругами, детьми, "
                    "братьями, сёстрами, а также братьями, сёстрами, родителями, детьми супругов и "
                    "супругами детей), гражданами или организациями, с которыми служащий и (или) эти лица "
                    "связаны имущественными, корпоративными или иными близкими отношениями.</p>"
                ),
                heading("Что делать служащему"),
                paragraph(
                    "<ol><li>Принимать меры по недопущению любой возможности возникновения конфликта "
                    "интересов.</li>"
                    "<li>Уведомить в порядке, определённом представителем нанимателя (работодателем), о "
                    "возникшем конфликте интересов или о возможности его возникновения, как только станет "
                    "об этом известно (ст. 11 273-ФЗ).</li>"
                    "<li>Выполнить решение об урегулировании конфликта интересов.</li></ol>"
                ),
                paragraph(
                    "<p>Предотвращение или урегулирование конфликта интересов может состоять в изменении "
                    "должностного или служебного положения служащего, являющегося стороной конфликта "
                    "интересов, вплоть до его отстранения от исполнения должностных (служебных) "
                    "обязанностей, и (или) в отказе его от выгоды, явившейся причиной возникновения "
                    "конфликта интересов. Уведомления рассматривают комиссии по соблюдению требований к "
                    "служебному поведению и урегулированию конфликта интересов.</p>"
                ),
                check_yourself(
                    practice_quiz,
                    "Несколько вопросов по уроку. Результат не влияет на завершение курса, попыток сколько "
                    "угодно.",
                ),
            ],
        },
        {
            "slug": "podarki-i-uvedomleniya",
            "title": "Подарки, иная оплачиваемая работа и уведомления",
            "intro": "Запрет на получение вознаграждений, подарки на официальных мероприятиях и "
            "уведомление об иной оплачиваемой работе.",
            "body": [
                heading("Запрет на получение вознаграждений"),
                paragraph(
                    "<p>Служащему запрещено получать в связи с исполнением должностных обязанностей "
                    "вознаграждения от физических и юридических лиц (подарки, денежное вознаграждение, "
                    "ссуды, услуги имущественного характера, оплату развлечений, отдыха, транспортных "
                    "расходов и иные вознаграждения) — ст. 17 Федерального закона № 79-ФЗ, ст. 14 "
                    "Федерального закона № 25-ФЗ.</p>"
                ),
                quote(
                    "Не допускается дарение, за исключением обычных подарков, стоимость которых не превышает "
                    "трех тысяч рублей, … лицам, замещающим государственные должности, муниципальные "
                    "должности, государственным служащим, муниципальным служащим … в связи с их должностным "
                    "положением или в связи с исполнением ими служебных обязанностей.",
                    "Гражданский кодекс РФ, ст. 575, п. 1, подп. 3",
                ),
                heading("Подарки на официальных мероприятиях"),
                paragraph(
                    "<p>Подарки, полученные в связи с протокольными мероприятиями, служебными командировками "
                    "и другими официальными мероприятиями, признаются собственностью соответственно "
                    "Российской Федерации, субъекта Российской Федерации или муниципального образования и "
                    "передаются служащим по акту в орган, в котором он замещает должность. О получении "
                    "такого подарка служащий уведомляет в установленном порядке; подарок стоимостью "
                    "свыше трёх тысяч рублей сдаётся на хранение. Служащий, сдавший подарок, может "
                    "его выкупить.</p>"
                ),
                heading("Иная оплачиваемая работа"),
                paragraph(
                    "<p>Служащий вправе с предварительным уведомлением представителя нанимателя выполнять "
                    "иную оплачиваемую работу, если это не повлечёт за собой конфликт интересов "
                    "(ч. 2 ст. 14 79-ФЗ, ч. 2 ст. 11 25-ФЗ).</p>"
                ),
                callout(
                    "warning",
                    "<p>Уведомлять нужно заранее, до начала работы, а не после.</p>",
                ),
            ],
        },
        {
            "slug": "svedeniya-o-dohodah",
            "title": "Сведения о доходах, расходах, об имуществе и обязательствах имущественного характера",
            "intro": "Кто представляет сведения, в какие сроки и как исправить ошибку.",
            "body": [
                quote(
                    "Сведения о своих доходах, об имуществе и обязательствах имущественного характера, а "
                    "также о доходах, об имуществе и обязательствах имущественного характера своих супруги "
                    "(супруга) и несовершеннолетних детей обязаны представлять представителю нанимателя "
                    "(работодателю)…",
                    "273-ФЗ, ст. 8, ч. 1",
                ),
                heading("Сроки"),
                paragraph(
                    "<ul><li>гражданин, претендующий на замещение должности, — при поступлении на "
                    "службу;</li>"
                    "<li>служащий, замещающий должность из перечня, — ежегодно, не позднее 30 апреля года, "
                    "следующего за отчётным;</li>"
                    "<li>обнаружив, что в сведениях не отражены или не полностью отражены какие-либо "
                    "сведения либо имеются ошибки, служащий вправе представить уточнённые сведения в "
                    "течение одного месяца после окончания срока представления.</li></ul>"
                ),
                heading("Как заполнить справку"),
                callout(
                    "important",
                    "<p>Справка заполняется по форме, утверждённой Указом Президента Российской Федерации "
                    "от 23 июня 2014 г. № 460, с использованием специального программного обеспечения "
                    "«Справки БК».</p>",
                ),
                paragraph(
                    "<p>Непредставление сведений либо представление заведомо недостоверных или неполных "
                    "сведений является правонарушением, влекущим освобождение служащего от замещаемой "
                    "должности либо привлечение его к иным видам ответственности.</p>"
                ),
            ],
        },
    ]


# --- question bank ---------------------------------------------------------------------------

LAW = "Федеральный закон от 25 декабря 2008 г. № 273-ФЗ «О противодействии коррупции»"


def _choices(question, correct, wrong):
    """Correct options share the full marks (1/k each; one correct option: 1), wrong ones give 0."""
    weight = (Decimal(1) / len(correct)).quantize(Decimal("0.0000001"))
    options = [(text, weight) for text in correct] + [(text, Decimal(0)) for text in wrong]
    Choice.objects.bulk_create(
        Choice(question=question, text=text, fraction=fraction, order=order)
        for order, (text, fraction) in enumerate(options)
    )
    return question


def final_questions(category):
    """Nine questions of six types on the four lessons."""
    common = {"category": category, "points": Decimal(1)}
    single = SingleChoiceQuestion.objects.create(
        text="Какой федеральный закон устанавливает основные принципы противодействия коррупции?",
        legal_norm="273-ФЗ, ст. 1–3",
        **common,
    )
    _choices(
        single,
        [LAW],
        [
            "Федеральный закон «О муниципальной службе в Российской Федерации»",
            "Федеральный закон «О порядке рассмотрения обращений граждан Российской Федерации»",
        ],
    )
    multiple = MultipleChoiceQuestion.objects.create(
        text="Что из перечисленного закон прямо называет коррупцией?",
        legal_norm="273-ФЗ, ст. 1, п. 1",
        grading=MultipleChoiceQuestion.Grading.ALL_OR_NOTHING,
        explanation="Перечень дан в пункте 1 статьи 1 Федерального закона № 273-ФЗ.",
        **common,
    )
    _choices(
        multiple,
        ["Дача взятки", "Коммерческий подкуп", "Злоупотребление полномочиями"],
        ["Опоздание на работу", "Нарушение правил внутреннего распорядка"],
    )
    true_false = TrueFalseQuestion.objects.create(
        text="Служащий обязан уведомлять представителя нанимателя обо всех случаях обращения к нему "
        "каких-либо лиц в целях склонения к совершению коррупционных правонарушений.",
        legal_norm="273-ФЗ, ст. 9",
        correct_value=True,
        **common,
    )
    short = ShortTextQuestion.objects.create(
        text="Как называется ситуация, при которой личная заинтересованность служащего влияет или может "
        "повлиять на надлежащее, объективное и беспристрастное исполнение им должностных обязанностей? "
        "(два слова)",
        legal_norm="273-ФЗ, ст. 10",
        **common,
    )
    for order, answer in enumerate(["конфликт интересов", "конфликтом интересов"]):
        ShortAnswer.objects.create(question=short, text=answer, order=order)
    conflict_notice = SingleChoiceQuestion.objects.create(
        text="Когда служащий должен уведомить о возникшем конфликте интересов или о возможности его "
        "возникновения?",
        legal_norm="273-ФЗ, ст. 11",
        **common,
    )
    _choices(
        conflict_notice,
        ["Как только ему станет об этом известно"],
        ["По окончании отчётного года", "Только если об этом попросит руководитель"],
    )
    gift_limit = NumericQuestion.objects.create(
        text="Какую стоимость, в рублях, не должен превышать обычный подарок, дарение которого допускается "
        "по статье 575 Гражданского кодекса?",
        legal_norm="ГК РФ, ст. 575",
        unit="руб.",
        **common,
    )
    NumericAnswer.objects.create(question=gift_limit, value=Decimal(3000))
    official_gift = SingleChoiceQuestion.objects.create(
        text="Как поступить с подарком стоимостью свыше трёх тысяч рублей, полученным служащим в связи с "
        "протокольным мероприятием?",
        legal_norm="79-ФЗ, ст. 17; ГК РФ, ст. 575",
        **common,
    )
    _choices(
        official_gift,
        ["Уведомить о получении и сдать подарок по акту: он признаётся публичной собственностью"],
        ["Оставить себе, он получен законно", "Вернуть дарителю без уведомления"],
    )
    deadline = NumericQuestion.objects.create(
        text="Не позднее какого числа апреля служащий ежегодно представляет сведения о доходах за отчётный "
        "год?",
        legal_norm="Указ Президента РФ от 18.05.2009 № 559; региональные и муниципальные акты",
        **common,
    )
    NumericAnswer.objects.create(question=deadline, value=Decimal(30))
    matching = MatchingQuestion.objects.create(
        text="Сопоставьте ситуацию и то, что должен сделать служащий.",
        legal_norm="273-ФЗ, ст. 9, 11; 79-ФЗ, ст. 14",
        **common,
    )
    for order, (left, right) in enumerate(
        [
            ("Предложили вознаграждение за «нужное» решение", "Уведомить о склонении к коррупции"),
            ("Родственник участвует в закупке, которую ведёт служащий", "Уведомить о конфликте интересов"),
            ("Хочет преподавать по совместительству", "Заранее уведомить представителя нанимателя"),
        ]
    ):
        MatchingPair.objects.create(question=matching, left=left, right=right, order=order)
    return [
        single,
        multiple,
        true_false,
        short,
        conflict_notice,
        gift_limit,
        official_gift,
        deadline,
        matching,
    ]


def practice_questions(category):
    common = {"category": category, "points": Decimal(1)}
    first = TrueFalseQuestion.objects.create(
        text="Конфликт интересов возникает только тогда, когда служащий уже получил выгоду.",
        legal_norm="273-ФЗ, ст. 10",
        correct_value=False,
        explanation="Достаточно, чтобы личная заинтересованность могла повлиять на исполнение обязанностей.",
        **common,
    )
    second = SingleChoiceQuestion.objects.create(
        text="Кто рассматривает уведомления о возникновении личной заинтересованности?",
        legal_norm="273-ФЗ, ст. 11",
        **common,
    )
    _choices(
        second,
        ["Комиссия по соблюдению требований к служебному поведению и урегулированию конфликта интересов"],
        ["Избирательная комиссия", "Профсоюзная организация"],
    )
    return [first, second]


def ensure_quiz(title, make_questions, category, **fields):
    quiz = Quiz.objects.filter(title=title).first()
    if quiz is not None:
        return quiz, False
    quiz = Quiz.objects.create(title=title, **fields)
    for order, question in enumerate(make_questions(category)):
        QuizQuestion.objects.create(quiz=quiz, question=question, order=order)
    return quiz, True


# --- pages -----------------------------------------------------------------------------------


def ensure_index(home):
    index = CourseIndexPage.objects.child_of(home).first()
    if index is None:
        index = CourseIndexPage(
            title="Курсы",
            slug=INDEX_SLUG,
            intro="<p>Дистанционные курсы по вопросам противодействия коррупции для государственных и "
            "муниципальных служащих Калужской области.</p>",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def ensure_course(index, final_quiz, practice_quiz):
    course = CoursePage.objects.child_of(index).filter(slug=COURSE_SLUG).first()
    if course is not None:
        return course, False
    course = CoursePage(
        title=COURSE_TITLE,
        slug=COURSE_SLUG,
        summary="Что такое коррупция по закону, как распознать и урегулировать конфликт интересов, что "
        "делать с подарками и как представить сведения о доходах.",
        description="<p>Курс для государственных гражданских и муниципальных служащих, в том числе впервые "
        "поступивших на службу. Пять уроков, один из них интерактивный, и итоговый тест; после его сдачи "
        "выдаётся сертификат.</p>",
        audience_text="Государственные гражданские служащие Калужской области, муниципальные служащие, "
        "работники, в обязанности которых входит участие в противодействии коррупции.",
        hours=Decimal(8),
        is_mandatory=True,
        self_enrollment=True,
        municipal_use=True,  # municipal managers may assign it to their own people (people.ownership)
        final_quiz=final_quiz,
        issues_certificate=True,
        certificate_validity_months=36,
    )
    latest = {}
    for item in PlanItem.objects.filter(number__in=PLAN_ITEMS).order_by("section__plan__year"):
        latest[item.number] = item
    course.plan_items = list(latest.values())
    index.add_child(instance=course)
    course.save_revision().publish()
    for values in lessons(practice_quiz):
        lesson = LessonPage(**values)
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    if latest:
        final_quiz.plan_items.add(*latest.values())
    return course, True


def ensure_scorm_lesson(course):
    """The course's last lesson: a SCORM 1.2 package in the manner of iSpring (docs/scorm.md)."""
    if LessonPage.objects.child_of(course).filter(slug=SCORM_LESSON_SLUG).exists():
        return False
    package = create_package(ContentFile(build_package("1.2"), name="podarki-scorm12.zip"), course)
    lesson = LessonPage(
        title=DEMO_TITLE,
        slug=SCORM_LESSON_SLUG,
        intro="Интерактивный урок в формате SCORM: три слайда и проверка из двух вопросов. Урок "
        "засчитывается, когда проверка пройдена.",
        scorm_package=package,
    )
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    return True


@transaction.atomic
def build_demo_courses(stdout, options):
    home = HomePage.objects.first()
    if home is None:
        stdout.write(_("Курсы: нет главной страницы сайта — пропускаю."))
        return
    category = Category.objects.filter(name=CATEGORY_NAME, parent=None).first() or Category.objects.create(
        name=CATEGORY_NAME,
        description="Понятие коррупции, конфликт интересов, подарки, сведения о доходах.",
    )
    final_quiz, _new = ensure_quiz(
        FINAL_QUIZ_TITLE,
        final_questions,
        category,
        description="Итоговый тест курса. Засчитывается лучшая из трёх попыток.",
        time_limit=30,
        pass_mark=70,
        attempts_allowed=3,
    )
    practice_quiz, _new = ensure_quiz(
        PRACTICE_QUIZ_TITLE, practice_questions, category, pass_mark=50, attempts_allowed=0
    )
    index = ensure_index(home)
    grant_section(index)  # trainers add and edit here, regional managers publish (cms.moderation)
    course, created = ensure_course(index, final_quiz, practice_quiz)
    ensure_scorm_lesson(course)
    servant = User.objects.filter(username=DEMO_SERVANT).first()
    enrolled = 0
    if servant is not None:
        due = timezone.localdate() + datetime.timedelta(days=30)
        had = Enrollment.objects.active().filter(user=servant, course=course).exists()
        services.enrol(servant, course, Enrollment.Source.ASSIGNED, due_date=due)
        enrolled = 0 if had else 1
    stdout.write(
        _("Курсы: создано %(created)d, уже были %(kept)d; записей на курс добавлено %(enrolled)d.")
        % {"created": int(created), "kept": int(not created), "enrolled": enrolled}
    )

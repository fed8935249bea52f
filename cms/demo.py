"""Demo content of ``cms``: this year's plan and the materials library with a few materials drawn from
the seeds.

:func:`build_demo_plan` and :func:`build_demo_materials` are ``manage.py demo_data`` builders (see
``people.demo.register_builder``). The plan of the current year is a copy of the latest earlier plan
(the 2024 plan of the seed, loaded by ``manage.py load_plan``) made as the admin's «План по образцу»
makes it: its items keep the numbers, so the demo's courses, events, campaigns and materials linked to
the 2024 items count under this year's items, and the plan report's default (this year, this year's
plan) shows the demo's figures. Each builder does nothing if its content exists, so reruns are safe.
"""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import Collection, Site

from cms.models import (
    HomePage,
    MaterialDocument,
    MaterialIndexPage,
    MaterialKind,
    MaterialPage,
    MaterialTopic,
    Plan,
    PlanItem,
)
from cms.plan_years import copy_plan
from cms.stream_values import callout, heading, paragraph, quote, table

LIBRARY_TITLE = "Методические материалы"
LIBRARY_INTRO = (
    "<p>В рамках взаимодействия с органами местного самоуправления Администрация Губернатора Калужской "
    "области направляет в муниципалитеты информационные письма, в том числе об изменениях "
    "антикоррупционного законодательства, методические рекомендации, материалы судебной практики. "
    "Здесь они собраны в одном месте; на новые материалы можно подписаться.</p>"
)
PLAN_YEAR = 2024

TOPICS = {
    "income": "Сведения о доходах",
    "conflict": "Конфликт интересов",
    "gifts": "Подарки",
    "liability": "Ответственность",
    "legislation": "Изменения законодательства",
    "municipalities": "Взаимодействие с муниципалитетами",
    "training": "Обучение",
}


MATERIALS = [
    {
        "title": "Об организации взаимодействия с органами местного самоуправления по вопросам "
        "противодействия коррупции",
        "slug": "soglasheniya-o-vzaimodejstvii",
        "kind": MaterialKind.INFORMATION_LETTER,
        "date": datetime.date(2017, 2, 28),
        "summary": "О соглашениях о взаимодействии в области реализации мер по противодействию коррупции, "
        "подписанных Администрацией Губернатора Калужской области с администрациями муниципальных районов "
        "и городских округов.",
        "topics": ["municipalities"],
        "plan_items": ["5.5"],
        "body": [
            paragraph(
                "<p>В феврале 2017 года между Администрацией Губернатора Калужской области и администрациями "
                "муниципальных районов (городских округов) подписаны соглашения о взаимодействии в области "
                "реализации мер по противодействию коррупции и профилактики коррупционных правонарушений.</p>"
                "<p>Цель соглашений — формирование у муниципальных служащих и работников подведомственных "
                "муниципальных организаций нетерпимости к коррупционному поведению и профилактика "
                "коррупционных правонарушений.</p>"
            ),
            heading("Формы взаимодействия"),
            paragraph(
                "<ul><li>оказание муниципалитетам методической и консультативной помощи;</li>"
                "<li>организация обучающих мероприятий для муниципальных служащих и сотрудников "
                "учреждений;</li>"
                "<li>мониторинг деятельности местных администраций по профилактике коррупционных "
                "правонарушений;</li>"
                "<li>осуществление обмена информацией и опытом работы.</li></ul>"
            ),
            callout(
                "info",
                "<p>Вопросы по исполнению соглашений можно направить в управление по профилактике "
                "коррупционных и иных правонарушений Администрации Губернатора Калужской области.</p>",
            ),
        ],
    },
    {
        "title": "Методические рекомендации по вопросам представления сведений о доходах, расходах, "
        "об имуществе и обязательствах имущественного характера",
        "slug": "rekomendacii-svedeniya-o-dohodah",
        "kind": MaterialKind.METHODOLOGICAL,
        "date": datetime.date(2017, 3, 20),
        "number": "№ 12-01/37",
        "summary": "Кто и в какие сроки представляет сведения, как заполнить справку и исправить ошибку. "
        "Материал семинара для специалистов кадровых служб органов местного самоуправления.",
        "topics": ["income"],
        "plan_items": ["5.5", "5.7"],
        "document": ("Памятка по заполнению справки о доходах", "pamyatka-spravka-o-dohodah.txt"),
        "body": [
            paragraph(
                "<p>Рекомендации подготовлены по итогам семинара для специалистов кадровых служб органов "
                "местного самоуправления, на котором рассматривались вопросы представления сведений о "
                "доходах, расходах, об имуществе и обязательствах имущественного характера.</p>"
            ),
            quote(
                "Сведения о своих доходах, об имуществе и обязательствах имущественного характера, а также о "
                "доходах, об имуществе и обязательствах имущественного характера своих супруги (супруга) и "
                "несовершеннолетних детей обязаны представлять представителю нанимателя (работодателю)…",
                "273-ФЗ, ст. 8, ч. 1",
            ),
            heading("Сроки представления сведений"),
            table(
                [
                    ["Кто представляет", "Срок"],
                    ["Гражданин, поступающий на муниципальную службу", "при поступлении на службу"],
                    [
                        "Муниципальный служащий, замещающий должность из перечня",
                        "ежегодно, не позднее 30 апреля года, следующего за отчётным",
                    ],
                    [
                        "Служащий, обнаруживший ошибку в представленных сведениях",
                        "уточнённые сведения — в течение одного месяца после окончания срока представления",
                    ],
                ],
                caption="Сроки представления сведений о доходах",
            ),
            callout(
                "important",
                "<p>Справка заполняется по форме, утверждённой Указом Президента Российской Федерации от "
                "23 июня 2014 г. № 460, с использованием специального программного обеспечения "
                "«Справки БК».</p>",
            ),
        ],
    },
    {
        "title": "Об организации дистанционного тестирования муниципальных служащих на знание "
        "законодательства о противодействии коррупции",
        "slug": "distancionnoe-testirovanie",
        "kind": MaterialKind.INFORMATION_LETTER,
        "date": datetime.date(2017, 4, 10),
        "number": "№ 12-01/52",
        "summary": "Порядок проведения дистанционного тестирования муниципальных служащих в первом полугодии "
        "2017 года: кто участвует, как получить доступ и как будут подведены итоги.",
        "topics": ["training", "municipalities"],
        "plan_items": ["5.7"],
        "body": [
            paragraph(
                "<p>В первом полугодии 2017 года организуется дистанционное тестирование муниципальных "
                "служащих на знание законодательства о противодействии коррупции. Тестирование проводится на "
                "рабочих местах; результаты передаются в органы местного самоуправления.</p>"
            ),
            callout(
                "warning",
                "<p>Просим обеспечить участие всех муниципальных служащих, замещающих должности, "
                "включённые в перечни должностей, при замещении которых служащие обязаны представлять "
                "сведения о доходах.</p>",
            ),
        ],
    },
    {
        "title": "Методические рекомендации по организации работы комиссий по соблюдению требований к "
        "служебному поведению муниципальных служащих и урегулированию конфликта интересов",
        "slug": "rekomendacii-komissii-konflikt-interesov",
        "kind": MaterialKind.METHODOLOGICAL,
        "date": datetime.date(2017, 9, 14),
        "summary": "Состав комиссии, основания для проведения заседания, порядок рассмотрения уведомлений о "
        "возникновении личной заинтересованности и принятия решений.",
        "topics": ["conflict"],
        "plan_items": ["5.5"],
        "body": [
            quote(
                "Под конфликтом интересов понимается ситуация, при которой личная заинтересованность "
                "(прямая или косвенная) лица, замещающего должность, замещение которой предусматривает "
                "обязанность принимать меры по предотвращению и урегулированию конфликта интересов, влияет "
                "или может повлиять на надлежащее, объективное и беспристрастное исполнение им должностных "
                "(служебных) обязанностей (осуществление полномочий).",
                "273-ФЗ, ст. 10, ч. 1",
            ),
            heading("Заседание комиссии"),
            paragraph(
                "<p>Представители Администрации Губернатора Калужской области в рамках полномочий "
                "принимают участие в заседаниях комиссий. О дате заседания рекомендуется сообщать заранее; "
                "материалы к заседанию готовит подразделение кадровой службы по профилактике коррупционных "
                "и иных правонарушений.</p>"
            ),
            callout(
                "info",
                "<p>Решение комиссии оформляется протоколом; копия протокола направляется представителю "
                "нанимателя и муниципальному служащему.</p>",
            ),
        ],
    },
    {
        "title": "Обзор изменений антикоррупционного законодательства",
        "slug": "obzor-izmenenij-zakonodatelstva",
        "kind": MaterialKind.LEGISLATION_REVIEW,
        "date": datetime.date(2018, 2, 5),
        "summary": "Изменения федерального и областного законодательства о противодействии коррупции, "
        "которые требуют актуализации муниципальных правовых актов.",
        "topics": ["legislation"],
        "plan_items": ["5.5"],
        "body": [
            paragraph(
                "<p>В связи с изменениями законодательства о противодействии коррупции рекомендуем "
                "проверить муниципальные правовые акты о порядке представления сведений о доходах, о "
                "комиссиях по соблюдению требований к служебному поведению и о сообщении о получении "
                "подарка и при необходимости привести их в соответствие.</p>"
            ),
            callout(
                "important",
                "<p>Проекты муниципальных нормативных правовых актов подлежат антикоррупционной "
                "экспертизе.</p>",
            ),
        ],
    },
    {
        "title": "Обзор судебной практики по делам об увольнении в связи с утратой доверия",
        "slug": "obzor-sudebnoj-praktiki-utrata-doveriya",
        "kind": MaterialKind.COURT_PRACTICE,
        "date": datetime.date(2018, 5, 21),
        "summary": "Какие обстоятельства суды проверяют, рассматривая иски об оспаривании увольнения в связи "
        "с утратой доверия, и какие ошибки работодателя ведут к восстановлению на службе.",
        "topics": ["liability"],
        "plan_items": ["5.5"],
        "body": [
            paragraph(
                "<p>Суды проверяют, соблюдён ли порядок применения взыскания: проводилась ли проверка, "
                "получены ли объяснения служащего, учтены ли характер и тяжесть правонарушения, "
                "обстоятельства его совершения и предшествующие результаты исполнения служебных "
                "обязанностей.</p>"
            ),
            quote(
                "Взыскания… применяются не позднее шести месяцев со дня поступления информации о совершении "
                "муниципальным служащим коррупционного правонарушения… и не позднее трех лет со дня его "
                "совершения.",
                "25-ФЗ, ст. 27.1, ч. 6",
            ),
            callout(
                "warning",
                "<p>Пропуск сроков применения взыскания — частая причина восстановления служащего на "
                "службе.</p>",
            ),
        ],
    },
    {
        "title": "Памятка о порядке сообщения о получении подарка",
        "slug": "pamyatka-podarki",
        "kind": MaterialKind.OTHER,
        "date": datetime.date(2024, 12, 2),
        "summary": "Когда подарок можно принять, как и в какой срок сообщить о его получении, как выкупить "
        "подарок. Памятка к Международному дню борьбы с коррупцией.",
        "topics": ["gifts"],
        "plan_items": ["5.5"],
        "document": ("Образец уведомления о получении подарка", "uvedomlenie-o-poluchenii-podarka.txt"),
        "body": [
            quote(
                "Не допускается дарение, за исключением обычных подарков, стоимость которых не превышает "
                "трех тысяч рублей… муниципальным служащим… в связи с их должностным положением или в связи "
                "с исполнением ими служебных обязанностей.",
                "Гражданский кодекс РФ, ст. 575",
            ),
            table(
                [
                    ["Шаг", "Срок"],
                    [
                        "Уведомление о получении подарка на протокольном или официальном мероприятии",
                        "не позднее трёх рабочих дней со дня получения подарка",
                    ],
                    [
                        "Уведомление при получении подарка в командировке",
                        "не позднее трёх рабочих дней со дня возвращения",
                    ],
                ],
                caption="Сроки уведомления о получении подарка",
            ),
        ],
    },
]


def build_demo_plan(stdout, options):
    """The plan of the current year, copied from the latest earlier plan, unless it exists."""
    year = timezone.localdate().year
    if Plan.objects.filter(year=year).exists():
        stdout.write(_("План на %(year)s год уже есть — пропускаю.") % {"year": year})
        return
    source = Plan.objects.filter(year__lt=year).order_by("-year").first()
    if source is None:
        stdout.write(
            _("Нет плана, с которого можно скопировать план на %(year)s год: сначала выполните load_plan.")
            % {"year": year}
        )
        return
    result = copy_plan(source, year)
    stdout.write(
        _("План на %(year)s год создан по образцу плана на %(source)s год: мероприятий — %(items)s.")
        % {"year": year, "source": source.year, "items": result.items.created}
    )


def _home_page():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    return HomePage.objects.first()


def _document(title, filename, material):
    text = f"{title}\n\n{material['title']}\n\n{material['summary']}\n"
    document = get_document_model()(title=title, collection=Collection.get_first_root_node())
    document.file.save(filename, ContentFile(text.encode("utf-8")), save=False)
    document._set_document_file_metadata()  # size and hash, as the admin upload form does
    document.save()
    return document


@transaction.atomic
def build_demo_materials(stdout, options):
    """Create the materials library under the home page with its demo materials, unless it exists."""
    if MaterialIndexPage.objects.exists():
        stdout.write(_("Библиотека материалов уже есть — пропускаю."))
        return
    home = _home_page()
    if home is None:
        stdout.write(_("Нет главной страницы сайта — библиотека материалов не создана."))
        return

    library = home.add_child(
        instance=MaterialIndexPage(title=LIBRARY_TITLE, slug="materials", intro=LIBRARY_INTRO)
    )
    library.save_revision().publish()
    topics = {key: MaterialTopic.objects.get_or_create(name=name)[0] for key, name in TOPICS.items()}
    plan_items = {item.number: item for item in PlanItem.objects.of_year(PLAN_YEAR).filter(section__number=5)}

    for material in MATERIALS:
        page = library.add_child(
            instance=MaterialPage(
                title=material["title"],
                slug=material["slug"],
                kind=material["kind"],
                date=material["date"],
                number=material.get("number", ""),
                summary=material["summary"],
                body=material["body"],
            )
        )
        page.topics.set([topics[key] for key in material["topics"]])
        page.plan_items.set([plan_items[number] for number in material["plan_items"] if number in plan_items])
        if "document" in material:
            title, filename = material["document"]
            page.documents.add(MaterialDocument(document=_document(title, filename, material), title=title))
        page.save()
        page.save_revision().publish()

    stdout.write(
        _("Библиотека материалов «%(title)s»: создано материалов — %(count)d.")
        % {"title": library.title, "count": len(MATERIALS)}
    )

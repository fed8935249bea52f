"""The public verification of a certificate: codes typed by hand are forgiven what cannot be ambiguous,
a near miss is explained from the typed text alone, every unknown code gets the same «не найден» (404),
and the page shows only what the certificate itself shows."""

import datetime
import random
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import codes
from courses.factories import make_course
from courses.models import Certificate
from courses.services import issue_certificate
from courses.verification import verify
from people.factories import make_municipality, make_organization, make_person

pytestmark = pytest.mark.django_db

# A code whose letters all have Cyrillic twins, to type it with a Russian keyboard layout.
PAYLOAD = "KXM0PCTEHAB"
CODE = codes.group(PAYLOAD + codes.check_character(PAYLOAD))
FORM = "/certificates/verify/"


@pytest.fixture
def certificate(servant):
    course = make_course(title="Основы противодействия коррупции", certificate_validity_months=12)
    certificate = issue_certificate(servant, course)
    Certificate.objects.filter(pk=certificate.pk).update(code=CODE)
    certificate.refresh_from_db()
    return certificate


def visible_text(response):
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- codes -------------------------------------------------------------------------------------------


def test_a_new_code_is_grouped_and_carries_its_check_character():
    code = codes.new_code()
    assert re.fullmatch(r"\w{4}-\w{4}-\w{4}", code)
    assert set(code.replace("-", "")) <= set(codes.ALPHABET)
    assert codes.has_valid_check(code.replace("-", ""))


@pytest.mark.parametrize(
    "typed",
    [
        CODE,
        CODE.lower(),
        f"  {CODE.lower()}-  ",  # spaces around, a dash copied at the end
        CODE.replace("-", ""),
        CODE.replace("-", " "),
        CODE.replace("-", "–"),  # a typographic dash
        "кхм0-рсте-нав" + CODE[-1].lower(),  # Russian layout: Cyrillic twins of the Latin letters
        "КХМО-РСТЕ-НАВ" + CODE[-1],  # and a Cyrillic «О» for the zero
        CODE.replace("0", "O"),  # a Latin O for the zero
        "".join(chr(ord(ch) + 0xFEE0) if ch.isalnum() else ch for ch in CODE),  # full-width forms
    ],
)
def test_forgiven_spellings_of_a_code(typed):
    assert codes.normalize(typed) == CODE
    assert codes.problem(typed) is None


def test_i_and_l_read_as_one():
    payload = "1111AAAAAAA"
    code = payload + codes.check_character(payload)
    assert codes.normalize(code.replace("1", "I", 2).replace("1", "l", 1)) == codes.group(code)


def test_every_single_mistyped_character_is_caught():
    code = CODE.replace("-", "")
    for position in range(len(code)):
        for character in codes.ALPHABET:
            if character != code[position]:
                typo = code[:position] + character + code[position + 1 :]
                assert codes.normalize(typo) is None
                assert "опечатка" in codes.problem(typo)


def test_most_swapped_neighbours_are_caught():
    rng = random.Random(17)
    caught = total = 0
    for _i in range(300):
        payload = "".join(rng.choice(codes.ALPHABET) for _j in range(codes.RANDOM_LENGTH))
        code = payload + codes.check_character(payload)
        position = rng.randrange(len(code) - 1)
        if code[position] == code[position + 1]:
            continue
        swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
        total += 1
        caught += codes.normalize(swapped) is None
    assert caught / total > 0.95


@pytest.mark.parametrize(
    ("typed", "explanation"),
    [
        ("", "Введите код проверки."),
        ("   ", "Введите код проверки."),
        (CODE[:-1], "В коде проверки 12 знаков без учёта дефисов, а введено: 11."),
        (CODE + "7", "В коде проверки 12 знаков без учёта дефисов, а введено: 13."),
        ("KXM0-PCTE-HAB" + "Ж", "В кодах проверки нет таких знаков: «Ж»."),
        ("KXM0-PCTE-HU!" + "U", "В кодах проверки нет таких знаков: «U», «!»."),
        ("АК-2025-000123", "Это номер сертификата, а не код проверки."),
        ("ak-2025-000123", "Это номер сертификата, а не код проверки."),
        ("Ab_cdEfgh-ijKlmn", "Коды сертификатов прежнего образца (16 знаков) вводятся точно как напечатаны"),
    ],
)
def test_a_near_miss_is_explained(typed, explanation):
    assert codes.normalize(typed) is None
    assert explanation in codes.problem(typed)


# --- the lookup ----------------------------------------------------------------------------------------


def test_verify_finds_the_certificate_however_the_code_was_typed(certificate):
    assert verify(f" {CODE.lower()}- ").certificate == certificate
    assert not verify(f" {CODE.lower()}- ").is_canonical()
    assert verify(CODE).is_canonical()
    assert not verify(codes.new_code()).found


def test_a_code_of_the_earlier_format_is_found_when_given_exactly(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(code="Ab_cdEfgh-ijKlm-")
    assert verify("Ab_cdEfgh-ijKlm-").certificate == certificate
    assert verify("  Ab_cdEfgh-ijKlm-  ").certificate == certificate
    assert not verify("ab_cdefgh-ijklm-").found  # case-sensitive, as it always was


# --- the pages -----------------------------------------------------------------------------------------


def test_the_form_page(client):
    response = client.get(FORM)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="code"' in html and 'for="verify-code"' in html
    assert "Введите код проверки, напечатанный на сертификате" in html
    assert reverse("certificate_verify_form") == FORM


def test_a_code_typed_in_lower_case_with_a_dash_opens_the_certificate(client, certificate):
    response = client.get(FORM, {"code": f"  {CODE.lower()}-  "})
    assert response.status_code == 302
    assert response["Location"] == certificate.get_verify_url() == f"/certificates/verify/{CODE}/"
    assert client.get(response["Location"]).status_code == 200


def test_a_code_in_the_address_is_forgiven_too(client, certificate):
    response = client.get(f"/certificates/verify/{CODE.lower()}-/")
    assert response.status_code == 302
    assert response["Location"] == certificate.get_verify_url()


def test_the_page_shows_what_the_certificate_shows_and_nothing_else(client):
    organization = make_organization(
        make_municipality("Городской округ «Город Обнинск»"), "Администрация Обнинска"
    )
    person = make_person(
        organization,
        last_name="Сидорова",
        first_name="Мария",
        patronymic="Олеговна",
        position="Главный специалист отдела кадров",
        email="sidorova@example.org",
        username="sidorova",
    )
    certificate = issue_certificate(person, make_course(title="Подарки и конфликт интересов"))
    response = client.get(certificate.get_verify_url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    text = visible_text(response)
    assert "Сидорова Мария Олеговна" in text
    assert certificate.number in text
    assert "Подарки и конфликт интересов" in text
    assert "Сертификат действителен" in text
    assert "Состояние действителен" in text
    assert "Уполномоченный орган Калужской области" in text  # the issuer, as printed
    for private in ("sidorova", "Обнинск", "Главный специалист"):
        assert private not in text, private


def test_an_expired_certificate_says_so(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    text = visible_text(client.get(certificate.get_verify_url()))
    assert "Срок действия сертификата истёк" in text
    assert "Состояние истёк" in text


def test_every_unknown_code_gets_the_same_answer(client, certificate):
    """Well-formed codes that no certificate has: 404 and one message, whatever the code, so trying
    codes tells nothing but "no"."""
    pages = []
    for unknown in (codes.new_code(), codes.new_code()):
        for response in (client.get(FORM, {"code": unknown}), client.get(f"/certificates/verify/{unknown}/")):
            assert response.status_code == 404
            text = visible_text(response)
            assert f"Сертификат с кодом «{unknown}» не найден." in text
            pages.append(text.replace(unknown, "…"))
    assert len(set(pages)) == 1
    assert "Петров" not in pages[0]


def test_a_near_miss_is_explained_on_the_page(client, certificate):
    typo = CODE[:-1] + ("A" if CODE[-1] != "A" else "B")
    response = client.get(FORM, {"code": typo})
    assert response.status_code == 404
    text = visible_text(response)
    assert "не найден" in text and "опечатка" in text
    assert "Петров" not in text and certificate.number not in text
    assert 'aria-invalid="true"' in response.content.decode()
    short = client.get(FORM, {"code": CODE[:-2]})
    assert short.status_code == 404
    assert "а введено: 10" in visible_text(short)


def test_an_empty_code_is_a_bad_request(client):
    response = client.get(FORM, {"code": "   "})
    assert response.status_code == 400
    assert "Введите код проверки." in visible_text(response)


def test_overlong_or_odd_input_is_refused_clearly(client, certificate):
    response = client.get(FORM, {"code": "Ж" * 5000})
    assert response.status_code == 404
    assert "«Ж»" in visible_text(response)
    assert "Ж" * 101 not in response.content.decode()  # what is echoed is cut
    response = client.get(FORM, {"code": "<script>alert(1)</script>"})
    assert response.status_code == 404
    assert "<script>alert(1)" not in response.content.decode()


def test_wrong_code_is_404(client, certificate):
    assert client.get("/certificates/verify/not-a-real-code/").status_code == 404
    assert client.get(f"/certificates/verify/{certificate.code[:-1]}/").status_code == 404

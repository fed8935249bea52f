"""A Moodle GIFT bank → import → export → import keeps every fact, for every type (issue 16)."""

from decimal import Decimal

import pytest

from quizzes.models import Question
from quizzes.services.exporting import export_gift
from quizzes.services.importing import import_questions

from .test_import_service import describe

pytestmark = pytest.mark.django_db

MOODLE_BANK = """// Банк, как его пишет Moodle 4.5.
$CATEGORY: $course$/top/Антикоррупция

// question: 1  name: Понятие коррупции
// [id:АК-1] [tag:273-ФЗ] [tag:понятия]
::Понятие коррупции::[html]Что <b>прямо</b> названо коррупцией?{
\t=Коммерческий подкуп#Верно.
\t=Злоупотребление полномочиями
\t~%50%Незаконное использование положения#Частично.
\t~Прогул
\t####<p>Статья 1 Федерального закона № 273-ФЗ.</p>
}

// question: 2  name: Чьи сведения
::Чьи сведения::О чьих доходах представляются сведения?{
\t~%70%О своих#Да.
\t~%30%О доходах супруги (супруга)
\t~%-100%О доходах родителей#Нет.
\t~О доходах соседей
}

// question: 3  name: Конфликт
::Конфликт::[markdown]Ситуация называется **конфликтом** {
\t=%100%интересов#Верно.
\t=%100%Интересов
\t=%50%интереса#Почти.
\t=%0%*#Нет.
}.

// question: 4  name: Год
::Год::Федеральный закон № 273-ФЗ принят в {#
\t=%100%2008:0#Верно.
\t=%50%2008:1#Близко.
\t~#Нет.
\t####Закон от 25.12.2008.
} году.

// question: 5  name: Выкуп
::Выкуп::[plain]Подарок можно выкупить <сразу>.{FALSE#Неверно: через заявление.#Верно.####Постановление № 10.}

// question: 6  name: Статьи
::Статьи::Соотнесите статьи с предметом.{
\t=Статья 8 -> Сведения о доходах
\t=Статья 10 -> Конфликт интересов
\t= -> Лишний вариант
}

// question: 7  name: Эссе
::Эссе::Опишите порядок уведомления.{####Служащий уведомляет письменно.}
"""


def bank_facts():
    facts = [describe(question) for question in Question.objects.order_by("pk")]
    for fact in facts:
        fact.pop("category")
    return facts


def test_every_type_survives_import_export_import():
    first = import_questions("moodle.gift", MOODLE_BANK.encode())
    assert first.ok, first.errors
    assert Question.objects.count() == 7
    facts = bank_facts()
    exported = export_gift(Question.objects.first().category)
    Question.objects.all().delete()

    again = import_questions("export.gift", exported.encode())

    assert again.ok, (again.errors, exported)
    assert bank_facts() == facts
    # And once more: the export of the re-imported bank is the same text.
    assert export_gift(Question.objects.first().category) == exported


def test_what_moodle_wrote_is_kept_in_the_bank():
    assert import_questions("moodle.gift", MOODLE_BANK.encode()).ok
    single = Question.objects.get(name="Понятие коррупции")
    assert (single.id_number, sorted(single.tags.names()), single.text_format) == (
        "АК-1",
        ["273-ФЗ", "понятия"],
        "html",
    )
    assert [(c.text, c.fraction, c.feedback) for c in single.choices.all()][2] == (
        "Незаконное использование положения",
        Decimal("0.5"),
        "Частично.",
    )
    short = Question.objects.get(name="Конфликт")
    assert short.score({"text": "ИНТЕРЕСОВ"}) == 1 and short.score({"text": "интереса"}) == Decimal("0.5")
    assert short.score({"text": "чего-то"}) == 0
    numeric = Question.objects.get(name="Год")
    assert [numeric.score({"value": v}) for v in ("2008", "2009", "2010")] == [1, Decimal("0.5"), 0]
    true_false = Question.objects.get(name="Выкуп")
    assert (true_false.feedback_true, true_false.feedback_false) == ("Неверно: через заявление.", "Верно.")
    weighted = Question.objects.get(name="Чьи сведения")
    by_text = {c.text: c.pk for c in weighted.choices.all()}
    assert weighted.score({"choices": [by_text["О своих"]]}) == Decimal("0.7")
    assert weighted.score({"choices": [by_text["О своих"], by_text["О доходах родителей"]]}) == 0

"""Server-side SVG charts and table sorting: pure helpers, no database."""

import datetime

from reports.dashboard import charts, sorting
from reports.dashboard.timeline import Month, months_of
from reports.period import Period
from reports.tables import Column, Table


def test_bar_widths_are_proportional_and_labels_escaped_by_the_template():
    rows = [{"name": "<b>Калуга</b>", "n": 50}, {"name": "Обнинск", "n": 25}, {"name": "Пусто", "n": None}]
    chart = charts.bar_chart(rows, "n", "Обучено")
    widths = [bar["width"] for bar in chart["bars"]]
    assert widths[0] == charts.BAR_AREA * 50 // 50 and widths[1] == widths[0] // 2 and widths[2] == 0
    assert chart["maximum"] == "50"
    assert chart["bars"][2]["value"] == "—"
    from django.template.loader import render_to_string

    svg = render_to_string("reports/dashboard/_bar_chart.html", {"chart": chart, "id": "x"})
    assert "&lt;b&gt;Калуга&lt;/b&gt;" in svg and "<b>" not in svg


def test_nice_maximum():
    assert [charts._nice_max(v) for v in (0, 1, 3, 7, 12, 51, 100)] == [1, 1, 5, 10, 20, 100, 100]


def test_month_chart_columns_scale_to_the_highest_month():
    months = [
        Month(datetime.date(2024, 1, 1), {"a": 10, "b": 0}),
        Month(datetime.date(2024, 2, 1), {"a": 5, "b": 20}),
    ]
    chart = charts.month_chart(months, [("a", "A"), ("b", "B")], "T")
    heights = [[c["height"] for c in g["columns"]] for g in chart["groups"]]
    assert heights == [[90.0, 0.0], [45.0, 180.0]]
    assert len(chart["legend"]) == 2


def test_months_of_a_period():
    assert len(months_of(Period.year(2024))) == 12
    assert months_of(Period(datetime.date(2024, 11, 15), datetime.date(2025, 2, 1)))[0] == datetime.date(
        2024, 11, 1
    )
    assert len(months_of(Period(datetime.date(2020, 1, 1), datetime.date(2024, 12, 31)))) == 36


def test_sorting_keeps_empty_values_last_and_falls_back_to_name():
    table = Table("t", [Column("name", "Имя"), Column("n", "N", numeric=True)], [])
    table.rows = [{"name": "б", "n": 2}, {"name": "А", "n": None}, {"name": "в", "n": 10}]
    assert [r["name"] for r in sorting.sorted_rows(table, "n")] == ["б", "в", "А"]
    assert [r["name"] for r in sorting.sorted_rows(table, "-n")] == ["в", "б", "А"]
    assert [r["name"] for r in sorting.sorted_rows(table, "bogus")] == ["А", "б", "в"]

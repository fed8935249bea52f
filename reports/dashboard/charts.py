"""Server-side SVG charts: the geometry is computed here, the markup is a template (labels escaped).

* :func:`bar_chart` — horizontal bars, one per row of a table (names are long, so bars run across);
* :func:`month_chart` — grouped columns per month, one colour per series, with a legend.

Both return plain dicts for ``reports/dashboard/_bar_chart.svg`` and ``_month_chart.svg``.
"""

import math

from django.utils.formats import date_format, number_format

COLOURS = ["#0b4f8a", "#2e8540", "#c05621"]  # brand blue, green, orange; readable in print
LABEL_WIDTH = 230
BAR_AREA = 420
BAR_HEIGHT = 18
BAR_GAP = 8


def _nice_max(value):
    """The smallest 1/2/5 × 10^n not below ``value`` (at least 1), for round axis ticks."""
    if value <= 0:
        return 1
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def _text(value):
    if value is None:
        return "—"
    return number_format(value, use_l10n=True)


def bar_chart(rows, key, title, *, maximum=None, link=None):
    """Bars of ``row[key]`` for ``rows`` (rows without a value are shown as "—")."""
    values = [row.get(key) for row in rows]
    top = _nice_max(max((v for v in values if v is not None), default=0))
    if maximum is not None:
        top = max(top, maximum)  # e.g. 100 % for shares, unless some row is above it
    bars = []
    for index, row in enumerate(rows):
        value = row.get(key)
        width = 0 if not value else min(BAR_AREA, max(1, round(float(value) / float(top) * BAR_AREA)))
        y = 30 + index * (BAR_HEIGHT + BAR_GAP)
        bars.append(
            {
                "label": row["name"],
                "value": _text(value),
                "y": y,
                "text_y": y + BAR_HEIGHT - 5,
                "width": width,
                "value_x": LABEL_WIDTH + width + 6,
                "url": link(row) if link else None,
            }
        )
    height = 30 + len(rows) * (BAR_HEIGHT + BAR_GAP) + 10
    return {
        "title": title,
        "bars": bars,
        "width": LABEL_WIDTH + BAR_AREA + 70,
        "height": height,
        "label_x": LABEL_WIDTH - 8,
        "bar_x": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
        "axis_end": LABEL_WIDTH + BAR_AREA,
        "maximum": _text(top),
        "colour": COLOURS[0],
    }


def month_chart(months, series, title):
    """Grouped columns: ``months`` are :class:`~.timeline.Month`, ``series`` ``[(key, label)]``."""
    plot_height, left, top_margin = 180, 50, 20
    group_width = 46 if len(months) <= 12 else 26
    column_width = (group_width - 6) / max(1, len(series))
    top = _nice_max(max((m.values[key] for m in months for key, _label in series), default=0))
    groups = []
    for index, month in enumerate(months):
        x0 = left + 6 + index * group_width
        columns = []
        for number, (key, label) in enumerate(series):
            value = month.values[key]
            height = round(value / top * plot_height, 1)
            columns.append(
                {
                    "x": round(x0 + number * column_width, 1),
                    "y": round(top_margin + plot_height - height, 1),
                    "width": round(column_width - 1, 1),
                    "height": height,
                    "colour": COLOURS[number % len(COLOURS)],
                    "title": f"{label}: {value}",
                }
            )
        groups.append(
            {
                "columns": columns,
                "label": date_format(month.start, "b y" if len(months) > 12 else "b"),
                "label_x": round(x0 + (group_width - 6) / 2, 1),
                "month": date_format(month.start, "F Y"),
            }
        )
    ticks = [
        {"y": round(top_margin + plot_height - plot_height * share, 1), "text": _text(round(top * share))}
        for share in (0, 0.5, 1)
    ]
    width = left + 12 + len(months) * group_width
    legend = [
        {"label": label, "colour": COLOURS[n % len(COLOURS)], "x": left + n * 190}
        for n, (_key, label) in enumerate(series)
    ]
    return {
        "title": title,
        "groups": groups,
        "ticks": ticks,
        "width": max(width, left + 190 * len(series)),
        "height": top_margin + plot_height + 60,
        "left": left,
        "axis_y": top_margin + plot_height,
        "axis_end": width,
        "label_y": top_margin + plot_height + 16,
        "legend_y": top_margin + plot_height + 38,
        "legend": legend,
    }

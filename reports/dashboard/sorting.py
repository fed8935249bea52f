"""Server-side sorting of a :class:`~reports.tables.Table` by ``?sort=column`` (``-column``: descending)."""


def sort_key_of(table, sort):
    """``(column key, descending)`` for a valid ``sort`` parameter, else sorting by name."""
    name = (sort or "").lstrip("-")
    if name not in {column.key for column in table.columns}:
        return "name", False
    return name, sort.startswith("-")


def sorted_rows(table, sort):
    """The table's rows ordered by the column; empty values last whichever the direction."""
    name, descending = sort_key_of(table, sort)
    present = [row for row in table.rows if row.get(name) not in (None, "")]
    missing = [row for row in table.rows if row.get(name) in (None, "")]
    numeric = {column.key: column.numeric for column in table.columns}[name]

    def key(row):
        return row[name] if numeric else str(row[name]).lower()

    return sorted(present, key=key, reverse=descending) + missing


def header(table, query, sort):
    """Column headers with a link sorting by the column (again: the other way round)."""
    current, descending = sort_key_of(table, sort)
    columns = []
    for column in table.columns:
        active = column.key == current
        params = query.copy()
        params["sort"] = f"-{column.key}" if active and not descending else column.key
        params.pop("page", None)
        columns.append(
            {
                "key": column.key,
                "label": column.label,
                "numeric": column.numeric,
                "url": f"?{params.urlencode()}",
                "aria_sort": ("descending" if descending else "ascending") if active else None,
            }
        )
    return columns

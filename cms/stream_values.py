"""Raw StreamField values of the blocks in :mod:`cms.blocks`, for demo content and imports.

Each function returns one block as stored in a StreamField's raw data (``type``, ``value``, ``id``).
"""

import uuid


def block_id():
    return str(uuid.uuid4())


def heading(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}, "id": block_id()}


def paragraph(html):
    return {"type": "paragraph", "value": html, "id": block_id()}


def callout(kind, html):
    return {"type": "callout", "value": {"kind": kind, "text": html}, "id": block_id()}


def quote(text, source):
    return {"type": "quote", "value": {"text": text, "source": source, "url": ""}, "id": block_id()}


def table(rows, caption=""):
    value = {
        "data": rows,
        "first_row_is_table_header": True,
        "first_col_is_header": False,
        "table_caption": caption,
    }
    return {"type": "table", "value": value, "id": block_id()}

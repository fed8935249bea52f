"""Printable PDF documents with real text: A4, Russian, page numbers «Страница N из M».

One writer for every document the platform prints (a campaign's protocol, a person's result sheet, a
course certificate: landscape, one page, without page numbers, with a QR code as an image),
on fpdf2: pure Python (no system libraries or fonts), Unicode TrueType fonts embedded as subsets (a
protocol is tens of kilobytes), tables that break across pages with their header repeated, and the
total page count filled in when the document is closed. The text stays text: it can be searched,
copied and read by a screen reader or by :mod:`pypdf` in the tests. See «Протоколы и листы
результатов» in ``docs/campaign-season.md`` for why fpdf2 and not reportlab.

Fonts come from ``people/fonts`` only (DejaVu Sans cut down to Latin, Cyrillic and punctuation; see
the README there), never from the system, so a document looks the same on every server.

Everything printed goes through :func:`clean_text`: names come from HR rosters and registration
forms, so control and direction-override characters are dropped, a character the fonts cannot draw
becomes «?», and overlong values are cut. No markup is interpreted (``**``, ``<b>`` and ``=`` print
as they are), and the page-count alias is a random token a name cannot contain.
"""

import secrets
import unicodedata
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from fontTools.ttLib import TTFont
from fpdf import FPDF, FontFace
from fpdf.enums import TableBordersLayout, TableCellFillMode, VAlign, XPos, YPos

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR = FONTS / "DejaVuSansCondensed.ttf"
BOLD = FONTS / "DejaVuSansCondensed-Bold.ttf"
FAMILY = "DejaVuSansCondensed"

# Unicode categories never printed: controls, format characters (direction overrides, zero widths),
# surrogates, private use and unassigned code points.
DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
MISSING_GLYPH = "?"
ELLIPSIS = "…"
# A table cell is cut to this many characters: a row must fit on one page. A fact («Поселения: …»)
# runs over the width of the page and may be longer.
CELL_LIMIT = 300
FACT_LIMIT = 1500

TEXT_SIZE = 10
SMALL_SIZE = 8
TABLE_SIZE = 7.5
HEADER_SIZE = 6.5
LINE = 5  # mm per line of body text
GREY = (90, 90, 90)
HEADER_FILL = (235, 235, 235)


@cache
def printable_characters():
    """The characters both fonts (regular and bold) have a glyph for."""
    regular = set(TTFont(REGULAR)["cmap"].getBestCmap())
    bold = set(TTFont(BOLD)["cmap"].getBestCmap())
    return frozenset(chr(code) for code in regular & bold)


def clean_text(value, limit=None):
    """``value`` as text the document can print: on one line, whitespace collapsed, invisible and
    control characters dropped, characters without a glyph as «?», at most ``limit`` characters."""
    if value is None:
        return ""
    printable = printable_characters()
    characters = []
    for character in str(value):
        if character.isspace():
            characters.append(" ")
        elif unicodedata.category(character) in DROPPED_CATEGORIES:
            continue
        else:
            characters.append(character if character in printable else MISSING_GLYPH)
    text = " ".join("".join(characters).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + ELLIPSIS
    return text


class Document(FPDF):
    """An A4 document (portrait unless told) with the vendored fonts and «Страница N из M» at the foot
    of each page (unless ``page_numbers`` is false).

    Build it with :meth:`heading`, :meth:`paragraph`, :meth:`facts`, :meth:`data_table` and, for a
    page laid out by hand, :meth:`text_box` (all cleaning their text), then take :meth:`to_bytes`.
    """

    def __init__(self, title, *, orientation="portrait", page_numbers=True):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.page_numbers = page_numbers
        self.add_font(FAMILY, "", str(REGULAR))
        self.add_font(FAMILY, "B", str(BOLD))
        # Margins of Russian office documents (ГОСТ Р 7.0.97-2016): 20 mm on the binding side.
        self.set_margins(left=20, top=15, right=12)
        self.set_auto_page_break(auto=True, margin=20)
        self.alias_nb_pages(f"{{{secrets.token_hex(6)}}}")  # not a text a name could contain
        self.set_title(clean_text(title))
        self.set_lang("ru")
        self.set_creator(_("Антикор: обучение"))
        self.set_font(FAMILY, size=TEXT_SIZE)

    def footer(self):
        if not self.page_numbers:
            return
        # Left-aligned from a fixed place: the total is an alias wider than the number it becomes.
        self.set_xy(self.w - self.r_margin - 30, -14)
        self.set_font(FAMILY, size=SMALL_SIZE)
        self.set_text_color(*GREY)
        pages = _("Страница %(page)s из %(pages)s") % {
            "page": self.page_no(),
            "pages": self.str_alias_nb_pages,
        }
        self.cell(0, 5, pages, align="L")
        self.set_text_color(0)

    def heading(self, text, size=14):
        self.set_font(FAMILY, "B", size)
        self.multi_cell(0, size * 0.5, clean_text(text), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FAMILY, size=TEXT_SIZE)

    def paragraph(self, text, size=TEXT_SIZE, bold=False, align="L", grey=False, color=None):
        self.set_font(FAMILY, "B" if bold else "", size)
        if grey or color:
            self.set_text_color(*(color or GREY))
        self.multi_cell(0, size * 0.5, clean_text(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0)
        self.set_font(FAMILY, size=TEXT_SIZE)

    def text_box(self, x, y, width, text, *, size=TEXT_SIZE, bold=False, align="L", color=None, limit=None):
        """``text`` wrapped into a box ``width`` mm wide whose top left corner is at (``x``, ``y``);
        returns the y below it. For pages laid out by hand (a certificate), not for flowing text."""
        self.set_font(FAMILY, "B" if bold else "", size)
        self.set_text_color(*(color or (0, 0, 0)))
        self.set_xy(x, y)
        self.multi_cell(
            width, size * 0.45, clean_text(text, limit), align=align, new_x=XPos.LEFT, new_y=YPos.NEXT
        )
        self.set_text_color(0)
        self.set_font(FAMILY, size=TEXT_SIZE)
        return self.get_y()

    def fitting_size(self, text, width, sizes, max_lines, bold=False):
        """The first (largest) of ``sizes`` at which ``text`` takes at most ``max_lines`` lines of a
        box ``width`` mm wide, or the last (smallest) size when none does."""
        style = "B" if bold else ""
        for size in sizes:
            self.set_font(FAMILY, style, size)
            lines = self.multi_cell(width, size * 0.45, clean_text(text), dry_run=True, output="LINES")
            if len(lines) <= max_lines:
                break
        self.set_font(FAMILY, size=TEXT_SIZE)
        return size

    def space(self, height=LINE):
        self.ln(height)

    def facts(self, pairs, label_width=0.32):
        """Label — value lines without borders, the labels bold (a value may run over several lines)."""
        self.set_font(FAMILY, size=TEXT_SIZE)
        with self.table(
            align="LEFT",  # between the margins: centring on the page ignores their asymmetry
            col_widths=(label_width, 1 - label_width),
            borders_layout=TableBordersLayout.NONE,
            first_row_as_headings=False,
            text_align="LEFT",
            v_align=VAlign.T,
            line_height=LINE,
            padding=(0.6, 1, 0.6, 1),
        ) as table:
            for label, value in pairs:
                row = table.row()
                row.cell(clean_text(label, CELL_LIMIT), style=FontFace(emphasis="BOLD"))
                row.cell(clean_text(value, FACT_LIMIT))
        self.ln(2)

    def data_table(self, header, rows, *, col_widths=None, align=None, size=TABLE_SIZE):
        """A bordered table whose header row is repeated on every page it runs over.

        ``align`` gives each column's alignment ("L", "C", "R"); every cell is cleaned and cut to
        :data:`CELL_LIMIT` characters.
        """
        self.set_font(FAMILY, size=size)
        header_size = HEADER_SIZE if size <= TABLE_SIZE else size - 1
        with self.table(
            align="LEFT",
            col_widths=col_widths,
            text_align=tuple(align) if align else "LEFT",
            v_align=VAlign.T,
            line_height=size * 0.42,
            padding=(0.6, 0.8),
            headings_style=FontFace(emphasis="BOLD", size_pt=header_size, fill_color=HEADER_FILL),
            cell_fill_mode=TableCellFillMode.NONE,
            repeat_headings=1,
        ) as table:
            heading = table.row()
            for label in header:
                heading.cell(clean_text(label, CELL_LIMIT), align="C")
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(clean_text(value, CELL_LIMIT))
        self.set_font(FAMILY, size=TEXT_SIZE)
        self.ln(3)

    def to_bytes(self):
        return bytes(self.output())

"""The rows of an export that are not data (private: used by the CSV reader).

Blank rows (and the Ctrl-Z that ends a DOS text file), total rows (合计, 小计, …),
the header repeated (files joined one after another; either row of a header of
two rows) and the title lines above it, and rows whose width differs from the
header's only by empty unnamed cells; and the notes saying what was skipped.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence

from tobacco_metrics import _headers, _readers

#: A row whose first cell, store or brand says this (and whose store, brand or date is empty
#: or says it too) is a total.
TOTAL_WORDS = frozenset(
    {"合计", "总计", "小计", "总合计", "本页合计", "本页小计", "total", "subtotal", "grandtotal"}
)
#: The DOS end-of-file mark (Ctrl-Z) some Windows programs still end a text file with.
_CTRL_Z = "\x1a"


def flush(pending: list[tuple[int, str, list[str]]], bad: Callable[[int, str], None]) -> None:
    """The pending bad rows are bad: no repeated header follows them."""
    for line, message, _ in pending:
        bad(line, message)
    pending.clear()


def is_title(row: list[str], where: list[int]) -> bool:
    """A row that cannot be data: neither its date nor its quantities read (a title line,
    ``统计日期：,2026-03-02,至,2026-03-08``); a data row with one bad value is not one."""
    cells = [row[i] if i < len(row) else "" for i in where]
    try:
        _readers.parse_day(cells[2])
    except ValueError:
        try:
            _readers.quantity(cells[3], "sales")
            _readers.quantity(cells[4], "inventory")
        except ValueError:
            return True
    return False


def is_blank(row: list[str]) -> bool:
    """A row of empty cells (a blank line), or the Ctrl-Z that ends a DOS text file."""
    return not any(field.replace(_CTRL_Z, "").strip() for field in row)


def ragged(row: list[str], header: list[str]) -> bool:
    """A row whose width differs from the header's only by empty cells under no name: one
    without the header's unnamed trailing cells, or with empty cells after the last."""
    if len(row) > len(header):
        return not any(field.strip() for field in row[len(header) :])
    return not any(name.strip() for name in header[len(row) :])


def width_hint(row: list[str], width: int) -> str:
    """Why a row may have the wrong number of fields, when it can be told."""
    if any("\n" in field for field in row):
        return ': a quote (") opened on this line is not closed'
    if len(row) > width and any(
        re.fullmatch(r"[+-]?\d{1,3}", one.strip()) and re.fullmatch(r"\d{3}(\.\d*)?", two.strip())
        for one, two in itertools.pairwise(row)
    ):
        return ": perhaps a number with a thousands separator (1,234) is not in quotes"
    return ""


def first_cell(row: list[str]) -> str:
    """The first non-empty cell of a row, as header names are compared."""
    text = next((field for field in row if field.strip()), "")
    return _headers.header_key(text)[0]


def total_word(row: list[str]) -> str:
    """The word that makes a row a total (合计, …), for the note."""
    words = (first_cell([cell]) for cell in row)
    return next((word for word in words if word in TOTAL_WORDS), first_cell(row))


def is_total(row: list[str], where: list[int]) -> bool:
    """A total row: its first cell, store or brand says 合计 (or total…) and a store, brand
    or date is empty or says it too (a store's 小计 row under its code, say)."""
    cells = [row[i].strip() if i < len(row) else "" for i in where[:3]]
    first = next((field for field in row if field.strip()), "")
    if not any(_may_say_total(text) for text in (first, cells[0], cells[1])):
        return False  # the common case, told without normalizing any cell
    said = [first_cell([cell]) in TOTAL_WORDS for cell in cells]
    if first_cell(row) not in TOTAL_WORDS and not any(said[:2]):
        return False
    return not all(cells) or any(said)


def _may_say_total(text: str) -> bool:
    """Whether a cell may be a total word (every one has 计 or total, in some width)."""
    lower = text.lower()
    return "计" in text or "total" in lower or "ｔｏｔａｌ" in lower


def is_header(row: list[str], header: list[str]) -> bool:
    """The header again (exports joined one after another)."""
    if len(row) != len(header) or not row or bare(row[0]) != bare(header[0]):
        return False
    return [bare(field) for field in row] == [bare(name) for name in header]


def is_header_row(row: list[str], written: Sequence[list[str]]) -> bool:
    """Either row of a header of two rows (``written``) again, empty cells after the last
    not counted (a worksheet row is padded to the header's width)."""
    first = bare(row[0]) if row else ""
    return any(
        first == (bare(header_row[0]) if header_row else "")
        and _trimmed(row) == _trimmed(header_row)
        for header_row in written
    )


def is_repeated(row: list[str], header: list[str], written: Sequence[list[str]] = ()) -> bool:
    """The header again: :func:`is_header`, or for a header of two rows :func:`is_header_row`."""
    return is_header_row(row, written) if written else is_header(row, header)


def _trimmed(row: list[str]) -> list[str]:
    """The cells as :func:`bare`, without the empty ones after the last."""
    cells = [bare(field) for field in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def bare(cell: str) -> str:
    """A cell without surrounding spaces or a byte-order mark (files joined by ``cat``)."""
    return cell.replace("\ufeff", "").strip()


def notes(
    skip: int,
    header: list[str],
    skipped: list[tuple[int, list[str]]],
    titles: Sequence[tuple[int, list[str]]] = (),
    unit: str = "line",
    written: Sequence[list[str]] = (),
) -> tuple[str, ...]:
    """What the reader skipped, in words for stderr; lines are counted in ``unit`` (a CSV's
    ``line``, a worksheet's ``row``); ``written``: the rows of a header of two rows."""
    notes = []
    if skip:
        notes.append(f"the header is on {unit} {skip + 1}: {_count(skip, unit)} above it skipped")
    if written:
        notes.append(f"the header takes two {unit}s, {skip + 1} and {skip + 2}")
    notes.extend(_skipped_rows(header, skipped, unit, written))
    if titles:
        lines = _lines([line for line, _ in titles], unit)
        notes.append(
            f"{_count(len(titles), f'title {unit}')} above a repeated header skipped ({lines})"
        )
    return tuple(notes)


def _skipped_rows(
    header: list[str],
    skipped: list[tuple[int, list[str]]],
    unit: str,
    written: Sequence[list[str]] = (),
) -> list[str]:
    """The notes on the ``skipped`` rows: the total rows (with their word), then the
    repeated header rows."""
    notes = []
    totals = [
        (line, total_word(row)) for line, row in skipped if not is_repeated(row, header, written)
    ]
    if totals:
        listed = _first([f"{unit} {line} ({word})" for line, word in totals])
        notes.append(f"{_count(len(totals), 'total row')} skipped: {listed}")
    headers = [line for line, row in skipped if is_repeated(row, header, written)]
    if headers:
        notes.append(
            f"{_count(len(headers), 'repeated header row')} skipped ({_lines(headers, unit)})"
        )
    return notes


def _count(count: int, thing: str) -> str:
    return f"{count} {thing}{'s' if count != 1 else ''}"


def _first(items: list[str]) -> str:
    """The first five items, and "…" for more."""
    return ", ".join(items[:5]) + (", …" if len(items) > 5 else "")


def _lines(numbers: list[int], unit: str) -> str:
    return f"{unit}{'s' if len(numbers) != 1 else ''} {_first([str(n) for n in numbers])}"

"""Reading an Excel workbook's sheet for the command line (private; openpyxl, the ``excel`` extra).

A worksheet is read with openpyxl in read-only mode, values only (a formula's
value as Excel saved it; and the number formats of the store and brand cells
when the workbook declares a format of zeros), each cell turned into the text a CSV of the sheet
holds, and its rows go through the CSV reader's rules
(:mod:`tobacco_metrics._row_reader`): the same header detection (a header of two
rows of merged cells included, openpyxl reading a merged cell's value in its
top-left cell and nothing in the others), title rows,
total rows, dates, quantities and duplicates, with the worksheet's row numbers.

A cell as text:

* empty: ``''``; text as written;
* a whole number: its digits (``310``, ``310.0`` -> ``'310'``); another number:
  its shortest form (``12.5``); a number of 16 digits or more, which Excel does
  not keep exactly, in scientific notation, so that as a code it is refused as
  one a spreadsheet wrote so;
* a date: ``YYYY-MM-DD``; a date and time at midnight the same; another time
  of day ``YYYY-MM-DD HH:MM:SS``, refused as a date like its text in a CSV;
* TRUE and FALSE as those words (not a quantity).

A store or brand code that is a whole number with a number format of zeros only
(``0000``, which pads it: ``310`` shows ``0310``) is read as the text Excel shows,
as a CSV of the sheet holds it; under any other format (``"C"000``, ``@``,
``0.0``) a number is read by its value.  A quantity or a date
is its value, whatever its format.

A store or brand column that holds codes as numbers (without such a format) in
some data rows and as text of digits (or zero-padded numbers) in others is
refused, naming the rows: a number has lost the leading zeros its text had
(``0310`` typed as a number is ``310``), so the two cannot be told apart; numbers
beside codes with letters (``C001``) are read as their digits.  A formula whose
value the workbook does not store (saved by a program, never calculated by
Excel) is refused naming its cell.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from tobacco_metrics import _export_rows as _rows
from tobacco_metrics._io import HEADER_LINES, Dialect, Source, header_columns, pick_header
from tobacco_metrics._readers import LongTable, cell_text
from tobacco_metrics._row_reader import SHOWN, BadRowsError, read_rows
from tobacco_metrics.errors import InvalidValueError

_ZIP = b"PK\x03\x04"  # .xlsx and .xlsm are ZIP archives
_OLE = bytes.fromhex("D0CF11E0A1B11AE1")  # .xls, Excel 97-2003
#: Numbers of this size or more have more digits than Excel keeps (15).
_EXACT = 10**15
#: A number format that pads a whole number with leading zeros (``0000``).
_ZEROS = re.compile("00+")
#: A stylesheet declaring such a format (only then are the cells' formats read).
_ZEROS_DECLARED = re.compile(rb"""formatCode\s*=\s*["']00+["']""")
_VALUE = operator.attrgetter("value")
_NO_OPENPYXL = "reading an Excel workbook needs openpyxl: pip install 'tobacco-metrics[excel]'"


def is_workbook(source: Source) -> bool:
    """Whether the input starts as an Excel workbook (or another ZIP archive) does."""
    return not source.is_parquet and source.head(8).startswith((_ZIP, _OLE))


def as_text(value: object) -> str:
    """A cell's value as the text a CSV of the sheet holds (see the module).

    >>> [as_text(v) for v in (None, " C1", 310, 310.0, 12.5, True, dt.date(2026, 3, 2))]
    ['', ' C1', '310', '310', '12.5', 'TRUE', '2026-03-02']
    >>> as_text(dt.datetime(2026, 3, 2)), as_text(dt.datetime(2026, 3, 2, 8, 30))
    ('2026-03-02', '2026-03-02 08:30:00')
    >>> as_text(6901028075018123.0)
    '6.9010280750181230e+15'
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if abs(value) >= _EXACT:
            return f"{float(value):.16e}"
        if isinstance(value, int) or value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)  # a time of day, a duration: not a date nor a number


def padded(value: object, number_format: str) -> str | None:
    """The text Excel shows for a whole number of a format of zeros only (``0000``),
    which pads it with leading zeros; None for any other value or format.

    >>> padded(310, "0000"), padded(310.0, "000000"), padded(12345, "0000"), padded(-7, "00")
    ('0310', '000310', '12345', '-07')
    >>> padded(310, "0"), padded(310, "General"), padded(310, '"C"0000'), padded(3.5, "0000")
    (None, None, None, None)
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not _ZEROS.fullmatch(number_format) or abs(value) >= _EXACT:
        return None
    if not float(value).is_integer():
        return None
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(int(value)):0{len(number_format)}d}"


class _SheetRow(list[str]):
    """A worksheet row's cells as text, the positions of those that held numbers, and those
    of zero-padded numbers with their format (read as the text they show)."""

    numbers: frozenset[int]
    formats: dict[int, str]


def _sheet_row(
    values: tuple[Any, ...], width: int, shown: dict[int, tuple[str, str]] | None = None
) -> _SheetRow:
    """A row as text without its empty cells after the last, padded to the header's width;
    ``shown`` gives (text, format) of the cells whose format pads a number."""
    end = len(values)
    while end and values[end - 1] is None:
        end -= 1
    row = _SheetRow(value if type(value) is str else as_text(value) for value in values[:end])
    row.extend([""] * (width - end))
    shown = shown or {}
    for i, (text, _) in shown.items():
        row[i] = text
    row.numbers = frozenset(
        i
        for i, value in enumerate(values[:end])
        if (type(value) is int or type(value) is float) and i not in shown
    )
    row.formats = {i: number_format for i, (_, number_format) in shown.items()}
    return row


@attrs.define
class _Codes:
    """Whether the first code of digits in the store and brand columns is a number or text
    (and its row), to refuse a data row holding one of the other kind."""

    where: list[int]
    first: dict[int, tuple[bool, int, str]] = attrs.field(factory=dict)

    def check(self, line: int, row: list[str]) -> None:
        numbers = row.numbers if isinstance(row, _SheetRow) else frozenset()
        formats = row.formats if isinstance(row, _SheetRow) else {}
        for column, name in zip(self.where[:2], ("store", "brand"), strict=False):
            number = column in numbers
            if not number and not cell_text(row[column]).isdigit():
                continue  # a code with letters (C001): nothing to confuse it with
            code = _code(row[column], number, formats.get(column))
            kind, at, first = self.first.setdefault(column, (number, line, code))
            if kind != number:
                raise ValueError(
                    f"{name!r} {code} while row {at}'s {name!r} {first}: a column must hold its "
                    "codes all as text (or numbers formatted with leading zeros, 0000) or all "
                    "as numbers (a number drops a code's leading zeros: 0310 is 310); format "
                    "the column as text"
                )


def _code(text: str, number: bool, number_format: str | None) -> str:
    if number:
        return f"{text.strip()} is a number"
    if number_format is not None:
        return f"{text!r} is a number formatted {number_format}"
    return f"{text!r} is text"


def _openpyxl(name: str) -> Any:
    try:
        import openpyxl
    except ImportError:
        raise BadRowsError(name, [(1, _NO_OPENPYXL)], 1) from None
    return openpyxl


def _unreadable(error: str) -> str:
    return (
        f"an Excel workbook (or another ZIP archive) that cannot be read as one ({error}): "
        "save it from Excel as .xlsx (Excel Workbook) or as CSV UTF-8"
    )


def _check_archive(name: str, handle: Any) -> bool:
    """BadRowsError unless the ZIP archive holds a workbook openpyxl reads (not .xlsb);
    whether its stylesheet declares a number format of zeros (``0000``)."""
    try:
        with zipfile.ZipFile(handle) as archive:
            parts = set(archive.namelist())
            styles = archive.read("xl/styles.xml") if "xl/styles.xml" in parts else b""
    except Exception as error:  # only zipfile runs here: BadZipFile, zlib, NotImplemented…
        raise BadRowsError(name, [(1, _unreadable(str(error)))], 1) from None
    if "xl/workbook.bin" in parts:
        raise BadRowsError(name, [(1, _unreadable("a binary workbook, .xlsb"))], 1)
    if "xl/workbook.xml" not in parts:
        raise BadRowsError(name, [(1, _unreadable("no xl/workbook.xml in it"))], 1)
    return _ZEROS_DECLARED.search(styles) is not None


def _load(name: str, handle: Any, data_only: bool) -> Any:
    """The workbook, read-only; BadRowsError if openpyxl cannot read it."""
    openpyxl = _openpyxl(name)
    handle.seek(0)
    try:
        return openpyxl.load_workbook(handle, read_only=True, data_only=data_only)
    except Exception as error:  # a damaged archive raises zipfile, KeyError, XML errors
        raise BadRowsError(
            name, [(1, _unreadable(f"{type(error).__name__}: {error}"))], 1
        ) from None


def read_workbook(
    source: Source, columns: Any, sheet: str | None, encoding: str | None
) -> LongTable:
    """Read and check one worksheet of a workbook as an export (see the module)."""
    if source.head(8).startswith(_OLE):
        message = (
            "an Excel 97-2003 workbook (.xls), which is not read: save it from Excel as "
            ".xlsx (Excel Workbook) or as CSV UTF-8"
        )
        raise BadRowsError(source.name, [(1, message)], 1)
    notes = [] if encoding is None else ["--encoding ignored: a workbook's text is Unicode"]
    with warnings.catch_warnings(), source.binary() as handle:
        warnings.simplefilter("ignore")  # openpyxl on styles and extensions it drops
        zeros = _check_archive(source.name, handle)
        book = _load(source.name, handle, data_only=True)
        try:
            worksheet, chosen = _worksheet(source.name, book, sheet)
            name = f"{source.name}, sheet {worksheet.title!r}"
            table = _read_sheet(name, handle, worksheet, columns, zeros)
        finally:
            book.close()
    return attrs.evolve(table, notes=(*chosen, *notes, *table.notes))


def _worksheet(name: str, book: Any, sheet: str | None) -> tuple[Any, tuple[str, ...]]:
    """The worksheet ``sheet`` names (a name, else a position from 1), by default the first
    visible one; and a note naming it when the workbook has others."""
    sheets = list(book.worksheets)
    titles = [worksheet.title for worksheet in sheets]
    shown = ", ".join(repr(title) for title in titles[:10]) + (", …" if len(titles) > 10 else "")
    if not sheets:
        raise BadRowsError(name, [(1, "the workbook has no worksheet")], 1)
    if sheet is None:
        visible = [worksheet for worksheet in sheets if worksheet.sheet_state == "visible"]
        chosen = (visible or sheets)[0]
        if len(sheets) == 1:
            return chosen, ()
        which = "first" if chosen is sheets[0] else "first visible"
        return chosen, (
            f"the workbook has {len(sheets)} sheets ({shown}): read the {which}, "
            f"{chosen.title!r} (--sheet NAME, or --sheet N for the Nth, reads another)",
        )
    if sheet in titles:
        return sheets[titles.index(sheet)], ()
    if sheet.strip().isdigit() and 1 <= int(sheet) <= len(sheets):
        return sheets[int(sheet) - 1], ()
    raise InvalidValueError(
        f"--sheet {sheet}: no such worksheet; the workbook has {shown} "
        f"(--sheet takes a name, or a position from 1 to {len(sheets)})"
    )


class _DamagedError(BadRowsError):
    """A worksheet whose compressed XML cannot be read to its end (a damaged file)."""


def _sheet_rows(
    name: str, worksheet: Any, zeros: bool
) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...]]]:
    """Each row's values, and its cells (for their number formats) when ``zeros``: the
    workbook declares a format of zeros (reading cells rather than values costs time).

    A damaged sheet (openpyxl's zlib, zipfile or XML errors while it reads) is a
    :class:`_DamagedError` naming the row it stopped at.
    """
    worksheet.reset_dimensions()  # the size a file states may be wrong: read every row
    rows = worksheet.iter_rows() if zeros else worksheet.iter_rows(values_only=True)
    for number in itertools.count(1):
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as error:  # only openpyxl's reading runs in this try
            damaged = _unreadable(f"damaged at this row, {type(error).__name__}: {error}")
            raise _DamagedError(name, [(number, damaged)], 1, "row") from None
        yield (tuple(map(_VALUE, row)), row) if zeros else (row, ())


def _shown(cells: tuple[Any, ...], labels: list[int]) -> dict[int, tuple[str, str]]:
    """(text, format) of the label cells whose format pads a whole number (``0000``)."""
    shown = {}
    for column in labels:
        if column < len(cells) and type(cells[column].value) in (int, float):
            number_format = cells[column].number_format
            text = padded(cells[column].value, number_format)
            if text is not None:
                shown[column] = (text, number_format)
    return shown


def _read_sheet(
    name: str, handle: Any, worksheet: Any, columns: Any, zeros: bool = False
) -> LongTable:
    """The worksheet's rows through the CSV reader's rules, with the formula check."""
    rows = enumerate(_sheet_rows(name, worksheet, zeros), start=1)
    first = list(itertools.islice(rows, HEADER_LINES))
    dialects = [
        Dialect("", "", _sheet_row(values, 0), skip=number - 1)
        for number, (values, _) in first
        if not _rows.is_blank([as_text(value) for value in values])
    ]
    if not dialects:
        raise BadRowsError(name, [(1, "the sheet is empty: expected a header")], 1, "row")
    dialect = pick_header(dialects, columns)
    where = header_columns(name, dialect, columns, "row")
    below = itertools.chain(first[dialect.skip + dialect.depth :], rows)
    codes = _Codes(where)
    blank: set[int] = set()  # rows of cells all empty: an uncached formula reads empty
    try:
        table = read_rows(
            name,
            dialect.header,
            dialect.skip,
            where,
            _numbered(below, len(dialect.header), where[:2], blank),
            "row",
            codes.check,
            dialect.written,
        )
    except _DamagedError:
        raise
    except BadRowsError as error:
        rows_named = {row for row, _ in error.problems} | blank
        _check_formulas(name, handle, worksheet.title, where, rows_named)
        raise
    if blank:
        _check_formulas(name, handle, worksheet.title, where, blank, values=False)
    return table


def _numbered(
    rows: Iterable[tuple[int, tuple[tuple[Any, ...], tuple[Any, ...]]]],
    width: int,
    labels: list[int],
    blank: set[int],
) -> Iterator[tuple[int, list[str]]]:
    """The rows as text with their numbers, the ``labels`` columns as shown by a format of
    zeros; ``blank`` gets the numbers of the rows of cells all empty."""
    for number, (values, cells) in rows:
        if values and all(value is None for value in values):
            blank.add(number)
        yield number, _sheet_row(values, width, _shown(cells, labels) if cells else None)


def _check_formulas(
    name: str, handle: Any, title: str, where: list[int], rows: set[int], values: bool = True
) -> None:
    """BadRowsError naming the cells of the five columns in ``rows`` whose formula has no
    stored value (without ``values``, the rows are known to have none); nothing if none."""
    books = [_load(name, handle, data_only=False)]
    if values:
        books.append(_load(name, handle, data_only=True))
    try:
        found = list(_uncached([book[title] for book in books], where, rows))
    finally:
        for book in books:
            book.close()
    if found:
        problems = [
            (
                row,
                f"column {letter} holds a formula ({formula}) whose value the workbook does not "
                "store (a program wrote it, Excel never calculated it): open the workbook in "
                "Excel and save it, then read it again",
            )
            for row, letter, formula in found[:SHOWN]
        ]
        raise BadRowsError(name, problems, len(found), "row")


def _uncached(
    worksheets: list[Any], where: list[int], rows: set[int]
) -> Iterator[tuple[int, str, str]]:
    """(row, column letter, formula) of such a cell of the five columns, one per row; the
    worksheets read with formulas and (if given) with values."""
    from openpyxl.utils import get_column_letter

    for worksheet in worksheets:
        worksheet.reset_dimensions()
    last = max(rows, default=0)
    lines = zip(
        *(sheet.iter_rows(max_row=last, values_only=True) for sheet in worksheets), strict=False
    )
    for number, cells in enumerate(lines, start=1):
        if number not in rows:
            continue
        texts, values = cells[0], cells[-1] if len(cells) > 1 else ()
        for column in where:
            text = getattr(texts[column], "text", texts[column]) if column < len(texts) else None
            value = values[column] if column < len(values) else None
            if value is None and isinstance(text, str) and text.startswith("="):
                yield number, get_column_letter(column + 1), text
                break

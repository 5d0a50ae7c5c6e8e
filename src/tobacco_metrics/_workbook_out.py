"""Writing a report as an Excel workbook (private; openpyxl, the ``excel`` extra).

The command line writes a report named ``.xlsx`` with openpyxl in write-only
mode: rows are streamed to the file, so memory does not grow with the report.
The workbook has one sheet, named after the command (``cycle``, ``quota``), with
the CSV report's header row (bold, frozen) and its cells:

* a number: an Excel number, rounded as in the CSV (``--decimals``); NaN and
  ±inf: an empty cell, as in the CSV;
* a label (store, brand) and any other text (``month``): a text cell, so that
  ``0310`` keeps its zero and a 13-digit barcode is not shown as ``6.90103E+12``;
  a label starting with ``=`` is text, never a formula;
* a date column (``cycle_start``, ``cycle_end``, ``order_day``,
  ``moved_from``): an Excel date with the format ``yyyy-mm-dd``; an empty
  ``moved_from``: an empty cell.

The file is written as the other reports are (a temporary file beside it,
renamed when complete).  A label holding a control character, which a workbook
cannot store, is refused (write the report as CSV).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, BinaryIO

import numpy as np

from tobacco_metrics._exports import Coded, Columns, OutputError

#: The report columns whose text is an ISO date (written as Excel dates).
DATE_COLUMNS = frozenset({"cycle_start", "cycle_end", "order_day", "moved_from"})
_NO_OPENPYXL = "writing an Excel workbook needs openpyxl: pip install 'tobacco-metrics[excel]'"


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise OutputError(_NO_OPENPYXL) from None
    return openpyxl


def check_openpyxl() -> None:
    """OutputError (naming the ``excel`` extra) unless openpyxl can be imported."""
    _openpyxl()


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _dates(values: Any) -> list[Any]:
    """A date column (ISO text, ``''`` for none) as dates: each distinct text parsed once."""
    if isinstance(values, Coded):
        labels = np.empty(len(values.labels), dtype=object)
        labels[:] = [_date(text) for text in values.labels]
        taken: list[Any] = labels[values.codes].tolist()
        return taken
    texts = np.asarray(values, dtype=object)
    distinct, codes = np.unique(texts.astype(str), return_inverse=True)
    return _dates(Coded(codes.reshape(-1), tuple(distinct.tolist())))


def _cells(name: str, values: Any) -> list[Any]:
    """One report column as the values of its cells (None: an empty cell)."""
    if name in DATE_COLUMNS:
        return _dates(values)
    if isinstance(values, Coded):
        values = values.text()
    values = np.asarray(values)
    if values.dtype.kind == "f":
        cells = values.astype(object)
        cells[~np.isfinite(values)] = None
        values = cells
    column: list[Any] = values.tolist()
    return column


def _as_text(sheet: Any, cell_type: Any, values: list[Any]) -> list[Any]:
    """A text column's cells: a text openpyxl would take for a formula (``=…``) or an
    error (``#N/A``) is set as a text cell."""
    risky = [i for i, value in enumerate(values) if value.startswith(("=", "#"))]
    for i in risky:
        cell = cell_type(sheet, value=values[i])
        cell.data_type = "s"
        values[i] = cell
    return values


#: The most characters an Excel cell holds: openpyxl would write a longer text cut short.
_CELL_CHARACTERS = 32_767


def _check_lengths(name: str, values: list[Any]) -> None:
    """OutputError for a text longer than a cell holds (it would be written cut short)."""
    for value in values:
        if len(value) > _CELL_CHARACTERS:
            raise OutputError(
                f"a {name!r} label of {len(value):,} characters is longer than an Excel cell "
                f"holds ({_CELL_CHARACTERS:,}): write the report as .csv"
            )


def _header(sheet: Any, cell_type: Any, names: Sequence[str]) -> list[Any]:
    from openpyxl.styles import Font

    bold = Font(bold=True)
    header = []
    for name in names:
        cell = cell_type(sheet, value=name)
        cell.font = bold
        header.append(cell)
    return header


def _discard(sheet: Any) -> None:
    """Close a sheet whose report failed and remove openpyxl's temporary file of its rows."""
    with contextlib.suppress(Exception):
        sheet.close()
    writer = sheet._writer
    if writer is not None:
        with contextlib.suppress(Exception):
            writer.cleanup()


def write(handle: BinaryIO, names: Sequence[str], parts: Iterable[Columns], *, sheet: str) -> int:
    """Write the (rounded) report parts as a workbook of one sheet; returns the rows."""
    openpyxl = _openpyxl()
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils.exceptions import IllegalCharacterError

    book = openpyxl.Workbook(write_only=True)
    table = book.create_sheet(sheet)
    table.freeze_panes = "A2"
    table.append(_header(table, WriteOnlyCell, names))
    rows = 0
    try:
        for part in parts:
            columns = [_cells(name, part[name]) for name in names]
            for name, column in zip(names, columns, strict=True):
                if column and isinstance(column[0], str):
                    _check_lengths(name, column)
                    _as_text(table, WriteOnlyCell, column)
            rows += len(columns[0])
            for row in zip(*columns, strict=True):
                table.append(row)
    except IllegalCharacterError as error:
        _discard(table)
        raise OutputError(
            f"a label holds a control character, which a workbook cannot store ({error}): "
            "write the report as .csv"
        ) from None
    except BaseException:
        _discard(table)
        raise
    book.save(handle)
    return rows

"""The rows below an export's header, read into a checked long table (private).

One loop serves every reader of rows: the CSV reader (rows of text from the
``csv`` module) and the workbook reader (a worksheet's cells as text).  Blank
rows, total rows, repeated headers (either row of a header of two rows) and the
title lines above them are skipped by the rules of
:mod:`tobacco_metrics._export_rows`; each data row's values are read by the
rules of :mod:`tobacco_metrics._readers`; every bad row is collected with its
number, so that a user fixes a file in one go.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs
import numpy as np

from tobacco_metrics import _export_rows as _rows
from tobacco_metrics import _readers
from tobacco_metrics._readers import LongTable

#: The most bad rows listed in an error (the others are counted).
SHOWN = 20
NO_DATA_ROWS = "no data rows after the header"  # an export with a header only


class BadRowsError(Exception):
    """Rows of an input file that cannot be read; ``problems`` lists (line, message).

    ``unit`` names what the numbers count: a CSV's ``line``, a worksheet's ``row``.
    """

    def __init__(
        self, path: str, problems: list[tuple[int, str]], total: int, unit: str = "line"
    ) -> None:
        self.path = path
        self.problems = problems
        self.total = total
        self.unit = unit
        if total == 1 and len(problems) == 1:
            line, message = problems[0]
            text = f"{path}: {unit} {line}: {message}; nothing was written"
        else:
            lines = [f"{path}: {total} bad row{'s' if total != 1 else ''}:"]
            lines += [f"  {unit} {line}: {message}" for line, message in problems]
            if total > len(problems):
                lines.append(f"  … and {total - len(problems)} more")
            lines.append("nothing was written")
            text = "\n".join(lines)
        super().__init__(text)


def _row_values(
    row: list[str], where: list[int], days: dict[str, int]
) -> tuple[str, str, int, float, float]:
    """A data row's store, brand, day number, sales and stock; ValueError naming the cell.

    ``days`` caches the day number of each date text (a file repeats its dates).
    """
    store, brand, date, sold, stock = (row[i] for i in where)
    if _readers.is_empty(store):
        raise ValueError("'store' is empty")
    if _readers.is_empty(brand):
        raise ValueError("'brand' is empty")
    day = days.get(date)
    if day is None:
        try:
            day = days[date] = _readers.parse_day(date)
        except ValueError as error:
            raise ValueError(f"'date' {date!r} is {error}") from None
    return (
        store,
        brand,
        day,
        _readers.quantity(sold, "sales"),
        _readers.quantity(stock, "inventory"),
    )


def read_rows(
    name: str,
    header: list[str],
    skip: int,
    where: list[int],
    numbered: Iterable[tuple[int, list[str]]],
    unit: str = "line",
    check: Callable[[int, list[str]], None] | None = None,
    written: Sequence[list[str]] = (),
) -> LongTable:
    """The rows below the header (the ``skip`` + 1st line), each with its line (or row)
    number, as a checked table: every bad row collected with its number; ``check`` may refuse
    a data row (ValueError).  ``written`` holds the rows of a header of two rows as written
    (``header`` then holds its names), each of which, repeated, is a header row."""
    problems: list[tuple[int, str]] = []
    total_bad = 0

    def bad(line: int, message: str) -> None:
        nonlocal total_bad
        total_bad += 1
        if len(problems) < SHOWN:
            problems.append((line, message))

    store_table: dict[str, int] = {}
    brand_table: dict[str, int] = {}
    days: dict[str, int] = {}
    store_codes = array("q")
    brand_codes = array("q")
    day_numbers = array("q")
    sales = array("d")
    inventory = array("d")
    lines = array("q")
    width = len(header)
    skipped: list[tuple[int, list[str]]] = []
    titles: list[tuple[int, list[str]]] = []  # the title lines of exports joined to the first
    pending: list[tuple[int, str, list[str]]] = []  # bad rows, unless a header follows them
    # the header again: one row, or either row of a header of two rows
    repeated: Callable[[list[str], Any], bool] = _rows.is_header_row if written else _rows.is_header
    again: Any = written or header
    for line, row in numbered:
        if _rows.is_blank(row):
            continue  # a blank line, a row of empty cells, or Ctrl-Z at the end
        if repeated(row, again):
            # the rows just above it that are not data: the title of an export
            # joined after another
            if all(_rows.is_title(title, where) for _, _, title in pending):
                titles += [(at, title) for at, _, title in pending]
                pending.clear()
            _rows.flush(pending, bad)
            skipped.append((line, row))
            continue
        if _rows.is_total(row, where):
            _rows.flush(pending, bad)
            skipped.append((line, row))
            continue
        if len(row) != width and not _rows.ragged(row, header):
            hint = _rows.width_hint(row, width)
            pending.append((line, f"expected {width} fields, got {len(row)}{hint}", row))
            continue
        try:
            store, brand, day, sold_value, stock_value = _row_values(row, where, days)
            if check is not None:
                check(line, row)
        except ValueError as error:
            pending.append((line, str(error), row))
            continue
        if pending:
            _rows.flush(pending, bad)
        store_codes.append(store_table.setdefault(store, len(store_table)))
        brand_codes.append(brand_table.setdefault(brand, len(brand_table)))
        day_numbers.append(day)
        sales.append(sold_value)
        inventory.append(stock_value)
        lines.append(line)
    _rows.flush(pending, bad)
    if total_bad:
        raise BadRowsError(name, problems, total_bad, unit)
    if not lines:
        raise BadRowsError(name, [(skip + 1 + max(1, len(written)), NO_DATA_ROWS)], 1, unit)
    line_numbers = np.frombuffer(lines, dtype=np.int64)
    stores, store_index = _readers.sorted_labels(
        list(store_table), np.frombuffer(store_codes, dtype=np.int64)
    )
    brands, brand_index = _readers.sorted_labels(
        list(brand_table), np.frombuffer(brand_codes, dtype=np.int64)
    )
    table = _readers.assemble(
        stores,
        brands,
        store_index,
        brand_index,
        np.frombuffer(day_numbers, dtype=np.int64).astype(np.int32),
        np.frombuffer(sales, dtype=np.float64),
        np.frombuffer(inventory, dtype=np.float64),
        lambda row: f"{unit} {int(line_numbers[row])}",
    )
    notes = _rows.notes(skip, header, skipped, titles, unit, written)
    return attrs.evolve(table, notes=notes)

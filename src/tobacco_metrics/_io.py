"""CSV reading and writing for the command line (private: the core does no I/O).

The long CSV an ERP exports has a header naming ``store``, ``brand``,
``date``, ``sales`` and ``inventory`` (in any order; other columns are
ignored) and one row per store, brand and day.  Every row is checked while it
is read; all bad rows are collected with their line numbers, so a user fixes
a file in one go rather than one error at a time.  Output files are written to
a temporary file beside the target and renamed into place only when complete,
so a failure never leaves half a file.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
import tempfile
from array import array
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs
import numpy as np
from numpy.typing import NDArray

COLUMNS = ("store", "brand", "date", "sales", "inventory")
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_SHOWN = 20


class BadRowsError(Exception):
    """Rows of an input file that cannot be read; ``problems`` lists (line, message)."""

    def __init__(self, path: str, problems: list[tuple[int, str]], total: int) -> None:
        self.path = path
        self.problems = problems
        self.total = total
        lines = [f"{path}: {total} bad row{'s' if total != 1 else ''}:"]
        lines += [f"  line {line}: {message}" for line, message in problems]
        if total > len(problems):
            lines.append(f"  … and {total - len(problems)} more")
        lines.append("nothing was written")
        super().__init__("\n".join(lines))


@attrs.frozen(eq=False)
class LongTable:
    """The columns of a long CSV, with the line number each row came from."""

    store: NDArray[Any]
    brand: NDArray[Any]
    date: NDArray[np.datetime64]
    sales: NDArray[np.float64]
    inventory: NDArray[np.float64]
    lines: NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.lines)


def _iso_day(text: str) -> int:
    """Days since 1970-01-01 of an ISO 'YYYY-MM-DD' date; ValueError otherwise."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise ValueError("not an ISO date 'YYYY-MM-DD'")
    return dt.date.fromisoformat(text).toordinal() - _EPOCH_ORDINAL


def _quantity(text: str, name: str) -> float:
    stripped = text.strip()
    if not stripped:
        raise ValueError(f"{name!r} is empty")
    try:
        value = float(stripped)
    except ValueError:
        raise ValueError(f"{name!r} must be a number: {text!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"{name!r} must be finite: {text!r}")
    if value < 0:
        raise ValueError(f"{name!r} must be >= 0: {text!r}")
    return value


def read_long_csv(
    path: str | os.PathLike[str],
    *,
    progress: Callable[[int], None] | None = None,
    every: int = 1_000_000,
) -> LongTable:
    """Read and check a long CSV; raise BadRowsError listing every bad row.

    ``progress(rows)`` is called each ``every`` rows read.
    """
    name = os.fspath(path)
    problems: list[tuple[int, str]] = []
    total_bad = 0

    def bad(line: int, message: str) -> None:
        nonlocal total_bad
        total_bad += 1
        if len(problems) < _SHOWN:
            problems.append((line, message))

    labels: dict[str, dict[str, int]] = {"store": {}, "brand": {}}
    days: dict[str, int] = {}
    store_codes = array("q")
    brand_codes = array("q")
    day_numbers = array("q")
    sales = array("d")
    inventory = array("d")
    lines = array("q")
    with open(name, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise BadRowsError(name, [(1, "the file is empty: expected a header")], 1)
        header = [column.strip() for column in header]
        missing = [column for column in COLUMNS if column not in header]
        if missing:
            raise BadRowsError(
                name,
                [
                    (
                        1,
                        f"the header must name {', '.join(COLUMNS)}; missing "
                        f"{', '.join(missing)} (got {', '.join(header)})",
                    )
                ],
                1,
            )
        where = [header.index(column) for column in COLUMNS]
        width = len(header)
        for row in reader:
            line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            if len(row) != width:
                bad(line, f"expected {width} fields, got {len(row)}")
                continue
            store, brand, date, sold, stock = (row[i] for i in where)
            try:
                if not store.strip():
                    raise ValueError("'store' is empty")
                if not brand.strip():
                    raise ValueError("'brand' is empty")
                day = days.get(date)
                if day is None:
                    try:
                        day = days[date] = _iso_day(date)
                    except ValueError as error:
                        raise ValueError(f"'date' {date!r} is {error}") from None
                sold_value = _quantity(sold, "sales")
                stock_value = _quantity(stock, "inventory")
            except ValueError as error:
                bad(line, str(error))
                continue
            store_table = labels["store"]
            brand_table = labels["brand"]
            store_codes.append(store_table.setdefault(store, len(store_table)))
            brand_codes.append(brand_table.setdefault(brand, len(brand_table)))
            day_numbers.append(day)
            sales.append(sold_value)
            inventory.append(stock_value)
            lines.append(line)
            if progress is not None and len(lines) % every == 0:
                progress(len(lines))
    if total_bad:
        raise BadRowsError(name, problems, total_bad)
    if not lines:
        raise BadRowsError(name, [(2, "no data rows after the header")], 1)
    return LongTable(
        store=_labels(labels["store"])[np.frombuffer(store_codes, dtype=np.int64)],
        brand=_labels(labels["brand"])[np.frombuffer(brand_codes, dtype=np.int64)],
        date=np.frombuffer(day_numbers, dtype=np.int64).astype("datetime64[D]"),
        sales=np.frombuffer(sales, dtype=np.float64),
        inventory=np.frombuffer(inventory, dtype=np.float64),
        lines=np.frombuffer(lines, dtype=np.int64),
    )


def _labels(table: dict[str, int]) -> NDArray[Any]:
    labels = np.empty(len(table), dtype=object)
    labels[:] = list(table)
    return labels


def read_holidays(path: str | os.PathLike[str]) -> list[dt.date]:
    """One ISO date per line; blank lines and ``#`` comments are ignored."""
    name = os.fspath(path)
    dates: list[dt.date] = []
    problems: list[tuple[int, str]] = []
    total = 0
    with open(name, encoding="utf-8-sig") as handle:
        for number, text in enumerate(handle, start=1):
            value = text.split("#", 1)[0].strip()
            if not value:
                continue
            try:
                dates.append(dt.date.fromordinal(_iso_day(value) + _EPOCH_ORDINAL))
            except ValueError as error:
                total += 1
                if len(problems) < _SHOWN:
                    problems.append((number, f"{value!r} is {error}"))
    if total:
        raise BadRowsError(name, problems, total)
    return dates


def write_csv_atomically(
    path: str | os.PathLike[str],
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> int:
    """Write a CSV to a temporary file beside ``path``, then rename it into place.

    Returns the number of data rows.  On any error the temporary file is
    removed and ``path`` is left as it was.
    """
    target = Path(path)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or Path(".")
    )
    count = 0
    try:
        with os.fdopen(descriptor, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow(row)
                count += 1
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


def stderr_progress(stream: TextIO) -> Callable[[int], None]:
    """A progress callback printing one line per call on ``stream``."""

    def report(rows: int) -> None:
        print(f"progress: {rows:,} rows read", file=stream, flush=True)

    return report

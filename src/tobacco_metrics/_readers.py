"""Reading what ERP systems export (private): headers, dates, labels, the long table.

One implementation of the rules serves the command line (CSV and Parquet
files, with or without pyarrow) and :meth:`tobacco_metrics.Panel.from_frame`
(pandas, polars, pyarrow tables):

* **Header map**: see :mod:`tobacco_metrics._headers`.
* **Dates**: ``2026-03-02``, ``2026/3/2``, ``2026.3.2``, ``20260302``, each
  ``2026年3月2日``, each optionally followed by a midnight time
  (``00:00:00``), and Excel serial day numbers of five digits (``46083`` or
  ``46083.0`` is 2026-03-02).  A date with the year last
  (``03/02/2026``) is ambiguous (day or month first?) and refused; so is a
  time other than midnight.
* **Labels** are text, stripped of surrounding whitespace and invisible
  characters (zero-width spaces, byte-order marks); a cell written as Excel's
  text formula ``="0310"`` is read as ``0310`` (in dates and quantities too); a
  number column of whole numbers (``310.0``, a code column pandas read as
  floats) is read as integers (``310``); an empty label is an error, and so is
  a code a spreadsheet turned into scientific notation (``6.90103E+12``: its
  digits are lost), and so is NaN.
* **Quantities**: numbers, ``1,234`` with thousands separators included, in
  full-width characters too (``１２．５``, ``1，234``, as in dates); an empty
  cell, ``-``, NaN, infinity, a negative number or ``1_0`` is an error.
* **Rows** identical in every one of the five fields are collapsed (and
  counted); two rows for the same store, brand and date that differ are an
  error naming both.
* **Not carried**: a store × brand without any row is not carried; it is
  counted and left out of the results.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from tobacco_metrics._headers import folded, resolve_columns
from tobacco_metrics.errors import (
    DuplicateEntryError,
    InvalidValueError,
    MissingDataError,
)
from tobacco_metrics.panel import Panel
from tobacco_metrics.panel._columns import days_of_periods
from tobacco_metrics.panel._long import each_day, from_long, mistyped_day, too_sparse

_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_EXCEL_EPOCH_ORDINAL = dt.date(1899, 12, 30).toordinal()
_DATE = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_CHINESE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_SERIAL = re.compile(r"(\d{5})(?:\.(\d+))?")
_YEAR_LAST = re.compile(r"\d{1,2}([-/.])\d{1,2}\1\d{2,4}")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?")
#: A weekday written after a date (``2026-03-02 星期一``, ``2026-03-02(周一)``).
_WEEKDAY = re.compile(r"\s*[(（]?(?:星期|周|礼拜)([一二三四五六日天])[)）]?$")
_WEEKDAY_NAMES = "一二三四五六日"
#: Full-width digits and signs (typed with a Chinese input method) as their ASCII forms.
_HALF_WIDTH = str.maketrans(
    {chr(0xFF10 + i): str(i) for i in range(10)}
    | {"．": ".", "，": ",", "＋": "+", "－": "-", "／": "/", "：": ":", "\u3000": " "}
)
#: Invisible characters stripped from the ends of a cell with its whitespace.
_EDGES = re.compile(r"^[\s\u200b-\u200d\u2060\ufeff]+|[\s\u200b-\u200d\u2060\ufeff]+$")
#: Excel's text formula ``="0310"``, which exports use to keep a code's leading zeros.
_TEXT_FORMULA = re.compile(r'="(.*)"', re.DOTALL)
#: Excel's text mark ``'0310``, ``'6901028075018``: exports put it before a code so that a
#: spreadsheet keeps its leading zeros and all its digits; it is not part of the value.
#: A text with a second apostrophe (``'中华'``, ``O'Neil``) is kept as it is.
_TEXT_MARK = re.compile(r"'([^']+)", re.DOTALL)
_NOT_A_DATE = (
    "not a date (expected YYYY-MM-DD, YYYY/M/D, YYYYMMDD, YYYY年M月D日 or an Excel day number)"
)


def cell_text(text: str) -> str:
    """A cell's text without surrounding whitespace, invisible characters, ``="…"`` or
    Excel's leading text mark ``'``.

    >>> cell_text(' ="0310"\u200b '), cell_text("'0310"), cell_text("'中华'")
    ('0310', '0310', "'中华'")
    """
    value = _EDGES.sub("", text)
    marked = _TEXT_FORMULA.fullmatch(value) or (
        _TEXT_MARK.fullmatch(value) if value.startswith("'") else None
    )
    return _EDGES.sub("", marked.group(1)) if marked is not None else value


def is_empty(text: str) -> bool:
    """Whether a cell is empty once read as :func:`cell_text` (fast for a plain code)."""
    return not text.strip() or (not text.isalnum() and not cell_text(text))


def parse_day(text: str) -> int:
    """Days since 1970-01-01 of one date as ERPs write it; ValueError saying why not.

    Examples
    --------
    >>> [parse_day(t) for t in ("2026-03-02", "2026/3/2", "20260302", "2026-03-02 00:00:00",
    ...                         "2026年3月2日", "46083", "46083.0", "2026-03-02(周一)")]
    [20514, 20514, 20514, 20514, 20514, 20514, 20514, 20514]

    A weekday after the date (星期一, 周一, 礼拜一) must be the date's own.
    """
    value = cell_text(text).translate(_HALF_WIDTH).strip()
    named = _WEEKDAY.search(value)
    if named is None:
        return _day_number(value)
    day = _day_number(value[: named.start()])
    wanted = _WEEKDAY_NAMES.index(named.group(1).replace("天", "日"))
    actual = dt.date.fromordinal(day + _EPOCH_ORDINAL).weekday()
    if actual != wanted:
        weekday = f"星期{_WEEKDAY_NAMES[actual]}"
        raise ValueError(f"a {weekday}, not the {named.group(0).strip()} written after it")
    return day


def _day_number(value: str) -> int:
    """Days since 1970-01-01 of a date's text (a weekday after it removed)."""
    date_part, _, time_part = value.replace("T", " ", 1).partition(" ")
    _check_midnight(time_part.strip())
    match = (
        _DATE.fullmatch(date_part) or _COMPACT.fullmatch(date_part) or _CHINESE.fullmatch(date_part)
    )
    if match is not None:
        return _calendar_day(match)
    serial = _SERIAL.fullmatch(date_part)
    if serial is not None:  # Excel's day count, 1 = 1900-01-01; a fraction is a time of day
        if int(serial.group(2) or 0):
            raise ValueError("a date and time (an Excel day number with a fraction of a day)")
        return int(serial.group(1)) + _EXCEL_EPOCH_ORDINAL - _EPOCH_ORDINAL
    if _YEAR_LAST.fullmatch(date_part):
        raise ValueError("ambiguous (day or month first?): write it as YYYY-MM-DD")
    raise ValueError(_NOT_A_DATE)


def _calendar_day(match: re.Match[str]) -> int:
    """Days since 1970-01-01 of a matched year, month and day (the groups of digits);
    ValueError for a day the calendar does not have."""
    numbers = [int(part) for part in match.groups() if part.isdigit()]
    try:
        day = dt.date(*numbers)
    except ValueError as error:
        raise ValueError(f"not a calendar date ({error})") from None
    return day.toordinal() - _EPOCH_ORDINAL


def _check_midnight(time_part: str) -> None:
    """Refuse a time of day after a date, unless it is empty or midnight."""
    if not time_part:
        return
    clock = _TIME.fullmatch(time_part)
    if clock is None:
        raise ValueError(_NOT_A_DATE)
    if any(int(part or 0) for part in clock.groups()):
        raise ValueError("a date and time: expected a date (a time of 00:00:00 is allowed)")


def date_text(day: int) -> str:
    """The ISO text of a day number."""
    return dt.date.fromordinal(day + _EPOCH_ORDINAL).isoformat()


def sorted_labels(labels: Sequence[str], codes: NDArray[Any]) -> tuple[tuple[str, ...], Any]:
    """Strip labels, merge those equal once stripped, sort them and remap ``codes``."""
    stripped = np.asarray([cell_text(str(label)) for label in labels], dtype=object)
    if not len(stripped):
        return (), codes
    uniques, inverse = np.unique(stripped.astype(str), return_inverse=True)
    remap = inverse.reshape(-1).astype(np.int32)
    out = np.empty(len(codes), dtype=np.int32)
    step = 1 << 20  # in slices: indexing copies int32 codes to numpy's index type
    for start in range(0, len(codes), step):
        out[start : start + step] = remap[codes[start : start + step]]
    return tuple(uniques.tolist()), out


@attrs.frozen(eq=False)
class LongTable:
    """A checked long table: label codes (into sorted labels), day numbers and quantities.

    ``carried[s, b]`` is False for a store × brand without any row;
    ``collapsed`` counts rows dropped as identical to another.
    """

    stores: tuple[str, ...]
    brands: tuple[str, ...]
    store: NDArray[np.int32]
    brand: NDArray[np.int32]
    day: NDArray[np.int32]
    sales: NDArray[np.float64]
    inventory: NDArray[np.float64]
    carried: NDArray[np.bool_]
    collapsed: int
    seen: NDArray[np.bool_] | None = None  # a bit per (store, brand, day) cell with a row
    # Read straight into cells (a big clean file): flat per-cell sales and inventory, and
    # (first day, days, rows); the row arrays are then empty (see ``with_rows``).
    dense: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None
    span: tuple[int, int, int] | None = None
    notes: tuple[str, ...] = ()  # what the reader decided (lines skipped), for stderr

    def __len__(self) -> int:
        return self.span[2] if self.span is not None else len(self.day)

    @property
    def first_day(self) -> int:
        return self.span[0] if self.span is not None else int(self.day.min())

    @property
    def n_days(self) -> int:
        if self.span is not None:
            return self.span[1]
        return int(self.day.max()) - self.first_day + 1

    def with_rows(self) -> LongTable:
        """The same table with its row arrays (from the cells, when read into cells)."""
        if self.dense is None or self.seen is None:
            return self
        keys = np.flatnonzero(self.seen)
        series, offset = np.divmod(keys, self.n_days)
        store, brand = np.divmod(series, len(self.brands))
        return attrs.evolve(
            self,
            store=store.astype(np.int32),
            brand=brand.astype(np.int32),
            day=(offset + self.first_day).astype(np.int32),
            sales=self.dense[0][keys],
            inventory=self.dense[1][keys],
            dense=None,
            span=None,
        )


def cell_keys(
    store: NDArray[Any],
    brand: NDArray[Any],
    day: NDArray[Any],
    n_brands: int,
    first_day: int,
    n_days: int,
    n_stores: int,
) -> NDArray[Any]:
    """The flat (store, brand, day) cell of each row, as numpy's index type (no copy to index)."""
    key = store.astype(np.intp)
    key *= n_brands
    key += brand
    key *= n_days
    key += day
    key -= first_day
    return key


_THOUSANDS = re.compile(r"[+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
#: What a spreadsheet writes for a long code it took for a number: its digits are lost.
_SCIENTIFIC = re.compile(r"[+-]?\d(?:\.\d+)?[eE][+]\d+")


def quantity(text: str, name: str) -> float:
    """One quantity as written in an export (``12``, ``1,234``, ``3.5``); ValueError saying why.

    >>> quantity(" 1,234 ", "sales"), quantity("１２．５", "sales")
    (1234.0, 12.5)
    """
    stripped = text.strip()
    if not stripped.isascii() or stripped.startswith(("=", "'")):  # the common case: plain ASCII
        stripped = cell_text(text).translate(_HALF_WIDTH).strip()
    if not stripped:
        raise ValueError(f"{name!r} is empty")
    if _THOUSANDS.fullmatch(stripped):
        stripped = stripped.replace(",", "")
    try:
        if "_" in stripped:  # Python's float() reads "1_0" as 10
            raise ValueError
        value = float(stripped)
    except ValueError:
        hint = " (write 0 for none)" if stripped.strip("-—–") == "" else ""
        raise ValueError(f"{name!r} must be a number: {text!r}{hint}") from None
    if not math.isfinite(value):
        raise ValueError(f"{name!r} must be finite: {text!r}")
    if value < 0:
        raise ValueError(f"{name!r} must be >= 0: {text!r}")
    return value + 0.0  # -0 as 0: a report never shows "-0"


def alike_labels(labels: Sequence[str]) -> list[tuple[str, ...]]:
    """Groups of labels that differ only in character width, case or spaces.

    ``中华(硬)`` and ``中华（硬）`` typed with and without a Chinese input method:
    read as two labels (an ERP may keep codes apart that way), and worth a
    note, since more often they are one.

    >>> alike_labels(["中华(硬)", "中华（硬）", "云烟", "Yun Yan", "yunyan"])
    [('中华(硬)', '中华（硬）'), ('Yun Yan', 'yunyan')]
    """
    groups: dict[str, list[str]] = {}
    for label in labels:
        groups.setdefault(folded(str(label)), []).append(label)
    return [tuple(group) for group in groups.values() if len(group) > 1]


def is_scientific(label: str) -> bool:
    """Whether a code looks like a long number a spreadsheet wrote as ``6.90103E+12``."""
    return _SCIENTIFIC.fullmatch(label) is not None


def check_labels(
    labels: tuple[str, ...], codes: NDArray[Any], name: str, row_name: Callable[[int], str]
) -> None:
    """Refuse a label a spreadsheet wrote in scientific notation, naming its first row."""
    for code, label in enumerate(labels):
        if is_scientific(label):
            row = int(np.flatnonzero(codes == code)[0])
            raise InvalidValueError(
                f"{row_name(row)}: {name!r} {label!r} is a code in scientific notation, as a "
                "spreadsheet writes a long number (its last digits are lost): export the "
                "column as text"
            )


def check_quantities(
    values: NDArray[np.float64], name: str, row_name: Callable[[int], str]
) -> None:
    """Finite and >= 0, or InvalidValueError naming the first bad row."""
    bad = ~(values >= 0) | ~np.isfinite(values)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        value = float(values[row])
        what = "finite" if not np.isfinite(value) else ">= 0"
        raise InvalidValueError(f"{row_name(row)}: {name!r} must be {what}: {value!r}")


def assemble(
    stores: tuple[str, ...],
    brands: tuple[str, ...],
    store: NDArray[Any],
    brand: NDArray[Any],
    day: NDArray[Any],
    sales: NDArray[np.float64],
    inventory: NDArray[np.float64],
    row_name: Callable[[int], str],
) -> LongTable:
    """Collapse identical rows, refuse conflicting ones, find the series not carried."""
    if not len(day):
        raise MissingDataError("no data rows")
    check_labels(stores, store, "store", row_name)
    check_labels(brands, brand, "brand", row_name)
    check_quantities(sales, "sales", row_name)
    check_quantities(inventory, "inventory", row_name)
    n_brands = len(brands)
    first = int(day.min())
    n_days = int(day.max()) - first + 1
    key = cell_keys(store, brand, day, n_brands, first, n_days, len(stores))
    n_cells = len(stores) * n_brands * n_days
    if not too_sparse(n_cells, len(key)):
        seen: NDArray[np.bool_] | None = np.zeros(n_cells, dtype=np.bool_)
        assert seen is not None
        seen[key] = True
        repeated = int(np.count_nonzero(seen)) < key.size
    else:
        seen = None
        repeated = np.unique(key).size < key.size
    collapsed = 0
    if repeated:
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        again = np.flatnonzero(ordered[1:] == ordered[:-1]) + 1
        later, earlier = order[again], order[again - 1]
        same = (sales[later] == sales[earlier]) & (inventory[later] == inventory[earlier])
        if not same.all():
            pair = int(np.flatnonzero(~same)[np.argmin(later[~same])])
            one, two = sorted((int(earlier[pair]), int(later[pair])))
            # the first row of that key, not merely the one sorted before
            one = int(order[np.searchsorted(ordered, key[two])])
            cell = int(key[two])
            series_of, offset = divmod(cell, n_days)
            s, b = divmod(series_of, n_brands)
            raise DuplicateEntryError(
                f"(store {stores[s]!r}, brand {brands[b]!r}, {date_text(first + offset)}) has "
                f"two different rows, {row_name(one)} and {row_name(two)}: keep one "
                "(rows identical in every field are collapsed)"
            )
        keep = np.ones(len(key), dtype=np.bool_)
        keep[later] = False
        collapsed = int(later.size)
        store, brand, day = store[keep], brand[keep], day[keep]
        sales, inventory = sales[keep], inventory[keep]
    if seen is not None:
        carried = seen.reshape(-1, n_days).any(axis=1).reshape(len(stores), n_brands)
    else:
        carried = np.zeros((len(stores), n_brands), dtype=np.bool_)
        carried.reshape(-1)[np.unique(key // n_days)] = True
    del key
    return LongTable(
        stores=stores,
        brands=brands,
        store=store,
        brand=brand,
        day=day,
        sales=sales,
        inventory=inventory,
        carried=carried,
        collapsed=collapsed,
        seen=seen,
    )


def check_density(table: LongTable) -> None:
    """Refuse a mistyped date far from the others, or a panel far bigger than the rows.

    The dates are taken as mistyped when they span more than two years while
    all rows but a few (3, or 1%) lie within a year of the median date; the panel as too
    sparse by the rule of every long-table path (``panel._long.too_sparse``):
    a dense panel of it would be mostly holes.
    """
    n_days = table.n_days
    rows = len(table)
    mistyped = mistyped_day(table.day)
    if mistyped is not None:
        outlier, middle = mistyped
        low = table.first_day
        rows_on_it = np.flatnonzero(table.day == outlier)
        first = int(rows_on_it[0])
        store, brand = table.stores[table.store[first]], table.brands[table.brand[first]]
        more = f" and {rows_on_it.size - 1:,} more row(s)" if rows_on_it.size > 1 else ""
        raise InvalidValueError(
            f"the dates run from {date_text(low)} to {date_text(low + n_days - 1)} "
            f"({n_days:,} days) for {rows:,} rows: {date_text(outlier)} looks mistyped (on the "
            f"row of store {store!r}, brand {brand!r}{more}; most rows are near "
            f"{date_text(middle)}); fix it or drop its rows"
        )
    cells = table.carried.size * n_days
    if not too_sparse(cells, rows):
        return
    raise InvalidValueError(
        f"the table is too sparse for a dense panel: {len(table.stores):,} stores × "
        f"{len(table.brands):,} brands × {n_days:,} days = {cells:,} cells for {rows:,} rows "
        f"({int(np.count_nonzero(table.carried)):,} store × brand series carried); split the "
        "export by store or by period"
    )


def gaps(table: LongTable, missing: str) -> NDArray[np.bool_] | None:
    """(stores, brands, days) True where a carried series has no row; None when none.

    With ``missing='error'`` a gap is a MissingDataError; with ``'no_movement'``
    a carried series must still have a row on the first day (its stock).
    """
    if missing not in ("error", "no_movement"):
        raise InvalidValueError(f"'missing' must be 'error' or 'no_movement': {missing!r}")
    n_stores, n_brands = table.carried.shape
    n_days = table.n_days
    n_cells = int(np.count_nonzero(table.carried)) * n_days
    if len(table) == n_cells:
        return None
    if table.seen is None:  # too sparse for a bit per cell: check_density refuses it
        check_density(table)
    assert table.seen is not None
    holes = ~table.seen.reshape(n_stores, n_brands, n_days)
    holes &= table.carried[:, :, np.newaxis]
    if missing == "error":
        where = np.argwhere(holes)[:5]
        listed = "; ".join(_cell(table, int(s), int(b), int(d)) for s, b, d in where)
        raise MissingDataError(
            f"{n_cells - len(table)} of {n_cells} (store, brand, date) cells have no row "
            f"(in the series with rows), e.g. {listed}: pass missing='no_movement' if the "
            "export leaves out days without movement"
        )
    late = np.argwhere(holes[:, :, 0])
    if late.size:
        listed = "; ".join(_cell(table, int(s), int(b)) for s, b in late[:5])
        raise MissingDataError(
            f"{len(late)} store × brand series have no row on the first day "
            f"{date_text(table.first_day)}, e.g. {listed}: missing='no_movement' carries the "
            "stock of the day before, and the first day has none; add a row for the first "
            "day (its closing stock, sales 0) or start the table later"
        )
    return holes


def _cell(table: LongTable, store: int, brand: int, day: int | None = None) -> str:
    text = f"store {table.stores[store]!r}, brand {table.brands[brand]!r}"
    if day is not None:
        text += f", {date_text(table.first_day + day)}"
    return f"({text})"


def build_panel(
    table: LongTable, missing: str, *, consume: bool = False
) -> tuple[Panel, NDArray[np.bool_] | None]:
    """The panel of a checked long table, and its no-movement days (see :func:`gaps`).

    A series not carried has zero sales and zero stock on every day and is marked in the
    panel's ``carried`` mask (its metrics are NaN, it counts in no pooled figure).  With
    ``consume``, the table's row arrays are dropped as soon as they are in the
    panel (a big export then needs little more memory than its panel); the
    table must not be used afterwards.
    """
    check_density(table)
    holes = gaps(table, missing)
    start = dt.date.fromisoformat(date_text(table.first_day))
    if holes is not None:
        rows = table.with_rows()
        coded = from_long(  # the rows' codes as they are: nothing factorized again
            rows.store,
            rows.brand,
            rows.day.astype(np.int64).view("datetime64[D]"),
            rows.sales,
            rows.inventory,
            missing="no_movement",
            stores=table.stores,
            brands=table.brands,
            span=(table.first_day, table.n_days),
            coded=True,
        )
        panel = Panel(
            table.stores,
            table.brands,
            coded.start,
            coded.sales,
            coded.inventory,
            carried=table.carried,
        )
        return panel, holes
    # Every carried cell has its row: scatter the rows into place.
    n_stores, n_brands = table.carried.shape
    shape = (n_stores, n_brands, table.n_days)
    if table.dense is not None:  # read straight into the cells
        cells = []
        for values in table.dense:
            values.flags.writeable = False
            cells.append(values.reshape(shape))
        if consume:
            object.__setattr__(table, "dense", None)
        return Panel(
            table.stores, table.brands, start, cells[0], cells[1], carried=table.carried
        ), None
    key = cell_keys(
        table.store, table.brand, table.day, n_brands, table.first_day, table.n_days, n_stores
    )
    empty = np.zeros(0, dtype=np.int32)
    if consume:
        for name in ("store", "brand", "day"):
            object.__setattr__(table, name, empty)
    arrays = []
    for name in ("sales", "inventory"):
        dense = np.zeros(shape[0] * shape[1] * shape[2], dtype=np.float64)
        dense[key] = getattr(table, name)
        if consume:
            object.__setattr__(table, name, empty.astype(np.float64))
        dense.flags.writeable = False
        arrays.append(dense.reshape(shape))
    del key
    return Panel(
        table.stores, table.brands, start, arrays[0], arrays[1], carried=table.carried
    ), None


# --------------------------------------------------------------------------- Arrow tables


def _is_text(kind: Any) -> bool:
    import pyarrow as pa

    view = getattr(pa.types, "is_string_view", None)
    return bool(
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or (view is not None and view(kind))
    )


def arrow_values(column: Any, dtype: Any) -> NDArray[Any]:
    """The values of a primitive Arrow (chunked) array without nulls, as numpy (no pandas)."""
    import pyarrow as pa

    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    dtype = np.dtype(dtype)
    parts = [
        np.frombuffer(chunk.buffers()[1], dtype=dtype, count=chunk.offset + len(chunk))[
            chunk.offset :
        ]
        for chunk in chunks
        if len(chunk)
    ]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


def arrow_quantity_values(column: Any) -> NDArray[np.float64]:
    """A float64 Arrow column without nulls as numpy, -0 read as 0 (a report shows no -0)."""
    return arrow_values(column, np.float64) + 0.0


def _null_row(column: Any) -> int | None:
    """The first null row of an Arrow (chunked) array, or None."""
    if column.null_count == 0:
        return None
    import pyarrow.compute as pc

    return int(pc.index(pc.is_null(column), True).as_py())


def _whole_numbers(column: Any, name: str, row_name: Callable[[int], str]) -> Any:
    """A float label column as int64 when every value is a whole number (``310.0``: codes
    pandas read as floats), so that its labels read ``310``; NaN is a missing label."""
    import pyarrow as pa
    import pyarrow.compute as pc

    nan = pc.is_nan(column)
    if pc.any(nan).as_py():
        raise MissingDataError(f"{row_name(int(pc.index(nan, True).as_py()))}: {name!r} is missing")
    whole = pc.and_(pc.equal(pc.floor(column), column), pc.less(pc.abs(column), 2.0**53))
    if len(column) and pc.all(whole).as_py():
        return pc.cast(column, pa.int64())
    return column


def arrow_labels(
    column: Any, name: str, row_name: Callable[[int], str]
) -> tuple[tuple[str, ...], NDArray[np.int32]]:
    """Sorted, stripped labels and the code of each row of an Arrow column."""
    import pyarrow as pa

    row = _null_row(column)
    if row is not None:
        raise MissingDataError(f"{row_name(row)}: {name!r} is missing")
    if pa.types.is_floating(column.type):
        column = _whole_numbers(column, name, row_name)
    column = _as_dictionary(column)
    chunked = pa.chunked_array([column]) if isinstance(column, pa.Array) else column
    chunked = chunked.unify_dictionaries()
    if chunked.num_chunks == 0:
        return (), np.zeros(0, dtype=np.int32)
    dictionary = chunked.chunk(0).dictionary
    codes = _dictionary_indices(chunked)
    del chunked
    labels = [str(value) for value in dictionary.to_pylist()]
    used = np.zeros(len(labels), dtype=np.bool_)
    used[codes] = True
    if not used.all():  # a Categorical's unused categories: no label without a row
        labels = [label for label, kept in zip(labels, used, strict=True) if kept]
        codes = (np.cumsum(used) - 1)[codes]
    stores, remapped = sorted_labels(labels, codes)
    empty = [code for code, label in enumerate(stores) if not label]
    if empty:
        row = int(np.flatnonzero(remapped == empty[0])[0])
        raise MissingDataError(f"{row_name(row)}: {name!r} is empty")
    return stores, remapped


def _as_dictionary(column: Any) -> Any:
    """An Arrow column dictionary-encoded (as text, unless it is encoded already)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(column.type):
        return column
    if not pa.types.is_string(column.type):
        column = pc.cast(column, pa.string())
    return pc.dictionary_encode(column)


def _dictionary_indices(chunked: Any) -> NDArray[Any]:
    """The indices of every chunk of a dictionary-encoded Arrow column (unified
    dictionaries), as one ndarray of their own integer type."""
    import pyarrow as pa

    return np.concatenate(
        [
            arrow_values(
                chunk.indices,
                f"{'u' if pa.types.is_unsigned_integer(chunk.indices.type) else 'i'}"
                f"{chunk.indices.type.bit_width // 8}",
            )
            for chunk in chunked.chunks
        ]
    )


def text_days(
    texts: Sequence[str], codes: NDArray[Any], row_name: Callable[[int], str]
) -> NDArray[np.int32]:
    """Day numbers of rows whose dates are ``texts[codes]``; bad dates name the first row."""

    def fail(text: str, error: Exception, row: int) -> Exception:
        return InvalidValueError(f"{row_name(row)}: 'date' {text!r} is {error}")

    days: NDArray[np.int32] = each_day(texts, codes, parse_day, fail, np.int32)
    return days


def arrow_days(column: Any, row_name: Callable[[int], str]) -> NDArray[np.int32]:
    """Day numbers of an Arrow date, timestamp or text column."""
    import pyarrow as pa
    import pyarrow.compute as pc

    row = _null_row(column)
    if row is not None:
        raise MissingDataError(f"{row_name(row)}: 'date' is missing")
    column = days_of_periods(column)
    kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
    if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
        if pa.types.is_dictionary(column.type):
            column = pc.cast(column, kind)
        return _temporal_days(column, kind, row_name)
    if not _is_text(kind):
        if pa.types.is_integer(kind) or pa.types.is_floating(kind):
            # 20260302 or an Excel day number (46083.0 once a spreadsheet made it a float)
            column = pc.cast(column, pa.string())
        else:
            raise TypeError(f"'date' must hold dates or date text, got {kind}")
    texts, codes = arrow_labels(column, "date", row_name)
    return text_days(texts, codes, row_name)


def _temporal_days(column: Any, kind: Any, row_name: Callable[[int], str]) -> NDArray[np.int32]:
    """Day numbers of an Arrow date or naive timestamp column (of type ``kind``) at
    midnight; an error for a time zone or the first row with a time of day."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_timestamp(kind) and kind.tz is not None:
        raise TypeError("'date' must hold naive dates, got timezone-aware timestamps")
    if pa.types.is_date64(kind):
        column, kind = pc.cast(column, pa.timestamp("ms")), pa.timestamp("ms")
    if pa.types.is_timestamp(kind):
        values = arrow_values(column, np.int64).view(f"datetime64[{kind.unit}]")
    else:
        values = arrow_values(column, np.int32).astype(np.int64).view("datetime64[D]")
    days = values.astype("datetime64[D]")
    timed = days != values
    if timed.any():
        row = int(np.flatnonzero(timed)[0])
        raise InvalidValueError(
            f"{row_name(row)}: 'date' {values[row]} is a date and time: expected a date"
        )
    return days.view(np.int64).astype(np.int32)


def arrow_quantities(column: Any, name: str, row_name: Callable[[int], str]) -> NDArray[np.float64]:
    """A numeric or text Arrow column as float64 (checked later: finite, >= 0)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    row = _null_row(column)
    if row is not None:
        raise MissingDataError(f"{row_name(row)}: {name!r} is missing")
    kind = column.type
    if pa.types.is_dictionary(kind):
        column = pc.cast(column, kind.value_type)
        kind = kind.value_type
    if _is_text(kind):
        trimmed = pc.utf8_trim_whitespace(pc.cast(column, pa.string()))
        try:
            column = pc.cast(trimmed, pa.float64())
        except pa.ArrowInvalid:  # "1,234", full-width digits, or a bad cell: row by row
            return _text_quantities(trimmed.to_pylist(), name, row_name)
    elif pa.types.is_boolean(kind) or not (
        pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind)
    ):
        raise TypeError(f"{name!r} must hold numbers, got {kind}")
    else:
        column = pc.cast(column, pa.float64())
    return arrow_quantity_values(column)


def _text_quantities(
    texts: Sequence[Any], name: str, row_name: Callable[[int], str]
) -> NDArray[np.float64]:
    """Quantities written as text ("1,234", full-width digits) read cell by cell; an error
    naming the first row that is not a quantity."""
    values = np.empty(len(texts), dtype=np.float64)
    for row, text in enumerate(texts):
        try:
            values[row] = quantity(text, name)
        except ValueError as error:
            raise InvalidValueError(f"{row_name(row)}: {error}") from None
    return values


def from_arrow(
    table: Any,
    mapping: Mapping[str, str] | None,
    how: Callable[[str], str],
    row_name: Callable[[int], str],
) -> LongTable:
    """A checked long table from a ``pyarrow.Table`` (column names as the header)."""
    where = resolve_columns(table.column_names, mapping, how)
    return from_arrow_columns([table.column(i) for i in where], row_name)


def from_arrow_columns(columns: list[Any], row_name: Callable[[int], str]) -> LongTable:
    """A checked long table from the five Arrow columns, in :data:`COLUMNS` order.

    The list is emptied as the columns are converted, so that each Arrow
    column can be freed as soon as its numpy copy exists.
    """
    store, brand, date, sold, stock = (columns.pop(0) for _ in range(5))
    stores, store_codes = arrow_labels(store, "store", row_name)
    del store
    brands, brand_codes = arrow_labels(brand, "brand", row_name)
    del brand
    days = arrow_days(date, row_name)
    del date
    sales = arrow_quantities(sold, "sales", row_name)
    del sold
    inventory = arrow_quantities(stock, "inventory", row_name)
    del stock
    return assemble(stores, brands, store_codes, brand_codes, days, sales, inventory, row_name)


def _as_text(value: Any) -> Any:
    """A cell of a mixed object column as text (a date as ISO text); None and NaN kept."""
    if value is None or isinstance(value, str) or (isinstance(value, float) and value != value):
        return value
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _dates_as_text(frame: Any) -> Any:
    """A copy of a pandas frame whose object columns hold text (dates as ISO text) only."""
    copy = frame.copy()
    for name in copy.columns:
        if copy[name].dtype == object:
            copy[name] = copy[name].map(_as_text)
    return copy


def _arrow_table(frame: Any) -> Any:
    """The frame as a ``pyarrow.Table``; TypeError for something that is not a table."""
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - the environment has pyarrow
        raise ImportError(
            "Panel.from_frame reads frames through Apache Arrow: pip install "
            "'tobacco-metrics[cli]' (or pyarrow)"
        ) from None
    if isinstance(frame, pa.Table):
        return frame
    if isinstance(frame, pa.RecordBatch):
        return pa.Table.from_batches([frame])
    try:
        if type(frame).__module__.startswith("pandas") and hasattr(frame, "columns"):
            if frame.columns.duplicated().any():  # Arrow keeps them: the header rule refuses
                numbered = frame.set_axis(range(frame.shape[1]), axis=1)
                table = pa.Table.from_pandas(numbered, preserve_index=None)
                named = [str(name) for name in frame.columns]
                return table.rename_columns(named + table.column_names[len(named) :])
            try:
                return pa.Table.from_pandas(frame, preserve_index=None)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                # an object column mixing dates or numbers and text (typed in by hand beside
                # parsed ones): every cell as text, which the readers parse like CSV
                return pa.Table.from_pandas(_dates_as_text(frame), preserve_index=None)
        if hasattr(frame, "__arrow_c_stream__"):
            return pa.table(frame)
        if hasattr(frame, "__dataframe__"):
            import pyarrow.interchange as interchange

            return interchange.from_dataframe(frame)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as error:
        raise TypeError(f"'frame' cannot be read as a table: {error}") from None
    raise TypeError(
        "'frame' must be a dataframe (pandas, polars, pyarrow, or an object with the Arrow "
        f"PyCapsule or dataframe interchange interface), got {type(frame).__name__}"
    )


def read_frame(frame: Any, columns: Mapping[str, str | None], missing: str) -> Panel:
    """The panel of a long-table dataframe (``Panel.from_frame``); ``columns`` maps fields."""
    mapping = {name: column for name, column in columns.items() if column is not None}
    long = from_arrow(
        _arrow_table(frame), mapping, lambda column: f"{column}='NAME'", lambda row: f"row {row}"
    )
    panel, _ = build_panel(long, missing)
    return panel

"""From an ERP long table (one row per store, brand and day) to dense panel arrays (private).

:func:`from_long` factorizes the labels, parses the dates, checks the values
once (chunk by chunk) and scatters the rows into dense (stores, brands, days)
arrays; :class:`Panel.from_long <tobacco_metrics.Panel.from_long>` documents
the rules (duplicates, holes, missing="no_movement").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from tobacco_metrics._results import seal
from tobacco_metrics.errors import (
    DuplicateEntryError,
    EmptyInputError,
    InvalidValueError,
    MissingDataError,
    ShapeMismatchError,
)
from tobacco_metrics.panel._columns import (
    as_column,
    days_of_periods,
    factorize,
    factorize_objects,
    is_arrow,
    is_pandas,
    missing_label,
    numeric_column,
    numpy_column,
    plain_labels,
)
from tobacco_metrics.panel._kernel import CHUNK_CELLS, scan_checks

__all__ = [
    "LongTable",
    "date_of",
    "day_numbers",
    "default_row_name",
    "each_day",
    "from_long",
    "is_pandas",
    "key_text",
    "mistyped_day",
]


@attrs.frozen
class LongTable:
    """What :func:`from_long` builds: labels, first day and checked, read-only dense arrays."""

    stores: tuple[Any, ...]
    brands: tuple[Any, ...]
    start: dt.date
    sales: NDArray[Any]
    inventory: NDArray[Any]
    carried: NDArray[np.bool_]  # (stores, brands): False where a series has no row at all
    whole_max: float | None  # the largest sale when every sale is whole (None otherwise)
    signless: bool  # no value has its sign bit set (no -0.0): True only when known


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_FIRST_DAY = dt.date.min.toordinal() - _EPOCH_ORDINAL  # the days datetime.date can hold
_LAST_DAY = dt.date.max.toordinal() - _EPOCH_ORDINAL


def _iso(day: dt.date) -> str:
    return day.isoformat()


def date_of(day_number: int) -> dt.date:
    return dt.date.fromordinal(int(day_number) + _EPOCH_ORDINAL)


# --------------------------------------------------------------------------- long table → panel


def _day_number(value: Any) -> int:
    """Days since 1970-01-01 of one date value; raises ValueError/TypeError when it is not one."""
    if isinstance(value, np.datetime64):
        return _datetime64_day_number(value)
    if isinstance(value, dt.datetime):
        return _datetime_day_number(value)
    if isinstance(value, dt.date):
        return value.toordinal() - _EPOCH_ORDINAL
    if isinstance(value, str):
        if len(value) != 10 or value[4] != "-" or value[7] != "-":
            raise ValueError("not an ISO date 'YYYY-MM-DD'")
        return dt.date.fromisoformat(value).toordinal() - _EPOCH_ORDINAL
    if missing_label(value):
        raise ValueError("a missing date")
    raise TypeError(f"expected a date, got {type(value).__name__}")


def _datetime_day_number(value: dt.datetime) -> int:
    """Days since 1970-01-01 of a naive datetime (or pandas Timestamp) at midnight;
    ValueError for NaT, a time zone or a time of day."""
    if value != value:  # pd.NaT
        raise ValueError("a missing date (NaT)")
    if value.tzinfo is not None or value.time() != dt.time(0):
        raise ValueError("a date and time; expected a date")
    return value.toordinal() - _EPOCH_ORDINAL


def _datetime64_day_number(value: np.datetime64) -> int:
    """Days since 1970-01-01 of a numpy datetime64 at midnight; ValueError for NaT, a time
    of day or a day outside the years 1 to 9999."""
    if np.isnat(value):
        raise ValueError("a missing date (NaT)")
    day = value.astype("datetime64[D]")
    if day != value:
        raise ValueError("a date and time; expected a date")
    number = int(day.astype(np.int64))
    if not _FIRST_DAY <= number <= _LAST_DAY:
        raise ValueError("outside the years 1 to 9999")
    return number


# Ticks of each datetime64 unit in one day.
_PER_DAY = {"D": 1, "h": 24, "m": 1440, "s": 86_400, "ms": 86_400_000, "us": 86_400_000_000}
_PER_DAY["ns"] = _PER_DAY["us"] * 1000


def _datetime_days(array: NDArray[Any]) -> NDArray[np.int64] | None:
    """Day numbers of a datetime64 column of midnights, on its int64 view; None if not all are.

    One floor division per value (none for ``datetime64[D]``, whose view is
    returned as it is) and a min and a max; no ``astype`` of datetimes.  NaT
    (the smallest int64) falls outside the days datetime.date can hold.
    """
    unit, count = np.datetime_data(array.dtype)
    if unit not in _PER_DAY or count != 1:
        return None
    ticks = array.view(np.int64)
    per_day = _PER_DAY[unit]
    if per_day == 1:
        numbers = ticks
    else:
        numbers = np.empty(ticks.shape, dtype=np.int64)
        back = np.empty(min(ticks.size, CHUNK_CELLS), dtype=np.int64)
        for start in range(0, ticks.size, CHUNK_CELLS):
            chunk = ticks[start : start + CHUNK_CELLS]
            days = np.floor_divide(chunk, per_day, out=numbers[start : start + CHUNK_CELLS])
            again = np.multiply(days, per_day, out=back[: chunk.size])
            if not np.array_equal(again, chunk):  # a time of day (or NaT)
                return None
    if numbers.size and not (numbers.min() >= _FIRST_DAY and numbers.max() <= _LAST_DAY):
        return None
    return numbers


def _bad_date(value: Any, reason: str, row: int, row_name: Callable[[int], str]) -> Exception:
    return InvalidValueError(
        f"'date' must be a date (datetime.date, numpy.datetime64 or ISO 'YYYY-MM-DD'): "
        f"{value!r} at {row_name(row)} is {reason}"
    )


def _day_numbers(values: Any, row_name: Callable[[int], str]) -> NDArray[np.int64]:
    """The date column as int64 days since 1970-01-01, strictly checked."""
    aware = getattr(getattr(values, "dtype" if is_pandas(values) else "type", None), "tz", None)
    if aware is not None and (is_pandas(values) or is_arrow(values)):
        raise TypeError("'date' must hold naive dates, got timezone-aware timestamps")
    array = numpy_column(days_of_periods(values), "date")
    kind = array.dtype.kind
    if kind == "M":
        fast = _datetime_days(array)
        return fast if fast is not None else _checked_datetime_days(array, row_name)
    if kind in "US":
        numbers = _iso_days(array)
        if numbers is not None:
            return numbers
        # Something is not a plain ISO date: find and name it value by value.
        array = array.astype(object)
    elif kind != "O":
        raise TypeError(f"'date' must hold dates or ISO strings, got dtype {array.dtype}")
    return _object_days(array, row_name)


def _checked_datetime_days(
    array: NDArray[Any], row_name: Callable[[int], str]
) -> NDArray[np.int64]:
    """Day numbers of a datetime64 column that the fast path refused: an error saying what
    is off (NaT, a time of day, a unit that is not days, a day out of range) and where."""
    nat = np.isnat(array)  # first: a column of NaT alone has the generic unit
    _refuse_rows(nat, array, "missing (NaT)", row_name)
    unit, _ = np.datetime_data(array.dtype)
    if unit in ("Y", "M", "W", "generic"):
        raise TypeError(f"'date' must be days, got datetime64[{unit}]")
    days = array.astype("datetime64[D]")
    if unit != "D":
        _refuse_rows(days != array, array, "a date and time", row_name)
    numbers: NDArray[np.int64] = days.view(np.int64)
    outside = (numbers < _FIRST_DAY) | (numbers > _LAST_DAY)
    _refuse_rows(outside, array, "outside the years 1 to 9999", row_name)
    return numbers


def _refuse_rows(
    bad: NDArray[np.bool_], array: NDArray[Any], reason: str, row_name: Callable[[int], str]
) -> None:
    """The date error (``reason``) naming the first row where ``bad`` is True, if any."""
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise _bad_date(array[row], reason, row, row_name)


def _iso_days(array: NDArray[Any]) -> NDArray[np.int64] | None:
    """Day numbers of a column of strings when all are plain ISO dates 'YYYY-MM-DD' in
    the years 1 to 9999 (numpy's parser, one pass); None otherwise."""
    try:
        days = array.astype("datetime64[D]")
        numbers: NDArray[np.int64] = days.view(np.int64)  # NaT ("NaT") and year 0 fall outside
        inside = bool(((numbers >= _FIRST_DAY) & (numbers <= _LAST_DAY)).all())
        if inside and not (days.astype(array.dtype) != array).any():
            return numbers
    except (ValueError, RuntimeError):
        pass
    return None


def _object_days(array: NDArray[Any], row_name: Callable[[int], str]) -> NDArray[np.int64]:
    """Day numbers of an object column (dates, datetimes, strings, Timestamps), each
    distinct value converted once; an error naming the first value that is not a date."""
    codes, uniques = factorize_objects(array, "date", row_name, labels=False)

    def fail(value: Any, error: Exception, row: int) -> Exception:
        if isinstance(error, ValueError):
            return _bad_date(value, str(error), row, row_name)
        return TypeError(
            f"'date' must hold dates or ISO strings: {value!r} "
            f"({type(value).__name__}) at {row_name(row)}"
        )

    return each_day(uniques, codes, _day_number, fail, np.int64)


def each_day(
    uniques: Sequence[Any],
    codes: NDArray[Any],
    parse: Callable[[Any], int],
    fail: Callable[[Any, Exception, int], Exception],
    dtype: type[np.signedinteger[Any]],
) -> NDArray[Any]:
    """The day number of each row whose date is ``uniques[codes]``, each distinct value parsed once.

    ``parse`` raises ValueError or TypeError for a value that is not a date;
    ``fail(value, error, row)`` is then the exception raised, ``row`` the
    first row holding that value.
    """
    numbers = np.empty(len(uniques), dtype=dtype)
    for code, value in enumerate(uniques):
        try:
            numbers[code] = parse(value)
        except (ValueError, TypeError) as error:
            row = int(np.flatnonzero(codes == code)[0])
            raise fail(value, error, row) from None
    days: NDArray[Any] = numbers[codes]
    return days


day_numbers = _day_numbers  # for readers that parse the dates before from_long


def default_row_name(row: int) -> str:
    return f"row {row}"


def key_text(store: Any, brand: Any, day: dt.date | None = None) -> str:
    text = f"store {store!r}, brand {brand!r}"
    return text if day is None else f"{text}, {day.isoformat()}"


@attrs.frozen
class _Cells:
    """The dense grid a long table's rows go to: cell = (store × brands + brand) × days + day."""

    stores: tuple[Any, ...]
    brands: tuple[Any, ...]
    first_day: int
    n_days: int

    def series_text(self, series: int) -> str:
        store, brand = divmod(series, len(self.brands))
        return f"({key_text(self.stores[store], self.brands[brand])})"

    def cell_text(self, cell: int) -> str:
        series, day = divmod(cell, self.n_days)
        store, brand = divmod(series, len(self.brands))
        date = date_of(self.first_day + day)
        return f"({key_text(self.stores[store], self.brands[brand], date)})"


def _raise_duplicates(
    key: NDArray[np.int64], cells: _Cells, row_name: Callable[[int], str]
) -> None:
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    repeat = np.flatnonzero(ordered[1:] == ordered[:-1]) + 1
    if not repeat.size:
        return
    extra_rows = order[repeat]
    dup_keys = np.unique(ordered[repeat])
    # the duplicates whose second row comes first in the table
    shown: list[int] = []
    for row in np.sort(extra_rows).tolist():
        cell = int(key[row])
        if cell not in shown:
            shown.append(cell)
        if len(shown) == 3:
            break
    parts = []
    for cell in shown:
        rows = np.sort(
            order[np.searchsorted(ordered, cell) : np.searchsorted(ordered, cell, "right")]
        )
        where = " and ".join(row_name(int(r)) for r in rows[:4])
        parts.append(f"{cells.cell_text(cell)} at {where}")
    keys = "1 key occurs" if len(dup_keys) == 1 else f"{len(dup_keys)} keys occur"
    rows_text = "1 extra row" if len(extra_rows) == 1 else f"{len(extra_rows)} extra rows"
    raise DuplicateEntryError(
        f"each (store, brand, date) must occur once: {keys} more than once ({rows_text}); "
        f"first {'; '.join(parts)}"
    )


def _raise_leading_missing(seen_first: NDArray[np.bool_], cells: _Cells) -> None:
    absent = np.flatnonzero(~seen_first)
    if not absent.size:
        return
    listed = "; ".join(cells.series_text(series) for series in absent[:5].tolist())
    raise MissingDataError(
        f"{absent.size} store × brand series have no row on the panel's first day "
        f"{date_of(cells.first_day).isoformat()}, e.g. {listed}: missing='no_movement' carries "
        "the stock of the day before, and the first day has none; add a row for the first "
        "day (its closing stock, sales 0) or start the table later"
    )


def _describe_missing(seen: NDArray[np.bool_], cells: _Cells) -> str:
    """Name up to five missing cells, scanning in chunks."""
    listed: list[str] = []
    for start in range(0, seen.size, CHUNK_CELLS * 16):
        holes = np.flatnonzero(~seen[start : start + CHUNK_CELLS * 16])
        listed.extend(cells.cell_text(cell) for cell in (holes[: 5 - len(listed)] + start).tolist())
        if len(listed) >= 5:
            break
    return "; ".join(listed)


def _same_length_columns(**named: Any) -> dict[str, Any]:
    """The long table's columns, checked: one length for all, at least one row."""
    columns = {name: as_column(value, name) for name, value in named.items()}
    lengths = {name: len(column) for name, column in columns.items()}
    if len(set(lengths.values())) != 1:
        listed = ", ".join(f"{name!r} {length}" for name, length in lengths.items())
        raise ShapeMismatchError(f"the columns must have the same length: {listed}")
    if next(iter(lengths.values())) == 0:
        raise EmptyInputError("the long table has no rows")
    return columns


def _day_span(
    day_numbers: NDArray[np.int64], span: tuple[int, int] | None, row_name: Callable[[int], str]
) -> tuple[int, int]:
    """(first day number, number of days): the rows' own span, or the given one checked."""
    if span is None:
        first_day = int(day_numbers.min())
        return first_day, int(day_numbers.max()) - first_day + 1
    first_day, n_days = span
    outside = (day_numbers < first_day) | (day_numbers >= first_day + n_days)
    if outside.any():
        row = int(np.flatnonzero(outside)[0])
        raise InvalidValueError(
            f"'date' {date_of(int(day_numbers[row]))} at {row_name(row)} is outside "
            f"{date_of(first_day)} to {date_of(first_day + n_days - 1)}"
        )
    return first_day, n_days


def _first_change(values: NDArray[Any]) -> int:
    """The first position whose value differs from the first value (len(values) if none)."""
    first = values[0]
    start, step = 1, 1 << 12
    while start < values.size:
        changed = np.flatnonzero(values[start : start + step] != first)
        if changed.size:
            return start + int(changed[0])
        start, step = start + step, min(step * 4, CHUNK_CELLS)
    return int(values.size)


def _strictly_increasing(labels: NDArray[Any]) -> bool:
    return bool((labels[1:] > labels[:-1]).all())


def _sorted_complete(
    store: Any, brand: Any, day_numbers: NDArray[np.int64]
) -> tuple[tuple[Any, ...], tuple[Any, ...], int, int] | None:
    """(stores, brands, first day, days) when the rows are the dense panel in C order.

    That is: sorted by store, brand and date (labels in their sort order, each
    store with the same brands), every (store, brand) with one row on each day
    of one span, no duplicate.  Found by comparing each column with the
    pattern its first rows imply (a few passes without factorizing, sorting or
    scattering); None when the rows are anything else, and the general path
    then applies the rules.
    """
    stores_column, brands_column = plain_labels(store), plain_labels(brand)
    if stores_column is None or brands_column is None:
        return None
    n_rows = int(day_numbers.size)
    per_store = _first_change(stores_column)
    n_days = min(per_store, _first_change(brands_column))
    if n_rows % per_store or per_store % n_days:
        return None
    n_stores, n_brands = n_rows // per_store, per_store // n_days
    first_day = int(day_numbers[0])
    store_labels = stores_column[::per_store]
    brand_labels = brands_column[:per_store:n_days]
    if not (_strictly_increasing(store_labels) and _strictly_increasing(brand_labels)):
        return None
    days = np.arange(first_day, first_day + n_days, dtype=np.int64)
    step = max(1, CHUNK_CELLS // per_store)  # stores per chunk: the temporaries stay small
    for s0 in range(0, n_stores, step):
        rows = slice(s0 * per_store, min(n_stores, s0 + step) * per_store)
        these = stores_column[rows].reshape(-1, n_brands, n_days)
        if not (
            (these == store_labels[s0 : s0 + step, np.newaxis, np.newaxis]).all()
            and (brands_column[rows].reshape(-1, n_brands, n_days) == brand_labels[:, None]).all()
            and (day_numbers[rows].reshape(-1, n_days) == days).all()
        ):
            return None
    return tuple(store_labels.tolist()), tuple(brand_labels.tolist()), first_day, n_days


def from_long(
    store: Any,
    brand: Any,
    date: Any,
    sales: Any,
    inventory: Any,
    *,
    missing: str = "error",
    row_name: Callable[[int], str] = default_row_name,
    stores: tuple[Any, ...] | None = None,
    brands: tuple[Any, ...] | None = None,
    span: tuple[int, int] | None = None,
    coded: bool = False,
) -> LongTable:
    """Dense panel arrays from long-table columns; the rules are those of Panel.from_long.

    ``stores``, ``brands`` (labels, each row's among them) and ``span`` (first
    day number, number of days) fix the panel's frame instead of taking it
    from the rows: one slice of a larger table is then built on the frame of
    the whole (a store × brand of the frame with no row is not carried; a
    carried series without a row on a day of the span is a missing cell).
    With ``coded``, ``store`` and ``brand`` are int64 positions in ``stores``
    and ``brands`` (-1 for a missing label): nothing is factorized again.
    """
    if missing not in ("error", "no_movement"):
        raise InvalidValueError(f"'missing' must be 'error' or 'no_movement': {missing!r}")
    columns = _same_length_columns(
        store=store, brand=brand, date=date, sales=sales, inventory=inventory
    )
    n_rows = len(columns["store"])
    day_numbers = _day_numbers(columns["date"], row_name)
    frame = None
    if not coded and stores is None and brands is None and span is None:
        frame = _sorted_complete(columns["store"], columns["brand"], day_numbers)
    store_codes: NDArray[np.int64] | None = None
    brand_codes: NDArray[np.int64] | None = None
    if frame is not None:  # the rows are the panel's cells in order: nothing to factorize
        stores, brands, first_day, n_days = frame
    else:
        store_codes, stores = _row_codes(columns["store"], "store", stores, coded, row_name)
        brand_codes, brands = _row_codes(columns["brand"], "brand", brands, coded, row_name)
    sales_column = numeric_column(columns["sales"], "sales")
    inventory_column = numeric_column(columns["inventory"], "inventory")
    if frame is None:
        first_day, n_days = _day_span(day_numbers, span, row_name)
    n_stores, n_brands = len(stores), len(brands)
    shape = (n_stores, n_brands, n_days)

    def describe_row(index: tuple[int, ...]) -> str:
        row = index[0]
        if store_codes is None or brand_codes is None:
            store_code, brand_code = divmod(row // n_days, n_brands)
        else:
            store_code, brand_code = int(store_codes[row]), int(brand_codes[row])
        label = key_text(stores[store_code], brands[brand_code], date_of(int(day_numbers[row])))
        return f"{row_name(row)} ({label})"

    whole_max, sales_signless = scan_checks(sales_column, "sales", describe_row, whole=True)
    _, inventory_signless = scan_checks(inventory_column, "inventory", describe_row)
    signless = sales_signless and inventory_signless  # holes are filled with +0 or a copy
    if store_codes is None or brand_codes is None:
        return LongTable(
            stores=stores,
            brands=brands,
            start=date_of(first_day),
            sales=seal(sales_column.copy().reshape(shape)),
            inventory=seal(inventory_column.copy().reshape(shape)),
            carried=seal(np.ones((n_stores, n_brands), dtype=np.bool_)),
            whole_max=whole_max,
            signless=signless,
        )

    n_cells = n_stores * n_brands * n_days

    def series_of(row: int) -> str:
        return key_text(stores[int(store_codes[row])], brands[int(brand_codes[row])])

    _check_density(
        n_rows, (n_stores, n_brands, n_days), day_numbers, first_day, row_name, series_of
    )
    key = store_codes * n_brands
    key += brand_codes
    carried = np.zeros(n_stores * n_brands, dtype=np.bool_)
    carried[key] = True  # a store × brand with no row at all is not carried
    key *= n_days
    key += day_numbers
    key -= first_day

    if n_rows == n_cells and _is_range(key):  # complete, in order: the columns are the cells
        sales_panel, inventory_panel = sales_column.copy(), inventory_column.copy()
    else:
        sales_panel, inventory_panel = _scatter(
            key,
            sales_column,
            inventory_column,
            carried,
            _Cells(stores, brands, first_day, n_days),
            missing=missing,
            row_name=row_name,
        )
    return LongTable(
        stores=stores,
        brands=brands,
        start=date_of(first_day),
        sales=seal(sales_panel.reshape(shape)),
        inventory=seal(inventory_panel.reshape(shape)),
        carried=seal(carried.reshape(n_stores, n_brands)),
        whole_max=whole_max,
        signless=signless,
    )


def _scatter(
    key: NDArray[np.int64],
    sales_column: NDArray[Any],
    inventory_column: NDArray[Any],
    carried: NDArray[np.bool_],
    cells: _Cells,
    *,
    missing: str,
    row_name: Callable[[int], str],
) -> tuple[NDArray[Any], NDArray[Any]]:
    """Rows into dense cells by their keys: duplicates and holes refused, or holes filled.

    A hole (a carried series without a row on a day) is refused, or with
    missing="no_movement" a day without sales at the stock of the day before;
    the series not carried stay zero.
    """
    n_days = cells.n_days
    n_rows, n_cells = key.size, carried.size * n_days
    seen = np.zeros(n_cells, dtype=np.bool_)
    seen[key] = True
    present = int(np.count_nonzero(seen))
    if present < n_rows:
        _raise_duplicates(key, cells, row_name)
    all_carried = bool(carried.all())
    if not all_carried:  # not carried: no holes to fill or report there
        seen.reshape(-1, n_days)[~carried] = True
    n_carried_cells = int(np.count_nonzero(carried)) * n_days
    n_missing = n_carried_cells - present
    if n_missing and missing == "error":
        examples = _describe_missing(seen, cells)
        raise MissingDataError(
            f"{n_missing} of {n_carried_cells} (store, brand, date) cells have no row, "
            f"e.g. {examples}: pass missing='no_movement' if the export leaves out days "
            "without movement"
        )
    seen_rows = seen.reshape(-1, n_days)
    _raise_leading_missing(seen_rows[:, 0], cells)
    sales_panel = np.zeros(n_cells, dtype=sales_column.dtype)
    sales_panel[key] = sales_column
    make = np.empty if all_carried else np.zeros  # not carried: zeros, never garbage
    inventory_panel = make(n_cells, dtype=inventory_column.dtype)
    inventory_panel[key] = inventory_column
    _carry_stock(inventory_panel.reshape(-1, n_days), seen_rows)
    return sales_panel, inventory_panel


def _row_codes(
    labels: Any,
    name: str,
    frame: tuple[Any, ...] | None,
    coded: bool,
    row_name: Callable[[int], str],
) -> tuple[NDArray[np.int64], tuple[Any, ...]]:
    """Each row's code among the panel's labels of one axis, and those labels.

    With ``coded`` and a frame, the rows hold the codes already; otherwise the
    column is factorized and put on the frame when one is given.
    """
    if coded and frame is not None:
        return _given_codes(labels, name, len(frame), row_name), frame
    return _on_frame(*factorize(labels, name, row_name), frame)


def _is_range(key: NDArray[np.int64]) -> bool:
    """Whether ``key`` is 0, 1, 2, ... (chunk by chunk: no temporary as long as the keys)."""
    base = np.arange(min(key.size, CHUNK_CELLS), dtype=np.int64)
    for start in range(0, key.size, CHUNK_CELLS):
        chunk = key[start : start + CHUNK_CELLS]
        if chunk[0] != start or not np.array_equal(chunk - start, base[: chunk.size]):
            return False
    return True


def _given_codes(
    values: Any, name: str, n_labels: int, row_name: Callable[[int], str]
) -> NDArray[np.int64]:
    """Codes given by the caller, checked to be positions in the frame (-1: missing)."""
    codes = np.asarray(values, dtype=np.int64)
    if codes.size and (int(codes.min()) < 0 or int(codes.max()) >= n_labels):
        row = int(np.flatnonzero((codes < 0) | (codes >= n_labels))[0])
        raise MissingDataError(f"{name!r} is missing at {row_name(row)}")
    return codes


def _on_frame(
    codes: NDArray[np.int64], found: tuple[Any, ...], frame: tuple[Any, ...] | None
) -> tuple[NDArray[np.int64], tuple[Any, ...]]:
    """Codes into ``frame`` (the given labels) instead of into the labels ``found``."""
    if frame is None:
        return codes, found
    position = {label: index for index, label in enumerate(frame)}
    try:
        remap = np.fromiter((position[label] for label in found), np.int64, len(found))
    except KeyError as error:
        raise InvalidValueError(f"the label {error.args[0]!r} is not in the frame") from None
    return remap[codes], frame


# A dense panel is refused when it would hold more than this many cells per row of
# the table (a density under 1/32) and more than DENSE_MIN_CELLS cells in all.
DENSE_CELLS_PER_ROW = 32
DENSE_MIN_CELLS = 1 << 22


def too_sparse(n_cells: int, n_rows: int) -> bool:
    """Whether a dense panel of ``n_cells`` cells for ``n_rows`` rows would be mostly holes.

    The rule of every long-table path (``Panel.from_long``, ``Panel.from_frame``,
    the command line): more than ``DENSE_CELLS_PER_ROW`` cells a row (a density
    under 1/32) and more than ``DENSE_MIN_CELLS`` cells in all.  A district
    where each store carries a sixth of the brands (density 1/6) is dense
    enough; a store × brand product of two unrelated lists, or a year typed
    2126, is not.
    """
    return n_cells > DENSE_MIN_CELLS and n_cells > DENSE_CELLS_PER_ROW * n_rows


def mistyped_day(day_numbers: NDArray[Any]) -> tuple[int, int] | None:
    """(the far-away day, the median day) when one date looks mistyped, else None.

    The rule of every long-table path: the days span more than two years while
    all rows but a few (3, or 1 %) lie within a year of the median day, as a
    mistyped year (2126 for 2026) leaves them.  A day number counts from
    1970-01-01.
    """
    rows = len(day_numbers)
    if rows == 0:
        return None
    low, high = int(day_numbers.min()), int(day_numbers.max())
    if high - low + 1 <= 2 * 366:
        return None  # (the common case: no sort)
    days = np.sort(np.asarray(day_numbers, dtype=np.int64))
    middle = int(days[rows // 2])
    far = rows - int(np.count_nonzero(np.abs(days - middle) <= 366))
    if far > max(3, rows // 100):
        return None
    return (low if middle - low > high - middle else high), middle


def _check_density(
    n_rows: int,
    shape: tuple[int, int, int],
    day_numbers: NDArray[np.int64],
    first_day: int,
    row_name: Callable[[int], str],
    series_of: Callable[[int], str],
) -> None:
    """Refuse a dense panel that would be mostly holes, before allocating it.

    A mistyped year (2126 for 2026) stretches the days; a sparse store × brand
    product (every store listed with every brand of the district) multiplies
    the series.  Either way the panel would be mostly empty cells, in both
    missing modes: the message names the outlier date, its first row and that
    row's store and brand (``series_of(row)``), or the density.
    """
    n_stores, n_brands, n_days = shape
    n_cells = n_stores * n_brands * n_days
    mistyped = mistyped_day(day_numbers)
    if mistyped is None and not too_sparse(n_cells, n_rows):
        return
    days = np.unique(day_numbers)
    last_day = first_day + n_days - 1
    gaps = np.diff(days)
    if gaps.size and int(gaps.max()) > 31:  # a far-away date: name the lonelier side
        cut = int(np.argmax(gaps))
        before, after = int(days[cut]), int(days[cut + 1])
        early = int(np.count_nonzero(day_numbers <= before))
        outlier = before if early <= n_rows - early else after
        if mistyped is not None:
            outlier = mistyped[0]
        rows = np.flatnonzero(day_numbers == outlier)
        row = int(rows[0])
        more = f" and {rows.size - 1:,} more row(s)" if rows.size > 1 else ""
        if mistyped is not None:
            more += f"; most rows are near {date_of(mistyped[1])}"
        raise MissingDataError(
            f"the dates run from {date_of(first_day)} to {date_of(last_day)} with no date "
            f"between {date_of(before)} and {date_of(after)}: is {date_of(outlier)} at "
            f"{row_name(row)} mistyped (on the row of {series_of(row)}{more})? A dense panel "
            f"would hold {n_cells} cells for {n_rows} rows; fix the date or drop its rows"
        )
    density = n_rows / n_cells
    raise MissingDataError(
        f"the long table is too sparse for a dense panel: {n_rows} rows for "
        f"{n_stores} stores × {n_brands} brands × {n_days} days = {n_cells} cells "
        f"(a density of {density:.2%}, under 1/{DENSE_CELLS_PER_ROW}); pass only the "
        "stores and brands of one district or one period at a time"
    )


def _carry_stock(inventory: NDArray[Any], seen: NDArray[np.bool_]) -> None:
    """Fill each missing day with the stock of the last day before it that has a row."""
    gappy = np.flatnonzero(~seen.all(axis=1))
    n_days = inventory.shape[1]
    days = np.arange(n_days, dtype=np.intp)
    step = max(1, CHUNK_CELLS // n_days)
    for start in range(0, gappy.size, step):
        rows = gappy[start : start + step]
        source = np.where(seen[rows], days, 0)
        np.maximum.accumulate(source, axis=1, out=source)
        inventory[rows] = np.take_along_axis(inventory[rows], source, axis=1)

"""Dataframe-native inputs (private): object and NA columns, date axes, long-table columns.

What pandas, polars and xarray objects need beyond :mod:`_validation`'s array
checks, which call into this module only on those paths (an object dtype, a
labelled input): the numbers in an object column, a boolean column with
missing values, dates on an axis that must increase, the columns of one long
table paired by their row labels.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tobacco_metrics._label_keys import by_level_name, day_number, label_order, mismatch_reason
from tobacco_metrics._validation import (
    axis_labels,
    count_phrase,
    format_position,
    library_of,
    quoted,
    shown_labels,
)
from tobacco_metrics.errors import InvalidValueError, MissingDataError, ShapeMismatchError

# An object array (a pandas object or string column, a list mixing types) holds Python
# objects: numbers are converted, exactly where they are all integers that fit in int64;
# strings and booleans are refused as their numpy dtypes are; a missing value (None,
# pandas.NA, NaN) is NaN, which the range checks then report or keep.
_NOT_NUMBERS = (str, bytes, bool, np.bool_)
_EXACT_IN_FLOAT = 2**53


def _at_flat(position: int, shape: tuple[int, ...]) -> str:
    """ " at index I" for the flat ``position`` of an array of ``shape`` ("" for 0-d)."""
    where = format_position(tuple(int(i) for i in np.unravel_index(position, shape)))
    return f" at index {where}" if where else ""


def _is_missing(item: object) -> bool:
    return item is None or type(item).__name__ in ("NAType", "NaTType")


def object_numbers(array: NDArray[Any], name: str) -> NDArray[Any]:
    """An object array as int64 (every item an integer that fits) or float64, or an error."""
    flat = array.reshape(-1)
    kinds = {type(item) for item in flat}  # one pass; the per-item passes below are rare
    if any(issubclass(kind, _NOT_NUMBERS) for kind in kinds):
        _refuse_non_numbers(array, name)
    integral = {kind for kind in kinds if issubclass(kind, (int, np.integer))}
    if kinds and integral == kinds:
        try:
            return array.astype(np.int64)
        except OverflowError:  # beyond int64: as floats, checked below
            pass
    flat = _missing_as_nan(flat, kinds)
    numbers = _as_float64(array, flat, name)
    if integral:
        _refuse_inexact_integers(flat, numbers, array.shape, name)
    return numbers


def _missing_as_nan(flat: NDArray[Any], kinds: set[type]) -> NDArray[Any]:
    """``flat`` with its missing items (None, NA, NaT) as NaN; ``flat`` itself when
    none of ``kinds`` (the items' types) is missing."""
    if any(kind is type(None) or kind.__name__ in ("NAType", "NaTType") for kind in kinds):
        return np.array([np.nan if _is_missing(item) else item for item in flat], dtype=object)
    return flat


def _as_float64(array: NDArray[Any], flat: NDArray[Any], name: str) -> NDArray[np.float64]:
    """The items of ``flat`` as float64 in ``array``'s shape; an error naming the first
    item that is not a number, or an integer beyond float64."""
    try:
        return flat.astype(np.float64).reshape(array.shape)
    except OverflowError:
        raise InvalidValueError(
            f"{quoted(name)} holds an integer too large for float64 (about 1.8e308 at most)"
        ) from None
    except (TypeError, ValueError):
        _refuse_non_numbers(array, name, (int, float, np.number))
        raise  # unreachable: one item is not a number


def _refuse_non_numbers(
    array: NDArray[Any], name: str, numbers: tuple[type, ...] | None = None
) -> None:
    """TypeError naming the first item that is not a number (a str, a bool, a Timestamp, ...).

    Without ``numbers``, the items of the types refused outright (str, bool);
    with it, every item of none of those types that is not missing.
    """
    flat = array.reshape(-1)
    if numbers is None:
        wrong = np.fromiter(
            (isinstance(item, _NOT_NUMBERS) for item in flat), dtype=np.bool_, count=flat.size
        )
    else:
        wrong = np.fromiter(
            (
                isinstance(item, _NOT_NUMBERS)
                or not (isinstance(item, numbers) or _is_missing(item))
                for item in flat
            ),
            dtype=np.bool_,
            count=flat.size,
        )
    if not wrong.any():
        raise TypeError(f"{quoted(name)} must hold real numbers, got objects that are not numbers")
    first = int(np.flatnonzero(wrong)[0])
    item = flat[first]
    fix = (
        "convert the values to numbers first (e.g. pandas.to_numeric)"
        if isinstance(item, _NOT_NUMBERS)
        else "pass only the columns of numbers (drop the date or label columns first)"
    )
    raise TypeError(
        f"{quoted(name)} must hold real numbers, got {type(item).__name__} {item!r}"
        f"{_at_flat(first, array.shape)}{count_phrase(int(wrong.sum()))}; {fix}"
    )


def _refuse_inexact_integers(
    flat: NDArray[Any], numbers: NDArray[np.float64], shape: tuple[int, ...], name: str
) -> None:
    """InvalidValueError for the integer items that float64 ``numbers`` round."""
    # Only an integer above 2**53 in size can be rounded: look at those items alone.
    large = np.flatnonzero(np.abs(numbers.reshape(-1)) > _EXACT_IN_FLOAT)
    inexact = [
        int(k)
        for k in large
        if isinstance(flat[k], (int, np.integer)) and float(flat[k]) != flat[k]
    ]
    if inexact:
        first = inexact[0]
        raise InvalidValueError(
            f"{quoted(name)} holds an integer float64 cannot hold exactly: {flat[first]}"
            f"{_at_flat(first, shape)}{count_phrase(len(inexact))}; "
            "integers above 2**53 must fit in int64 (and not be mixed with floats)"
        )


def check_frame_columns(value: Any, name: str, want: str | None) -> None:
    """Refuse a polars DataFrame or pyarrow Table with a column that is not of kind ``want``.

    ``want`` is "numbers" or "booleans", or None for "all of one kind" (what a
    frame must be whatever the argument wants).  numpy reads such a frame into
    one dtype without a word: a ``Date`` column next to numbers becomes days
    since 1970, a ``Boolean`` one becomes 0 and 1 (and a pyarrow date column
    raises from inside numpy).  So the columns' dtypes are checked first, from
    the schema, and the first wrong column is named.  A polars ``LazyFrame`` is
    refused: it holds no values until collected.  Anything else: nothing to do.
    """
    library, kind = library_of(value), type(value).__name__
    if library == "polars" and kind == "LazyFrame":
        raise TypeError(
            f"{quoted(name)} is a polars LazyFrame, which holds no values yet: collect() it first"
        )
    columns = _schema_kinds(value, library, kind)
    if columns is None:
        return
    present = [(column, dtype, found) for column, dtype, found in columns if found != "missing"]
    if want is None:
        _refuse_mixed_kinds(present, name, f"{library} {kind}")
        return
    for column, dtype, found in present:
        if found != want:
            what = "hold real numbers" if want == "numbers" else "be boolean"
            raise TypeError(
                f"{quoted(name)} must {what}, but its column {column!r} is of dtype {dtype} "
                f"(numpy would read the {library} {kind} into one dtype: dates as numbers, "
                f"booleans as 0 and 1); pass only the columns of {want}: drop the date or "
                "label columns first"
            )


def _schema_kinds(value: Any, library: str, kind: str) -> list[tuple[str, Any, str]] | None:
    """Each column of a polars DataFrame or pyarrow Table/RecordBatch as (name, dtype, kind
    of :func:`_polars_kind` / :func:`_arrow_kind`); None for any other value."""
    if library == "polars" and kind == "DataFrame":
        return [(column, dtype, _polars_kind(dtype)) for column, dtype in value.schema.items()]
    if library == "pyarrow" and kind in ("Table", "RecordBatch"):
        return [(field.name, field.type, _arrow_kind(field.type)) for field in value.schema]
    return None


def _refuse_mixed_kinds(present: list[tuple[str, Any, str]], name: str, frame: str) -> None:
    """TypeError naming the first column whose kind differs from the first column's."""
    odd = [item for item in present if item[2] != present[0][2]]
    if not odd:
        return  # one kind: numpy keeps it (dates stay dates), the caller checks the dtype
    (first, first_dtype, _), (column, dtype, _) = present[0], odd[0]
    raise TypeError(
        f"{quoted(name)} mixes column dtypes: {first!r} is {first_dtype} and {column!r} is "
        f"{dtype}; numpy would read the {frame} into one dtype (dates as numbers, "
        "booleans as 0 and 1), so pass only the columns of numbers (or of booleans, for a "
        "mask): drop the date or label columns first"
    )


def _polars_kind(dtype: Any) -> str:
    """ "numbers", "booleans", "missing" (the Null dtype) or "other" for a polars dtype."""
    text = str(dtype)
    if text == "Boolean":
        return "booleans"
    if text == "Null":
        return "missing"
    return "numbers" if dtype.is_numeric() else "other"


def _arrow_kind(dtype: Any) -> str:
    """ "numbers", "booleans", "missing" (the null type) or "other" for a pyarrow type."""
    import pyarrow as pa

    if pa.types.is_dictionary(dtype):
        dtype = dtype.value_type
    if pa.types.is_boolean(dtype):
        return "booleans"
    if pa.types.is_null(dtype):
        return "missing"
    numeric = pa.types.is_integer(dtype) or pa.types.is_floating(dtype)
    return "numbers" if numeric or pa.types.is_decimal(dtype) else "other"


def refuse_flags_among_numbers(items: list[Any] | tuple[Any, ...], name: str) -> None:
    """TypeError for a bool in a (nested) list of numbers, which numpy reads as 0 or 1
    (a list of bools alone is refused by its dtype)."""
    if not _holds_a_flag(items):
        return
    flags = np.vectorize(lambda item: isinstance(item, (bool, np.bool_)), otypes=[bool])
    at = tuple(int(i) for i in np.argwhere(flags(np.asarray(items, dtype=object)))[0])
    raise TypeError(
        f"{name!r} must hold real numbers (int or float), not True or False: the item at "
        f"index {format_position(at)} is a flag among numbers"
    )


def _holds_a_flag(items: list[Any] | tuple[Any, ...]) -> bool:
    return any(
        isinstance(item, (bool, np.bool_))
        or (isinstance(item, (list, tuple)) and _holds_a_flag(item))
        for item in items
    )


def object_booleans(array: NDArray[Any], name: str) -> NDArray[Any]:
    """An object array of booleans as dtype bool; missing values (NA) refused; else unchanged.

    A pandas ``"boolean"`` column with NA, or an object column of True/False,
    becomes an object array; one without NA is a mask like any other.
    """
    if array.dtype != object:
        return array
    flat = array.reshape(-1)
    missing = np.fromiter((_is_missing(item) for item in flat), dtype=np.bool_, count=flat.size)
    if missing.any():
        first = int(np.flatnonzero(missing)[0])
        where = _at_flat(first, array.shape)
        raise TypeError(
            f"{quoted(name)} must be boolean, but it holds missing values (NA)"
            f"{where}{count_phrase(int(missing.sum()))}: "
            "say True or False for every value; fill them first (e.g. fillna(False))"
        )
    if all(isinstance(item, (bool, np.bool_)) for item in flat):
        return array.astype(np.bool_)
    return array


def same_rows(*named: tuple[str, object]) -> list[Any]:
    """Columns of one long table, pandas Series paired by their index, never by position.

    Series over the same index (as a DataFrame's columns are) come back as they
    are; Series whose index holds the same unique labels in another order (or
    its levels in another order, paired by name) are put in the first Series'
    order; any other index raises ShapeMismatchError naming both columns.
    Labels are the same label as :mod:`tobacco_metrics._label_keys` says (the
    same day in another type is the same day; True is not 1).  Other values
    (lists, ndarrays, pyarrow or polars columns, which carry no row labels)
    come back unchanged.
    """
    out: list[Any] = [value for _, value in named]
    first: tuple[str, Any] | None = None
    for position, (name, value) in enumerate(named):
        index = getattr(value, "index", None)
        if library_of(value) != "pandas" or getattr(value, "ndim", None) != 1 or index is None:
            continue
        if first is None:
            first = (name, value)
            continue
        out[position] = _in_rows_of(value, name, *first)
    return out


def _in_rows_of(value: Any, name: str, ref_name: str, ref_value: Any) -> Any:
    """The pandas Series ``value`` in the row order of ``ref_value`` (itself when over the
    same index); ShapeMismatchError naming both when their labels differ."""
    ref_index = ref_value.index
    index = value.index
    if index is ref_index or (index.equals(ref_index) and _same_dtypes(index, ref_index)):
        return value
    value = by_level_name(value, name, ref_value, ref_name)
    own, wanted = tuple(value.index), tuple(ref_index)
    order = label_order(own, wanted)
    if order is not None:
        return value.iloc[list(order)]
    raise ShapeMismatchError(
        f"{quoted(name)} and {quoted(ref_name)} are pandas columns over different row "
        f"labels ({shown_labels(own)} against {shown_labels(wanted)}"
        f"{mismatch_reason(own, wanted)}): the rows of a long table are paired by label, "
        "never by position; take the columns from one DataFrame, or reset_index(drop=True) "
        "on each"
    )


def _same_dtypes(index: Any, other: Any) -> bool:
    """Whether two pandas indexes hold labels of the same dtypes, level by level."""
    levels = getattr(index, "levels", [index])
    other_levels = getattr(other, "levels", [other])
    return [level.dtype for level in levels] == [level.dtype for level in other_levels]


def _axis_index(value: object, axis: int) -> Any:
    """The pandas Index along ``axis`` of a pandas or xarray object (None if unlabelled)."""
    ndim = getattr(value, "ndim", None)
    if not isinstance(ndim, int) or ndim == 0 or not isinstance(axis, (int, np.integer)):
        return None
    if not -ndim <= axis < ndim:
        return None  # the caller reports the bad axis
    position = int(axis) % ndim
    library = library_of(value)
    if library == "pandas":
        return getattr(value, "columns" if position == 1 else "index", None)
    if library == "xarray":
        return getattr(value, "indexes", {}).get(value.dims[position])  # type: ignore[attr-defined]
    return None


def _holds_dates(index: Any) -> bool:
    """Whether a pandas Index holds dates (datetime64, Period, datetime.date)."""
    if getattr(getattr(index, "dtype", None), "kind", "") == "M":
        return True
    return getattr(index, "inferred_type", "") in ("date", "datetime", "period")


def check_days_in_order(value: object, name: str, axis: int, what: str) -> None:
    """Refuse an axis labelled by dates that are out of order or repeated.

    The day-axis formulas read the days in their order (the closing stock is
    the last day's, a cycle is 7 days from its first): dates labelling an
    axis of the first labelled input (the one :func:`aligned` orders the
    others by) must increase.  Labels that are not dates are not checked.
    """
    index = _axis_index(value, axis)
    if index is None or len(index) < 2:
        return
    if not any(_holds_dates(level) for level in getattr(index, "levels", [index])):
        return
    if _increasing(index):
        return
    labels = list(index)
    values = _comparable(labels)
    position = next(i for i in range(len(values) - 1) if not values[i] < values[i + 1])
    if values[position] == values[position + 1]:
        problem, fix = "repeated", "each must appear once: drop or add up the repeats first"
    else:
        problem, fix = "out of order", "sort them first (e.g. sort_index(axis=...))"
    raise InvalidValueError(
        f"{quoted(name)} has its {what} {problem} on axis {axis}: {labels[position]} at "
        f"position {position}, then {labels[position + 1]}; the {what} are read in their "
        f"order (the last is the closing one), so {fix}"
    )


def _increasing(index: Any) -> bool:
    """Whether an index's labels increase, each once (dates of several types by their days)."""
    if str(getattr(index, "dtype", "")) == "object" and getattr(index, "nlevels", 1) == 1:
        values = _comparable(list(index))  # datetime.date and Timestamp do not compare
        try:
            return all(a < b for a, b in itertools.pairwise(values))
        except TypeError:
            pass
    return bool(index.is_monotonic_increasing and index.is_unique)


def _comparable(labels: list[Any]) -> list[Any]:
    """The labels, or their day numbers where they are dates of types that do not compare."""
    days = [day_number(label) for label in labels]
    kinds = {type(label) for label in labels}
    return labels if len(kinds) < 2 or None in days else days


def last_day_axis(sales: object, inventory: object) -> None:
    """The checks of daily data for the functions that read the days along the last axis.

    Those take no ``axis=``: a labelled table whose dates lie on another axis
    (a DataFrame of dates × stores, which would take each store for a day) is
    refused, and dates on the last axis must be one day apart, as
    :func:`~tobacco_metrics._validation.daily_axis` checks them for the others.
    """
    from tobacco_metrics._validation import daily_axis

    for name, value in (("sales", sales), ("inventory", inventory)):
        check_day_orientation(value, name, -1)
    daily_axis(sales, inventory, -1)


def check_day_orientation(value: object, name: str, axis: int) -> None:
    """Refuse a table whose days are labelled on another axis than the one read as days.

    A DataFrame of dates × stores read with the days along its columns would
    take each store for a day: where the axis read as days holds no dates and
    another axis is a plain index of dates, that is an error naming both.
    """
    ndim = getattr(value, "ndim", None)
    if not isinstance(ndim, int) or ndim < 2 or not -ndim <= axis < ndim:
        return
    day = axis % ndim
    index = _axis_index(value, day)
    if index is not None and any(
        _holds_dates(level) for level in getattr(index, "levels", [index])
    ):
        return
    for other in range(ndim):
        if other != day and _plain_dates(_axis_index(value, other)):
            raise ShapeMismatchError(
                f"{quoted(name)} has its dates on axis {other}, but the days are read "
                f"along axis {day}: pass axis={other} where the function takes one, or "
                "transpose the table (days along the last axis)"
            )


def _plain_dates(labels: Any) -> bool:
    """Whether ``labels`` is a non-empty pandas index of one level holding dates."""
    plain = labels is not None and getattr(labels, "nlevels", 1) == 1 and len(labels) > 0
    return plain and _holds_dates(labels)


def check_days_consecutive(value: object, name: str, axis: int) -> None:
    """Refuse a day axis labelled by dates that skip a day or fall twice on one day.

    The day-axis formulas count a day per position (a cycle is ``cycle_days``
    positions, the closing stock is the last one's): dates that skip a day
    (a store closed on Sundays whose export leaves Sundays out) would make a
    "cycle" of 7 positions span more than 7 days, silently.  Dates with a
    time of day are read as their day (in their own time zone, if they have
    one).  Labels that are not dates, dates out of order
    (:func:`check_days_in_order` reports those) and periods other than days
    are not checked here.
    """
    index = _axis_index(value, axis)
    if index is None or len(index) < 2 or getattr(index, "nlevels", 1) > 1:
        return
    if not _holds_dates(index) or not _increasing(index):
        return
    days = _label_days(index)
    if days is None:
        return
    steps = np.diff(days.astype(np.int64))
    wrong = np.flatnonzero(steps != 1)
    if wrong.size == 0:
        return
    position = int(wrong[0])
    first, then = days[position], days[position + 1]
    problem, fix = _step_problem(int(steps[position]))
    shown_axis = axis % int(getattr(value, "ndim", 1))
    raise MissingDataError(
        f"{quoted(name)} has its days labelled by dates that are not one day apart on axis "
        f"{shown_axis}: {first} at position {position}, then {then} ({problem}; "
        f"{wrong.size:,} such step(s) in all); a day-axis formula counts one day per position "
        f"(a cycle is cycle_days positions), so {fix}"
    )


def _label_days(index: Any) -> NDArray[np.datetime64] | None:
    """The days (datetime64[D]) of a pandas index of dates, each date read as its day on
    its own clock; None for periods other than days and for labels not all dates."""
    import pandas as pd

    if isinstance(index, pd.PeriodIndex):  # only periods of one day are days
        if index.freqstr != "D":
            return None
        index = index.to_timestamp()
    try:
        stamps = pd.to_datetime(index)
    except (TypeError, ValueError):
        return None  # mixed labels: the order check has passed, nothing to count
    if getattr(stamps, "tz", None) is not None:  # the day on the clock where the data were taken
        stamps = stamps.tz_localize(None)
    days: NDArray[np.datetime64] = stamps.normalize().to_numpy().astype("datetime64[D]")
    return days


def _step_problem(step: int) -> tuple[str, str]:
    """What is wrong with two dates ``step`` days apart (not 1), and how to fix it."""
    if step == 0:
        return "two labels on one day", "add up each day's rows first"
    return f"{step - 1:,} day(s) missing", (
        "put every day in: reindex to every date from the first to the last and pass "
        "the added days as exclude="
    )


def dimension_names(value: object) -> tuple[Any, ...] | None:
    """The dimension names of an xarray object, None for anything else."""
    return tuple(getattr(value, "dims", ())) if library_of(value) == "xarray" else None


def by_dimension_name(value: Any, name: str, wanted: tuple[Any, ...] | None, ref_name: str) -> Any:
    """A DataArray laid on the ``wanted`` dimensions of a reference by name, not by position.

    numpy broadcasting matches the trailing axes: a DataArray over ``store``
    against one over (``store``, ``date``) would be laid along ``date``.  A
    DataArray whose dimensions are not the last of ``wanted`` in the same
    order is transposed to that order with a length-1 axis for each dimension
    it lacks; one with a dimension ``wanted`` lacks is refused.  Anything else
    (``wanted`` None: the reference is not a DataArray): unchanged.
    """
    if wanted is None or library_of(value) != "xarray":
        return value
    own = tuple(value.dims)
    if len(own) > len(wanted) or own == wanted[len(wanted) - len(own) :]:
        return value  # numpy pairs them as their names do (or adds the value's leading axes)
    foreign = [dim for dim in own if dim not in wanted]
    if foreign:
        raise ShapeMismatchError(
            f"{quoted(name)} has the dimension {foreign[0]!r}, which {quoted(ref_name)} does "
            f"not have where {quoted(name)} is laid (dimensions {', '.join(map(str, wanted))}): "
            "DataArrays are paired by dimension name, never by position"
        )
    lacking = [dim for dim in wanted if dim not in own]
    return value.expand_dims(lacking).transpose(*wanted)


def laid_as(value: Any, name: str, reference: Any, ref_name: str, trailing: int = 0) -> Any:
    """``value`` laid on ``reference``'s axes by name: DataArray dimensions, index levels.

    The reference's last ``trailing`` axes are left out (a value that broadcasts
    against the reference without them).
    """
    dims = dimension_names(reference)
    if dims is not None:
        return by_dimension_name(value, name, dims[: len(dims) - trailing], ref_name)
    return by_level_name(value, name, reference, ref_name, trailing)


def aligned_off_axis(value: Any, name: str, reference: object, ref_name: str, axis: int) -> Any:
    """A per-series ``value`` paired with ``reference``'s labels on every axis but ``axis``.

    For an option with one value per series of daily data (a fallback daily
    rate per store against sales stores × days): labelled, it is put in the
    order of the reference's labels on the other axes (a DataArray by
    dimension name), different labels refused, as :func:`aligned` does for
    inputs over the same axes.  ``axis`` (the day axis) is already checked.
    """
    from tobacco_metrics._validation import aligned_to_axes

    labels = axis_labels(reference)
    if value is None or labels is None or not -len(labels) <= axis < len(labels):
        return value  # nothing to pair (a bad axis: the caller reports it)
    day = int(axis) % len(labels)
    dims = dimension_names(reference)
    kept = None if dims is None else dims[:day] + dims[day + 1 :]
    value = by_dimension_name(value, name, kept, ref_name)
    return aligned_to_axes(value, name, labels[:day] + labels[day + 1 :], ref_name)


def check_dimension_on_axis(
    value: Any, name: str, reference: Any, ref_name: str, axis: int
) -> None:
    """Refuse a 1-D DataArray laid on an ``axis`` of a DataArray named otherwise.

    A per-brand value laid along ``axis`` of a table: when both are
    DataArrays, the value's dimension must be the one at ``axis``.
    """
    if library_of(value) != "xarray" or library_of(reference) != "xarray" or value.ndim != 1:
        return
    own, there = value.dims[0], reference.dims[axis]
    if own != there:
        hint = (
            f"pass axis={reference.dims.index(own)}"
            if own in reference.dims
            else "rename the dimension"
        )
        raise ShapeMismatchError(
            f"{quoted(name)} is over the dimension {own!r} but it is laid along axis {axis} "
            f"of {quoted(ref_name)}, which is {there!r}: DataArrays are paired by dimension "
            f"name, never by position; {hint}"
        )


def _reordered(own: tuple[Any, ...], wanted: tuple[Any, ...]) -> bool:
    """Whether ``wanted`` holds the labels ``own`` in another order."""
    if wanted == own or len(wanted) != len(own):
        return False
    try:
        return set(wanted) == set(own)
    except TypeError:  # unhashable labels: not the integers 0 … n-1
        return False


def _has_range_axis(value: object) -> bool:
    """Whether ``value`` is a pandas object with an axis of default labels (a RangeIndex)."""
    axes = [getattr(value, "index", None), getattr(value, "columns", None)]
    return library_of(value) == "pandas" and any(
        type(axis).__name__ == "RangeIndex" for axis in axes
    )


def refuse_ambiguous_positions(
    value: object, name: str, reference: tuple[tuple[Any, ...] | None, ...], ref_name: str
) -> None:
    """Refuse a pandas axis built without labels against the same integers in another order.

    A Series built without an index (its default ``RangeIndex`` 0 … n-1) is
    laid by position, as a list would be; but against a reference labelled by
    the integers 0 … n-1 in another order (brand codes 2, 0, 1) it could as
    well be meant by label, and the two readings give different numbers.
    ``reference`` holds the labels of the reference's axes, matched to the
    value's from the last (as numpy broadcasting matches them).
    """
    from tobacco_metrics._validation import given_labels

    if not _has_range_axis(value):
        return  # only a pandas axis can be built without labels
    raw, given = axis_labels(value), given_labels(value)
    if raw is None or given is None:
        return
    offset = len(reference) - len(raw)
    for axis, (own, kept) in enumerate(zip(raw, given, strict=True)):
        ref_axis = axis + offset
        if own is None or kept is not None or not 0 <= ref_axis < len(reference):
            continue  # labelled, or no axis of the reference to compare with
        wanted = reference[ref_axis]
        if wanted is not None and _reordered(own, wanted):
            raise ShapeMismatchError(
                f"{quoted(name)} was built without labels (0 … {len(own) - 1}) and is laid by "
                f"position, but {quoted(ref_name)} labels that axis with the same integers in "
                f"another order ({shown_labels(wanted)}): say which is meant, "
                "pass .to_numpy() to lay it by position or set its index to pair it by label"
            )

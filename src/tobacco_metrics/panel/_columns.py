"""Columns of a long table as numpy arrays, and labels as integer codes (private).

What :mod:`tobacco_metrics.panel._long` reads a column with: numpy, pandas
(Categorical codes used as they are), pyarrow (dictionary indices) and Python
sequences; a label column becomes int64 codes and its labels, sorted when they
are orderable, with runs of equal labels (an export sorted by store) coded once
per run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tobacco_metrics._validation import as_real_array
from tobacco_metrics.errors import MissingDataError, ShapeMismatchError

__all__ = [
    "as_column",
    "factorize",
    "factorize_objects",
    "is_arrow",
    "is_pandas",
    "missing_label",
    "numeric_column",
    "numpy_column",
    "plain_labels",
]


def is_pandas(value: Any) -> bool:
    module = type(value).__module__
    return module.startswith("pandas")


def is_arrow(value: Any) -> bool:
    """Whether ``value`` is a pyarrow Array or ChunkedArray (pyarrow imported only if so)."""
    if not type(value).__module__.startswith("pyarrow"):
        return False
    import pyarrow as pa

    return isinstance(value, (pa.Array, pa.ChunkedArray))


def _arrow_numpy(column: Any) -> NDArray[Any]:
    """An Arrow column's values as numpy (no copy for one chunk of numbers without nulls).

    Dictionary-encoded columns are decoded; nulls become NaN, NaT or None,
    which the rules of each column then report.
    """
    import pyarrow as pa

    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    array: NDArray[Any] = column.to_numpy(zero_copy_only=False)
    return array


def days_of_periods(values: Any) -> Any:
    """A pandas or Arrow column of daily ``Period``s as its days; any other column as it is.

    A Period of one day is that day, as it is as a label (a pandas date index
    of periods pairs with dates); a Period of a month or a week is not a day,
    and is a TypeError rather than its first day.
    """
    if is_pandas(values):
        freq = getattr(getattr(values, "dtype", None), "freq", None)
        if freq is None or type(getattr(values, "dtype", None)).__name__ != "PeriodDtype":
            return values
        _refuse_long_periods(freq.freqstr)
        return values.dt.start_time if hasattr(values, "dt") else values.to_timestamp()
    if is_arrow(values) and getattr(values.type, "extension_name", None) == "pandas.period":
        import pyarrow as pa

        _refuse_long_periods(values.type.freq)
        chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
        ordinals = pa.chunked_array([chunk.storage for chunk in chunks], values.type.storage_type)
        return ordinals.cast(pa.int32()).cast(pa.date32())  # a daily ordinal: days since 1970
    return values


def _refuse_long_periods(freq: str) -> None:
    if freq != "D":
        raise TypeError(f"'date' must hold days, got periods of {freq!r}: a period is not a day")


def as_column(values: Any, name: str) -> Any:
    """A pandas or Arrow column as it is, anything else as a 1-D ndarray (no copy of an ndarray).

    A scalar or an array of another dimension is a ShapeMismatchError; a string
    or something that is not a sequence at all is a TypeError.
    """
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name!r} must be a column (list, array or Series), got a string")
    if is_pandas(values):
        if getattr(values, "ndim", 1) != 1:
            raise ShapeMismatchError(f"{name!r} must be one column: {type(values).__name__}")
        return values
    if is_arrow(values):
        return values
    if isinstance(values, (np.ndarray, np.generic)) or np.isscalar(values):
        array = np.asarray(values)
    else:
        array = _sequence_column(values, name)
    if array.ndim != 1:
        shape = "a scalar" if array.ndim == 0 else f"shape {array.shape}"
        raise ShapeMismatchError(f"{name!r} must be a column (one value a row), got {shape}")
    return array


def _sequence_column(values: Any, name: str) -> NDArray[Any]:
    """A sequence (list, tuple, iterable) as an ndarray: numpy's own dtype when it reads the
    items as one column of one kind, else one object per row (tuples as labels, nested
    sequences, strings mixed with other items); TypeError when not iterable."""
    try:
        items = list(values)
    except TypeError:
        raise TypeError(
            f"{name!r} must be a column (list, array or Series), got {type(values).__name__}"
        ) from None
    try:
        array = np.asarray(items) if items else np.asarray(items, dtype=np.float64)
        plain = array.ndim == 1 and (
            # numpy turns ["a", nan] into ["a", "nan"]: keep mixed columns as objects
            array.dtype.kind not in "US" or all(type(item) is str for item in items)
        )
    except ValueError:  # ragged nested sequences
        plain = False
    if not plain:  # one object per row (tuples as labels, nested sequences)
        array = np.empty(len(items), dtype=object)
        for position, item in enumerate(items):
            array[position] = item
    return array


def numpy_column(values: Any, name: str) -> NDArray[Any]:
    """A 1-D ndarray from a list, array or pandas column (no copy of an ndarray)."""
    column = as_column(values, name)
    if is_arrow(column):
        return _arrow_numpy(column)
    if is_pandas(column):
        array: NDArray[Any] = column.to_numpy()
        return array
    return np.asarray(column)


def numeric_column(values: Any, name: str) -> NDArray[Any]:
    if is_pandas(values) and getattr(values, "hasnans", False):
        values = values.to_numpy(dtype=np.float64, na_value=np.nan)
    array = numpy_column(values, name)
    if array.dtype == object and any(
        isinstance(item, (list, tuple, np.ndarray)) for item in array.tolist()
    ):
        raise ShapeMismatchError(f"{name!r} must be one-dimensional: it holds sequences")
    return as_real_array(array, name)


def missing_label(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT, pd.NA
    except (TypeError, ValueError):
        return True  # pd.NA raises on bool()


def _sorted_uniques(uniques: list[Any], codes: NDArray[np.int64]) -> tuple[list[Any], Any]:
    """Sort the labels when they are mutually orderable and remap the codes."""
    try:
        order = sorted(range(len(uniques)), key=uniques.__getitem__)
    except TypeError:
        return uniques, codes
    remap = np.empty(len(uniques), dtype=np.int64)
    remap[np.asarray(order, dtype=np.int64)] = np.arange(len(uniques), dtype=np.int64)
    return [uniques[i] for i in order], remap[codes]


def factorize_objects(
    array: NDArray[Any], name: str, row_name: Callable[[int], str], *, labels: bool = True
) -> tuple[NDArray[np.int64], list[Any]]:
    """Codes by first appearance; with ``labels``, None and NaN are MissingDataError."""
    table: dict[Any, int] = {}
    try:
        codes = np.fromiter(
            (table.setdefault(value, len(table)) for value in array.tolist()),
            dtype=np.int64,
            count=len(array),
        )
    except TypeError:
        for row, value in enumerate(array.tolist()):
            try:
                hash(value)
            except TypeError:
                raise TypeError(
                    f"{name!r} labels must be hashable: {value!r} at {row_name(row)}"
                ) from None
        raise  # pragma: no cover
    uniques = list(table)
    for code, value in enumerate(uniques):
        if labels and missing_label(value):
            row = int(np.flatnonzero(codes == code)[0])
            raise MissingDataError(f"{name!r} is missing ({value!r}) at {row_name(row)}")
    return codes, uniques


def factorize(
    values: Any, name: str, row_name: Callable[[int], str]
) -> tuple[NDArray[np.int64], tuple[Any, ...]]:
    """Integer codes (0..n-1) and labels; labels sorted when orderable, else by first row."""
    if is_arrow(values):
        plain = plain_labels(values)
        if plain is None:
            return _arrow_codes(values, name, row_name)
        values = plain
    dtype = getattr(values, "dtype", None)
    if is_pandas(values) and getattr(dtype, "name", None) == "category":
        categorical = values.cat if hasattr(values, "cat") else values  # a Series, a Categorical
        return _used_codes(
            np.asarray(categorical.codes), categorical.categories, name, row_name, sort=False
        )
    if is_pandas(values) and isinstance(dtype, np.dtype) and dtype.kind in "iuUSb":
        values = values.to_numpy()  # plain numpy data: the numpy paths below are faster
    if is_pandas(values):
        return _pandas_codes(values, name, row_name)
    return _numpy_codes(numpy_column(values, name), name, row_name)


def _numpy_codes(
    array: NDArray[Any], name: str, row_name: Callable[[int], str]
) -> tuple[NDArray[np.int64], tuple[Any, ...]]:
    """Codes and labels of a 1-D ndarray: by runs when sorted into runs, through an
    occupancy mask for dense integers, ``np.unique`` for other plain dtypes, else by
    first appearance (sorted when orderable)."""
    kind = array.dtype.kind
    heads = _run_heads(array) if kind in "iuUSb" else None
    if heads is not None:  # an export sorted by store: label the runs, not every row
        run_codes, run_labels = factorize(array[heads], name, lambda run: row_name(int(heads[run])))
        return np.repeat(run_codes, np.diff(heads, append=array.size)), run_labels
    if kind in "iu" and array.size:
        dense = _dense_integer_codes(array)
        if dense is not None:
            return dense
    if kind in "iufUSMmb":
        if kind in "fMm":
            _refuse_not_a_number(array, name, row_name)
        uniques_array, inverse = np.unique(array, return_inverse=True)
        return inverse.reshape(-1).astype(np.int64), tuple(uniques_array.tolist())
    codes, uniques = factorize_objects(array, name, row_name)
    sorted_labels, codes = _sorted_uniques(uniques, codes)
    return codes, tuple(sorted_labels)


def _refuse_not_a_number(array: NDArray[Any], name: str, row_name: Callable[[int], str]) -> None:
    """MissingDataError naming the first NaN (float) or NaT (datetime, timedelta) label."""
    missing = np.isnan(array) if array.dtype.kind == "f" else np.isnat(array)
    if missing.any():
        row = int(np.flatnonzero(missing)[0])
        raise MissingDataError(f"{name!r} is missing ({array[row]}) at {row_name(row)}")


def _pandas_codes(
    values: Any, name: str, row_name: Callable[[int], str]
) -> tuple[NDArray[np.int64], tuple[Any, ...]]:
    """Codes and labels of a pandas column by ``pd.factorize`` (sorted when orderable)."""
    import pandas as pd

    try:
        codes, uniques = pd.factorize(values, sort=True)
    except TypeError:
        codes, uniques = pd.factorize(values, sort=False)
    codes = np.asarray(codes, dtype=np.int64)
    if len(codes) and codes.min() < 0:
        row = int(np.flatnonzero(codes < 0)[0])
        raise MissingDataError(f"{name!r} is missing at {row_name(row)}")
    return codes, tuple(pd.Index(uniques).tolist())


def _dense_integer_codes(array: NDArray[Any]) -> tuple[NDArray[np.int64], tuple[Any, ...]] | None:
    """Codes of integer labels through an occupancy mask over their range (None: too sparse)."""
    low, high = int(array.min()), int(array.max())
    if high - low > max(4 * array.size, 1 << 20) or high >= 2**62:
        return None
    offsets = array.astype(np.int64, copy=False) - low
    present = np.zeros(high - low + 1, dtype=np.bool_)
    present[offsets] = True
    rank = np.cumsum(present, dtype=np.int64) - 1
    labels = (np.flatnonzero(present) + low).astype(array.dtype)
    return rank[offsets], tuple(labels.tolist())


def _used_codes(
    codes: NDArray[Any],
    labels: Any,
    name: str,
    row_name: Callable[[int], str],
    *,
    sort: bool,
) -> tuple[NDArray[np.int64], tuple[Any, ...]]:
    """Codes into ``labels`` (-1: missing) as codes into the labels the rows use.

    A pandas Categorical's codes or an Arrow dictionary's indices serve as
    they are: the labels no row uses are dropped and the codes renumbered
    through an occupancy mask, and with ``sort`` the labels are sorted when
    orderable (otherwise they keep their order).
    """
    n_labels = len(labels)
    if codes.size and (int(codes.min()) < 0 or int(codes.max()) >= n_labels):
        row = int(np.flatnonzero((codes < 0) | (codes >= n_labels))[0])
        raise MissingDataError(f"{name!r} is missing at {row_name(row)}")
    used = np.zeros(n_labels, dtype=np.bool_)
    used[codes] = True
    rank = np.cumsum(used, dtype=np.int64) - 1
    result = rank[codes]
    if hasattr(labels, "to_pylist"):  # an Arrow dictionary: its values as Python objects
        import pyarrow as pa

        found: list[Any] = labels.filter(pa.array(used)).to_pylist()
    else:  # a pandas Index of categories
        found = labels[used].tolist()
    for code, value in enumerate(found):
        if missing_label(value):
            row = int(np.flatnonzero(result == code)[0])
            raise MissingDataError(f"{name!r} is missing ({value!r}) at {row_name(row)}")
    if sort:
        found, result = _sorted_uniques(found, result)
    return result, tuple(found)


def _arrow_codes(
    column: Any, name: str, row_name: Callable[[int], str]
) -> tuple[NDArray[np.int64], tuple[Any, ...]]:
    """Codes and labels of an Arrow column: its dictionary's indices (encoded by pyarrow if not)."""
    import pyarrow as pa

    if not pa.types.is_dictionary(column.type):
        column = column.dictionary_encode()
    chunked = pa.chunked_array([column]) if isinstance(column, pa.Array) else column
    chunked = chunked.unify_dictionaries()
    if chunked.num_chunks == 0:
        return np.zeros(0, dtype=np.int64), ()
    dictionary = chunked.chunk(0).dictionary
    indices = [chunk.indices.fill_null(-1).to_numpy() for chunk in chunked.chunks]
    codes = np.concatenate(indices) if len(indices) > 1 else indices[0]
    return _used_codes(codes, dictionary, name, row_name, sort=True)


# Rows looked at to decide whether a label column comes in runs (sorted by store).
RUN_SAMPLE = 1 << 12


def _run_heads(array: NDArray[Any]) -> NDArray[np.intp] | None:
    """The first row of each run of equal values, when runs are long (4+ rows on average).

    A sample of the first rows decides first, so that a shuffled column costs
    next to nothing.  None when the runs are short.
    """
    n_rows = array.size
    sample = array[:RUN_SAMPLE]
    if n_rows < RUN_SAMPLE or 4 * int(np.count_nonzero(sample[1:] != sample[:-1])) > sample.size:
        return None
    heads = np.flatnonzero(array[1:] != array[:-1])
    if 4 * heads.size > n_rows:
        return None
    return np.concatenate(([0], heads + 1))


def plain_labels(column: Any) -> NDArray[Any] | None:
    """A label column as a numpy array of integers or text; None for other kinds."""
    if is_arrow(column):
        import pyarrow as pa

        if column.null_count or not pa.types.is_integer(column.type):
            return None
        column = _arrow_numpy(column)
    if is_pandas(column):
        if not (isinstance(column.dtype, np.dtype) and column.dtype.kind in "iuUS"):
            return None
        column = column.to_numpy()
    if isinstance(column, np.ndarray) and column.dtype.kind in "iuUS":
        return column
    return None

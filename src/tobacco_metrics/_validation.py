"""Input checks shared by every public function (private).

The rules: inputs are converted with :func:`numpy.asarray` (no copy when they
already are arrays), never modified; a value of the wrong kind raises
:class:`TypeError`; a value out of range raises a
:class:`~tobacco_metrics.errors.TobaccoMetricsError` subclass whose message
names the argument, the first offending position and value, how many there
are, and what was expected.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec, TypeVar

import numpy as np
from dateutil import relativedelta, rrule
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics import _convert
from tobacco_metrics.errors import (
    EmptyInputError,
    InvalidValueError,
    ShapeMismatchError,
)

_G = TypeVar("_G", bound=np.generic)
_P = ParamSpec("_P")
_R = TypeVar("_R")


def format_position(index: tuple[int, ...]) -> str:
    """Render an array index for a message: ``3`` for 1-D, ``(1, 3)`` for N-D, "" for 0-D."""
    plain = tuple(int(i) for i in index)
    if not plain:
        return ""
    if len(plain) == 1:
        return str(plain[0])
    return str(plain)


def first_offender(bad: NDArray[np.bool_], values: NDArray[Any]) -> tuple[str, Any, int]:
    """Return (" at index I" or "", first offending value, count of offenders)."""
    count = int(np.count_nonzero(bad))
    if values.ndim == 0:
        return "", values[()].item(), count
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    return f" at index {format_position(first)}", values[first].item(), count


def count_phrase(count: int, what: str = "such values") -> str:
    """ " (3 such values)" for a count above one, "" for one offender."""
    return "" if count == 1 else f" ({count} {what})"


def offender(bad: NDArray[np.bool_], values: NDArray[Any]) -> str:
    """'VALUE at index I (N such values)': the first True of ``bad`` and how many there are."""
    where, value, count = first_offender(bad, values)
    return f"{value}{where}{count_phrase(count)}"


# The names these helpers had before they were shared (kept for code written against them).
_first_offender = first_offender
_count_phrase = count_phrase


def quoted(name: str) -> str:
    """An argument name as a message shows it: ``'sales'``; a label already quoted stays as is.

    A compound label such as ``"'weekday_rules' for 'week_summary'"`` starts with a
    quote and is used verbatim.
    """
    return name if name.startswith("'") else repr(name)


def as_real_array(value: ArrayLike, name: str) -> NDArray[Any]:
    """Return ``value`` as a numeric (integer or float) ndarray without copying it.

    Booleans, complex numbers, strings and other objects raise TypeError: a
    boolean where a quantity was due is almost always a bug in the caller.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(
            f"{name!r} must be a number or an array of numbers, got {type(value).__name__}"
        )
    refuse_masked(value, name)
    try:
        array = labelled_array(value, name, "numbers")
    except ValueError as error:  # ragged nested sequences
        raise ShapeMismatchError(
            f"{name!r} must be a rectangular array (every row as long as the others): {error}"
        ) from None
    if array.dtype == object:  # pandas object/str columns, mixed lists: the slow path
        from tobacco_metrics._dataframes import object_numbers

        array = object_numbers(array, name)
    kind = array.dtype.kind
    if kind not in "iuf":
        raise TypeError(f"{name!r} must hold real numbers (int or float), got dtype {array.dtype}")
    if isinstance(value, (list, tuple)):  # numpy reads True among numbers as 1
        from tobacco_metrics._dataframes import refuse_flags_among_numbers

        refuse_flags_among_numbers(value, name)
    return array


def check_finite(array: NDArray[Any], name: str) -> None:
    """Raise InvalidValueError if a float array holds NaN or ±inf."""
    if array.dtype.kind != "f":
        return
    finite = np.isfinite(array)
    if not finite.all():
        where, value, count = first_offender(~finite, array)
        raise InvalidValueError(f"{name!r} must be finite: {value}{where}{count_phrase(count)}")


def check_non_negative(array: NDArray[Any], name: str) -> None:
    """Raise InvalidValueError if the array holds a negative value (NaN is not checked here)."""
    if array.dtype.kind == "u":
        return
    negative = array < 0
    if negative.any():
        where, value, count = first_offender(np.asarray(negative), array)
        raise InvalidValueError(f"{name!r} must be >= 0: {value}{where}{count_phrase(count)}")


def check_positive(array: NDArray[Any], name: str) -> None:
    """Raise InvalidValueError if the array holds a value <= 0 (prices, cycle lengths)."""
    not_positive = array <= 0
    if not_positive.any():
        where, value, count = first_offender(np.asarray(not_positive), array)
        raise InvalidValueError(f"{name!r} must be > 0: {value}{where}{count_phrase(count)}")


def quantities(value: ArrayLike, name: str) -> NDArray[Any]:
    """A real array of finite, non-negative values (sales, stock, volumes)."""
    array = as_real_array(value, name)
    if array.size >= _ONE_PASS_CELLS and finite_non_negative_high(array) is not None:
        return array
    check_finite(array, name)
    check_non_negative(array, name)
    return array


def quantities_or_nan(value: ArrayLike, name: str) -> NDArray[Any]:
    """Like :func:`quantities`, but NaN is allowed (an unknown value propagates); ±inf is not."""
    array = as_real_array(value, name)
    if array.dtype.kind == "f":
        infinite = np.isinf(array)
        if infinite.any():
            where, bad, count = first_offender(infinite, array)
            raise InvalidValueError(
                f"{name!r} must be finite or NaN: {bad}{where}{count_phrase(count)}"
            )
        check_non_negative(np.where(np.isnan(array), 0.0, array), name)
    else:
        check_non_negative(array, name)
    return array


def non_negative_scalar(value: object, name: str) -> float:
    """A finite real number >= 0, returned as float."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"{name!r} must be a real number, got {type(value).__name__}")
    number = finite_float(value, name)
    if number < 0:
        raise InvalidValueError(f"{name!r} must be >= 0: {value}")
    return number


def finite_float(value: int | float | np.integer[Any] | np.floating[Any], name: str) -> float:
    """A real number (type already checked) as a finite float, or InvalidValueError.

    A Python int too large for a float (above about 1.8e308) is out of range,
    not of the wrong type.
    """
    try:
        number = float(value)
    except OverflowError:
        digits = len(str(abs(int(value))))
        raise InvalidValueError(
            f"{name!r} must be finite: an integer of {digits} digits is too large for a float"
        ) from None
    if not np.isfinite(number):
        raise InvalidValueError(f"{name!r} must be finite: {number}")
    return number


def bool_mask(value: ArrayLike, name: str) -> NDArray[np.bool_]:
    """A boolean array; integer 0/1 arrays are refused because they look like index lists."""
    hint = "to exclude days by position build a mask, e.g. mask[[0, 5]] = True"
    return boolean_array(value, name, hint, what="a boolean mask")


def labelled_array(value: object, name: str, want: str | None = None) -> NDArray[Any]:
    """``numpy.asarray(value)``; a polars or pyarrow frame's columns checked first
    (numpy reads them into one dtype: ``want`` "numbers", "booleans" or None, one kind)."""
    if library_of(value) in ("polars", "pyarrow"):
        from tobacco_metrics._dataframes import check_frame_columns

        check_frame_columns(value, name, want)
    return np.asarray(value)


def same_shape(first: NDArray[Any], second: NDArray[Any], names: tuple[str, str]) -> None:
    """Raise ShapeMismatchError unless the two arrays have the same shape."""
    if first.shape != second.shape:
        raise ShapeMismatchError(
            f"{names[0]!r} and {names[1]!r} must have the same shape: "
            f"{first.shape} and {second.shape}"
        )


def shape_refusal(name: str, got: tuple[int, ...], shape: tuple[int, ...]) -> ShapeMismatchError:
    """The error for an option of shape ``got`` that does not broadcast to the data's ``shape``.

    numpy aligns shapes from the last axis, so one value per store of (stores, days)
    data is (stores, 1), not (stores,): the message says so when ``got`` is the data's
    leading axes.
    """
    hint = ""
    if 0 < len(got) < len(shape) and got == shape[: len(got)]:
        wanted = got + (1,) * (len(shape) - len(got))
        axes = "the first axis" if len(got) == 1 else f"the first {len(got)} axes"
        index = ", ".join([":"] * len(got) + ["None"] * (len(shape) - len(got)))
        hint = (
            f"; shapes are matched from the last axis: for one value per position along "
            f"{axes} give shape {wanted} ({name}[{index}])"
        )
    return ShapeMismatchError(
        f"{name!r} with shape {got} does not broadcast to the data's shape {shape}{hint}"
    )


def broadcast_to_shape(array: NDArray[_G], shape: tuple[int, ...], name: str) -> NDArray[_G]:
    """Broadcast (as a read-only view) or raise ShapeMismatchError."""
    try:
        return np.broadcast_to(array, shape)
    except ValueError:
        raise shape_refusal(name, array.shape, shape) from None


def broadcast_arrays(*named: tuple[str, NDArray[Any]]) -> list[NDArray[Any]]:
    """Broadcast several arrays together or raise ShapeMismatchError naming all shapes."""
    try:
        return list(np.broadcast_arrays(*(array for _, array in named)))
    except ValueError:
        shapes = ", ".join(f"{name!r} {array.shape}" for name, array in named)
        raise ShapeMismatchError(f"the inputs do not broadcast together: {shapes}") from None


def paired_quantities(*named: tuple[str, object]) -> list[NDArray[Any]]:
    """Quantities paired by label, each checked as :func:`quantities`, broadcast together."""
    values = aligned(*named)
    return broadcast_arrays(
        *((name, quantities(value, name)) for (name, _), value in zip(named, values, strict=True))
    )


def normalize_axis(axis: int, ndim: int, name: str = "axis") -> int:
    """Return ``axis`` as a non-negative index, or raise InvalidValueError."""
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{name!r} must be an int, got {type(axis).__name__}")
    if ndim == 0:
        raise ShapeMismatchError(
            f"the data must have at least one dimension for {quoted(name)}={axis}, got a scalar"
        )
    if not -ndim <= axis < ndim:
        raise InvalidValueError(
            f"{name!r} must be in [{-ndim}, {ndim - 1}] for {ndim}-dimensional data: {axis}"
        )
    return int(axis) % ndim


def require_days(length: int, name: str) -> None:
    """Raise EmptyInputError for a zero-length day axis."""
    if length == 0:
        raise EmptyInputError(f"{name!r} has no days: a cycle needs at least one day")


def unwrap(array: NDArray[_G]) -> Any:
    """Return a numpy scalar for a 0-d result, the array itself otherwise."""
    if array.ndim == 0:
        return array[()]
    return array


def overflow_guard(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Turn a float64 overflow inside ``func`` into InvalidValueError instead of a warning.

    Finite inputs near the float64 limit (about 1.8e308) can overflow in a sum
    or a ratio; that is bad input, not a result, so it is reported as such.
    """

    @functools.wraps(func)
    def guarded(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with np.errstate(over="raise"):
            try:
                return func(*args, **kwargs)
            except FloatingPointError as error:
                raise InvalidValueError(
                    f"the inputs are too large to compute with in float64 ({error}); "
                    "quantities must stay well below 1e308, and divisors (daily rates, "
                    "volumes) well above 1e-300"
                ) from None

    return guarded


# --------------------------------------------------------------------------- scalars
#
# One check per kind of scalar argument, one message format each:
# "'months' must be an int, got float", "'months' must be >= 1: 0",
# "'month' must be in 1..12: 13", "'flag' must be a bool, got int".

EXACT_INTEGER_LIMIT = 2**53
"""Whole numbers up to here are exact in float64 (and so in every float64 computation)."""


def integer(
    value: object, name: str, minimum: int | None = None, maximum: int | None = None
) -> int:
    """A Python int in [minimum, maximum] (numpy integers too); bools and floats: TypeError.

    Messages: ``'x' must be >= 1: 0`` with one bound, ``'x' must be in 1..12: 13``
    with both.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{quoted(name)} must be an int, got {type(value).__name__}")
    number = int(value)
    too_low = minimum is not None and number < minimum
    too_high = maximum is not None and number > maximum
    if too_low or too_high:
        if minimum is not None and maximum is not None:
            raise InvalidValueError(f"{quoted(name)} must be in {minimum}..{maximum}: {number}")
        bound = f">= {minimum}" if too_low else f"<= {maximum}"
        raise InvalidValueError(f"{quoted(name)} must be {bound}: {number}")
    return number


def int_at_least(minimum: int) -> Callable[[Any, Any, Any], None]:
    """An attrs validator: an int >= ``minimum`` (messages of :func:`integer`)."""

    def validate(instance: Any, attribute: Any, value: Any) -> None:
        integer(value, attribute.name, minimum)

    validate.__name__ = f"int_at_least_{minimum}"
    return validate


def flag(value: object, name: str) -> bool:
    """A yes/no switch: a Python bool or a ``numpy.bool_`` (a value read from an array).

    Anything else (0/1, "yes", None) raises TypeError naming the type.
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"{quoted(name)} must be a bool (True or False), got {type(value).__name__}: {value!r}"
        )
    return bool(value)


def weekday(
    value: object,
    name: str,
    *,
    nth: bool = False,
    expected: str = "an int (Monday = 0 … Sunday = 6) or a dateutil weekday (MO … SU)",
) -> rrule.weekday:
    """A weekday as a :class:`dateutil.rrule.weekday`, from an int 0 (Monday) … 6 or MO … SU.

    dateutil's ``relativedelta`` and ``rrule`` constants are both accepted.
    An nth weekday such as ``FR(-1)`` is accepted only with ``nth=True``
    (within a month, as in an rrule); otherwise it is an InvalidValueError.
    ``.weekday`` of the result is the int, ``.n`` the index or None.
    """
    if isinstance(value, relativedelta.weekday):  # rrule's weekday is a subclass
        day: Any = value
        if day.n is not None and not nth:
            raise InvalidValueError(
                f"{quoted(name)} must be a plain weekday such as MO, not an nth weekday: {value!r}"
            )
        return rrule.weekday(day.weekday, day.n)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{quoted(name)} must be {expected}, got {type(value).__name__}")
    if not 0 <= value <= 6:
        raise InvalidValueError(f"{quoted(name)} must be in 0 (Monday) … 6 (Sunday): {value}")
    return rrule.weekday(int(value))


def as_date(value: object, name: str) -> dt.date:
    """A :class:`datetime.date` (ISO 'YYYY-MM-DD' strings and numpy datetime64 accepted).

    A ``datetime`` where a date is meant is a TypeError (``.date()`` says which
    day is meant). The parsing itself is the domain converter's
    (``_convert.to_date``); this adds the argument's name to the message.
    """
    if isinstance(value, dt.datetime):
        raise TypeError(
            f"{quoted(name)} must be a date, not a datetime: {value!r}; "
            + _convert.DATE_OF_DATETIME
        )
    try:
        return _convert.to_date(value)
    except TypeError:
        raise TypeError(
            f"{quoted(name)} must be a datetime.date, got {type(value).__name__}"
        ) from None
    except InvalidValueError as error:
        if isinstance(value, np.datetime64):  # the converter says what is wrong with it
            raise InvalidValueError(f"{quoted(name)}: {error}") from None
        raise InvalidValueError(
            f"{quoted(name)} must be an ISO date 'YYYY-MM-DD' in the years 1 … 9999: {value!r}"
        ) from None


def check_calendar_run(start: dt.date, n_days: int, what: str) -> None:
    """Raise InvalidValueError when ``n_days`` days from ``start`` run past 9999-12-31."""
    if start.toordinal() + n_days - 1 > dt.date.max.toordinal():
        raise InvalidValueError(f"{what} must end by {dt.date.max}: {n_days} days from {start}")


def items(values: object, name: str, what: str = "values") -> list[Any]:
    """Any iterable but a bare string or bytes, as a list."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(
            f"{quoted(name)} must be an iterable of {what}, got {type(values).__name__}"
        )
    return list(values)


# --------------------------------------------------------------------------- whole numbers


def check_whole(array: NDArray[Any], name: str, unit: str = "cartons") -> None:
    """Raise InvalidValueError for a fractional value in a float array ("must be whole cartons").

    NaN (a value left unknown, where the caller allows one) is not fractional.
    """
    if array.dtype.kind != "f":
        return
    fractional = (array != np.floor(array)) & ~np.isnan(array)
    if fractional.any():
        raise InvalidValueError(
            f"{quoted(name)} must be whole {unit}: {offender(fractional, array)}"
        )


def check_exact(array: NDArray[Any], name: str) -> None:
    """Refuse magnitudes above 2**53, the whole numbers float64 holds exactly.

    For inputs of computations done in float64: an int64 above 2**53 would be
    rounded silently on the way in, and a float above it is no longer a
    count to the carton.  Int and float inputs are treated alike.
    """
    if array.dtype.kind not in "iuf" or array.size == 0:
        return
    if array.dtype.kind == "f":
        magnitude = np.abs(array.astype(np.float64, copy=False))
        too_large = magnitude > EXACT_INTEGER_LIMIT  # NaN compares False
    elif array.dtype.kind == "u":
        too_large = array > EXACT_INTEGER_LIMIT
    else:
        too_large = (array > EXACT_INTEGER_LIMIT) | (array < -EXACT_INTEGER_LIMIT)
    if np.any(too_large):
        raise InvalidValueError(
            f"{quoted(name)} must be <= 2**53 to be computed exactly: "
            f"{offender(np.asarray(too_large), array)}"
        )


def whole_quantities(value: ArrayLike, name: str, unit: str = "cartons") -> NDArray[np.int64]:
    """Whole, finite numbers >= 0 as int64 (whole-valued floats accepted).

    Floats above 2**53 are refused (they are not whole counts any more);
    unsigned integers must fit in int64.
    """
    array = quantities(value, name)
    if array.dtype.kind == "f":
        check_whole(array, name, unit)
        check_exact(array, name)
    elif array.dtype.kind == "u":
        too_large = array > np.iinfo(np.int64).max
        if too_large.any():
            raise InvalidValueError(
                f"{quoted(name)} must fit in int64: {offender(too_large, array)}"
            )
    return array.astype(np.int64, copy=False)


# --------------------------------------------------------------------------- typed results


def result(array: NDArray[_G]) -> NDArray[_G]:
    """:func:`unwrap` with a type: a numpy scalar for a 0-d result, the array otherwise.

    Typed as the array (see ``_typing``: a numpy scalar has the read-only
    interface of a 0-d array), so ``return result(x)`` needs no ``# type: ignore``.
    """
    if array.ndim == 0:
        return array[()]
    return array


# --------------------------------------------------------------------------- labelled inputs
#
# pandas Series/DataFrame and xarray DataArray carry labels (an index, columns,
# coords).  Two labelled inputs are paired by label, never by position: the same
# labels in another order are put in the first input's order, different labels are
# refused.  The libraries are recognised by their module name, never imported here.

_LABEL_SHOWN = 3  # labels spelled out in a message


def library_of(value: object) -> str:
    """The top-level package of ``value``'s type ("pandas", "xarray", "numpy", ...)."""
    return type(value).__module__.split(".", 1)[0]


def axis_labels(value: Any) -> tuple[tuple[Any, ...] | None, ...] | None:
    """The labels along each axis of a pandas, polars or xarray object (None: unlabelled axis).

    A polars DataFrame's (or a pyarrow Table's) columns are labels (its rows
    are not); a polars Series or pyarrow array has none.  None for anything
    else (lists, ndarrays, numbers).
    """
    library = library_of(value)
    if library == "pandas":
        if hasattr(value, "columns") and hasattr(value, "index"):  # DataFrame
            return (tuple(value.index), tuple(value.columns))
        if hasattr(value, "index") and getattr(value, "ndim", None) == 1:  # Series
            return (tuple(value.index),)
        return None
    kind = type(value).__name__
    if library == "polars" and kind == "DataFrame":
        # A polars DataFrame: its rows carry no labels, its columns carry their names.
        return (None, tuple(value.columns))
    if library == "pyarrow" and kind in ("Table", "RecordBatch"):
        # A pyarrow Table (or RecordBatch) is labelled as a polars DataFrame is.
        return (None, tuple(value.column_names))
    if library == "xarray" and hasattr(value, "dims") and hasattr(value, "coords"):
        from tobacco_metrics._label_keys import coordinate_labels

        coords: Any = value.coords
        return tuple(
            coordinate_labels(coords[dim]) if dim in coords else None for dim in value.dims
        )
    return None


def shown_labels(labels: tuple[Any, ...]) -> str:
    text = ", ".join(
        repr(label) if isinstance(label, str) else str(label) for label in labels[:_LABEL_SHOWN]
    )
    return text + (", …" if len(labels) > _LABEL_SHOWN else "")


def _reorder(
    array: NDArray[Any], axis: int, labels: tuple[Any, ...], wanted: tuple[Any, ...]
) -> NDArray[Any] | None:
    """``array`` with ``axis`` in the order of ``wanted``, or None if the labels differ
    (which labels are the same one: :mod:`tobacco_metrics._label_keys`)."""
    from tobacco_metrics._label_keys import label_order

    order = label_order(labels, wanted)
    if order is None or isinstance(order, range):
        return None if order is None else array
    return np.take(array, order, axis=axis)


def aligned(*named: tuple[str, object] | tuple[str, object, int]) -> list[Any]:
    """Pair labelled inputs by label: reorder to the first one's labels, or refuse.

    Each input is ``(name, value)``, or ``(name, value, trailing)`` for a value
    that broadcasts against the first labelled input *without* its last
    ``trailing`` axes (a supply per brand against requests brands × stores).
    Unlabelled values come back unchanged; a labelled value comes back as an
    ndarray, its axes put in the order of the first labelled input's labels
    (whose dates, on an axis labelled by dates, must increase)
    where both carry labels (trailing axes matched as numpy broadcasting
    matches them).  The same labels in another order are aligned; different
    labels raise ShapeMismatchError naming both inputs and the axis.
    """
    from tobacco_metrics._dataframes import check_days_in_order, laid_as

    out: list[Any] = [item[1] for item in named]
    reference: tuple[str, tuple[tuple[Any, ...] | None, ...], Any] | None = None
    for index, item in enumerate(named):
        name, value = item[0], item[1]
        labels = axis_labels(value)
        if labels is None:
            continue
        if reference is None:
            for axis in range(len(labels)):  # the others are put in its order: its dates must rise
                check_days_in_order(value, name, axis, "days")
            reference = (name, labels, value)
            out[index] = labelled_array(value, name)
            continue
        ref_name, ref_all, ref_value = reference
        trailing = item[2] if len(item) == 3 else 0
        ref_labels = ref_all[: len(ref_all) - trailing]
        laid = laid_as(value, name, ref_value, ref_name, trailing)  # by dimension or level name
        value, labels = laid, labels if laid is value else axis_labels(laid) or labels
        out[index] = _aligned_to(labelled_array(value, name), labels, name, ref_labels, ref_name)
    return out


def _aligned_to(
    array: NDArray[Any],
    labels: tuple[tuple[Any, ...] | None, ...],
    name: str,
    ref_labels: tuple[tuple[Any, ...] | None, ...],
    ref_name: str,
) -> NDArray[Any]:
    offset = len(ref_labels) - len(labels)
    for axis, own in enumerate(labels):
        ref_axis = axis + offset
        if own is None or not 0 <= ref_axis < len(ref_labels):
            continue
        wanted = ref_labels[ref_axis]
        if wanted is None:
            continue
        reordered = _reorder(array, axis, own, wanted)
        if reordered is None:
            from tobacco_metrics._label_keys import mismatch_reason as label_mismatch

            raise ShapeMismatchError(
                f"{quoted(name)} and {quoted(ref_name)} carry different labels on axis {axis} "
                f"of {quoted(name)} ({shown_labels(own)} against {shown_labels(wanted)}"
                f"{label_mismatch(own, wanted)}): labelled inputs are paired by label, never "
                "by position; reindex them to the same labels"
            )
        array = reordered
    return array


def day_axis(value: object, name: str, axis: int | None, what: str = "days") -> int:
    """The day axis to use: ``axis``, or -1 when it is None.

    A labelled input of two or more dimensions (a DataFrame, a DataArray) has
    no orientation a function can assume: without ``axis`` it is refused with
    a message saying what each axis holds.
    """
    labels = axis_labels(value)
    if axis is None and labels is not None and len(labels) >= 2:
        sizes: tuple[int, ...] = getattr(value, "shape", ())
        parts = []
        for number, axis_labels_ in enumerate(labels):
            size = sizes[number] if number < len(sizes) else "?"
            if axis_labels_ is None:
                parts.append(f"axis={number} has {size} unlabelled positions")
                continue
            shown = f": {shown_labels(axis_labels_)}" if axis_labels_ else ""
            parts.append(f"axis={number} has {size} labels{shown}")
        kind = type(value).__name__
        raise ShapeMismatchError(
            f"{quoted(name)} is a {len(labels)}-D {kind} and its orientation is ambiguous: "
            f"{'; '.join(parts)}. Pass axis= to say which axis holds the {what}"
        )
    resolved = -1 if axis is None else axis
    if labels is not None and what == "days" and isinstance(resolved, (int, np.integer)):
        from tobacco_metrics._dataframes import check_days_consecutive

        check_days_consecutive(value, name, int(resolved))
    return resolved


def daily_axis(sales: object, inventory: object, axis: int | None) -> int:
    """The day axis of daily sales and stock, by :func:`day_axis` for each.

    ``sales`` decides it (a labelled one of two or more dimensions must name
    it); the stock's date labels on that axis, if it has any, are checked too.
    """
    day = day_axis(sales, "sales", axis)
    day_axis(inventory, "inventory", day)
    return day


# --------------------------------------------------------------------------- masked arrays
#
# A masked value is not a value: the day-axis formulas with an ``exclude`` mask take
# masked days as excluded days (``excluded_by_mask``); every other function refuses
# a masked array that hides anything (``as_real_array``).


def refuse_masked(value: object, name: str) -> None:
    """Raise InvalidValueError for a masked array that hides values (no mask: accepted)."""
    if isinstance(value, np.ma.MaskedArray) and np.ma.getmaskarray(value).any():
        hidden = np.ma.getmaskarray(value)
        raise InvalidValueError(
            f"{quoted(name)} is a masked array with masked values "
            f"({offender(hidden, np.ma.getdata(value))} hidden): this function does not "
            "skip values; fill them (numpy.ma.filled) or drop them first"
        )


# --------------------------------------------------------------------------- shared checks
# (appended for structure, ledger, segments, visits and agreements; one helper per check)


def refuse_where(
    bad: ArrayLike,
    values: NDArray[Any],
    message: str,
    error: type[Exception] = InvalidValueError,
) -> None:
    """Raise ``error("<message>: <first value> at index I (N such values)")`` if ``bad`` has a True.

    The one "first offender" message of the library: ``message`` names the
    argument and the rule (``"'price' must be > 0"``); the position and the
    count of offenders are added here.
    """
    mask = np.asarray(bad, dtype=np.bool_)
    if mask.any():
        raise error(f"{message}: {offender(mask, values)}")


def real_number(value: object, name: str, *, finite: bool = True) -> float:
    """A real number (Python or numpy int or float, not a bool), returned as float.

    Finite unless ``finite=False``, which lets ±inf through (a size that means
    "Poisson", a bound that means "none") but still refuses NaN.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"{name!r} must be a real number, got {type(value).__name__}")
    if finite:
        return finite_float(value, name)
    try:
        number = float(value)
    except OverflowError:  # an int beyond float range
        raise InvalidValueError(f"{name!r} is too large for a float: {value}") from None
    if math.isnan(number):
        raise InvalidValueError(f"{name!r} must not be NaN")
    return number


def fraction(value: object, name: str) -> float:
    """A real number in [0, 1], returned as float."""
    number = real_number(value, name)
    if not 0.0 <= number <= 1.0:
        raise InvalidValueError(f"{name!r} must be in [0, 1]: {value}")
    return number


def positive_fraction(value: object, name: str) -> float:
    """A real number in (0, 1] (a share that must be reached: ``fast_at``), as float."""
    number = real_number(value, name)
    if not 0.0 < number <= 1.0:
        raise InvalidValueError(f"{name!r} must be in (0, 1]: {value}")
    return number


def whole_numbers(value: ArrayLike, name: str, unit: str = "numbers") -> NDArray[Any]:
    """Like :func:`quantities`, every value a whole number (days, cartons counted); dtype kept.

    The message is :func:`check_whole`'s: ``'days' must be whole numbers of days: 1.5 at index 2``.
    """
    array = quantities(value, name)
    check_whole(array, name, unit)
    return array


def boolean_array(
    value: ArrayLike, name: str, hint: str = "", *, what: str = "boolean"
) -> NDArray[np.bool_]:
    """A boolean array (dtype bool); anything else raises TypeError, with ``hint`` appended.

    Frames' columns are checked first; object booleans (a pandas "boolean" column
    with NA, an object column) are read as bool or refused.
    """
    array = labelled_array(value, name, "booleans")
    if array.dtype == object:
        from tobacco_metrics._dataframes import object_booleans

        array = object_booleans(array, name)
    if array.dtype != np.bool_:
        raise TypeError(
            f"{name!r} must be {what} (dtype bool), got dtype {array.dtype}"
            + (f"; {hint}" if hint else "")
        )
    return array


def require_dimension(array: NDArray[Any], name: str, what: str) -> None:
    """Raise ShapeMismatchError for a 0-d array where an axis (``what``) is needed."""
    if array.ndim == 0:
        raise ShapeMismatchError(
            f"{name!r} must have at least one dimension ({what}), got a scalar"
        )


def aligned_along(value: object, name: str, reference: object, ref_name: str, axis: int) -> Any:
    """A 1-D labelled ``value`` put in the order of ``reference``'s labels on ``axis``.

    For a per-brand (or per-store) input laid along one axis of a labelled
    table: a price class per brand against stores × brands with ``axis=-1``
    or brands × stores with ``axis=0``. Unlabelled inputs come back unchanged;
    different labels raise ShapeMismatchError (never paired by position).
    A pandas Series built without an index (its default ``RangeIndex`` 0 … n-1)
    carries no labels and is laid by position, as a list would be.
    """
    own = axis_labels(value)
    ref = axis_labels(reference)
    if own is None or ref is None or len(own) != 1 or not ref:
        return value
    try:
        ref_axis = normalize_axis(axis, len(ref))
    except (TypeError, InvalidValueError):
        return value  # the caller reports the bad axis
    from tobacco_metrics._dataframes import check_dimension_on_axis

    check_dimension_on_axis(value, name, reference, ref_name, ref_axis)
    labels, wanted = own[0], ref[ref_axis]
    if labels is None or (
        type(getattr(value, "index", None)).__name__ == "RangeIndex"
        and labels == tuple(range(len(labels)))
    ):
        from tobacco_metrics._dataframes import refuse_ambiguous_positions

        refuse_ambiguous_positions(value, name, (wanted,), ref_name)
        return value
    return _aligned_to(labelled_array(value, name), own, name, (wanted,), ref_name)


def aligned_to_axes(
    value: object, name: str, reference: tuple[tuple[Any, ...] | None, ...], ref_name: str
) -> Any:
    """A labelled ``value`` put in the order of ``reference`` (labels per axis), or refused.

    ``value`` broadcasts against the reference's axes as numpy matches them
    (trailing axes first): a per-brand Series against (stores, brands).
    Unlabelled values and axes (see :func:`given_labels`) are left as they are.
    """
    labels = given_labels(value)
    if labels is None:
        return value
    from tobacco_metrics._dataframes import refuse_ambiguous_positions

    refuse_ambiguous_positions(value, name, reference, ref_name)
    return _aligned_to(labelled_array(value, name), labels, name, reference, ref_name)


def given_labels(value: object) -> tuple[tuple[Any, ...] | None, ...] | None:
    """:func:`axis_labels`, where a pandas axis built without labels (a default
    ``RangeIndex`` 0 … n-1) counts as unlabelled (None)."""
    labels = axis_labels(value)
    if labels is None or library_of(value) != "pandas":
        return labels
    axes = [getattr(value, "index", None), getattr(value, "columns", None)][: len(labels)]
    default = [type(axis).__name__ == "RangeIndex" for axis in axes]
    return tuple(
        None if own is None or (plain and own == tuple(range(len(own)))) else own
        for plain, own in zip(default, labels, strict=True)
    )


# --------------------------------------------------------------------------- one-pass check

# Signed and float types as the unsigned integers of their width, with the bits of
# their largest finite value: read so, every finite value >= 0 (but -0.0) is at most
# those bits and every other value (negative, infinite, NaN) is above them.
_UNSIGNED: dict[np.dtype[Any], tuple[np.dtype[Any], int]] = {
    np.dtype(signed): (np.dtype(unsigned), int(np.array(top, signed).view(unsigned)))
    for signed, unsigned, top in [
        (np.int32, np.uint32, np.iinfo(np.int32).max),
        (np.int64, np.uint64, np.iinfo(np.int64).max),
        (np.float32, np.uint32, np.finfo(np.float32).max),
        (np.float64, np.uint64, np.finfo(np.float64).max),
    ]
}
# Below this many values the plain checks cost less than setting the one pass up.
_ONE_PASS_CELLS = 1 << 12


def finite_non_negative_high(array: NDArray[Any]) -> Any:
    """The largest value of a non-empty ``array`` when one pass shows all finite and >= 0.

    One max over the values read as unsigned integers of their width.  None
    when that pass cannot tell (another dtype, a -0.0, or a bad value): the
    caller then runs the plain checks, which name the first bad value.
    """
    bits, ceiling = _UNSIGNED.get(array.dtype, (None, 0))
    if bits is None:
        return None
    top = array.view(bits).max()
    if top > ceiling:
        return None
    return top.reshape(1).view(array.dtype)[0]

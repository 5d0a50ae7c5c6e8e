"""Input checks shared by every public function (private).

The rules: inputs are converted with :func:`numpy.asarray` (no copy when they
already are arrays), never modified; a value of the wrong kind raises
:class:`TypeError`; a value out of range raises a
:class:`~tobacco_metrics.errors.TobaccoMetricsError` subclass whose message
names the argument, the first offending position and value, how many there
are, and what was expected.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics.errors import EmptyInputError, InvalidValueError, ShapeMismatchError

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


def _first_offender(bad: NDArray[np.bool_], values: NDArray[Any]) -> tuple[str, Any, int]:
    """Return (" at index I" or "", first offending value, count of offenders)."""
    count = int(np.count_nonzero(bad))
    if values.ndim == 0:
        return "", values[()].item(), count
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    return f" at index {format_position(first)}", values[first].item(), count


def _count_phrase(count: int) -> str:
    return "" if count == 1 else f" ({count} such values)"


def as_real_array(value: ArrayLike, name: str) -> NDArray[Any]:
    """Return ``value`` as a numeric (integer or float) ndarray without copying it.

    Booleans, complex numbers, strings and other objects raise TypeError: a
    boolean where a quantity was due is almost always a bug in the caller.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(
            f"{name!r} must be a number or an array of numbers, got {type(value).__name__}"
        )
    try:
        array = np.asarray(value)
    except ValueError as error:  # ragged nested sequences
        raise ShapeMismatchError(
            f"{name!r} must be a rectangular array (every row as long as the others): {error}"
        ) from None
    if array.dtype == object:
        try:
            array = array.astype(np.float64)
        except OverflowError:
            raise InvalidValueError(
                f"{name!r} holds an integer too large for float64 (about 1.8e308 at most)"
            ) from None
        except (TypeError, ValueError):
            raise TypeError(
                f"{name!r} must hold real numbers, got objects that are not numbers"
            ) from None
    kind = array.dtype.kind
    if kind not in "iuf":
        raise TypeError(f"{name!r} must hold real numbers (int or float), got dtype {array.dtype}")
    return array


def check_finite(array: NDArray[Any], name: str) -> None:
    """Raise InvalidValueError if a float array holds NaN or ±inf."""
    if array.dtype.kind != "f":
        return
    finite = np.isfinite(array)
    if not finite.all():
        where, value, count = _first_offender(~finite, array)
        raise InvalidValueError(f"{name!r} must be finite: {value}{where}{_count_phrase(count)}")


def check_non_negative(array: NDArray[Any], name: str) -> None:
    """Raise InvalidValueError if the array holds a negative value (NaN is not checked here)."""
    if array.dtype.kind == "u":
        return
    negative = array < 0
    if negative.any():
        where, value, count = _first_offender(np.asarray(negative), array)
        raise InvalidValueError(f"{name!r} must be >= 0: {value}{where}{_count_phrase(count)}")


def check_positive(array: NDArray[Any], name: str) -> None:
    """Raise InvalidValueError if the array holds a value <= 0 (prices, cycle lengths)."""
    not_positive = array <= 0
    if not_positive.any():
        where, value, count = _first_offender(np.asarray(not_positive), array)
        raise InvalidValueError(f"{name!r} must be > 0: {value}{where}{_count_phrase(count)}")


def quantities(value: ArrayLike, name: str) -> NDArray[Any]:
    """A real array of finite, non-negative values (sales, stock, volumes)."""
    array = as_real_array(value, name)
    check_finite(array, name)
    check_non_negative(array, name)
    return array


def quantities_or_nan(value: ArrayLike, name: str) -> NDArray[Any]:
    """Like :func:`quantities`, but NaN is allowed (an unknown value propagates); ±inf is not."""
    array = as_real_array(value, name)
    if array.dtype.kind == "f":
        infinite = np.isinf(array)
        if infinite.any():
            where, bad, count = _first_offender(infinite, array)
            raise InvalidValueError(
                f"{name!r} must be finite or NaN: {bad}{where}{_count_phrase(count)}"
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
    array = np.asarray(value)
    if array.dtype != np.bool_:
        raise TypeError(
            f"{name!r} must be a boolean mask (dtype bool), got dtype {array.dtype}; "
            "to exclude days by position build a mask, e.g. mask[[0, 5]] = True"
        )
    return array


def same_shape(first: NDArray[Any], second: NDArray[Any], names: tuple[str, str]) -> None:
    """Raise ShapeMismatchError unless the two arrays have the same shape."""
    if first.shape != second.shape:
        raise ShapeMismatchError(
            f"{names[0]!r} and {names[1]!r} must have the same shape: "
            f"{first.shape} and {second.shape}"
        )


def broadcast_to_shape(array: NDArray[_G], shape: tuple[int, ...], name: str) -> NDArray[_G]:
    """Broadcast (as a read-only view) or raise ShapeMismatchError."""
    try:
        return np.broadcast_to(array, shape)
    except ValueError:
        raise ShapeMismatchError(
            f"{name!r} with shape {array.shape} does not broadcast to the data's shape {shape}"
        ) from None


def broadcast_arrays(*named: tuple[str, NDArray[Any]]) -> list[NDArray[Any]]:
    """Broadcast several arrays together or raise ShapeMismatchError naming all shapes."""
    try:
        return list(np.broadcast_arrays(*(array for _, array in named)))
    except ValueError:
        shapes = ", ".join(f"{name!r} {array.shape}" for name, array in named)
        raise ShapeMismatchError(f"the inputs do not broadcast together: {shapes}") from None


def normalize_axis(axis: int, ndim: int, name: str = "axis") -> int:
    """Return ``axis`` as a non-negative index, or raise InvalidValueError."""
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{name!r} must be an int, got {type(axis).__name__}")
    if ndim == 0:
        raise ShapeMismatchError(
            "the data must have at least one dimension (the day axis), got a scalar"
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


def read_only_view(value: Any) -> Any:
    """Converter for result classes: an ndarray as a read-only *view*, anything else as is.

    The view, not the array, is made read-only, so a caller's own array stays
    writeable.
    """
    if isinstance(value, np.ndarray):
        value = value.view()
        value.setflags(write=False)
    return value


def _writeable_somewhere(array: NDArray[Any]) -> bool:
    """Whether ``array`` or any array (or buffer) it views can still be written to."""
    base: Any = array
    while isinstance(base, np.ndarray):
        if base.flags.writeable:
            return True
        base = base.base
    if base is None:
        return False
    try:
        return not memoryview(base).readonly
    except TypeError:  # not a buffer (an mmap closed, an exotic owner): trust its flags
        return False


def frozen_array(value: Any) -> Any:
    """Converter: an ndarray as a read-only array nobody can change, anything else as is.

    A read-only view is kept (as a new read-only view) only when nothing can
    write to its memory any more: neither the array nor any array or buffer
    it views is writeable.  Otherwise it is copied, so that a caller's later
    writes (through the array or its base) cannot change the value.
    """
    if not isinstance(value, np.ndarray):
        return value
    if _writeable_somewhere(value):
        copy = value.copy()
        copy.flags.writeable = False
        return copy
    view = value.view()
    view.flags.writeable = False
    return view


def seal(array: NDArray[_G]) -> NDArray[_G]:
    """Make an array the caller has just created read-only (and return it).

    For arrays nobody else holds (fresh results): :func:`frozen_array` then
    keeps them without a copy.  ``array.base`` must be None or sealed too.
    """
    base: Any = array
    while isinstance(base, np.ndarray):
        base.flags.writeable = False
        base = base.base
    return array

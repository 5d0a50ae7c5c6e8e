"""Whole-carton arithmetic shared by the quota and supply modules (private).

- rounding a quantity to whole cartons after snapping floating-point noise;
- the one largest-remainder splitter (exact integer arithmetic), behind
  ``split_total``, ``weekly_limits``, ``class_limits`` and ``allocate_supply``;
- exact sums of whole cartons;
- the reasonable quota of a daily rate (rate × cycle days × adjustment,
  rounded), for ``reasonable_quota`` and the command line, which takes two
  quotas (the cycle's and the month's) from one rate.

The rules are documented in ``docs/formulas/quota.md``.
"""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics._typing import FloatArray, IntArray
from tobacco_metrics._validation import (
    EXACT_INTEGER_LIMIT,
    as_real_array,
    broadcast_to_shape,
    check_finite,
    check_positive,
    check_whole,
    offender,
    overflow_guard,
    quantities,
    quoted,
)
from tobacco_metrics.errors import InvalidValueError

Rounding: TypeAlias = Literal["half_up", "ceil", "floor"]
"""How a quota is rounded to whole cartons; ``None`` keeps the float."""

ROUNDING_MODES: tuple[str, ...] = ("half_up", "ceil", "floor")
_SNAP = 1e-9  # relative distance within which a value is taken as a whole or half carton
_INT64_SAFE = 2**62  # products below this cannot overflow int64


def rounding_mode(rounding: object) -> str | None:
    """The rounding argument checked: one of :data:`ROUNDING_MODES` or None."""
    if rounding is None:
        return None
    if not isinstance(rounding, str):
        raise TypeError(
            f"'rounding' must be one of 'half_up', 'ceil', 'floor' or None, "
            f"got {type(rounding).__name__}"
        )
    if rounding not in ROUNDING_MODES:
        raise InvalidValueError(
            f"'rounding' must be one of 'half_up', 'ceil', 'floor' or None: {rounding!r}"
        )
    return rounding


def snap(values: FloatArray) -> FloatArray:
    """Take values within 1e-9 (relative) of a multiple of 0.5 as that multiple.

    ``61 / 14 * 7`` is 30.499999999999996 in floating point; without this a
    half-up rounding would give 30 cartons where the exact quota 30.5 gives 31,
    and ``ceil`` would turn ``29 / 7 * 7 == 29.000000000000004`` into 30.
    """
    halves = np.round(values * 2.0) / 2.0
    close = np.abs(values - halves) <= _SNAP * np.maximum(1.0, np.abs(values))
    snapped: FloatArray = np.where(close, halves, values)
    return snapped


def round_cartons(values: FloatArray, mode: str) -> FloatArray:
    """Round to whole cartons (NaN stays NaN), after :func:`snap`.

    The result is float64; whole values above 2**53 (where float64 stops
    holding every whole number) are refused.
    """
    snapped = snap(values)
    rounded: FloatArray
    if mode == "half_up":
        rounded = np.floor(snapped + 0.5)
    elif mode == "ceil":
        rounded = np.ceil(snapped)
    else:
        rounded = np.floor(snapped)
    too_large = np.abs(rounded) > EXACT_INTEGER_LIMIT  # NaN compares False
    if too_large.any():
        raise InvalidValueError(
            "the result is too large for whole cartons in int64 or float64 "
            f"(exact up to 2**53): {offender(np.asarray(too_large), rounded)}"
        )
    return rounded


def to_int64(values: FloatArray) -> IntArray:
    """Whole-valued finite floats (from :func:`round_cartons`) as int64."""
    return values.astype(np.int64)


# --------------------------------------------------------------------------- splitting


def _scaled_to_integers(weights: NDArray[np.float64]) -> NDArray[np.int64] | None:
    """Finite floats times the largest 2**k of their denominators, as int64 (vectorised).

    Each nonzero float is an odd integer M times 2**k exactly; scaling every
    weight by 2**max(0, -min k) is exact (a power of two) and gives the
    integers the Python ``as_integer_ratio`` path gives.  None when one of
    them would not fit in int64 (that path, with Python ints, takes over).
    """
    if not np.isfinite(weights).all():
        return None
    nonzero = weights[weights != 0]
    if nonzero.size == 0:
        return np.zeros(weights.shape, dtype=np.int64)
    mantissa, exponent = np.frexp(nonzero)
    whole = np.ldexp(np.abs(mantissa), 53).astype(np.int64)  # |value| = whole * 2**(exponent-53)
    lowest = whole & -whole  # the lowest set bit: 2**trailing zeros
    trailing = np.frexp(lowest.astype(np.float64))[1] - 1
    shift = max(0, -int((exponent.astype(np.int64) - 53 + trailing).min()))
    if int(exponent.max()) + shift > 62:  # |value| < 2**exponent: past int64 once scaled
        return None
    return np.ldexp(weights, shift).astype(np.int64)


def _exact_integer_weights(weights: NDArray[Any]) -> NDArray[Any]:
    """Weights as exact integers in the same proportions (Python ints for fractional floats)."""
    if weights.dtype.kind in "iu":
        return _int64_or_objects(weights)
    whole = bool((weights == np.floor(weights)).all())
    if whole and (weights.size == 0 or float(weights.max()) <= EXACT_INTEGER_LIMIT):
        return weights.astype(np.int64)
    # A float is m / 2**k exactly: scale every weight by the largest 2**k.
    scaled_floats = _scaled_to_integers(weights.astype(np.float64, copy=False))
    if scaled_floats is not None:
        return scaled_floats
    return _scaled_fractions(weights)


def _int64_or_objects(weights: NDArray[Any]) -> NDArray[Any]:
    """Integer weights as int64, or as Python ints when an unsigned one is past int64."""
    if weights.dtype.kind == "u" and weights.size and weights.max() > np.iinfo(np.int64).max:
        return weights.astype(object)
    return weights.astype(np.int64, copy=False)


def _scaled_fractions(weights: NDArray[Any]) -> NDArray[Any]:
    """Float weights as Python ints in the same proportions: each weight's exact fraction
    scaled by the largest denominator."""
    ratios = [value.as_integer_ratio() for value in weights.ravel().tolist()]
    denominator = max(den for _, den in ratios)
    scaled = np.empty(len(ratios), dtype=object)
    scaled[:] = [num * (denominator // den) for num, den in ratios]
    return scaled.reshape(weights.shape)


def split(
    total: IntArray, weights: NDArray[Any], names: tuple[str, str] = ("total", "weights")
) -> IntArray:
    """Largest-remainder split of ``total`` (shape S) by ``weights`` (shape S + (n,)).

    Exact integer arithmetic throughout, so ties are exact and go to the
    earlier position (a stable sort on the remainders).
    """
    exact = _exact_integer_weights(weights)
    n = exact.shape[-1]
    big = exact.dtype == object or (
        exact.size > 0
        and (
            int(exact.max()) * n >= _INT64_SAFE
            or int(exact.max()) * int(total.max(initial=0)) >= _INT64_SAFE
        )
    )
    totals: NDArray[Any] = total.astype(object) if big else total
    if big:
        exact = exact.astype(object)
    weight_sum = np.asarray(exact.sum(axis=-1), dtype=exact.dtype)
    impossible = np.asarray((weight_sum == 0) & (totals > 0))
    if np.any(impossible):
        raise InvalidValueError(
            f"{quoted(names[1])} must not all be 0 where {quoted(names[0])} is > 0 "
            f"(nothing to split it by): {names[0]} "
            f"{offender(np.broadcast_to(impossible, np.shape(totals)), np.asarray(totals))}"
        )
    divisor = np.where(weight_sum == 0, 1, weight_sum)[..., np.newaxis]
    products = totals[..., np.newaxis] * exact
    floors = products // divisor
    remainders = products % divisor
    deficit = totals - floors.sum(axis=-1)  # in [0, n): Σ remainders / divisor
    order = np.argsort(-remainders, axis=-1, kind="stable")
    ranks = np.argsort(order, axis=-1, kind="stable")
    parts = floors + (ranks < np.asarray(deficit)[..., np.newaxis])
    return np.asarray(parts).astype(np.int64)


def row_sums(values: IntArray) -> NDArray[Any]:
    """Sums over the last axis, exact (Python ints) when int64 could overflow."""
    if values.size and int(values.max()) * values.shape[-1] >= _INT64_SAFE:
        # dtype=object: one row's sum is a Python int, which np.asarray would make uint64
        # (or refuse), and uint64 against int64 is float64 (rounded)
        return np.asarray(values.astype(object).sum(axis=-1), dtype=object)
    return np.asarray(values.sum(axis=-1, dtype=np.int64))


def factor(value: ArrayLike, name: str, shape: tuple[int, ...]) -> FloatArray:
    """A finite array >= 0 broadcast (as a view) to ``shape``, as float64."""
    return broadcast_to_shape(quantities(value, name).astype(np.float64), shape, name)


def _cycle_days(value: ArrayLike, shape: tuple[int, ...]) -> FloatArray:
    days = as_real_array(value, "cycle_days")
    check_finite(days, "cycle_days")
    check_positive(days, "cycle_days")
    check_whole(days, "cycle_days", "days")
    return factor(days, "cycle_days", shape)


@overflow_guard
def quota_of_rate(
    rate: FloatArray, cycle_days: ArrayLike, adjustment: ArrayLike, mode: str | None
) -> FloatArray:
    """The reasonable quota of a daily rate: ``rate × cycle_days × adjustment``, rounded.

    ``cycle_days`` (whole numbers > 0) and ``adjustment`` (finite, >= 0) are
    checked and broadcast against ``rate`` [cartons/day]; ``mode`` is
    :func:`rounding_mode`'s (None keeps the exact float).  Float64, NaN where
    the rate is NaN.
    """
    days = _cycle_days(cycle_days, rate.shape)
    quota = rate * days * factor(adjustment, "adjustment", rate.shape)
    return quota if mode is None else round_cartons(quota, mode)

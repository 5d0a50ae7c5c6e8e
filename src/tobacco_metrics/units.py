"""Units of quantity: stick (支), pack (包), carton (条) and standard case (标准箱).

The library counts cigarettes in cartons (条, 10 packs of 20 sticks = 200
sticks) unless a function says otherwise; the industry reports volume in
standard cases (标准箱, 50,000 sticks = 250 cartons) and prices per case as
单箱均价.  The conversions here are exact scalings:

====================  =========  ==========
unit                  sticks     cartons
====================  =========  ==========
支 stick              1          1/200
包 pack               20         1/10
条 carton             200        1
标准箱 standard case  50,000     250
====================  =========  ==========

Every conversion accepts a number or anything :func:`numpy.asarray` takes
(lists, arrays, pandas Series), keeps the sign (a *change* in cartons converts
to a change in cases) and the shape, lets NaN through as NaN (an unknown
quantity stays unknown), and returns float64: a numpy scalar for a scalar, an
ndarray otherwise.  Nothing is rounded; round to whole cartons yourself when
an ordering system needs them.  A finite value whose conversion would overflow
float64 (beyond about 1.8e308) raises :class:`~tobacco_metrics.InvalidValueError`
rather than turning into infinity.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike

from tobacco_metrics._labelled import keeps_labels
from tobacco_metrics._typing import FloatArray, float_elementwise
from tobacco_metrics._validation import as_real_array, overflow_guard, result

__all__ = [
    "CARTONS_PER_CASE",
    "PACKS_PER_CARTON",
    "STICKS_PER_CARTON",
    "STICKS_PER_PACK",
    "cartons_to_cases",
    "cartons_to_packs",
    "cartons_to_sticks",
    "cases_to_cartons",
    "packs_to_cartons",
    "sticks_to_cartons",
]

CARTONS_PER_CASE: Final = 250
"""Cartons (条) in one standard case (标准箱, 50,000 sticks)."""

PACKS_PER_CARTON: Final = 10
"""Packs (包) in one carton (条)."""

STICKS_PER_PACK: Final = 20
"""Sticks (支) in one pack (包)."""

STICKS_PER_CARTON: Final = PACKS_PER_CARTON * STICKS_PER_PACK
"""Sticks (支) in one carton (条): 200."""


def _as_float(value: ArrayLike, name: str) -> FloatArray:
    return as_real_array(value, name).astype(np.float64, copy=False)


@float_elementwise
@keeps_labels
@overflow_guard
def cartons_to_cases(cartons: ArrayLike) -> FloatArray:
    """Convert cartons (条) to standard cases (标准箱).

    Parameters
    ----------
    cartons : array_like
        Quantity [cartons]; real numbers of any sign, NaN allowed.

    Returns
    -------
    numpy.float64 or ndarray of float64
        ``cartons / 250`` [cases]; same shape as the input.

    Raises
    ------
    TypeError
        A value that is not a real number (string, bool, complex).

    Examples
    --------
    >>> cartons_to_cases(500)
    np.float64(2.0)
    >>> cartons_to_cases([125, 250, 1000]).tolist()
    [0.5, 1.0, 4.0]
    """
    return result(_as_float(cartons, "cartons") / CARTONS_PER_CASE)


@float_elementwise
@keeps_labels
@overflow_guard
def cases_to_cartons(cases: ArrayLike) -> FloatArray:
    """Convert standard cases (标准箱) to cartons (条).

    Parameters
    ----------
    cases : array_like
        Quantity [cases]; real numbers of any sign, NaN allowed.

    Returns
    -------
    numpy.float64 or ndarray of float64
        ``cases × 250`` [cartons]; same shape as the input.

    Examples
    --------
    >>> cases_to_cartons(0.5)
    np.float64(125.0)
    >>> cases_to_cartons([1, 2]).tolist()
    [250.0, 500.0]
    """
    return result(_as_float(cases, "cases") * CARTONS_PER_CASE)


@float_elementwise
@keeps_labels
@overflow_guard
def packs_to_cartons(packs: ArrayLike) -> FloatArray:
    """Convert packs (包) to cartons (条).

    Retail stores sell by the pack; a store's daily sales in packs become
    the library's cartons with this conversion.

    Parameters
    ----------
    packs : array_like
        Quantity [packs]; real numbers of any sign, NaN allowed.

    Returns
    -------
    numpy.float64 or ndarray of float64
        ``packs / 10`` [cartons]; same shape as the input.

    Examples
    --------
    >>> packs_to_cartons(25)
    np.float64(2.5)
    >>> packs_to_cartons([10, 3]).tolist()
    [1.0, 0.3]
    """
    return result(_as_float(packs, "packs") / PACKS_PER_CARTON)


@float_elementwise
@keeps_labels
@overflow_guard
def cartons_to_packs(cartons: ArrayLike) -> FloatArray:
    """Convert cartons (条) to packs (包).

    Parameters
    ----------
    cartons : array_like
        Quantity [cartons]; real numbers of any sign, NaN allowed.

    Returns
    -------
    numpy.float64 or ndarray of float64
        ``cartons × 10`` [packs]; same shape as the input.

    Examples
    --------
    >>> cartons_to_packs(2.5)
    np.float64(25.0)
    """
    return result(_as_float(cartons, "cartons") * PACKS_PER_CARTON)


@float_elementwise
@keeps_labels
@overflow_guard
def sticks_to_cartons(sticks: ArrayLike) -> FloatArray:
    """Convert sticks (支) to cartons (条).

    Parameters
    ----------
    sticks : array_like
        Quantity [sticks]; real numbers of any sign, NaN allowed.

    Returns
    -------
    numpy.float64 or ndarray of float64
        ``sticks / 200`` [cartons]; same shape as the input.

    Examples
    --------
    >>> sticks_to_cartons(50_000)
    np.float64(250.0)
    """
    return result(_as_float(sticks, "sticks") / STICKS_PER_CARTON)


@float_elementwise
@keeps_labels
@overflow_guard
def cartons_to_sticks(cartons: ArrayLike) -> FloatArray:
    """Convert cartons (条) to sticks (支).

    Parameters
    ----------
    cartons : array_like
        Quantity [cartons]; real numbers of any sign, NaN allowed.

    Returns
    -------
    numpy.float64 or ndarray of float64
        ``cartons × 200`` [sticks]; same shape as the input.

    Examples
    --------
    >>> cartons_to_sticks([1, 250]).tolist()
    [200.0, 50000.0]
    """
    return result(_as_float(cartons, "cartons") * STICKS_PER_CARTON)

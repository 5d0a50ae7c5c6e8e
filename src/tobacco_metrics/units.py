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

import textwrap
from collections.abc import Callable
from fractions import Fraction
from typing import Final, ParamSpec

import numpy as np
from numpy.typing import ArrayLike

from tobacco_metrics._labelled import keeps_labels
from tobacco_metrics._typing import FloatArray
from tobacco_metrics._validation import as_real_array, overflow_guard, result

_P = ParamSpec("_P")

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


_CARTONS_PER_UNIT: Final = {
    "sticks": Fraction(1, STICKS_PER_CARTON),
    "packs": Fraction(1, PACKS_PER_CARTON),
    "cartons": Fraction(1),
    "cases": Fraction(CARTONS_PER_CASE),
}
"""Cartons in one of each unit: the one place every conversion takes its factor from."""

_UNITS: Final = {
    "cartons": "cartons (条)",
    "cases": "standard cases (标准箱)",
    "packs": "packs (包)",
    "sticks": "sticks (支)",
}
"""Each parameter name (its unit in brackets) as a docstring names the unit."""

_DOCSTRING: Final = """Convert {source_unit} to {target_unit}.
{note}
    Parameters
    ----------
    {source} : array_like
        Quantity [{source}]; real numbers of any sign, NaN allowed.

    Returns
    -------
    numpy.float64 or ndarray of float64
        ``{formula}`` [{target}]; same shape as the input.

    Raises
    ------
    TypeError
        A value that is not a real number (string, bool, complex).
    InvalidValueError
        A finite value whose result would overflow float64.

    Examples
    --------
{examples}
    """


def _factor(source: str, target: str) -> tuple[int, int]:
    """``(times, over)``: ``source`` units × times / over are ``target`` units."""
    ratio = _CARTONS_PER_UNIT[source] / _CARTONS_PER_UNIT[target]
    return ratio.numerator, ratio.denominator


def _conversion(
    examples: str, note: str = ""
) -> Callable[[Callable[_P, FloatArray]], Callable[_P, FloatArray]]:
    """Decorate ``<source>_to_<target>``: shared docstring, labels kept, overflow guard.

    The six conversions differ only in their units, factor and examples, so
    their numpydoc text is written once here rather than six times; the units
    come from the function's name and the factor (in the formula shown) from
    ``_CARTONS_PER_UNIT``, as :func:`_convert` takes it.
    """

    def decorate(func: Callable[_P, FloatArray]) -> Callable[_P, FloatArray]:
        source, target = func.__name__.split("_to_")
        times, over = _factor(source, target)
        func.__doc__ = _DOCSTRING.format(
            source=source,
            target=target,
            source_unit=_UNITS[source],
            target_unit=_UNITS[target],
            formula=f"{source} × {times:,}" if over == 1 else f"{source} / {over:,}",
            note=f"\n    {note}\n" if note else "",
            examples=textwrap.indent(textwrap.dedent(examples).strip(), "    "),
        )
        return keeps_labels(overflow_guard(func))

    return decorate


def _convert(value: ArrayLike, source: str, target: str) -> FloatArray:
    """``value`` (the argument named ``source``) in ``target`` units, as float64."""
    times, over = _factor(source, target)
    quantity = as_real_array(value, source).astype(np.float64, copy=False)
    if times != 1:
        quantity = quantity * times
    if over != 1:
        quantity = quantity / over
    return result(quantity)


@_conversion(
    """
    >>> cartons_to_cases(500)
    np.float64(2.0)
    >>> cartons_to_cases([125, 250, 1000]).tolist()
    [0.5, 1.0, 4.0]
    """,
)
def cartons_to_cases(cartons: ArrayLike) -> FloatArray:
    return _convert(cartons, "cartons", "cases")


@_conversion(
    """
    >>> cases_to_cartons(0.5)
    np.float64(125.0)
    >>> cases_to_cartons([1, 2]).tolist()
    [250.0, 500.0]
    """,
)
def cases_to_cartons(cases: ArrayLike) -> FloatArray:
    return _convert(cases, "cases", "cartons")


@_conversion(
    """
    >>> packs_to_cartons(25)
    np.float64(2.5)
    >>> packs_to_cartons([10, 3]).tolist()
    [1.0, 0.3]
    """,
    note="Retail stores sell by the pack; a store's daily sales in packs become\n"
    "    the library's cartons with this conversion.",
)
def packs_to_cartons(packs: ArrayLike) -> FloatArray:
    return _convert(packs, "packs", "cartons")


@_conversion(
    """
    >>> cartons_to_packs(2.5)
    np.float64(25.0)
    """,
)
def cartons_to_packs(cartons: ArrayLike) -> FloatArray:
    return _convert(cartons, "cartons", "packs")


@_conversion(
    """
    >>> sticks_to_cartons(50_000)
    np.float64(250.0)
    """,
)
def sticks_to_cartons(sticks: ArrayLike) -> FloatArray:
    return _convert(sticks, "sticks", "cartons")


@_conversion(
    """
    >>> cartons_to_sticks([1, 250]).tolist()
    [200.0, 50000.0]
    """,
)
def cartons_to_sticks(cartons: ArrayLike) -> FloatArray:
    return _convert(cartons, "cartons", "sticks")

"""Price classes of cigarettes (一类 … 五类卷烟) by allocation price.

A cigarette product's class follows from its allocation (wholesale, 调拨)
price per standard carton of 200 sticks, in yuan.  The thresholds are the
lower bounds of classes I–IV and are configurable, because provinces and years
differ; the defaults (I ≥ 100, II ≥ 70, III ≥ 30, IV ≥ 16.5 yuan) are the library's
choice, documented with the price-class table in docs/formulas/stock.md.
"""

from __future__ import annotations

import enum
import itertools
from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics import _convert as cv
from tobacco_metrics._labelled import keeps_labels
from tobacco_metrics._typing import Int8Result
from tobacco_metrics._validation import as_real_array, check_finite, check_positive, result
from tobacco_metrics.errors import InvalidValueError

__all__ = ["PriceClass", "PriceClassThresholds", "price_class"]


class PriceClass(enum.IntEnum):
    """Price class of a cigarette product, I (highest) to V (lowest).

    The integer value is the class number, so ``PriceClass.III <= x`` style
    comparisons need care: a *higher* class has a *smaller* number.  Use
    :attr:`label` for the Chinese name.

    >>> PriceClass.III.label
    '三类'
    >>> PriceClass(2)
    <PriceClass.II: 2>
    """

    I = 1  # noqa: E741 - the source's own name for class one
    II = 2
    III = 3
    IV = 4
    V = 5

    @property
    def label(self) -> str:
        """The Chinese name, 一类 … 五类."""
        return _PRICE_CLASS_LABELS[self]


_PRICE_CLASS_LABELS = {
    PriceClass.I: "一类",
    PriceClass.II: "二类",
    PriceClass.III: "三类",
    PriceClass.IV: "四类",
    PriceClass.V: "五类",
}


def _price_bound(value: Any) -> Any:
    """Converter: a number or a numeric string (a config file) as a float.

    Anything else is passed on as it is, for the validator to refuse naming
    the field (a converter is not told its field).
    """
    if isinstance(value, (bool, np.bool_)):
        return value
    if isinstance(value, (str, int, float, np.integer, np.floating)):
        try:
            return float(value)
        except (ValueError, OverflowError):  # text that is not a number; past float's range
            return value
    return value


def _positive_price(instance: Any, attribute: attrs.Attribute[float], value: Any) -> None:
    if isinstance(value, str):
        raise InvalidValueError(f"{attribute.name!r} must be a number: {value!r}")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError(f"{attribute.name!r} must be a number, got {type(value).__name__}")
    if isinstance(value, int):  # what the converter left an int: past float's range
        raise InvalidValueError(f"{attribute.name!r} must be a finite price > 0: it is too large")
    if not np.isfinite(value) or value <= 0:
        raise InvalidValueError(f"{attribute.name!r} must be a finite price > 0: {value}")


@attrs.frozen
class PriceClassThresholds:
    """Lower bounds (inclusive) of price classes I–IV, in yuan per carton (条).

    Class V is everything below ``class_iv``.  The bounds must be strictly
    decreasing: ``class_i > class_ii > class_iii > class_iv > 0``.

    Parameters
    ----------
    class_i : float
        Lowest allocation price of class I [yuan/carton]. Default 100.
    class_ii : float
        Lowest allocation price of class II [yuan/carton]. Default 70.
    class_iii : float
        Lowest allocation price of class III [yuan/carton]. Default 30.
    class_iv : float
        Lowest allocation price of class IV [yuan/carton]. Default 16.5.

    Examples
    --------
    >>> PriceClassThresholds().class_iii
    30.0
    >>> PriceClassThresholds(class_i=130.0).class_i
    130.0
    """

    class_i: float = attrs.field(default=100.0, converter=_price_bound, validator=_positive_price)
    class_ii: float = attrs.field(default=70.0, converter=_price_bound, validator=_positive_price)
    class_iii: float = attrs.field(default=30.0, converter=_price_bound, validator=_positive_price)
    class_iv: float = attrs.field(default=16.5, converter=_price_bound, validator=_positive_price)

    def __attrs_post_init__(self) -> None:
        bounds = self.as_tuple()
        if not all(high > low for high, low in itertools.pairwise(bounds)):
            raise InvalidValueError(
                "price class thresholds must be strictly decreasing "
                f"(class_i > class_ii > class_iii > class_iv): {bounds}"
            )

    def as_tuple(self) -> tuple[float, float, float, float]:
        """The four lower bounds, class I first."""
        return (self.class_i, self.class_ii, self.class_iii, self.class_iv)

    def to_dict(self) -> dict[str, float]:
        """The thresholds as a plain dict (for configuration files)."""
        return attrs.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PriceClassThresholds:
        """Build thresholds from a dict such as :meth:`to_dict` returns.

        A ``data`` that is not a mapping raises TypeError; an unknown key
        InvalidValueError naming it and the known ones.
        """
        return cls(**cv.record_fields(cls, data))


DEFAULT_THRESHOLDS = PriceClassThresholds()


@keeps_labels
def price_class(
    allocation_price: ArrayLike, thresholds: PriceClassThresholds = DEFAULT_THRESHOLDS
) -> Int8Result:
    """Price class (卷烟价类) of each allocation price.

    Parameters
    ----------
    allocation_price : array_like
        Allocation (wholesale, 调拨) price per carton of 200 sticks [yuan];
        finite and > 0.
    thresholds : PriceClassThresholds, optional
        Lower bounds of classes I–IV; defaults I ≥ 100, II ≥ 70, III ≥ 30,
        IV ≥ 16.5, V below.

    Returns
    -------
    numpy.int8 or ndarray of int8
        Class numbers 1 (I) … 5 (V), the values of :class:`PriceClass`;
        same shape as the input, a numpy scalar for a scalar.

    Raises
    ------
    InvalidValueError
        A price that is not finite or not > 0.

    Notes
    -----
    A price exactly on a bound belongs to the higher class (the lower bound
    is inclusive): 100 yuan is class I, 99.99 is class II.  Prices are
    compared with the bounds in their own precision: a float32 price 16.3
    is on a bound of 16.3 (the bound as float32 holds it), though
    ``float32(16.3) < 16.3`` in float64.

    Examples
    --------
    >>> price_class([120.0, 100.0, 45.0, 16.5, 9.0]).tolist()
    [1, 1, 3, 4, 5]
    >>> PriceClass(price_class(75.0)).name
    'II'
    """
    if not isinstance(thresholds, PriceClassThresholds):
        raise TypeError(
            f"'thresholds' must be a PriceClassThresholds, got {type(thresholds).__name__}"
        )
    prices = as_real_array(allocation_price, "allocation_price")
    check_finite(prices, "allocation_price")
    check_positive(prices, "allocation_price")
    # Bounds ascending for searchsorted: a price equal to a bound lands right of it.
    ascending = np.asarray(thresholds.as_tuple()[::-1], dtype=np.float64)
    if prices.dtype.kind == "f" and prices.dtype.itemsize < ascending.dtype.itemsize:
        # Compare in the prices' own precision: float32(16.3) is the price 16.3 written
        # in float32, on the bound 16.3, though it is below float64's 16.3.
        with np.errstate(over="ignore"):  # a bound past float16's range: out of reach
            ascending = ascending.astype(prices.dtype)
    elif prices.dtype.kind == "f" and prices.dtype.itemsize > ascending.dtype.itemsize:
        prices = prices.astype(np.float64)  # a long double: the bounds are float64 numbers
    steps_up = np.searchsorted(ascending, prices, side="right")
    codes: NDArray[np.int8] = (5 - steps_up).astype(np.int8)
    return result(codes)

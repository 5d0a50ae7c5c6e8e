"""Sales structure and assortment (卷烟结构): shares, average prices, on-shelf rate.

"Lifting the structure" (提升卷烟结构) is what the source's articles are about:
selling more of the higher price classes and getting key and new brands on the
shelf.  This module gives those numbers:

- 卷烟结构 / 三类以上: :func:`class_shares`, :func:`share_at_or_above`;
- 单箱均价 / 单条均价: :func:`average_price_per_case`, :func:`average_price_per_carton`;
- the change of both between two periods: :func:`structure_change`;
- 上柜率 (on-shelf rate) and 组合宽度 (assortment width): :func:`on_shelf_rate`,
  :func:`assortment_width`.

The sales ledger (动销台账) and new-brand sell-through (新品动销) live in
:mod:`tobacco_metrics.ledger`; customer segments (客户细分, 目标客户) in
:mod:`tobacco_metrics.segments`.  Their names are still importable from this
module, with a DeprecationWarning (they move for good in 0.3).

Shapes.  A sales table is an array ``quantity[store, brand]`` in cartons (条);
the price classes are one code per brand, the ``int8`` codes 1 (I) … 5 (V)
that :func:`tobacco_metrics.price_class` returns (or :class:`PriceClass`
members, or plain ints).  Structure functions reduce the brand axis
(``axis=-1``); :func:`on_shelf_rate` reduces the store axis (``axis=0``).  A
1-D ``price_class`` is laid along the brand axis whatever ``axis`` is; a
``price_class`` with more dimensions must broadcast against the quantities
(numpy rules), so brands may change class from one store or period to the
next.

"At or above class III" (三类以上) means classes I, II and III: codes <= 3.

Every function is pure: inputs are never modified, sums accumulate in
float64 / int64, the empty cases (nothing sold, no store that should carry a
brand) are decided by the rule in each docstring in a masked branch, and no
numpy RuntimeWarning escapes.
"""

from __future__ import annotations

import warnings
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics import _convert as cv
from tobacco_metrics import ledger as _ledger
from tobacco_metrics import segments as _segments
from tobacco_metrics._labelled import keeps_labels
from tobacco_metrics._ratios import on_shelf_ratio, pooled_sum, ratio_or_nan
from tobacco_metrics._results import ReadOnlyCopies, as_result, read_only_fields
from tobacco_metrics._typing import FloatArray, FloatResult, IntResult
from tobacco_metrics._validation import (
    aligned,
    aligned_along,
    as_real_array,
    boolean_array,
    broadcast_to_shape,
    check_finite,
    check_positive,
    normalize_axis,
    overflow_guard,
    paired_quantities,
    quantities,
    refuse_where,
    require_dimension,
    same_shape,
)
from tobacco_metrics.errors import InvalidValueError, ShapeMismatchError
from tobacco_metrics.pricing import PriceClass
from tobacco_metrics.units import CARTONS_PER_CASE

__all__ = [
    "StructureChange",
    "assortment_width",
    "average_price_per_carton",
    "average_price_per_case",
    "class_shares",
    "on_shelf_rate",
    "share_at_or_above",
    "structure_change",
]

_CLASS_CODES: Final = (1, 2, 3, 4, 5)
_FLOATS = cv.instance_of((np.ndarray, np.floating, float), "a float64 number or array")

# Names that moved to other modules in 0.2: still importable from here, with a warning.
_MOVED: Final = {
    **dict.fromkeys(_ledger.__all__, _ledger),
    **dict.fromkeys(_segments.__all__, _segments),
}


def __getattr__(name: str) -> Any:
    """Resolve a name that moved out of this module, with a DeprecationWarning."""
    module = _MOVED.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(
        f"tobacco_metrics.structure.{name} moved to {module.__name__}.{name} "
        f"(also importable as tobacco_metrics.{name}); the old path goes in 0.3",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(module, name)


# --------------------------------------------------------------------------- helpers

_CARRIED_HINT: Final = "build it from the data, e.g. carried = inventory > 0"


def _class_codes(value: ArrayLike, name: str = "price_class") -> NDArray[np.int8]:
    """Price class codes 1 (I) … 5 (V) as int8; anything else is an unknown class."""
    array = as_real_array(value, name)
    valid = (array >= 1) & (array <= 5)
    if array.dtype.kind == "f":
        valid &= np.floor(array) == array
    refuse_where(~valid, array, f"{name!r} must hold price class codes 1 (I) … 5 (V)")
    return array.astype(np.int8)


def _class_level(value: object, name: str = "at_least") -> int:
    """A price class given as a PriceClass member or an int 1 … 5."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(
            f"{name!r} must be a PriceClass or an int 1 … 5, got {type(value).__name__}"
        )
    if not 1 <= int(value) <= 5:
        raise InvalidValueError(f"{name!r} must be a price class 1 (I) … 5 (V): {value}")
    return int(value)


def _per_brand(value: NDArray[Any], shape: tuple[int, ...], axis: int, name: str) -> NDArray[Any]:
    """Lay a 1-D per-brand array along ``axis`` of ``shape``; broadcast anything else."""
    if value.ndim == 1 and len(shape) >= 1:
        if value.shape[0] not in (1, shape[axis]):
            raise ShapeMismatchError(
                f"{name!r} has {value.shape[0]} entries but the data have {shape[axis]} brands "
                f"along axis {axis} (shape {shape})"
            )
        value = value.reshape(value.shape + (1,) * (len(shape) - 1 - axis))
    return broadcast_to_shape(value, shape, name)


def _brand_data(
    quantity: ArrayLike, price_class: ArrayLike, axis: int, name: str = "quantity"
) -> tuple[NDArray[Any], NDArray[np.int8], int]:
    price_class = aligned_along(price_class, "price_class", quantity, name, axis)
    array = quantities(quantity, name)
    require_dimension(array, name, "the brand axis")
    brand_axis = normalize_axis(axis, array.ndim)
    codes = _per_brand(_class_codes(price_class), array.shape, brand_axis, "price_class")
    return array, codes, brand_axis


def _carried(value: ArrayLike, name: str) -> NDArray[np.bool_]:
    return boolean_array(value, name, _CARRIED_HINT.replace("carried", name, 1))


def _share_at_or_above(
    quantity: NDArray[Any], codes: NDArray[np.int8], level: int, axis: int
) -> FloatArray:
    upper = codes <= level
    inside = np.asarray(np.sum(quantity, axis=axis, dtype=np.float64, where=upper))
    outside = np.asarray(np.sum(quantity, axis=axis, dtype=np.float64, where=~upper))
    # inside / (inside + outside) <= 1 exactly: the rounded total is >= inside.
    return ratio_or_nan(inside, inside + outside)


def _average_price(quantity: NDArray[Any], price: NDArray[Any], axis: int) -> FloatArray:
    amount = np.asarray(np.sum(quantity.astype(np.float64) * price, axis=axis))
    cartons = np.asarray(np.sum(quantity, axis=axis, dtype=np.float64))
    return ratio_or_nan(amount, cartons)


# --------------------------------------------------------------------------- structure


@keeps_labels(new_dim=("price_class", (1, 2, 3, 4, 5)))
@overflow_guard
def class_shares(quantity: ArrayLike, price_class: ArrayLike, *, axis: int = -1) -> FloatArray:
    """Volume share of each price class I … V (卷烟结构).

    Parameters
    ----------
    quantity : array_like
        Quantity sold per brand [cartons]; finite, >= 0; the brand axis is
        ``axis`` (for example ``quantity[store, brand]``).
    price_class : array_like of int
        Price class code of each brand, 1 (I) … 5 (V), as
        :func:`~tobacco_metrics.price_class` returns them; a 1-D array is laid
        along the brand axis, anything else must broadcast against ``quantity``.
    axis : int, optional
        The brand axis, reduced. Default -1.

    Returns
    -------
    ndarray of float64
        Shape ``quantity.shape`` without the brand axis, plus a last axis of
        length 5: the shares of classes I, II, III, IV, V in that order.  Each
        lies in [0, 1] and a row sums to 1 (up to rounding); a row is all NaN
        where nothing was sold (the structure of no sales cannot be estimated).

    Raises
    ------
    InvalidValueError
        A negative or non-finite quantity; a class code outside 1 … 5.
    ShapeMismatchError
        ``price_class`` does not line up with the brand axis; a scalar ``quantity``.

    Notes
    -----
    ``share[c] = Σ_{brands of class c} quantity / Σ_{all brands} quantity``,
    by volume (cartons), not by amount.

    Examples
    --------
    Two stores, four brands of classes I, III, IV, V:

    >>> sold = [[10, 30, 40, 20], [0, 0, 0, 0]]
    >>> class_shares(sold, [1, 3, 4, 5]).tolist()
    [[0.1, 0.0, 0.3, 0.4, 0.2], [nan, nan, nan, nan, nan]]
    """
    array, codes, brand_axis = _brand_data(quantity, price_class, axis)
    parts = np.stack(
        [
            np.asarray(np.sum(array, axis=brand_axis, dtype=np.float64, where=codes == code))
            for code in _CLASS_CODES
        ],
        axis=-1,
    )
    # Each part is <= the rounded sum of the parts, so every share is <= 1.
    total = np.sum(parts, axis=-1, keepdims=True)
    return ratio_or_nan(parts, total)


@keeps_labels
@overflow_guard
def share_at_or_above(
    quantity: ArrayLike,
    price_class: ArrayLike,
    at_least: PriceClass | int = PriceClass.III,
    *,
    axis: int = -1,
) -> FloatResult:
    """Volume share of the classes at or above ``at_least`` (三类以上卷烟占比).

    Parameters
    ----------
    quantity : array_like
        Quantity sold per brand [cartons]; finite, >= 0; brand axis ``axis``.
    price_class : array_like of int
        Class code of each brand, 1 (I) … 5 (V); laid along the brand axis
        when 1-D, broadcast otherwise.
    at_least : PriceClass or int, optional
        The lowest class counted. Default :attr:`PriceClass.III`: "class III
        and above" (三类以上) counts classes I, II and III.
    axis : int, optional
        The brand axis, reduced. Default -1.

    Returns
    -------
    numpy.float64 or ndarray of float64
        The share in [0, 1]; ``quantity.shape`` without the brand axis (a
        scalar for one store); NaN where nothing was sold.

    Raises
    ------
    InvalidValueError
        A negative or non-finite quantity; a class code outside 1 … 5; an
        ``at_least`` outside 1 … 5.
    TypeError
        ``at_least`` is not a PriceClass or an int.
    ShapeMismatchError
        ``price_class`` does not line up with the brand axis.

    Notes
    -----
    ``share = Σ_{class <= at_least} quantity / Σ quantity`` (a higher class
    has a smaller code).  Laws: moving volume from a lower class to a class
    at or above ``at_least`` never lowers the share; the share equals the sum
    of :func:`class_shares` over classes I … ``at_least``.

    Examples
    --------
    >>> share_at_or_above([10, 30, 40, 20], [1, 3, 4, 5])
    np.float64(0.4)
    >>> share_at_or_above([10, 30, 40, 20], [1, 3, 4, 5], at_least=PriceClass.I)
    np.float64(0.1)
    >>> share_at_or_above([[10, 30, 40, 20], [0, 0, 0, 0]], [1, 3, 4, 5]).tolist()
    [0.4, nan]
    """
    level = _class_level(at_least)
    array, codes, brand_axis = _brand_data(quantity, price_class, axis)
    return as_result(_share_at_or_above(array, codes, level, brand_axis))


def _average_per_carton(amount: ArrayLike, cartons: ArrayLike, axis: int | None) -> FloatArray:
    """Σ amount / Σ cartons, never outside the cheapest and dearest price sold.

    The ratio of the two rounded sums can land an ulp past the brands' own
    prices (three brands all at 338.61 gave 338.61000000000007); it is
    clipped to them, so the law "between the cheapest and dearest price"
    holds exactly.
    """
    money, volume = paired_quantities(("amount", amount), ("cartons", cartons))
    refuse_where(
        (volume == 0) & (money > 0),
        money,
        "'amount' must be 0 where 'cartons' is 0 (money without volume)",
    )
    average = ratio_or_nan(pooled_sum(money, axis), pooled_sum(volume, axis))
    if money.ndim == 0:
        return average  # one brand: its own price
    sold = volume > 0
    with np.errstate(over="ignore"):  # a price past float64 is no bound: inf clips nothing
        # In float64 whatever the inputs: float32 prices past 3.4e38 were inf, and the
        # clip to [inf, inf] made a finite average inf.
        price = np.divide(money, volume, out=np.zeros(money.shape), where=sold, dtype=np.float64)
    pooled = None if axis is None else normalize_axis(axis, money.ndim)
    cheapest = np.min(price, axis=pooled, where=sold, initial=np.inf)
    dearest = np.max(price, axis=pooled, where=sold, initial=-np.inf)
    kept: FloatArray = np.where(
        np.isnan(average), average, np.clip(average, np.minimum(cheapest, dearest), dearest)
    )
    return kept


@keeps_labels
@overflow_guard
def average_price_per_carton(
    amount: ArrayLike, cartons: ArrayLike, *, axis: int | None = -1
) -> FloatResult:
    """Volume-weighted average price per carton (单条均价).

    Parameters
    ----------
    amount : array_like
        Sales amount per brand [yuan]; finite, >= 0; 0 where ``cartons`` is 0.
    cartons : array_like
        Quantity sold per brand [cartons]; finite, >= 0; broadcast against
        ``amount``.
    axis : int or None, optional
        The brand axis, pooled. Default -1; None pools everything. A scalar
        pair is already a total.

    Returns
    -------
    numpy.float64 or ndarray of float64
        ``Σ amount / Σ cartons`` [yuan/carton]; the inputs' shape without
        ``axis``; NaN where nothing was sold.

    Raises
    ------
    InvalidValueError
        A negative or non-finite input, or an amount > 0 with 0 cartons.
    ShapeMismatchError
        ``amount`` and ``cartons`` do not broadcast together.

    Notes
    -----
    A ratio of sums, never a mean of per-brand prices: a brand selling 200
    cartons weighs 100 times one selling 2.  Law: moving cartons from a
    cheaper brand to a dearer one (at their prices) never lowers it; it
    lies between the cheapest and the dearest price of the brands sold,
    exactly (the rounded ratio is clipped to them: brands all at 338.61
    average 338.61, not 338.61000000000007).

    Examples
    --------
    100 cartons at 150 yuan and 300 cartons at 50 yuan:

    >>> average_price_per_carton([15_000, 15_000], [100, 300])
    np.float64(75.0)
    >>> average_price_per_carton([[15_000, 15_000], [0, 0]], [[100, 300], [0, 0]]).tolist()
    [75.0, nan]
    """
    return as_result(_average_per_carton(amount, cartons, axis))


@keeps_labels
@overflow_guard
def average_price_per_case(
    amount: ArrayLike, cartons: ArrayLike, *, axis: int | None = -1
) -> FloatResult:
    """Volume-weighted average price per standard case (单箱均价).

    The industry's headline structure number: sales amount over volume in
    standard cases (标准箱, 250 cartons = 50,000 sticks).

    Parameters
    ----------
    amount : array_like
        Sales amount per brand [yuan]; finite, >= 0; 0 where ``cartons`` is 0.
    cartons : array_like
        Quantity sold per brand [cartons] (not cases: the conversion is
        done here); finite, >= 0; broadcast against ``amount``.
    axis : int or None, optional
        The brand axis, pooled. Default -1; None pools everything.

    Returns
    -------
    numpy.float64 or ndarray of float64
        ``Σ amount / (Σ cartons / 250)`` [yuan/case]; the inputs' shape
        without ``axis``; NaN where nothing was sold.

    Raises
    ------
    InvalidValueError
        A negative or non-finite input, or an amount > 0 with 0 cartons.
    ShapeMismatchError
        ``amount`` and ``cartons`` do not broadcast together.

    Notes
    -----
    ``average_price_per_case = 250 × average_price_per_carton``.

    Examples
    --------
    >>> average_price_per_case([15_000, 15_000], [100, 300])
    np.float64(18750.0)
    >>> average_price_per_case(0, 0)
    np.float64(nan)
    """
    return as_result(_average_per_carton(amount, cartons, axis) * CARTONS_PER_CASE)


@attrs.frozen(eq=False, field_transformer=read_only_fields)
class StructureChange(ReadOnlyCopies):
    """How a sales structure moved between two periods, as :func:`structure_change` returns it.

    Each numeric field is a numpy scalar for one store, or a read-only
    array over the stores (the quantities' shape without the brand axis).

    Attributes
    ----------
    at_least : PriceClass
        The lowest class counted in the shares (三类以上: III).
    share_before, share_after : float64
        Share of the classes at or above ``at_least`` in each period, in
        [0, 1]; NaN where nothing was sold in that period.
    share_change : float64
        ``share_after − share_before`` [share points as a fraction]; NaN if
        either is NaN.
    price_per_case_before, price_per_case_after : float64
        Average price per standard case (单箱均价) at the brands' prices
        [yuan/case]; NaN where nothing was sold, or everywhere when no
        prices were given.
    price_per_case_change : float64
        ``price_per_case_after − price_per_case_before`` [yuan/case].
    """

    at_least: PriceClass = attrs.field(validator=cv.instance_of(PriceClass, "a PriceClass"))
    share_before: FloatResult = attrs.field(validator=_FLOATS)
    share_after: FloatResult = attrs.field(validator=_FLOATS)
    share_change: FloatResult = attrs.field(validator=_FLOATS)
    price_per_case_before: FloatResult = attrs.field(validator=_FLOATS)
    price_per_case_after: FloatResult = attrs.field(validator=_FLOATS)
    price_per_case_change: FloatResult = attrs.field(validator=_FLOATS)

    def to_dict(self) -> dict[str, Any]:
        """The fields as plain Python: the class name and numbers (or nested lists)."""
        data: dict[str, Any] = {"at_least": self.at_least.name}
        for field in attrs.fields(StructureChange)[1:]:
            data[field.name] = np.asarray(getattr(self, field.name)).tolist()
        return data


@keeps_labels
@overflow_guard
def structure_change(
    before_quantity: ArrayLike,
    after_quantity: ArrayLike,
    price_class: ArrayLike,
    at_least: PriceClass | int = PriceClass.III,
    *,
    price: ArrayLike | None = None,
    axis: int = -1,
) -> StructureChange:
    """Change of the class-III-and-above share and of 单箱均价 between two periods.

    Parameters
    ----------
    before_quantity, after_quantity : array_like
        Quantity sold per brand in each period [cartons]; finite, >= 0; the
        same shape, brand axis ``axis``.
    price_class : array_like of int
        Class code of each brand, 1 (I) … 5 (V); laid along the brand axis
        when 1-D, broadcast otherwise; the same in both periods.
    at_least : PriceClass or int, optional
        The lowest class counted in the share. Default III (三类以上).
    price : array_like, optional
        Price of each brand [yuan/carton], finite and > 0, laid out like
        ``price_class`` (usually the allocation price that gave the class).
        Both periods are valued at these prices, so the change in average
        price is the structure (mix) effect alone, not a price rise.  Without
        it the price fields are NaN.
    axis : int, optional
        The brand axis. Default -1.

    Returns
    -------
    StructureChange
        Shares, average prices per case and their changes per store.

    Raises
    ------
    InvalidValueError
        A negative or non-finite quantity, a class code outside 1 … 5, a
        price <= 0.
    ShapeMismatchError
        The two periods differ in shape, or ``price_class`` / ``price`` do
        not line up with the brand axis.

    Notes
    -----
    ``share_change = share_at_or_above(after) − share_at_or_above(before)``;
    ``price_per_case_change = 250 × (Σ q_after p / Σ q_after − Σ q_before p / Σ q_before)``.
    Law: moving volume from a lower class to a higher one between the
    periods gives ``share_change >= 0`` and ``price_per_case_change >= 0``.

    Examples
    --------
    One store moves 20 cartons from a class IV brand (20 yuan) to a class
    III brand (40 yuan):

    >>> change = structure_change([10, 30, 60], [10, 50, 40], [2, 3, 4], price=[80, 40, 20])
    >>> float(change.share_before), float(change.share_after)
    (0.4, 0.6)
    >>> round(float(change.share_change), 12)
    0.2
    >>> float(change.price_per_case_before), float(change.price_per_case_change)
    (8000.0, 1000.0)
    """
    level = _class_level(at_least)
    price = aligned_along(price, "price", before_quantity, "before_quantity", axis)
    price_class = aligned_along(
        price_class, "price_class", before_quantity, "before_quantity", axis
    )
    before_quantity, after_quantity = aligned(
        ("before_quantity", before_quantity), ("after_quantity", after_quantity)
    )
    before, codes, brand_axis = _brand_data(before_quantity, price_class, axis, "before_quantity")
    after = quantities(after_quantity, "after_quantity")
    same_shape(before, after, ("before_quantity", "after_quantity"))
    share_before = _share_at_or_above(before, codes, level, brand_axis)
    share_after = _share_at_or_above(after, codes, level, brand_axis)
    if price is None:
        price_before = np.full(share_before.shape, np.nan, dtype=np.float64)
        price_after = price_before.copy()
    else:
        prices = as_real_array(price, "price")
        check_finite(prices, "price")
        check_positive(prices, "price")
        laid = _per_brand(prices, before.shape, brand_axis, "price")
        price_before = _average_price(before, laid, brand_axis) * CARTONS_PER_CASE
        price_after = _average_price(after, laid, brand_axis) * CARTONS_PER_CASE
    return StructureChange(
        at_least=PriceClass(level),
        share_before=as_result(share_before),
        share_after=as_result(share_after),
        share_change=as_result(share_after - share_before),
        price_per_case_before=as_result(price_before),
        price_per_case_after=as_result(price_after),
        price_per_case_change=as_result(price_after - price_before),
    )


# --------------------------------------------------------------------------- assortment


@keeps_labels
def on_shelf_rate(
    carried: ArrayLike, should_carry: ArrayLike | None = None, *, axis: int = 0
) -> FloatResult:
    """On-shelf rate of each brand (上柜率): stores carrying it among those that should.

    Parameters
    ----------
    carried : array_like of bool
        True where a store carries (has on the shelf) a brand, for example
        ``carried[store, brand]``; the store axis is ``axis``.
    should_carry : array_like of bool, optional
        True where a store should carry the brand (应上柜); broadcast against
        ``carried`` with numpy's rules. Default: every store should.
    axis : int, optional
        The store axis, reduced. Default 0.

    Returns
    -------
    numpy.float64 or ndarray of float64
        The rate in [0, 1]; ``carried.shape`` without the store axis (one
        value per brand; a scalar for one brand); NaN where no store should
        carry the brand (no store to count).

    Raises
    ------
    TypeError
        ``carried`` or ``should_carry`` is not boolean.
    ShapeMismatchError
        ``should_carry`` does not broadcast to ``carried``; a scalar ``carried``.

    Notes
    -----
    ``rate = Σ_stores (carried ∧ should_carry) / Σ_stores should_carry``: a
    store that carries a brand it need not is not counted (the daily report
    compares 实际上柜户数 with 应上柜的户数 of the stores visited).

    Examples
    --------
    Three stores, two key brands; the second brand is for the first two
    stores only:

    >>> carried = [[True, True], [False, False], [True, True]]
    >>> should = [[True, True], [True, True], [True, False]]
    >>> on_shelf_rate(carried, should).round(3).tolist()
    [0.667, 0.5]
    >>> on_shelf_rate(carried).round(3).tolist()
    [0.667, 0.667]
    """
    carried, should_carry = aligned(("carried", carried), ("should_carry", should_carry))
    flags = _carried(carried, "carried")
    require_dimension(flags, "carried", "the store axis")
    store_axis = normalize_axis(axis, flags.ndim)
    if should_carry is None:
        counted = flags
        stores = np.full(
            flags.shape[:store_axis] + flags.shape[store_axis + 1 :],
            flags.shape[store_axis],
            dtype=np.float64,
        )
    else:
        should = broadcast_to_shape(
            _carried(should_carry, "should_carry"), flags.shape, "should_carry"
        )
        counted = flags & should
        stores = np.asarray(np.count_nonzero(should, axis=store_axis), dtype=np.float64)
    on_shelf = np.asarray(np.count_nonzero(counted, axis=store_axis), dtype=np.float64)
    return as_result(on_shelf_ratio(on_shelf, stores))


@keeps_labels
def assortment_width(
    carried: ArrayLike,
    price_class: ArrayLike,
    at_least: PriceClass | int = PriceClass.II,
    *,
    axis: int = -1,
) -> IntResult:
    """Assortment width (组合宽度): distinct brands a store carries at or above a class.

    Parameters
    ----------
    carried : array_like of bool
        True where a store carries a brand, for example ``carried[store,
        brand]``; the brand axis is ``axis``.  One column per distinct brand
        (specification).
    price_class : array_like of int
        Class code of each brand, 1 (I) … 5 (V); laid along the brand axis
        when 1-D, broadcast otherwise.
    at_least : PriceClass or int, optional
        The lowest class counted. Default :attr:`PriceClass.II`: the source's
        "二类以上卷烟组合宽度" (width of class II and above).
    axis : int, optional
        The brand axis, reduced. Default -1.

    Returns
    -------
    numpy.int64 or ndarray of int64
        Number of brands [brands], >= 0; ``carried.shape`` without the brand
        axis (a scalar for one store).

    Raises
    ------
    TypeError
        ``carried`` is not boolean; ``at_least`` not a PriceClass or int.
    InvalidValueError
        A class code or ``at_least`` outside 1 … 5.
    ShapeMismatchError
        ``price_class`` does not line up with the brand axis.

    Notes
    -----
    ``width = Σ_brands [carried ∧ class <= at_least]``.  It never exceeds
    the number of brands of those classes and never falls when a store adds
    a brand.

    Examples
    --------
    >>> carried = [[True, True, False, True], [False, True, True, True]]
    >>> assortment_width(carried, [1, 2, 2, 4]).tolist()
    [2, 2]
    >>> assortment_width(carried, [1, 2, 2, 4], at_least=PriceClass.I).tolist()
    [1, 0]
    """
    level = _class_level(at_least)
    price_class = aligned_along(price_class, "price_class", carried, "carried", axis)
    flags = _carried(carried, "carried")
    require_dimension(flags, "carried", "the brand axis")
    brand_axis = normalize_axis(axis, flags.ndim)
    codes = _per_brand(_class_codes(price_class), flags.shape, brand_axis, "price_class")
    width = np.asarray(np.count_nonzero(flags & (codes <= level), axis=brand_axis), dtype=np.int64)
    return as_result(width)

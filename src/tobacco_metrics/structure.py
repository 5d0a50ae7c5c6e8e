"""Sales structure, assortment, sales ledger and customer segments (卷烟结构).

"Lifting the structure" (提升卷烟结构) is what the source's articles are about:
selling more of the higher price classes, getting key and new brands on the
shelf, and knowing which stores to work on.  This module gives those numbers:

- 卷烟结构 / 三类以上: :func:`class_shares`, :func:`share_at_or_above`;
- 单箱均价 / 单条均价: :func:`average_price_per_case`, :func:`average_price_per_carton`;
- the change of both between two periods: :func:`structure_change`;
- 上柜率 (on-shelf rate) and 组合宽度 (assortment width): :func:`on_shelf_rate`,
  :func:`assortment_width`;
- 动销台账 (sales ledger): :func:`ledger_sales`, :func:`gross_profit`,
  :func:`gross_margin`;
- 客户细分 (stockout segments A–D): :func:`stockout_segment`;
- 目标客户 (target customers): :func:`target_customers`;
- 新品跟踪 (new-brand follow-up): :func:`new_brand_sell_through`,
  :func:`sell_through_speed`.

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

from collections.abc import Callable, Iterable
from typing import Any, Final, TypeAlias, overload

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics._typing import (
    BoolArray,
    FloatArray,
    FloatResult,
    IntResult,
    Scalar,
)
from tobacco_metrics._validation import (
    as_real_array,
    broadcast_arrays,
    broadcast_to_shape,
    finite_float,
    format_position,
    normalize_axis,
    overflow_guard,
    quantities,
    quantities_or_nan,
    read_only_view,
    same_shape,
    unwrap,
)
from tobacco_metrics.errors import (
    InconsistentLedgerError,
    InvalidValueError,
    ShapeMismatchError,
)
from tobacco_metrics.pricing import PriceClass
from tobacco_metrics.units import CARTONS_PER_CASE

__all__ = [
    "StructureChange",
    "assortment_width",
    "average_price_per_carton",
    "average_price_per_case",
    "class_shares",
    "gross_margin",
    "gross_profit",
    "ledger_sales",
    "new_brand_sell_through",
    "on_shelf_rate",
    "sell_through_speed",
    "share_at_or_above",
    "stockout_segment",
    "structure_change",
    "target_customers",
]

StrResult: TypeAlias = np.str_ | NDArray[np.str_]

_CLASS_CODES: Final = (1, 2, 3, 4, 5)
_LISTED: Final = 5  # offending positions spelled out in an error message


# --------------------------------------------------------------------------- helpers


def _count_phrase(count: int) -> str:
    return "" if count == 1 else f" ({count} such values)"


def _first_bad(bad: NDArray[np.bool_], values: NDArray[Any]) -> tuple[str, Any, int]:
    """(" at index I" or "", first offending value, number of offenders)."""
    count = int(np.count_nonzero(bad))
    if values.ndim == 0:
        return "", values[()].item(), count
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    return f" at index {format_position(first)}", values[first].item(), count


def _listed_positions(bad: NDArray[np.bool_], describe: Callable[[tuple[int, ...]], str]) -> str:
    """Describe the first offending positions: 'index 1 (…), index (2, 0) (…) and 3 more'."""
    if bad.ndim == 0:
        return describe(())
    positions = np.argwhere(bad)
    parts = [
        f"index {format_position(tuple(int(i) for i in row))} ({describe(tuple(row))})"
        for row in positions[:_LISTED]
    ]
    text = ", ".join(parts)
    if len(positions) > _LISTED:
        text += f" and {len(positions) - _LISTED} more"
    return text


def _number(value: Any) -> str:
    return f"{float(value):g}"


def _real_scalar(value: object, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"{name!r} must be a real number, got {type(value).__name__}")
    return finite_float(value, name)


def _fraction(value: object, name: str) -> float:
    """A real number in [0, 1]."""
    number = _real_scalar(value, name)
    if not 0.0 <= number <= 1.0:
        raise InvalidValueError(f"{name!r} must be in [0, 1]: {value}")
    return number


def _class_codes(value: ArrayLike, name: str = "price_class") -> NDArray[np.int8]:
    """Price class codes 1 (I) … 5 (V) as int8; anything else is an unknown class."""
    array = as_real_array(value, name)
    if array.dtype.kind == "f":
        valid = (array >= 1) & (array <= 5) & (np.floor(array) == array)
    else:
        valid = (array >= 1) & (array <= 5)
    if not np.all(valid):
        where, bad, count = _first_bad(np.asarray(~valid), array)
        raise InvalidValueError(
            f"{name!r} must hold price class codes 1 (I) … 5 (V): {bad}{where}"
            f"{_count_phrase(count)}"
        )
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


def _require_axis(array: NDArray[Any], name: str, what: str) -> None:
    if array.ndim == 0:
        raise ShapeMismatchError(
            f"{name!r} must have at least one dimension ({what}), got a scalar"
        )


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
    array = quantities(quantity, name)
    _require_axis(array, name, "the brand axis")
    brand_axis = normalize_axis(axis, array.ndim)
    codes = _per_brand(_class_codes(price_class), array.shape, brand_axis, "price_class")
    return array, codes, brand_axis


def _flags(value: ArrayLike, name: str) -> BoolArray:
    array = np.asarray(value)
    if array.dtype != np.bool_:
        raise TypeError(
            f"{name!r} must be boolean (dtype bool), got dtype {array.dtype}; "
            f"build it from the data, e.g. {name} = inventory > 0"
        )
    return array


def _ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    """numerator / denominator where denominator > 0, NaN elsewhere (no warning)."""
    shape = np.broadcast_shapes(numerator.shape, denominator.shape)
    result = np.full(shape, np.nan, dtype=np.float64)
    np.divide(numerator, denominator, out=result, where=denominator > 0)
    return result


def _pooled(array: NDArray[Any], axis: int | None) -> FloatArray:
    """Σ over ``axis`` in float64; a 0-d array is its own total; None pools everything."""
    if array.ndim == 0:
        return array.astype(np.float64)
    if axis is not None:
        axis = normalize_axis(axis, array.ndim)
    return np.asarray(np.sum(array, axis=axis, dtype=np.float64))


def _share_at_or_above(
    quantity: NDArray[Any], codes: NDArray[np.int8], level: int, axis: int
) -> FloatArray:
    upper = codes <= level
    inside = np.asarray(np.sum(quantity, axis=axis, dtype=np.float64, where=upper))
    outside = np.asarray(np.sum(quantity, axis=axis, dtype=np.float64, where=~upper))
    # inside / (inside + outside) <= 1 exactly: the rounded total is >= inside.
    return _ratio(inside, inside + outside)


def _average_price(quantity: NDArray[Any], price: NDArray[Any], axis: int) -> FloatArray:
    amount = np.asarray(np.sum(quantity.astype(np.float64) * price, axis=axis))
    cartons = np.asarray(np.sum(quantity, axis=axis, dtype=np.float64))
    return _ratio(amount, cartons)


def _whole_numbers(value: ArrayLike, name: str) -> NDArray[Any]:
    array = quantities(value, name)
    if array.dtype.kind == "f":
        fractional = np.floor(array) != array
        if fractional.any():
            where, bad, count = _first_bad(fractional, array)
            raise InvalidValueError(
                f"{name!r} must be whole numbers of days: {bad}{where}{_count_phrase(count)}"
            )
    return array


def _sell_through(purchases: ArrayLike, sales: ArrayLike) -> tuple[NDArray[Any], FloatArray]:
    bought, sold = broadcast_arrays(
        ("purchases", quantities(purchases, "purchases")),
        ("sales", quantities(sales, "sales")),
    )
    oversold = np.asarray(sold > bought)
    if oversold.any():
        count = int(np.count_nonzero(oversold))
        listed = _listed_positions(
            oversold, lambda i: f"sold {_number(sold[i])} of {_number(bought[i])} purchased"
        )
        raise InconsistentLedgerError(
            f"'sales' of a new brand must not exceed its 'purchases' (there is no opening "
            f"stock), {count} position(s): {listed}"
        )
    return bought, _ratio(sold.astype(np.float64), bought.astype(np.float64))


# --------------------------------------------------------------------------- structure


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
    return _ratio(parts, total)


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
    return unwrap(_share_at_or_above(array, codes, level, brand_axis))  # type: ignore[no-any-return]


def _amount_and_cartons(
    amount: ArrayLike, cartons: ArrayLike, axis: int | None
) -> tuple[FloatArray, FloatArray]:
    money, volume = broadcast_arrays(
        ("amount", quantities(amount, "amount")),
        ("cartons", quantities(cartons, "cartons")),
    )
    stray = np.asarray((volume == 0) & (money > 0))
    if stray.any():
        where, bad, count = _first_bad(stray, money)
        raise InvalidValueError(
            f"'amount' must be 0 where 'cartons' is 0 (money without volume): {bad}{where}"
            f"{_count_phrase(count)}"
        )
    return _pooled(money, axis), _pooled(volume, axis)


@overload
def average_price_per_carton(
    amount: Scalar, cartons: Scalar, *, axis: int | None = ...
) -> np.float64: ...
@overload
def average_price_per_carton(
    amount: ArrayLike, cartons: ArrayLike, *, axis: int | None = ...
) -> FloatResult: ...
@overflow_guard
def average_price_per_carton(
    amount: ArrayLike, cartons: ArrayLike, *, axis: int | None = -1
) -> np.float64 | FloatResult:
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
    cheaper brand to a dearer one (at their prices) never lowers it.

    Examples
    --------
    100 cartons at 150 yuan and 300 cartons at 50 yuan:

    >>> average_price_per_carton([15_000, 15_000], [100, 300])
    np.float64(75.0)
    >>> average_price_per_carton([[15_000, 15_000], [0, 0]], [[100, 300], [0, 0]]).tolist()
    [75.0, nan]
    """
    money, volume = _amount_and_cartons(amount, cartons, axis)
    return unwrap(_ratio(money, volume))  # type: ignore[no-any-return]


@overload
def average_price_per_case(
    amount: Scalar, cartons: Scalar, *, axis: int | None = ...
) -> np.float64: ...
@overload
def average_price_per_case(
    amount: ArrayLike, cartons: ArrayLike, *, axis: int | None = ...
) -> FloatResult: ...
@overflow_guard
def average_price_per_case(
    amount: ArrayLike, cartons: ArrayLike, *, axis: int | None = -1
) -> np.float64 | FloatResult:
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
    money, volume = _amount_and_cartons(amount, cartons, axis)
    return unwrap(_ratio(money, volume) * CARTONS_PER_CASE)  # type: ignore[no-any-return]


@attrs.frozen(eq=False)
class StructureChange:
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

    at_least: PriceClass
    share_before: FloatResult = attrs.field(converter=read_only_view)
    share_after: FloatResult = attrs.field(converter=read_only_view)
    share_change: FloatResult = attrs.field(converter=read_only_view)
    price_per_case_before: FloatResult = attrs.field(converter=read_only_view)
    price_per_case_after: FloatResult = attrs.field(converter=read_only_view)
    price_per_case_change: FloatResult = attrs.field(converter=read_only_view)

    def to_dict(self) -> dict[str, Any]:
        """The fields as plain Python: the class name and numbers (or nested lists)."""
        data: dict[str, Any] = {"at_least": self.at_least.name}
        for field in attrs.fields(StructureChange)[1:]:
            data[field.name] = np.asarray(getattr(self, field.name)).tolist()
        return data


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
        if prices.dtype.kind == "f" and not np.isfinite(prices).all():
            where, bad, count = _first_bad(np.asarray(~np.isfinite(prices)), prices)
            raise InvalidValueError(f"'price' must be finite: {bad}{where}{_count_phrase(count)}")
        if (prices <= 0).any():
            where, bad, count = _first_bad(np.asarray(prices <= 0), prices)
            raise InvalidValueError(f"'price' must be > 0: {bad}{where}{_count_phrase(count)}")
        laid = _per_brand(prices, before.shape, brand_axis, "price")
        price_before = _average_price(before, laid, brand_axis) * CARTONS_PER_CASE
        price_after = _average_price(after, laid, brand_axis) * CARTONS_PER_CASE
    return StructureChange(
        at_least=PriceClass(level),
        share_before=unwrap(share_before),
        share_after=unwrap(share_after),
        share_change=unwrap(share_after - share_before),
        price_per_case_before=unwrap(price_before),
        price_per_case_after=unwrap(price_after),
        price_per_case_change=unwrap(price_after - price_before),
    )


# --------------------------------------------------------------------------- assortment


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
    flags = _flags(carried, "carried")
    _require_axis(flags, "carried", "the store axis")
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
            _flags(should_carry, "should_carry"), flags.shape, "should_carry"
        )
        counted = flags & should
        stores = np.asarray(np.count_nonzero(should, axis=store_axis), dtype=np.float64)
    on_shelf = np.asarray(np.count_nonzero(counted, axis=store_axis), dtype=np.float64)
    return unwrap(_ratio(on_shelf, stores))  # type: ignore[no-any-return]


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
    flags = _flags(carried, "carried")
    _require_axis(flags, "carried", "the brand axis")
    brand_axis = normalize_axis(axis, flags.ndim)
    codes = _per_brand(_class_codes(price_class), flags.shape, brand_axis, "price_class")
    width = np.asarray(np.count_nonzero(flags & (codes <= level), axis=brand_axis), dtype=np.int64)
    return unwrap(width)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- ledger


@overload
def ledger_sales(opening: Scalar, purchases: Scalar, closing: Scalar) -> np.float64: ...
@overload
def ledger_sales(opening: ArrayLike, purchases: ArrayLike, closing: ArrayLike) -> FloatResult: ...
@overflow_guard
def ledger_sales(
    opening: ArrayLike, purchases: ArrayLike, closing: ArrayLike
) -> np.float64 | FloatResult:
    """Sales read from a sales ledger (动销台账): opening + purchases − closing.

    Parameters
    ----------
    opening : array_like
        Stock at the start of the period [cartons]; finite, >= 0.
    purchases : array_like
        Quantity bought in the period (进货量) [cartons]; finite, >= 0.
    closing : array_like
        Stock at the end of the period (库存量) [cartons]; finite, >= 0.

    Returns
    -------
    numpy.float64 or ndarray of float64
        Sales in the period (月实销量) [cartons], >= 0; the inputs broadcast
        together (a scalar for one store × brand).

    Raises
    ------
    InconsistentLedgerError
        Somewhere the closing stock exceeds opening + purchases: the ledger
        does not balance (a missed purchase, a miscount).  The message lists
        the first offending positions and how many there are.  The result is
        never clipped to 0.
    InvalidValueError
        A negative or non-finite input.
    ShapeMismatchError
        The inputs do not broadcast together.

    Notes
    -----
    ``sales = opening + purchases − closing``, computed in float64 and
    checked exactly (round quantities to the pack before comparing floats).
    Law (round trip): ``closing = opening + purchases − ledger_sales``.

    Examples
    --------
    >>> ledger_sales(12, 50, 20)
    np.float64(42.0)
    >>> ledger_sales([12, 5], [50, 0], [20, 5]).tolist()
    [42.0, 0.0]
    >>> ledger_sales([12, 5], [50, 0], [20, 7])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tobacco_metrics.errors.InconsistentLedgerError: the sales ledger does not balance: ...
    """
    start, bought, end = broadcast_arrays(
        ("opening", quantities(opening, "opening")),
        ("purchases", quantities(purchases, "purchases")),
        ("closing", quantities(closing, "closing")),
    )
    sales = start.astype(np.float64) + bought - end
    negative = np.asarray(sales < 0)
    if negative.any():
        count = int(np.count_nonzero(negative))
        listed = _listed_positions(
            negative,
            lambda i: (
                f"{_number(start[i])} + {_number(bought[i])} − {_number(end[i])}"
                f" = {_number(sales[i])}"
            ),
        )
        where = f" at {count} position(s): " if negative.ndim else ": "
        raise InconsistentLedgerError(
            "the sales ledger does not balance: 'closing' exceeds 'opening' + 'purchases'"
            f"{where}{listed}; sales cannot be negative: check the stock count and look for "
            "a missing purchase"
        )
    return unwrap(sales)  # type: ignore[no-any-return]


@overload
def gross_profit(quantity: Scalar, retail_price: Scalar, purchase_price: Scalar) -> np.float64: ...
@overload
def gross_profit(
    quantity: ArrayLike, retail_price: ArrayLike, purchase_price: ArrayLike
) -> FloatResult: ...
@overflow_guard
def gross_profit(
    quantity: ArrayLike, retail_price: ArrayLike, purchase_price: ArrayLike
) -> np.float64 | FloatResult:
    """Gross profit of the quantity sold (经营利润): quantity × (retail − purchase price).

    Parameters
    ----------
    quantity : array_like
        Quantity sold [cartons], for example from :func:`ledger_sales`;
        finite, >= 0.
    retail_price : array_like
        Retail (selling) price [yuan/carton]; finite, >= 0.
    purchase_price : array_like
        Purchase (wholesale) price paid by the store [yuan/carton]; finite, >= 0.

    Returns
    -------
    numpy.float64 or ndarray of float64
        Profit [yuan], elementwise over the broadcast inputs; negative where a
        store sold below its purchase price.

    Raises
    ------
    InvalidValueError
        A negative or non-finite input.
    ShapeMismatchError
        The inputs do not broadcast together.

    Notes
    -----
    ``profit = quantity × (retail_price − purchase_price)``; sum it over
    brands with ``np.sum(..., axis=-1)`` for a store's profit.

    Examples
    --------
    >>> gross_profit(42, 230, 200)
    np.float64(1260.0)
    >>> gross_profit([42, 10], [230, 95], [200, 100]).tolist()
    [1260.0, -50.0]
    """
    sold, retail, cost = broadcast_arrays(
        ("quantity", quantities(quantity, "quantity")),
        ("retail_price", quantities(retail_price, "retail_price")),
        ("purchase_price", quantities(purchase_price, "purchase_price")),
    )
    profit = sold.astype(np.float64) * (retail.astype(np.float64) - cost)
    return unwrap(profit)  # type: ignore[no-any-return]


@overload
def gross_margin(
    quantity: Scalar, retail_price: Scalar, purchase_price: Scalar, *, axis: int | None = ...
) -> np.float64: ...
@overload
def gross_margin(
    quantity: ArrayLike,
    retail_price: ArrayLike,
    purchase_price: ArrayLike,
    *,
    axis: int | None = ...,
) -> FloatResult: ...
@overflow_guard
def gross_margin(
    quantity: ArrayLike,
    retail_price: ArrayLike,
    purchase_price: ArrayLike,
    *,
    axis: int | None = -1,
) -> np.float64 | FloatResult:
    """Gross margin (毛利率): gross profit over sales revenue, pooled over brands.

    Parameters
    ----------
    quantity : array_like
        Quantity sold [cartons]; finite, >= 0.
    retail_price : array_like
        Retail price [yuan/carton]; finite, >= 0.
    purchase_price : array_like
        Purchase price [yuan/carton]; finite, >= 0.
    axis : int or None, optional
        The brand axis, pooled. Default -1; None pools everything.  Scalar
        inputs are one line.

    Returns
    -------
    numpy.float64 or ndarray of float64
        ``Σ profit / Σ revenue``, a fraction <= 1 (negative when selling at a
        loss); the broadcast shape without ``axis``; NaN where the revenue is
        0 (nothing sold, or sold at price 0).

    Raises
    ------
    InvalidValueError
        A negative or non-finite input.
    ShapeMismatchError
        The inputs do not broadcast together.

    Notes
    -----
    ``margin = Σ q (retail − purchase) / Σ q retail``: a ratio of sums, so
    a brand's weight is its revenue.

    Examples
    --------
    >>> round(float(gross_margin(42, 230, 200)), 4)
    0.1304
    >>> round(float(gross_margin([42, 10], [230, 95], [200, 100])), 4)
    0.114
    >>> gross_margin(0, 230, 200)
    np.float64(nan)
    """
    sold, retail, cost = broadcast_arrays(
        ("quantity", quantities(quantity, "quantity")),
        ("retail_price", quantities(retail_price, "retail_price")),
        ("purchase_price", quantities(purchase_price, "purchase_price")),
    )
    revenue = sold.astype(np.float64) * retail
    profit = revenue - sold.astype(np.float64) * cost
    return unwrap(_ratio(_pooled(profit, axis), _pooled(revenue, axis)))  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- segments


def _segment_thresholds(thresholds: object) -> tuple[float, float, float]:
    if isinstance(thresholds, (str, bytes)) or not isinstance(thresholds, Iterable):
        raise TypeError(
            "'thresholds' must be a sequence of three shares (A, B, C), "
            f"got {type(thresholds).__name__}"
        )
    values = tuple(thresholds)
    if len(values) != 3:
        raise InvalidValueError(
            f"'thresholds' must hold three shares (A, B, C), got {len(values)}: {values}"
        )
    a, b, c = (_fraction(value, "thresholds") for value in values)
    if not a > b > c:
        raise InvalidValueError(
            f"'thresholds' must be strictly decreasing (A > B > C): {(a, b, c)}"
        )
    return a, b, c


@overload
def stockout_segment(
    stockout_days: Scalar,
    days: Scalar,
    *,
    thresholds: tuple[float, float, float] = ...,
) -> np.str_: ...
@overload
def stockout_segment(
    stockout_days: ArrayLike,
    days: ArrayLike,
    *,
    thresholds: tuple[float, float, float] = ...,
) -> StrResult: ...
def stockout_segment(
    stockout_days: ArrayLike,
    days: ArrayLike,
    *,
    thresholds: tuple[float, float, float] = (0.5, 0.2, 0.0),
) -> np.str_ | StrResult:
    """Stockout segment of each store (客户细分): A always out … D never out.

    Parameters
    ----------
    stockout_days : array_like
        Stockout days (脱销天数) in the period [days], for example from
        :func:`~tobacco_metrics.stockout_days`; whole numbers >= 0.
    days : array_like
        Days in the period [days]; whole numbers > 0, >= ``stockout_days``;
        broadcast against ``stockout_days``.
    thresholds : tuple of three floats, optional
        Lower bounds of the stockout share for A, B and C; in [0, 1],
        strictly decreasing.  Default ``(0.5, 0.2, 0.0)``.

    Returns
    -------
    numpy.str_ or ndarray of str
        Single-letter labels (dtype ``<U1``), the broadcast shape:

        - ``'A'`` always out (一直脱销): share >= ``thresholds[0]``;
        - ``'B'`` often out (经常脱销): share >= ``thresholds[1]``;
        - ``'C'`` sometimes out: share > ``thresholds[2]``;
        - ``'D'`` never out: share <= ``thresholds[2]`` (0 with the defaults).

    Raises
    ------
    InvalidValueError
        Negative or fractional days, ``days <= 0``, ``stockout_days > days``,
        thresholds outside [0, 1] or not strictly decreasing.
    ShapeMismatchError
        ``stockout_days`` and ``days`` do not broadcast together.
    TypeError
        ``thresholds`` is not a sequence of numbers.

    Notes
    -----
    ``share = stockout_days / days``.  The source names A and B and leaves
    the rest to the manager (依次类推, 可以自行设置); the bounds are ours and
    are parameters.  Law: a larger stockout share never gets a later letter.

    Examples
    --------
    >>> stockout_segment([4, 2, 1, 0], 7).tolist()
    ['A', 'B', 'C', 'D']
    >>> stockout_segment(3, 7, thresholds=(0.8, 0.4, 0.1))
    np.str_('B')
    """
    a, b, c = _segment_thresholds(thresholds)
    out, period = broadcast_arrays(
        ("stockout_days", _whole_numbers(stockout_days, "stockout_days")),
        ("days", _whole_numbers(days, "days")),
    )
    empty = np.asarray(period == 0)
    if empty.any():
        where, bad, count = _first_bad(empty, period)
        raise InvalidValueError(f"'days' must be > 0: {bad}{where}{_count_phrase(count)}")
    too_many = np.asarray(out > period)
    if too_many.any():
        where, bad, count = _first_bad(too_many, out)
        raise InvalidValueError(
            f"'stockout_days' must be <= 'days': {bad}{where}{_count_phrase(count)}"
        )
    share = out.astype(np.float64) / period
    labels = np.select(
        [share >= a, share >= b, share > c],
        [np.str_("A"), np.str_("B"), np.str_("C")],
        default=np.str_("D"),
    ).astype("<U1")
    return unwrap(labels)  # type: ignore[no-any-return]


@overflow_guard
def target_customers(
    volume: ArrayLike,
    share_iii_plus: ArrayLike,
    *,
    volume_quantile: float = 0.7,
    share_quantile: float = 0.7,
    axis: int = -1,
) -> BoolArray:
    """Target customers (目标客户): stores in the top volume and structure quantiles.

    Parameters
    ----------
    volume : array_like
        Sales volume per store over the history looked at [cartons]; finite,
        >= 0; the store axis is ``axis``.
    share_iii_plus : array_like
        Share of class III and above per store (:func:`share_at_or_above`),
        in [0, 1] or NaN (nothing sold); the same shape as ``volume``.
    volume_quantile, share_quantile : float, optional
        Quantile levels in [0, 1]; a store is in the top group when its value
        is at or above that quantile of the stores. Default 0.7 each (the
        top 30 % by volume and by share).
    axis : int, optional
        The store axis; quantiles are taken along it (one cut per district
        for ``volume[district, store]``). Default -1.

    Returns
    -------
    ndarray of bool
        True for target stores; the shape of ``volume``.

    Raises
    ------
    InvalidValueError
        A negative or non-finite volume, a share outside [0, 1], a quantile
        outside [0, 1].
    ShapeMismatchError
        ``volume`` and ``share_iii_plus`` differ in shape; a scalar input.

    Notes
    -----
    ``target = volume >= Q_v(volume) ∧ share >= Q_s(share)`` with numpy's
    default (linear) quantiles.  Ties at a cut are all in: every store whose
    value equals the cut is a target, so there can be more than the nominal
    30 %.  A NaN share (a store that sold nothing) is never a target and is
    left out of the share quantile; its volume still counts in the volume
    quantile.  With no known share along the store axis nobody is a target.
    The source then works outwards from these stores to their neighbours
    (以点带面); that step is geographic and left to the caller.

    Examples
    --------
    Ten stores; the top three by volume are stores 7, 8, 9, the top three by
    share stores 0, 8, 9:

    >>> volume = [120, 80, 60, 300, 90, 150, 40, 500, 800, 650]
    >>> share = [0.9, 0.2, 0.1, 0.3, 0.4, 0.2, 0.1, 0.5, 0.8, 0.7]
    >>> np.flatnonzero(target_customers(volume, share)).tolist()
    [8, 9]
    """
    volume_level = _fraction(volume_quantile, "volume_quantile")
    share_level = _fraction(share_quantile, "share_quantile")
    sold = quantities(volume, "volume")
    share = quantities_or_nan(share_iii_plus, "share_iii_plus")
    above_one = np.asarray(share > 1)
    if above_one.any():
        where, bad, count = _first_bad(above_one, share)
        raise InvalidValueError(
            f"'share_iii_plus' must be in [0, 1] or NaN: {bad}{where}{_count_phrase(count)}"
        )
    same_shape(sold, share, ("volume", "share_iii_plus"))
    _require_axis(sold, "volume", "the store axis")
    store_axis = normalize_axis(axis, sold.ndim)
    if sold.shape[store_axis] == 0:
        return np.zeros(sold.shape, dtype=np.bool_)
    known = ~np.isnan(share)
    any_known = np.any(known, axis=store_axis, keepdims=True)
    # Slices without any known share get a dummy 0 so nanquantile has something to read;
    # their stores are excluded by `known` below.
    readable = np.where(any_known, share, 0.0)
    volume_cut = np.quantile(sold, volume_level, axis=store_axis, keepdims=True)
    share_cut = np.nanquantile(readable, share_level, axis=store_axis, keepdims=True)
    target: BoolArray = (sold >= volume_cut) & known & (share >= share_cut)
    return target


# --------------------------------------------------------------------------- new brands


@overload
def new_brand_sell_through(purchases: Scalar, sales: Scalar) -> np.float64: ...
@overload
def new_brand_sell_through(purchases: ArrayLike, sales: ArrayLike) -> FloatResult: ...
def new_brand_sell_through(purchases: ArrayLike, sales: ArrayLike) -> np.float64 | FloatResult:
    """Share of a new brand's purchased cartons already sold, per store (新品动销).

    Parameters
    ----------
    purchases : array_like
        Cartons of the new brand each store bought since its introduction
        [cartons]; finite, >= 0.
    sales : array_like
        Cartons of it sold over the same window [cartons]; finite, >= 0,
        <= ``purchases``; broadcast against ``purchases``.

    Returns
    -------
    numpy.float64 or ndarray of float64
        ``sales / purchases`` in [0, 1]; NaN where the store bought none
        (it did not order the brand: nothing to follow up).

    Raises
    ------
    InconsistentLedgerError
        Sales above purchases somewhere (a new brand has no opening stock);
        the message lists the positions.
    InvalidValueError
        A negative or non-finite input.
    ShapeMismatchError
        The inputs do not broadcast together.

    Notes
    -----
    ``sell_through = sales / purchases``.  Compare stores over windows of
    the same length after delivery (for example one order cycle): the
    source follows the stock of the stores that ordered the new brand
    (跟踪分析订货客户卷烟库存情况).

    Examples
    --------
    >>> new_brand_sell_through([2, 1, 0, 4], [2, 0, 0, 1]).tolist()
    [1.0, 0.0, nan, 0.25]
    """
    _, through = _sell_through(purchases, sales)
    return unwrap(through)  # type: ignore[no-any-return]


@overload
def sell_through_speed(purchases: Scalar, sales: Scalar, *, fast_at: float = ...) -> np.str_: ...
@overload
def sell_through_speed(
    purchases: ArrayLike, sales: ArrayLike, *, fast_at: float = ...
) -> StrResult: ...
def sell_through_speed(
    purchases: ArrayLike, sales: ArrayLike, *, fast_at: float = 0.5
) -> np.str_ | StrResult:
    """Classify each store's new-brand sell-through as fast or slow (动销快 / 动销慢).

    Parameters
    ----------
    purchases, sales : array_like
        As for :func:`new_brand_sell_through` [cartons].
    fast_at : float, optional
        Sell-through at or above which a store sells the brand fast, in
        (0, 1]. Default 0.5: half of what the store bought is gone within
        the window.  The source gives no number; set your company's rule.

    Returns
    -------
    numpy.str_ or ndarray of str
        ``'fast'`` (sell-through >= ``fast_at``), ``'slow'`` (below), or
        ``'not ordered'`` (no purchases); the broadcast shape.

    Raises
    ------
    InconsistentLedgerError
        Sales above purchases somewhere.
    InvalidValueError
        A negative or non-finite input; ``fast_at`` outside (0, 1].
    ShapeMismatchError
        The inputs do not broadcast together.

    Notes
    -----
    Source 篇2 §3: 卷烟动销较快,说明新品卷烟在很快地成长 … 卷烟动销慢的,说明新品卷烟
    出现了一定的问题 — ask the fast stores what works and pass it on; help the
    slow ones.  Law: more sales at the same purchases never turn fast into slow.

    Examples
    --------
    >>> sell_through_speed([2, 4, 0, 4], [2, 1, 0, 2]).tolist()
    ['fast', 'slow', 'not ordered', 'fast']
    """
    level = _real_scalar(fast_at, "fast_at")
    if not 0.0 < level <= 1.0:
        raise InvalidValueError(f"'fast_at' must be in (0, 1]: {fast_at}")
    bought, through = _sell_through(purchases, sales)
    labels = np.select(
        [bought == 0, through >= level],
        [np.str_("not ordered"), np.str_("fast")],
        default=np.str_("slow"),
    )
    return unwrap(labels)  # type: ignore[no-any-return]

"""Strategies for daily sales and stock: arrays, delivery cycles and panels, consistent."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Hashable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

from tobacco_metrics.domain import DeliveryCycle
from tobacco_metrics.panel import Panel
from tobacco_metrics.strategies._common import (
    DEFAULT_MAX_CYCLE_DAYS,
    DEFAULT_MAX_DAYS,
    DEFAULT_MAX_LABELS,
    DEFAULT_MAX_SERIES_SIDE,
    FIRST_DATE,
    FLOAT_SCALES,
    INT_SCALES,
    LAST_DATE,
    MAX_DAILY_UNITS,
    SUPPORTED_DTYPES,
    Stockouts,
    brand_code_text,
    check_int,
    check_stockouts,
    check_strategy,
    check_token_stock,
    exact_real,
    optional_strategy,
    renamed_argument,
    shown,
    size_bounds,
    store_id_text,
)

# --------------------------------------------------------------------------- daily data


def _capacity(dtype: np.dtype[Any], scale: Fraction) -> int:
    """The largest count n such that every k × scale, k <= n, is exact in ``dtype``.

    Raises InvalidArgument when not even one unit fits.
    """
    if dtype.kind in "iu":
        if scale.denominator != 1:
            raise InvalidArgument(
                f"scale {shown(scale)} is not a whole number: {dtype} data need whole units"
            )
        # Stay within float64's exact integers too: the library sums in float64.
        limit = min(int(np.iinfo(dtype).max), 2**53)
        return limit // scale.numerator
    info = np.finfo(dtype)
    if scale > Fraction(float(info.max)):
        raise InvalidArgument(f"scale {shown(scale)} is larger than the largest {dtype} number")
    if scale.denominator & (scale.denominator - 1):  # a Fraction such as 1/3
        raise InvalidArgument(f"scale {shown(scale)} is not exact in {dtype}")
    if float(dtype.type(float(scale))) != float(scale) or float(scale) < float(
        info.smallest_normal
    ):
        raise InvalidArgument(f"scale {shown(scale)} is not a normal {dtype} number")
    odd = scale.numerator
    while odd % 2 == 0:  # powers of two only move the exponent
        odd //= 2
    exact: int = 2 ** (int(info.nmant) + 1) // odd
    finite = int(Fraction(float(info.max)) / scale)
    return min(exact, finite)


def _check_dtype(value: object) -> np.dtype[Any]:
    try:
        dtype: np.dtype[Any] = np.dtype(value)  # type: ignore[call-overload]
    except TypeError:
        raise InvalidArgument(f"dtypes drew {value!r}, which is not a numpy dtype") from None
    if dtype not in SUPPORTED_DTYPES:
        raise InvalidArgument(
            f"dtypes drew {dtype}; the daily-data strategies support "
            f"{', '.join(str(d) for d in SUPPORTED_DTYPES)}"
        )
    return dtype


def _check_scale(value: object) -> Fraction:
    scale = exact_real(value, "scales", drawn=True)
    if scale <= 0:
        raise InvalidArgument(f"scales drew {value!r}; a scale must be finite and > 0")
    return scale


def _check_shape(value: object) -> tuple[int, ...]:
    """A drawn ``series_shapes`` value: a tuple of ints >= 0."""
    if not isinstance(value, (tuple, list)) or not all(
        isinstance(side, (int, np.integer)) and not isinstance(side, bool) and side >= 0
        for side in value
    ):
        raise InvalidArgument(
            f"series_shapes drew {value!r}; a shape is a tuple of ints >= 0 (such as (3, 2))"
        )
    return tuple(int(side) for side in value)


def _check_start(value: object) -> dt.date:
    """A drawn ``starts`` value: a datetime.date (not a datetime)."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidArgument(f"starts drew {value!r}; a start must be a datetime.date")
    return value


def _hashable(name: str) -> Callable[[Hashable], Hashable]:
    """A ``.map`` check of drawn labels: hashable (a panel's labels are keys)."""

    def check(label: Hashable) -> Hashable:
        try:
            hash(label)
        except TypeError:
            raise InvalidArgument(
                f"{name} drew {label!r}, which is not hashable: labels must be hashable"
            ) from None
        return label

    return check


def _feasible(
    dtype: np.dtype[Any], scale: Fraction, cycle: int, token: Fraction, mode: Stockouts
) -> bool:
    """Whether :func:`_histories` can draw data at this dtype and scale."""
    try:
        cap = _capacity(dtype, scale)
    except InvalidArgument:
        return False
    token_units = math.floor(token / scale)
    if mode == "token_only" and token_units < 1:
        return False
    return mode == "always" or cap - token_units - 1 >= 2 * cycle


def _usable_scales(
    dtype: np.dtype[Any], cycle: int, token: Fraction, mode: Stockouts
) -> list[int | float]:
    """The default scales of ``dtype`` at which these options can be drawn."""
    default: tuple[int | float, ...] = INT_SCALES if dtype.kind in "iu" else FLOAT_SCALES
    return [value for value in default if _feasible(dtype, Fraction(value), cycle, token, mode)]


def _dtype_and_scale(
    draw: st.DrawFn,
    dtypes: st.SearchStrategy[np.dtype[Any]],
    scales: st.SearchStrategy[float | Fraction] | None,
    cycle: int = 1,
    token: Fraction = Fraction(0),
    mode: Stockouts = "any",
) -> tuple[np.dtype[Any], Fraction, int]:
    """Draw a dtype and a scale; the default scales are those that suit the other options."""
    dtype = _check_dtype(draw(dtypes))
    if scales is None:
        usable = _usable_scales(dtype, cycle, token, mode)
        default = INT_SCALES if dtype.kind in "iu" else FLOAT_SCALES
        scale_value: object = draw(st.sampled_from(usable or default[:1]))
    else:
        scale_value = draw(scales)
    scale = _check_scale(scale_value)
    cap = _capacity(dtype, scale)
    if cap < 1:
        raise InvalidArgument(
            f"scale {shown(scale)} is too large for {dtype}: not even one unit of it is exact"
        )
    return dtype, scale, cap


def _values(counts: NDArray[np.int64], dtype: np.dtype[Any], scale: Fraction) -> NDArray[Any]:
    """counts × scale in ``dtype``, exactly (the counts are within the capacity)."""
    if dtype.kind in "iu":
        return (counts * scale.numerator).astype(dtype)
    values: NDArray[Any] = counts.astype(dtype) * dtype.type(float(scale))
    return values


def _count_arrays(
    shape: tuple[int, ...], low: int, high: int
) -> st.SearchStrategy[NDArray[np.int64]]:
    return hnp.arrays(np.int64, shape, elements=st.integers(low, max(low, high)))


def _demand(draw: st.DrawFn, shape: tuple[int, ...], max_daily: int) -> NDArray[np.int64]:
    """Daily demand counts with, sometimes, long runs of zeros."""
    demand: NDArray[np.int64] = draw(_count_arrays(shape, 0, max_daily)).copy()
    n_days = shape[-1]
    runs = draw(st.lists(st.tuples(st.integers(0, n_days - 1), st.integers(1, n_days)), max_size=2))
    for first, length in runs:
        demand[..., first : first + length] = 0
    return demand


def _histories(
    draw: st.DrawFn,
    series: tuple[int, ...],
    n_days: int,
    dtype: np.dtype[Any],
    scale: Fraction,
    cap: int,
    cycle_days: int,
    token_stock: Fraction,
    stockouts: Stockouts,
    closed: NDArray[np.bool_] | None = None,
) -> tuple[NDArray[Any], NDArray[Any]]:
    """Sales and closing stock, shape ``series + (n_days,)``, from the ledger day by day."""
    token_units = min(math.floor(token_stock / scale), cap)
    shape = (*series, n_days)
    if stockouts == "always":
        opening = draw(_count_arrays(series, 0, token_units))
        counts = np.broadcast_to(opening[..., np.newaxis], shape)
        return _values(np.zeros(shape, dtype=np.int64), dtype, scale), _values(
            np.ascontiguousarray(counts), dtype, scale
        )
    if stockouts == "token_only" and token_units < 1:
        raise InvalidArgument(
            f"stockouts='token_only' needs a token stock of at least one unit: "
            f"token_stock={shown(token_stock)} is less than the scale {shown(scale)}"
        )
    cycle = min(cycle_days, n_days)
    max_daily = _max_daily(cycle, dtype, scale, cap, token_stock, token_units)
    demand = _demand(draw, shape, max_daily)
    if closed is not None:
        demand[..., closed] = 0
    n_cycles = -(-n_days // cycle_days)
    cycle_of_day = np.arange(n_days) // cycle_days
    if stockouts == "never":
        held = np.zeros(series, dtype=np.int64)
        need = np.zeros((*series, n_cycles), dtype=np.int64)
        np.add.at(np.moveaxis(need, -1, 0), cycle_of_day, np.moveaxis(demand, -1, 0))
        base = need + token_units + 1  # closing > token_stock on every day of the cycle
        extra = draw(_count_arrays((*series, n_cycles), 0, 3))
        quota = base + np.minimum(extra, cap - base)
    else:
        if stockouts == "token_only":
            held = draw(_count_arrays(series, 1, token_units))
        elif token_units >= 1:
            held = draw(_count_arrays(series, 0, token_units))
        else:
            held = np.zeros(series, dtype=np.int64)
        top = min(cap, 2 * cycle * max_daily + token_units + 1)
        quota = np.maximum(draw(_count_arrays((*series, n_cycles), 0, top)), held[..., None])
    opening = draw(_count_arrays(series, 0, int(quota.max(initial=0))))
    sales, inventory = _ledger(opening, quota, held, demand, cycle_days)
    return _values(sales, dtype, scale), _values(inventory, dtype, scale)


def _max_daily(
    cycle: int,
    dtype: np.dtype[Any],
    scale: Fraction,
    cap: int,
    token_stock: Fraction,
    token_units: int,
) -> int:
    """The largest daily demand [units] that keeps a cycle's stock exact in ``dtype``."""
    room = cap - token_units - 1
    if room < 1:
        raise InvalidArgument(
            f"token_stock={shown(token_stock)} leaves no room in {dtype} at scale "
            f"{shown(scale)}: at most {cap} units are exact"
        )
    max_daily = min(MAX_DAILY_UNITS, room // (2 * cycle))
    if max_daily < 1:
        raise InvalidArgument(
            f"{dtype} holds only {cap} units of {shown(scale)} exactly: too few for a "
            f"{cycle}-day cycle with token_stock={shown(token_stock)}; use a smaller scale"
        )
    return max_daily


def _ledger(
    opening: NDArray[np.int64],
    quota: NDArray[np.int64],
    held: NDArray[np.int64],
    demand: NDArray[np.int64],
    cycle_days: int,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Sales and closing stock day by day: order up to the quota, sell what is not held back."""
    sales = np.zeros(demand.shape, dtype=np.int64)
    inventory = np.zeros(demand.shape, dtype=np.int64)
    stock = opening.copy()
    for day in range(demand.shape[-1]):
        if day % cycle_days == 0:  # a delivery day: order up to the quota
            stock = np.maximum(stock, quota[..., day // cycle_days])
        sold = np.minimum(demand[..., day], np.maximum(stock - held, 0))
        stock = stock - sold
        sales[..., day] = sold
        inventory[..., day] = stock
    return sales, inventory


def _check_daily_options(
    dtypes: st.SearchStrategy[np.dtype[Any]] | None,
    scales: st.SearchStrategy[float | Fraction] | None,
    cycle_days: object,
    token_stock: object,
    stockouts: object,
) -> tuple[st.SearchStrategy[np.dtype[Any]], int, Fraction, Stockouts]:
    if scales is not None:
        check_strategy(scales, "scales")
    cycle = check_int(cycle_days, "cycle_days", 1)
    token = check_token_stock(token_stock)
    mode = check_stockouts(stockouts)
    if mode == "token_only" and token == 0:
        raise InvalidArgument("stockouts='token_only' needs token_stock > 0")
    # The default dtypes are those the options can be drawn in with the default
    # scales: a token stock below one carton cannot be held in whole cartons of
    # an integer dtype, so stockouts="token_only" then draws float dtypes only.
    default_dtypes = [
        dtype
        for dtype in SUPPORTED_DTYPES
        if scales is not None or _usable_scales(dtype, cycle, token, mode)
    ]
    dtype_strategy = optional_strategy(
        dtypes, "dtypes", st.sampled_from(default_dtypes or SUPPORTED_DTYPES)
    )
    return dtype_strategy, cycle, token, mode


def daily_sales(
    *,
    min_days: int = 1,
    max_days: int | None = None,
    dtypes: st.SearchStrategy[np.dtype[Any]] | None = None,
    scales: st.SearchStrategy[float | Fraction] | None = None,
) -> st.SearchStrategy[NDArray[Any]]:
    """One series of daily quantities sold (1-D, >= 0), often with long runs of zeros.

    Parameters
    ----------
    min_days, max_days : int
        Length bounds; ``1 <= min_days``; ``max_days`` defaults to
        ``max(min_days, 21)``.
    dtypes : strategy of numpy.dtype, optional
        Default: one of :data:`SUPPORTED_DTYPES` (int64, int32, float64, float32).
    scales : strategy of float, optional
        The unit: every value is a whole multiple of a drawn scale [cartons]
        (an int, float or Fraction, > 0; ints of any size are exact).
        Default 1 (and 250, 2**20 for integer dtypes; 1/2, 1/8, 2**-20 and
        2**20 for floats).  A scale whose multiples are not exact in the
        dtype raises InvalidArgument when drawn.

    Use :func:`sales_and_stock` when the closing stock matters too.
    """
    low, high = size_bounds(min_days, max_days, "days", 1, DEFAULT_MAX_DAYS)
    dtype_strategy, _, _, _ = _check_daily_options(dtypes, scales, 7, 0, "any")

    @st.composite
    def draw_sales(draw: st.DrawFn) -> NDArray[Any]:
        dtype, scale, cap = _dtype_and_scale(draw, dtype_strategy, scales)
        n_days = draw(st.integers(low, high))
        return _values(_demand(draw, (n_days,), min(MAX_DAILY_UNITS, cap)), dtype, scale)

    return draw_sales()


def sales_and_stock(
    *,
    series_shapes: st.SearchStrategy[tuple[int, ...]] | None = None,
    min_days: int = 1,
    max_days: int | None = None,
    dtypes: st.SearchStrategy[np.dtype[Any]] | None = None,
    scales: st.SearchStrategy[float | Fraction] | None = None,
    cycle_days: int = 7,
    token_stock: float | Fraction = 0,
    stockouts: Stockouts = "any",
) -> st.SearchStrategy[tuple[NDArray[Any], NDArray[Any]]]:
    """Consistent ``(sales, inventory)`` arrays shaped ``series_shape + (days,)``.

    The day axis is last, as the stock formulas expect; see the module
    docstring for the bookkeeping guarantees and the ``stockouts`` shapes.

    Parameters
    ----------
    series_shapes : strategy of tuple of int, optional
        The leading (stores, brands, …) shape; default 0 to 2 axes of 1 to 3.
        ``st.just(())`` gives one series (1-D arrays).
    min_days, max_days : int
        Days; ``max_days`` defaults to ``max(min_days, 21)``.
    dtypes, scales : strategies, optional
        As for :func:`daily_sales`; sales and stock share the dtype.  By
        default only the dtypes the other options can be drawn in: float
        dtypes for ``stockouts="token_only"`` with a token stock below one
        carton (an integer dtype holds no stock between 0 and the token).
    cycle_days : int
        Days between deliveries; deliveries come on days 0, ``cycle_days``, …
    token_stock : float
        The token stock the shapes are judged with [cartons]; >= 0.
    stockouts : {"any", "never", "always", "token_only"}
        The shape of interest (module docstring).

    Raises
    ------
    hypothesis.errors.InvalidArgument
        Bounds out of order, ``stockouts="token_only"`` with ``token_stock``
        0; when drawn, a dtype outside :data:`SUPPORTED_DTYPES`, a scale not
        exact in the dtype, or a token stock below one unit for
        ``"token_only"``.
    """
    low, high = size_bounds(min_days, max_days, "days", 1, DEFAULT_MAX_DAYS)
    dtype_strategy, cycle, token, mode = _check_daily_options(
        dtypes, scales, cycle_days, token_stock, stockouts
    )
    shapes = optional_strategy(
        series_shapes,
        "series_shapes",
        hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=DEFAULT_MAX_SERIES_SIDE),
    )

    @st.composite
    def draw_data(draw: st.DrawFn) -> tuple[NDArray[Any], NDArray[Any]]:
        series = _check_shape(draw(shapes))
        n_days = draw(st.integers(low, high))
        dtype, scale, cap = _dtype_and_scale(
            draw, dtype_strategy, scales, min(cycle, n_days), token, mode
        )
        return _histories(draw, series, n_days, dtype, scale, cap, cycle, token, mode)

    return draw_data()


def delivery_cycles(
    *,
    store_ids: st.SearchStrategy[str] | None = None,
    brand_codes: st.SearchStrategy[str] | None = None,
    starts: st.SearchStrategy[dt.date] | None = None,
    min_days: int = 1,
    max_days: int | None = None,
    dtypes: st.SearchStrategy[np.dtype[Any]] | None = None,
    scales: st.SearchStrategy[float | Fraction] | None = None,
    token_stock: float | Fraction = 0,
    stockouts: Stockouts = "any",
    allow_closed_days: bool = True,
) -> st.SearchStrategy[DeliveryCycle]:
    """Delivery cycles (配送周期): one store × brand from one delivery to the next.

    The delivery comes on the first day; on every later day
    ``inventory[d] == inventory[d − 1] − sales[d]``.  A closed day (not
    counted by :meth:`DeliveryCycle.metrics`) sells nothing; at least one
    day is open, so ``cycle.metrics()`` never raises.

    Parameters
    ----------
    store_ids, brand_codes : strategy of str, optional
        Default :func:`store_ids`, :func:`brand_codes`.
    starts : strategy of datetime.date, optional
        The first day; default 2000 … 2099.
    min_days, max_days : int
        Cycle length; ``max_days`` defaults to ``max(min_days, 14)``.
    dtypes, scales, token_stock, stockouts
        As for :func:`sales_and_stock` (the cycle keeps Python ints for
        integer dtypes, floats otherwise).
    allow_closed_days : bool
        Whether some days may be closed (``closed_days``). Default True.
    """
    stores_ = optional_strategy(store_ids, "store_ids", store_id_text())
    brands_ = optional_strategy(brand_codes, "brand_codes", brand_code_text())
    days = optional_strategy(starts, "starts", st.dates(FIRST_DATE, LAST_DATE))
    low, high = size_bounds(min_days, max_days, "days", 1, DEFAULT_MAX_CYCLE_DAYS)
    dtype_strategy, _, token, mode = _check_daily_options(dtypes, scales, 7, token_stock, stockouts)
    if not isinstance(allow_closed_days, bool):
        raise InvalidArgument(f"allow_closed_days={allow_closed_days!r} must be a bool")

    @st.composite
    def draw_cycle(draw: st.DrawFn) -> DeliveryCycle:
        n_days = draw(st.integers(low, high))
        start = _check_start(draw(days))
        assume(start.toordinal() + n_days - 1 <= dt.date.max.toordinal())
        closed = np.zeros(n_days, dtype=np.bool_)
        if allow_closed_days and n_days > 1:
            shut = draw(st.sets(st.integers(0, n_days - 1), max_size=n_days - 1))
            closed[list(shut)] = True
        dtype, scale, cap = _dtype_and_scale(draw, dtype_strategy, scales, n_days, token, mode)
        sales, inventory = _histories(
            draw, (), n_days, dtype, scale, cap, n_days, token, mode, closed=closed
        )
        return DeliveryCycle(
            draw(stores_),
            draw(brands_),
            start,
            sales,
            inventory,
            closed_days={start + dt.timedelta(days=int(d)) for d in np.flatnonzero(closed)},
        )

    return draw_cycle()


def _sorted(labels: Sequence[Hashable], name: str) -> list[Hashable]:
    try:
        return sorted(labels)  # type: ignore[type-var]
    except TypeError as error:
        raise InvalidArgument(
            f"sorted_labels=True, but the drawn {name} cannot be sorted: {error}"
        ) from None


def panels(
    *,
    stores: st.SearchStrategy[Hashable] | None = None,
    brands: st.SearchStrategy[Hashable] | None = None,
    starts: st.SearchStrategy[dt.date] | None = None,
    min_stores: int = 1,
    max_stores: int | None = None,
    min_brands: int = 1,
    max_brands: int | None = None,
    min_days: int = 1,
    max_days: int | None = None,
    dtypes: st.SearchStrategy[np.dtype[Any]] | None = None,
    scales: st.SearchStrategy[float | Fraction] | None = None,
    cycle_days: int = 7,
    token_stock: float | Fraction = 0,
    stockouts: Stockouts = "any",
    sorted_labels: bool = False,
    store_ids: st.SearchStrategy[Hashable] | None = None,
    brand_codes: st.SearchStrategy[Hashable] | None = None,
) -> st.SearchStrategy[Panel]:
    """Labelled stores × brands × days :class:`~tobacco_metrics.Panel` objects, consistent.

    Parameters
    ----------
    stores, brands : strategy of hashable, optional
        The labels of the panel's ``stores`` and ``brands`` (drawn unique);
        default :func:`store_ids`, :func:`brand_codes`.
    starts : strategy of datetime.date, optional
        The panel's first day, a delivery day; default 2000 … 2099.
    min_stores, max_stores, min_brands, max_brands, min_days, max_days : int
        Size bounds, each minimum >= 1; the maxima default to
        ``max(minimum, 4)`` stores and brands and ``max(min_days, 21)`` days.
    dtypes, scales : strategies, optional
        As for :func:`daily_sales`: int64, int32, float64 or float32 arrays
        (sales and stock share one), values whole multiples of one scale; by
        default only the dtypes the other options can be drawn in (as for
        :func:`sales_and_stock`).
    cycle_days : int
        Days between deliveries (default 7): deliveries come on days 0,
        ``cycle_days``, …, so ``panel.cycles(cycle_days, partial="keep")``
        are true delivery cycles.
    token_stock : float
        The token stock the ``stockouts`` shape is judged with [cartons].
    stockouts : {"any", "never", "always", "token_only"}
        The shape of interest (module docstring).
    sorted_labels : bool
        Draw the stores and the brands in sorted order, as
        :meth:`Panel.from_long` lays them out, so that
        ``Panel.from_long(**panel.to_long())`` is the same panel (labels
        that cannot be compared with each other raise InvalidArgument when
        drawn).  Default False: any order.
    store_ids, brand_codes : strategy of hashable, optional
        Deprecated names of ``stores`` and ``brands`` (DeprecationWarning).

    Examples
    --------
    ::

        @given(panels(stockouts="never", dtypes=st.just(np.dtype("float32"))))
        def test_nothing_lost(panel):
            assert (panel.metrics().projected_stockout_sales == 0).all()
    """
    stores = renamed_argument(stores, store_ids, "stores", "store_ids", "panels")
    brands = renamed_argument(brands, brand_codes, "brands", "brand_codes", "panels")
    store_labels = optional_strategy(stores, "stores", store_id_text()).map(_hashable("stores"))
    brand_labels = optional_strategy(brands, "brands", brand_code_text()).map(_hashable("brands"))
    days = optional_strategy(starts, "starts", st.dates(FIRST_DATE, LAST_DATE))
    if not isinstance(sorted_labels, bool):
        raise InvalidArgument(f"sorted_labels={sorted_labels!r} must be a bool")
    store_low, store_high = size_bounds(min_stores, max_stores, "stores", 1, DEFAULT_MAX_LABELS)
    brand_low, brand_high = size_bounds(min_brands, max_brands, "brands", 1, DEFAULT_MAX_LABELS)
    day_low, day_high = size_bounds(min_days, max_days, "days", 1, DEFAULT_MAX_DAYS)
    dtype_strategy, cycle, token, mode = _check_daily_options(
        dtypes, scales, cycle_days, token_stock, stockouts
    )

    @st.composite
    def draw_panel(draw: st.DrawFn) -> Panel:
        stores_: Sequence[Hashable] = draw(
            st.lists(store_labels, min_size=store_low, max_size=store_high, unique=True)
        )
        brands_: Sequence[Hashable] = draw(
            st.lists(brand_labels, min_size=brand_low, max_size=brand_high, unique=True)
        )
        if sorted_labels:
            stores_ = _sorted(stores_, "stores")
            brands_ = _sorted(brands_, "brands")
        n_days = draw(st.integers(day_low, day_high))
        start = _check_start(draw(days))
        assume(start.toordinal() + n_days - 1 <= dt.date.max.toordinal())
        dtype, scale, cap = _dtype_and_scale(
            draw, dtype_strategy, scales, min(cycle, n_days), token, mode
        )
        sales, inventory = _histories(
            draw, (len(stores_), len(brands_)), n_days, dtype, scale, cap, cycle, token, mode
        )
        return Panel(stores_, brands_, start, sales, inventory)

    return draw_panel()

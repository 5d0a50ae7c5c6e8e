"""Hypothesis strategies for tobacco_metrics: domain objects and consistent sales/stock data.

Use them in your own property tests (``pip install hypothesis``; the core
package never imports Hypothesis)::

    from hypothesis import given
    from tobacco_metrics.strategies import panels

    @given(panels(stockouts="never"))
    def test_my_report_has_no_lost_sales(panel):
        ...

Importing this module registers the domain classes for
:func:`hypothesis.strategies.from_type` (``st.from_type(Brand)`` draws from
:func:`brands`, ``st.from_type(Panel)`` from :func:`panels`, …); a
``hypothesis`` entry point does the same whenever Hypothesis is imported
where tobacco_metrics is installed.

The strategies follow Hypothesis's API style: plural names, keyword-only
options, ``min_*`` / ``max_*`` bounds (inclusive; ``max_*=None`` means a
small default that depends on the other options), strategies rather than
values where a value may vary, and :class:`hypothesis.errors.InvalidArgument`
for impossible combinations (at call time when the arguments show it, at
draw time when only a drawn value does).

Daily sales and stock
---------------------
:func:`sales_and_stock`, :func:`delivery_cycles` and :func:`panels` draw
*internally consistent* histories, built day by day from a demand, a
delivery schedule and an order-up-to level:

- deliveries arrive only on delivery days: day 0 of the history and every
  ``cycle_days`` days after it (a :class:`~tobacco_metrics.DeliveryCycle`
  has one, on its first day);
- ``sales[d] <= previous closing + delivery[d]`` (nothing is sold that is
  not on hand) and ``inventory[d] = previous closing + delivery[d] −
  sales[d]``, exactly in the array's dtype; so on every day but a delivery
  day ``inventory[d] == inventory[d − 1] − sales[d]``, and on a delivery day
  ``inventory[d] − inventory[d − 1] + sales[d] >= 0`` (the delivery);
- every value is a whole multiple of one *scale* (1 carton by default; a
  power of two such as ``2**-20`` for tiny or ``2**20`` for huge
  quantities), small enough in count that the dtype holds every value and
  every identity above exactly.

``stockouts`` picks the shape of interest, judged with the ``token_stock``
given (a stockout day has no sales and closing stock <= ``token_stock``):

``"any"``
    anything: selling days, stockouts, long runs of zeros, a store that
    keeps a token stock back;
``"never"``
    no stockout day: each day sells or closes above ``token_stock``;
``"always"``
    every day a stockout: no sales, closing stock <= ``token_stock``;
``"token_only"``
    the store keeps a token stock of at least one unit (and at most
    ``token_stock``) back and never sells it, so the stock never reaches 0:
    a day counts as out only by the token rule (needs ``token_stock`` >= one
    unit).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Sequence
from fractions import Fraction
from typing import Any, Literal, TypeAlias, TypeVar, get_args

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

from tobacco_metrics.agreements import PromotionTier
from tobacco_metrics.domain import (
    AreaType,
    Brand,
    DeliveryCycle,
    LifecycleStage,
    Store,
    StoreFormat,
    Visit,
    VisitFindings,
    VisitStep,
)
from tobacco_metrics.panel import Panel
from tobacco_metrics.pricing import DEFAULT_THRESHOLDS, PriceClass, PriceClassThresholds
from tobacco_metrics.visits import VisitStandard

__all__ = [
    "SUPPORTED_DTYPES",
    "Stockouts",
    "allocation_prices",
    "brand_codes",
    "brands",
    "daily_sales",
    "delivery_cycles",
    "manager_ids",
    "panels",
    "price_class_thresholds",
    "price_classes",
    "promotion_tiers",
    "sales_and_stock",
    "store_ids",
    "stores",
    "visit_findings",
    "visit_standards",
    "visit_steps",
    "visits",
]

_T = TypeVar("_T")

Stockouts: TypeAlias = Literal["any", "never", "always", "token_only"]
"""The shapes of interest of :func:`sales_and_stock`, :func:`delivery_cycles`, :func:`panels`."""

SUPPORTED_DTYPES: tuple[np.dtype[Any], ...] = (
    np.dtype(np.int64),
    np.dtype(np.int32),
    np.dtype(np.float64),
    np.dtype(np.float32),
)
"""The dtypes the daily-data strategies draw from by default (and accept)."""

# Default upper bounds of the "small by default" sizes.
_DEFAULT_MAX_DAYS = 21
_DEFAULT_MAX_CYCLE_DAYS = 14
_DEFAULT_MAX_SERIES_SIDE = 3
_DEFAULT_MAX_LABELS = 4
# Largest demand of one day, in units (the cap of the dtype may lower it).
_MAX_DAILY_UNITS = 40
# Default scales: 1 carton; for floats also half and eighth cartons, tiny and huge.
_INT_SCALES: tuple[int, ...] = (1, 250, 2**20)
_FLOAT_SCALES: tuple[float, ...] = (1.0, 0.5, 0.125, 2.0**-20, 2.0**20)
_FIRST_DATE = dt.date(2000, 1, 1)
_LAST_DATE = dt.date(2099, 12, 31)


# --------------------------------------------------------------------------- argument checks


def _check_strategy(value: object, name: str) -> None:
    if not isinstance(value, st.SearchStrategy):
        raise InvalidArgument(
            f"{name}={value!r} must be a Hypothesis strategy (wrap a fixed value in st.just)"
        )


def _optional_strategy(
    value: st.SearchStrategy[_T] | None, name: str, default: st.SearchStrategy[_T]
) -> st.SearchStrategy[_T]:
    if value is None:
        return default
    _check_strategy(value, name)
    return value


def _check_int(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidArgument(f"{name}={value!r} must be an int")
    if value < minimum:
        raise InvalidArgument(f"{name}={value!r} must be >= {minimum}")
    return int(value)


def _size_bounds(
    min_value: object, max_value: object, name: str, minimum: int, default_max: int
) -> tuple[int, int]:
    low = _check_int(min_value, f"min_{name}", minimum)
    if max_value is None:
        return low, max(low, default_max)
    high = _check_int(max_value, f"max_{name}", minimum)
    if high < low:
        raise InvalidArgument(f"min_{name}={low} is greater than max_{name}={high}")
    return low, high


def _check_token_stock(value: object) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InvalidArgument(f"token_stock={value!r} must be a real number")
    if not math.isfinite(value) or value < 0:
        raise InvalidArgument(f"token_stock={value!r} must be finite and >= 0")
    return Fraction(float(value))


def _check_stockouts(value: object) -> Stockouts:
    allowed = get_args(Stockouts)
    if value not in allowed:
        raise InvalidArgument(f"stockouts={value!r} must be one of {', '.join(allowed)}")
    return value  # type: ignore[return-value]


def _check_delta(value: object, name: str) -> dt.timedelta:
    if not isinstance(value, dt.timedelta):
        raise InvalidArgument(f"{name}={value!r} must be a datetime.timedelta")
    if value < dt.timedelta(0):
        raise InvalidArgument(f"{name}={value!r} must not be negative")
    return value


# --------------------------------------------------------------------------- labels and enums


def _store_ids() -> st.SearchStrategy[str]:
    return st.from_regex(r"C[0-9]{3,6}", fullmatch=True)


def _manager_ids() -> st.SearchStrategy[str]:
    return st.from_regex(r"M[0-9]{2,4}", fullmatch=True)


def _brand_codes() -> st.SearchStrategy[str]:
    return st.from_regex(r"6901[0-9]{9}", fullmatch=True)


def store_ids() -> st.SearchStrategy[str]:
    """Customer codes (客户编码) such as ``"C0421"``: non-empty, ASCII, no spaces.

    Any non-empty string is a valid id; pass ``st.text(min_size=1)`` to
    strategies that take ``store_ids=`` to be less polite.
    """
    return _store_ids()


def manager_ids() -> st.SearchStrategy[str]:
    """Customer-manager codes (客户经理) such as ``"M07"``."""
    return _manager_ids()


def brand_codes() -> st.SearchStrategy[str]:
    """Product codes (卷烟编码): 13-digit bar codes beginning ``6901``."""
    return _brand_codes()


def price_classes(
    *, min_value: PriceClass | int = PriceClass.I, max_value: PriceClass | int = PriceClass.V
) -> st.SearchStrategy[PriceClass]:
    """Price classes (一类 … 五类) with codes in ``[min_value, max_value]``.

    The bounds are class *codes*: ``PriceClass.I`` (1, the dearest) up to
    ``PriceClass.V`` (5); ``price_classes(max_value=PriceClass.III)`` draws
    "class III and above" (三类以上).
    """
    low = _check_int(min_value, "min_value", 1)
    high = _check_int(max_value, "max_value", 1)
    if high > 5 or low > 5:
        raise InvalidArgument(f"price classes run from 1 (I) to 5 (V): {low}..{high}")
    if low > high:
        raise InvalidArgument(f"min_value={low} is greater than max_value={high}")
    return st.sampled_from([PriceClass(code) for code in range(low, high + 1)])


def visit_steps() -> st.SearchStrategy[VisitStep]:
    """One of the seven visit steps (问看介整收答记); use ``st.frozensets(visit_steps())``."""
    return st.sampled_from(VisitStep)


def _names() -> st.SearchStrategy[str]:
    realistic = st.sampled_from(
        [
            "城中烟酒店",
            "好德便利(西街)",
            "联华超市(北门)",
            "民乐食杂店",
            "兰州(硬珍品)",
            "云烟(软珍品)",
        ]
    )
    anything = st.text(min_size=1, max_size=12).filter(lambda text: bool(text.strip()))
    return realistic | anything


# --------------------------------------------------------------------------- prices and brands


def price_class_thresholds() -> st.SearchStrategy[PriceClassThresholds]:
    """Valid price-class thresholds: four strictly decreasing bounds in whole cents.

    Every class holds at least one whole-cent price (class V from 0.01 yuan up),
    so :func:`allocation_prices` can draw any class under them.
    """

    def build(cents: list[int]) -> PriceClassThresholds:
        i, ii, iii, iv = sorted(cents, reverse=True)
        return PriceClassThresholds(i / 100, ii / 100, iii / 100, iv / 100)

    return st.one_of(
        st.just(DEFAULT_THRESHOLDS),
        st.lists(st.integers(2, 100_000), min_size=4, max_size=4, unique=True).map(build),
    )


def _class_range(code: int, thresholds: PriceClassThresholds) -> tuple[Fraction, Fraction | None]:
    """[low, high) of one class under ``thresholds`` (high None for class I; low 0 for V)."""
    bounds = thresholds.as_tuple()  # class I … IV lower bounds, decreasing
    low = Fraction(bounds[code - 1]) if code <= 4 else Fraction(0)
    high = Fraction(bounds[code - 2]) if code >= 2 else None
    return low, high


def _first_cent_at_or_above(bound: float) -> int:
    """The smallest whole number of cents c with ``c / 100 >= bound`` in float arithmetic."""
    cents = math.ceil(bound * 100)
    while cents / 100 < bound:
        cents += 1
    while (cents - 1) / 100 >= bound:
        cents -= 1
    return cents


def allocation_prices(
    *,
    price_classes: st.SearchStrategy[PriceClass] | None = None,
    thresholds: PriceClassThresholds = DEFAULT_THRESHOLDS,
    min_value: float = 0.01,
    max_value: float = 2000.0,
) -> st.SearchStrategy[float]:
    """Allocation prices per carton (调拨价) [yuan] in whole cents, of a drawn price class.

    Parameters
    ----------
    price_classes : strategy of PriceClass, optional
        The class each price falls in under ``thresholds``; default any class.
    thresholds : PriceClassThresholds
        The class bounds (default I ≥ 100, II ≥ 70, III ≥ 30, IV ≥ 16.5).
    min_value, max_value : float
        Bounds of the price [yuan]; ``0 < min_value <= max_value``.

    A drawn class without a whole-cent price in ``[min_value, max_value]``
    raises InvalidArgument.
    """
    classes = _optional_strategy(price_classes, "price_classes", st.sampled_from(PriceClass))
    if not isinstance(thresholds, PriceClassThresholds):
        raise InvalidArgument(f"thresholds={thresholds!r} must be a PriceClassThresholds")
    for name, value in (("min_value", min_value), ("max_value", max_value)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidArgument(f"{name}={value!r} must be a number")
        if not math.isfinite(value) or value <= 0:
            raise InvalidArgument(f"{name}={value!r} must be finite and > 0")
    low_cents = _first_cent_at_or_above(float(min_value))
    high_cents = _first_cent_at_or_above(float(max_value))
    if high_cents / 100 > max_value:
        high_cents -= 1
    if low_cents > high_cents:
        raise InvalidArgument(
            f"no whole-cent price lies in [min_value, max_value] = [{min_value}, {max_value}]"
        )

    @st.composite
    def draw_price(draw: st.DrawFn) -> float:
        code = int(draw(classes))
        low, high = _class_range(code, thresholds)
        first = max(low_cents, _first_cent_at_or_above(float(low)), 1)
        last = (
            high_cents
            if high is None
            else min(high_cents, _first_cent_at_or_above(float(high)) - 1)
        )
        if first > last:
            raise InvalidArgument(
                f"price class {PriceClass(code).name} has no whole-cent price within "
                f"[min_value, max_value] = [{min_value}, {max_value}] under {thresholds}"
            )
        return draw(st.integers(first, last)) / 100

    return draw_price()


def brands(
    *,
    codes: st.SearchStrategy[str] | None = None,
    price_classes: st.SearchStrategy[PriceClass] | None = None,
    thresholds: PriceClassThresholds = DEFAULT_THRESHOLDS,
) -> st.SearchStrategy[Brand]:
    """Brands (卷烟规格) with a valid allocation price, optional retail price and flags.

    Parameters
    ----------
    codes : strategy of str, optional
        Product codes; default :func:`brand_codes`.
    price_classes : strategy of PriceClass, optional
        The class of the allocation price under ``thresholds`` (so
        ``brand.price_class_under(thresholds)`` is the drawn class).
    thresholds : PriceClassThresholds
        Default I ≥ 100, II ≥ 70, III ≥ 30, IV ≥ 16.5 yuan per carton.

    The retail price, when present, is at least the allocation price.
    """
    code_strategy = _optional_strategy(codes, "codes", _brand_codes())
    prices = allocation_prices(price_classes=price_classes, thresholds=thresholds)

    @st.composite
    def draw_brand(draw: st.DrawFn) -> Brand:
        price = draw(prices)
        markup = draw(st.none() | st.integers(0, 10_000))
        return Brand(
            draw(code_strategy),
            draw(_names()),
            price,
            retail_price=None if markup is None else round(price * (1 + markup / 10_000), 2),
            is_key=draw(st.booleans()),
            is_new=draw(st.booleans()),
            lifecycle=draw(st.none() | st.sampled_from(LifecycleStage)),
            manufacturer=draw(st.none() | _names()),
        )

    return draw_brand()


def stores(
    *,
    ids: st.SearchStrategy[str] | None = None,
    areas: st.SearchStrategy[AreaType] | None = None,
) -> st.SearchStrategy[Store]:
    """Retail stores (零售客户): id, name, area, format and optional manager, route, licence."""
    id_strategy = _optional_strategy(ids, "ids", store_ids())
    area_strategy = _optional_strategy(areas, "areas", st.sampled_from(AreaType))
    return st.builds(
        Store,
        id_strategy,
        _names(),
        area_strategy,
        format=st.sampled_from(StoreFormat),
        manager_id=st.none() | manager_ids(),
        route=st.none() | st.from_regex(r"R[0-9]{2}", fullmatch=True),
        license_number=st.none() | st.from_regex(r"[0-9]{12}", fullmatch=True),
    )


# --------------------------------------------------------------------------- visits


def visit_findings() -> st.SearchStrategy[VisitFindings]:
    """What a manager saw at a visit: each check True, False or None (not checked)."""
    maybe = st.none() | st.booleans()
    return st.builds(
        VisitFindings,
        stock_reasonable=maybe,
        display_tidy=maybe,
        price_tags_complete=maybe,
        tags_match_products=maybe,
        illegal_cigarettes_seen=st.booleans(),
        notes=st.just("") | st.text(max_size=20),
    )


def visits(
    *,
    store_ids: st.SearchStrategy[str] | None = None,
    manager_ids: st.SearchStrategy[str] | None = None,
    dates: st.SearchStrategy[dt.date] | None = None,
    timezones: st.SearchStrategy[dt.tzinfo | None] | None = None,
    min_duration: dt.timedelta = dt.timedelta(0),
    max_duration: dt.timedelta = dt.timedelta(hours=1),
    recommended_brands: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Visit]:
    """Visits (拜访) starting between 06:00 and 20:00 on a drawn date.

    Parameters
    ----------
    store_ids, manager_ids : strategy of str, optional
        Default :func:`store_ids` and :func:`manager_ids`; pass
        ``st.just("M07")`` for one manager's day.
    dates : strategy of datetime.date, optional
        The day of the visit's start; default 2000 … 2099.
    timezones : strategy of tzinfo or None, optional
        The time zone of start and end (both the same); default ``st.none()``,
        naive.  ``st.timezones()`` or ``st.just(datetime.timezone.utc)`` give
        aware visits (never mix naive and aware visits in one report).
    min_duration, max_duration : datetime.timedelta
        Bounds of ``end − start`` (whole seconds); ``0 <= min <= max``.
    recommended_brands : strategy of str, optional
        Brand codes recommended at the visit (up to three); default
        :func:`brand_codes`.
    """
    stores_ = _optional_strategy(store_ids, "store_ids", _store_ids())
    managers = _optional_strategy(manager_ids, "manager_ids", _manager_ids())
    days = _optional_strategy(dates, "dates", st.dates(_FIRST_DATE, _LAST_DATE))
    zones = _optional_strategy(timezones, "timezones", st.none())
    brands_ = _optional_strategy(recommended_brands, "recommended_brands", _brand_codes())
    shortest = _check_delta(min_duration, "min_duration")
    longest = _check_delta(max_duration, "max_duration")
    if longest < shortest:
        raise InvalidArgument(
            f"min_duration={min_duration!r} is greater than max_duration={max_duration!r}"
        )
    low_seconds = math.ceil(shortest.total_seconds())
    high_seconds = math.floor(longest.total_seconds())
    if low_seconds > high_seconds:
        raise InvalidArgument(
            f"no whole number of seconds lies in [{min_duration!r}, {max_duration!r}]"
        )

    @st.composite
    def draw_visit(draw: st.DrawFn) -> Visit:
        day = draw(days)
        clock = draw(
            st.times(dt.time(6, 0), dt.time(20, 0)).map(lambda t: t.replace(microsecond=0))
        )
        zone = draw(zones)
        start = dt.datetime.combine(day, clock, tzinfo=zone)
        seconds = draw(st.integers(low_seconds, high_seconds))
        try:
            end = start + dt.timedelta(seconds=seconds)
        except OverflowError:  # the last day of year 9999
            assume(False)
            raise  # pragma: no cover - assume(False) never returns
        return Visit(
            draw(stores_),
            draw(managers),
            start,
            end,
            steps=draw(st.frozensets(visit_steps())),
            recommended_brands=draw(st.frozensets(brands_, max_size=3)),
            findings=draw(visit_findings()),
            planned=draw(st.booleans()),
        )

    return draw_visit()


def visit_standards() -> st.SearchStrategy[VisitStandard]:
    """Visit standards: daily minimums, minutes per visit, first-visit and end times, steps."""

    @st.composite
    def draw_standard(draw: st.DrawFn) -> VisitStandard:
        times = sorted(
            draw(
                st.lists(st.times().map(lambda t: t.replace(microsecond=0)), min_size=2, max_size=2)
            )
        )
        return VisitStandard(
            min_visits_urban=draw(st.integers(0, 60)),
            min_visits_rural=draw(st.integers(0, 60)),
            min_minutes=draw(st.integers(0, 30) | st.floats(0, 30)),
            first_visit_by=times[0],
            field_work_ends=times[1],
            required_steps=draw(st.frozensets(visit_steps())),
        )

    return st.just(VisitStandard()) | draw_standard()


def promotion_tiers(
    *, min_threshold: float = 1, max_threshold: float = 10_000
) -> st.SearchStrategy[PromotionTier]:
    """Promotion gift tiers (促销品等级) with whole-carton thresholds in the bounds."""
    low = math.ceil(min_threshold)
    high = math.floor(max_threshold)
    if low < 1 or low > high:
        raise InvalidArgument(
            f"no whole threshold >= 1 lies in [min_threshold, max_threshold] = "
            f"[{min_threshold}, {max_threshold}]"
        )
    return st.builds(PromotionTier, st.integers(low, high), _names())


# --------------------------------------------------------------------------- daily data


def _capacity(dtype: np.dtype[Any], scale: Fraction) -> int:
    """The largest count n such that every k × scale, k <= n, is exact in ``dtype``.

    Raises InvalidArgument when not even one unit fits.
    """
    if dtype.kind in "iu":
        if scale.denominator != 1:
            raise InvalidArgument(
                f"scale {float(scale)} is not a whole number: {dtype} data need whole units"
            )
        # Stay within float64's exact integers too: the library sums in float64.
        limit = min(int(np.iinfo(dtype).max), 2**53)
        return limit // scale.numerator
    info = np.finfo(dtype)
    if scale.denominator & (scale.denominator - 1):  # pragma: no cover - floats are dyadic
        raise InvalidArgument(f"scale {float(scale)} is not exact in {dtype}")
    if float(dtype.type(float(scale))) != float(scale) or float(scale) < float(
        info.smallest_normal
    ):
        raise InvalidArgument(f"scale {float(scale)} is not a normal {dtype} number")
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
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InvalidArgument(f"scales drew {value!r}, which is not a real number")
    if not math.isfinite(value) or value <= 0:
        raise InvalidArgument(f"scales drew {value!r}; a scale must be finite and > 0")
    return (
        Fraction(float(value)) if not isinstance(value, (int, np.integer)) else Fraction(int(value))
    )


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


def _dtype_and_scale(
    draw: st.DrawFn,
    dtypes: st.SearchStrategy[np.dtype[Any]],
    scales: st.SearchStrategy[float] | None,
    cycle: int = 1,
    token: Fraction = Fraction(0),
    mode: Stockouts = "any",
) -> tuple[np.dtype[Any], Fraction, int]:
    """Draw a dtype and a scale; the default scales are those that suit the other options."""
    dtype = _check_dtype(draw(dtypes))
    if scales is None:
        default = _INT_SCALES if dtype.kind in "iu" else _FLOAT_SCALES
        usable = [
            value for value in default if _feasible(dtype, Fraction(value), cycle, token, mode)
        ]
        scale_value: object = draw(st.sampled_from(usable or default[:1]))
    else:
        scale_value = draw(scales)
    scale = _check_scale(scale_value)
    return dtype, scale, _capacity(dtype, scale)


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
            f"token_stock={float(token_stock)} is less than the scale {float(scale)}"
        )
    cycle = min(cycle_days, n_days)
    room = cap - token_units - 1
    if room < 1:
        raise InvalidArgument(
            f"token_stock={float(token_stock)} leaves no room in {dtype} at scale "
            f"{float(scale)}: at most {cap} units are exact"
        )
    max_daily = min(_MAX_DAILY_UNITS, room // (2 * cycle))
    if max_daily < 1:
        raise InvalidArgument(
            f"{dtype} holds only {cap} units of {float(scale)} exactly: too few for a "
            f"{cycle}-day cycle with token_stock={float(token_stock)}; use a smaller scale"
        )
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
    sales = np.zeros(shape, dtype=np.int64)
    inventory = np.zeros(shape, dtype=np.int64)
    stock = opening.copy()
    for day in range(n_days):
        if day % cycle_days == 0:  # a delivery day: order up to the quota
            stock = np.maximum(stock, quota[..., day // cycle_days])
        sold = np.minimum(demand[..., day], np.maximum(stock - held, 0))
        stock = stock - sold
        sales[..., day] = sold
        inventory[..., day] = stock
    return _values(sales, dtype, scale), _values(inventory, dtype, scale)


def _check_daily_options(
    dtypes: st.SearchStrategy[np.dtype[Any]] | None,
    scales: st.SearchStrategy[float] | None,
    cycle_days: object,
    token_stock: object,
    stockouts: object,
) -> tuple[st.SearchStrategy[np.dtype[Any]], int, Fraction, Stockouts]:
    dtype_strategy = _optional_strategy(dtypes, "dtypes", st.sampled_from(SUPPORTED_DTYPES))
    if scales is not None:
        _check_strategy(scales, "scales")
    cycle = _check_int(cycle_days, "cycle_days", 1)
    token = _check_token_stock(token_stock)
    mode = _check_stockouts(stockouts)
    if mode == "token_only" and token == 0:
        raise InvalidArgument("stockouts='token_only' needs token_stock > 0")
    return dtype_strategy, cycle, token, mode


def daily_sales(
    *,
    min_days: int = 1,
    max_days: int | None = None,
    dtypes: st.SearchStrategy[np.dtype[Any]] | None = None,
    scales: st.SearchStrategy[float] | None = None,
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
        The unit: every value is a whole multiple of a drawn scale [cartons].
        Default 1 (and 250, 2**20 for integer dtypes; 1/2, 1/8, 2**-20 and
        2**20 for floats).  A scale whose multiples are not exact in the
        dtype raises InvalidArgument when drawn.

    Use :func:`sales_and_stock` when the closing stock matters too.
    """
    low, high = _size_bounds(min_days, max_days, "days", 1, _DEFAULT_MAX_DAYS)
    dtype_strategy, _, _, _ = _check_daily_options(dtypes, scales, 7, 0, "any")

    @st.composite
    def draw_sales(draw: st.DrawFn) -> NDArray[Any]:
        dtype, scale, cap = _dtype_and_scale(draw, dtype_strategy, scales)
        n_days = draw(st.integers(low, high))
        return _values(_demand(draw, (n_days,), min(_MAX_DAILY_UNITS, cap)), dtype, scale)

    return draw_sales()


def sales_and_stock(
    *,
    series_shapes: st.SearchStrategy[tuple[int, ...]] | None = None,
    min_days: int = 1,
    max_days: int | None = None,
    dtypes: st.SearchStrategy[np.dtype[Any]] | None = None,
    scales: st.SearchStrategy[float] | None = None,
    cycle_days: int = 7,
    token_stock: float = 0,
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
        As for :func:`daily_sales`; sales and stock share the dtype.
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
    low, high = _size_bounds(min_days, max_days, "days", 1, _DEFAULT_MAX_DAYS)
    dtype_strategy, cycle, token, mode = _check_daily_options(
        dtypes, scales, cycle_days, token_stock, stockouts
    )
    shapes = _optional_strategy(
        series_shapes,
        "series_shapes",
        hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=_DEFAULT_MAX_SERIES_SIDE),
    )

    @st.composite
    def draw_data(draw: st.DrawFn) -> tuple[NDArray[Any], NDArray[Any]]:
        series = tuple(draw(shapes))
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
    scales: st.SearchStrategy[float] | None = None,
    token_stock: float = 0,
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
    stores_ = _optional_strategy(store_ids, "store_ids", _store_ids())
    brands_ = _optional_strategy(brand_codes, "brand_codes", _brand_codes())
    days = _optional_strategy(starts, "starts", st.dates(_FIRST_DATE, _LAST_DATE))
    low, high = _size_bounds(min_days, max_days, "days", 1, _DEFAULT_MAX_CYCLE_DAYS)
    dtype_strategy, _, token, mode = _check_daily_options(dtypes, scales, 7, token_stock, stockouts)
    if not isinstance(allow_closed_days, bool):
        raise InvalidArgument(f"allow_closed_days={allow_closed_days!r} must be a bool")

    @st.composite
    def draw_cycle(draw: st.DrawFn) -> DeliveryCycle:
        n_days = draw(st.integers(low, high))
        start = draw(days)
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


def panels(
    *,
    store_ids: st.SearchStrategy[Hashable] | None = None,
    brand_codes: st.SearchStrategy[Hashable] | None = None,
    starts: st.SearchStrategy[dt.date] | None = None,
    min_stores: int = 1,
    max_stores: int | None = None,
    min_brands: int = 1,
    max_brands: int | None = None,
    min_days: int = 1,
    max_days: int | None = None,
    dtypes: st.SearchStrategy[np.dtype[Any]] | None = None,
    scales: st.SearchStrategy[float] | None = None,
    cycle_days: int = 7,
    token_stock: float = 0,
    stockouts: Stockouts = "any",
) -> st.SearchStrategy[Panel]:
    """Labelled stores × brands × days :class:`~tobacco_metrics.Panel` objects, consistent.

    Parameters
    ----------
    store_ids, brand_codes : strategy of hashable, optional
        Labels (drawn unique); default :func:`store_ids`, :func:`brand_codes`.
    starts : strategy of datetime.date, optional
        The panel's first day, a delivery day; default 2000 … 2099.
    min_stores, max_stores, min_brands, max_brands, min_days, max_days : int
        Size bounds, each minimum >= 1; the maxima default to
        ``max(minimum, 4)`` stores and brands and ``max(min_days, 21)`` days.
    dtypes, scales : strategies, optional
        As for :func:`daily_sales`: int64, int32, float64 or float32 arrays
        (sales and stock share one), values whole multiples of one scale.
    cycle_days : int
        Days between deliveries (default 7): deliveries come on days 0,
        ``cycle_days``, …, so ``panel.cycles(cycle_days, partial="keep")``
        are true delivery cycles.
    token_stock : float
        The token stock the ``stockouts`` shape is judged with [cartons].
    stockouts : {"any", "never", "always", "token_only"}
        The shape of interest (module docstring).

    Examples
    --------
    ::

        @given(panels(stockouts="never", dtypes=st.just(np.dtype("float32"))))
        def test_nothing_lost(panel):
            assert (panel.metrics().projected_stockout_sales == 0).all()
    """
    store_labels = _optional_strategy(store_ids, "store_ids", _store_ids())
    brand_labels = _optional_strategy(brand_codes, "brand_codes", _brand_codes())
    days = _optional_strategy(starts, "starts", st.dates(_FIRST_DATE, _LAST_DATE))
    store_low, store_high = _size_bounds(min_stores, max_stores, "stores", 1, _DEFAULT_MAX_LABELS)
    brand_low, brand_high = _size_bounds(min_brands, max_brands, "brands", 1, _DEFAULT_MAX_LABELS)
    day_low, day_high = _size_bounds(min_days, max_days, "days", 1, _DEFAULT_MAX_DAYS)
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
        n_days = draw(st.integers(day_low, day_high))
        start = draw(days)
        assume(start.toordinal() + n_days - 1 <= dt.date.max.toordinal())
        dtype, scale, cap = _dtype_and_scale(
            draw, dtype_strategy, scales, min(cycle, n_days), token, mode
        )
        sales, inventory = _histories(
            draw, (len(stores_), len(brands_)), n_days, dtype, scale, cap, cycle, token, mode
        )
        return Panel(stores_, brands_, start, sales, inventory)

    return draw_panel()


# --------------------------------------------------------------------------- from_type


def _register() -> None:
    """Register the strategies for ``st.from_type`` (idempotent)."""
    st.register_type_strategy(Brand, brands())
    st.register_type_strategy(Store, stores())
    st.register_type_strategy(Visit, visits())
    st.register_type_strategy(VisitFindings, visit_findings())
    st.register_type_strategy(DeliveryCycle, delivery_cycles())
    st.register_type_strategy(Panel, panels())
    st.register_type_strategy(PriceClassThresholds, price_class_thresholds())
    st.register_type_strategy(VisitStandard, visit_standards())
    st.register_type_strategy(PromotionTier, promotion_tiers())


_register()

"""Strategies for the domain records: labels, price classes, brands, stores and visits."""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

# From the package: these classes have moved between subject modules before.
from tobacco_metrics import PromotionTier, VisitStandard
from tobacco_metrics.domain import (
    AreaType,
    Brand,
    LifecycleStage,
    Store,
    StoreFormat,
    Visit,
    VisitFindings,
    VisitStep,
)
from tobacco_metrics.pricing import DEFAULT_THRESHOLDS, PriceClass, PriceClassThresholds
from tobacco_metrics.strategies._common import (
    FIRST_DATE,
    LAST_DATE,
    brand_code_text,
    check_delta,
    check_int,
    exact_real,
    label_text,
    manager_id_text,
    optional_strategy,
    store_id_text,
)


def store_ids() -> st.SearchStrategy[str]:
    """Customer codes (客户编码) such as ``"C0421"``: non-empty, ASCII, no spaces.

    Any non-empty string is a valid id; pass ``st.text(min_size=1)`` to
    strategies that take ``store_ids=`` to be less polite.
    """
    return store_id_text()


def manager_ids() -> st.SearchStrategy[str]:
    """Customer-manager codes (客户经理) such as ``"M07"``."""
    return manager_id_text()


def brand_codes() -> st.SearchStrategy[str]:
    """Product codes (卷烟编码): 13-digit bar codes beginning ``6901``."""
    return brand_code_text()


def price_classes(
    *, min_value: PriceClass | int = PriceClass.I, max_value: PriceClass | int = PriceClass.V
) -> st.SearchStrategy[PriceClass]:
    """Price classes (一类 … 五类) with codes in ``[min_value, max_value]``.

    The bounds are class *codes*: ``PriceClass.I`` (1, the dearest) up to
    ``PriceClass.V`` (5); ``price_classes(max_value=PriceClass.III)`` draws
    "class III and above" (三类以上).
    """
    low = check_int(min_value, "min_value", 1)
    high = check_int(max_value, "max_value", 1)
    if high > 5 or low > 5:
        raise InvalidArgument(f"price classes run from 1 (I) to 5 (V): {low}..{high}")
    if low > high:
        raise InvalidArgument(f"min_value={low} is greater than max_value={high}")
    return st.sampled_from([PriceClass(code) for code in range(low, high + 1)])


def visit_steps() -> st.SearchStrategy[VisitStep]:
    """One of the seven visit steps (问看介整收答记); use ``st.frozensets(visit_steps())``."""
    return st.sampled_from(VisitStep)


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


# The largest allocation price drawn [yuan]: a float64 holds every whole cent up to
# 2**53 cents (about 9e13 yuan) exactly.
_MAX_PRICE = 1e13


def allocation_prices(
    *,
    price_classes: st.SearchStrategy[PriceClass] | None = None,
    thresholds: PriceClassThresholds = DEFAULT_THRESHOLDS,
    min_value: float | Fraction = 0.01,
    max_value: float | Fraction = 2000.0,
) -> st.SearchStrategy[float]:
    """Allocation prices per carton (调拨价) [yuan] in whole cents, of a drawn price class.

    Parameters
    ----------
    price_classes : strategy of PriceClass, optional
        The class each price falls in under ``thresholds``; default any class.
    thresholds : PriceClassThresholds
        The class bounds (default I ≥ 100, II ≥ 70, III ≥ 30, IV ≥ 16.5).
    min_value, max_value : float
        Bounds of the price [yuan]; ``0 < min_value <= max_value <= 1e13`` (a
        float64 holds every whole cent up to about 9e13 yuan); ints, floats,
        Fractions or numpy numbers.

    A drawn class without a whole-cent price in ``[min_value, max_value]``
    raises InvalidArgument.
    """
    classes = optional_strategy(price_classes, "price_classes", st.sampled_from(PriceClass))
    if not isinstance(thresholds, PriceClassThresholds):
        raise InvalidArgument(f"thresholds={thresholds!r} must be a PriceClassThresholds")
    for name, value in (("min_value", min_value), ("max_value", max_value)):
        if exact_real(value, name) <= 0:
            raise InvalidArgument(f"{name}={value!r} must be finite and > 0")
        if exact_real(value, name) > _MAX_PRICE:
            raise InvalidArgument(f"{name}={value!r} must be at most {_MAX_PRICE:g} yuan")
    low_cents = _first_cent_at_or_above(float(min_value))
    high_cents = _first_cent_at_or_above(float(max_value))
    if high_cents / 100 > float(max_value):
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
    code_strategy = optional_strategy(codes, "codes", brand_code_text())
    prices = allocation_prices(price_classes=price_classes, thresholds=thresholds)

    @st.composite
    def draw_brand(draw: st.DrawFn) -> Brand:
        price = draw(prices)
        markup = draw(st.none() | st.integers(0, 10_000))
        return Brand(
            draw(code_strategy),
            draw(label_text()),
            price,
            retail_price=None if markup is None else round(price * (1 + markup / 10_000), 2),
            is_key=draw(st.booleans()),
            is_new=draw(st.booleans()),
            lifecycle=draw(st.none() | st.sampled_from(LifecycleStage)),
            manufacturer=draw(st.none() | label_text()),
        )

    return draw_brand()


def stores(
    *,
    ids: st.SearchStrategy[str] | None = None,
    areas: st.SearchStrategy[AreaType] | None = None,
) -> st.SearchStrategy[Store]:
    """Retail stores (零售客户): id, name, area, format and optional manager, route, licence."""
    id_strategy = optional_strategy(ids, "ids", store_ids())
    area_strategy = optional_strategy(areas, "areas", st.sampled_from(AreaType))
    return st.builds(
        Store,
        id_strategy,
        label_text(),
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
    stores_ = optional_strategy(store_ids, "store_ids", store_id_text())
    managers = optional_strategy(manager_ids, "manager_ids", manager_id_text())
    days = optional_strategy(dates, "dates", st.dates(FIRST_DATE, LAST_DATE))
    zones = optional_strategy(timezones, "timezones", st.none())
    brands_ = optional_strategy(recommended_brands, "recommended_brands", brand_code_text())
    shortest = check_delta(min_duration, "min_duration")
    longest = check_delta(max_duration, "max_duration")
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
    *, min_threshold: float | Fraction = 1, max_threshold: float | Fraction = 10_000
) -> st.SearchStrategy[PromotionTier]:
    """Promotion gift tiers (促销品等级) with whole-carton thresholds in the bounds.

    ``min_threshold`` and ``max_threshold`` are real numbers (ints of any size,
    floats, Fractions, numpy numbers), finite; at least one whole number >= 1
    must lie between them.
    """
    low = math.ceil(exact_real(min_threshold, "min_threshold"))
    high = math.floor(exact_real(max_threshold, "max_threshold"))
    if low < 1 or low > high:
        raise InvalidArgument(
            f"no whole threshold >= 1 lies in [min_threshold, max_threshold] = "
            f"[{min_threshold}, {max_threshold}]"
        )
    return st.builds(PromotionTier, st.integers(low, high), label_text())

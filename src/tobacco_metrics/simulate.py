"""A demand simulator with known truth: daily demand, deliveries, sales and lost sales.

The source's stock formulas (篇3: 脱销天数, 预计脱销销售, 销售满足度) estimate
what a store *would* have sold from what it did sell.  Nobody can check such
an estimate against real data, because the demand of a day that sold out is
never observed.  This module generates districts whose true demand is known,
so an estimator's error can be measured (``benchmarks/accuracy.py``,
``docs/lost-sales.md``):

- daily demand of each store × brand is negative-binomial (a gamma–Poisson
  mixture) around an expected demand that follows a weekday profile (weekends
  sell more), with an optional holiday lift;
- every ``cycle_days`` days, on the first day of a cycle, the supplier
  delivers up to the store's quota (合理定量, order-up-to: ``max(quota −
  stock, 0)``);
- a day sells ``min(demand, stock on hand − token stock)``; the rest of the
  day's demand is lost, so a day that sells out part-way is simulated as it
  happens (it sold, and it lost);
- a store that games the stockout count keeps ``token_stock`` cartons back
  and never sells them (刻意留有库存, 篇3 problem 1).

Everything is vectorised over stores × brands; the only loop is over days.
A seed (or a :class:`numpy.random.Generator`) makes every draw reproducible.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from typing import Final

import attrs
import numpy as np
from numpy.typing import ArrayLike

from tobacco_metrics._daily import DayRange
from tobacco_metrics._dataframes import aligned_off_axis
from tobacco_metrics._deprecation import REMOVED_IN
from tobacco_metrics._labelled import keeps_labels
from tobacco_metrics._results import ReadOnlyCopies, read_only_fields
from tobacco_metrics._typing import FloatArray, IntArray
from tobacco_metrics._validation import (
    as_date,
    as_real_array,
    bool_mask,
    broadcast_to_shape,
    check_calendar_run,
    check_finite,
    integer,
    offender,
    quantities,
    real_number,
    whole_quantities,
)
from tobacco_metrics.errors import InvalidValueError, ShapeMismatchError

__all__ = [
    "DEFAULT_WEEKDAY_PROFILE",
    "SimulatedDistrict",
    "simulate_district",
    "simulate_sales",
]

DEFAULT_WEEKDAY_PROFILE: Final[tuple[float, ...]] = (0.85, 0.85, 0.9, 0.95, 1.15, 1.3, 1.0)
"""Relative daily demand Monday … Sunday (mean 1): Friday and Saturday sell most."""


# The largest expected demand of a day [cartons]: far above any store, far below what the
# Poisson and gamma draws (and int64 stock) can hold.
_MAX_MEAN_DEMAND: Final = 1e9
# The smallest negative-binomial size: below it the gamma scale μ / r leaves float range.
_MIN_DISPERSION: Final = 1e-3
# The most stores × brands × days simulate_district draws: about 100 bytes of arrays a
# cell, so far beyond any machine's memory; larger sizes are refused before allocating.
_MAX_CELLS: Final = 10**9
# The largest quota or token stock of a series [cartons]: stock sums stay within int64.
_MAX_SERIES_CARTONS: Final = 2**62


@attrs.frozen(eq=False, field_transformer=read_only_fields)
class SimulatedDistrict(ReadOnlyCopies, DayRange):
    """A simulated district: what a distributor observes, and the truth behind it.

    Daily arrays are shaped ``(..., days)`` (usually (stores, brands, days));
    per-series arrays are shaped ``(...)``. Every array is read-only. Day
    *d* of the history is ``start + d`` days; cycles start on days
    0, ``cycle_days``, 2 × ``cycle_days``, …

    Attributes
    ----------
    start : datetime.date
        The first day (a delivery day).
    cycle_days : int
        Days between two deliveries (配送周期) [days].
    sales : ndarray of int64
        Observed sales each day [cartons] (实际销售).
    inventory : ndarray of int64
        Observed closing stock each day [cartons].
    deliveries : ndarray of int64
        Cartons delivered at the start of each day (0 except on the first day
        of a cycle) [cartons].
    demand : ndarray of int64
        True demand each day [cartons] (never observed by the distributor).
    lost_sales : ndarray of int64
        True lost sales each day, ``demand − sales`` [cartons].
    mean_demand : ndarray of float64
        The expected demand of each day, the mean of the distribution
        ``demand`` was drawn from [cartons/day].
    dispersion : float
        Negative-binomial size r: the variance of a day's demand is
        ``μ + μ² / r``; ``inf`` for Poisson demand.
    quota : ndarray of int64
        Order-up-to level of each series (合理定量 per cycle) [cartons].
    token_stock : ndarray of int64
        Cartons each series keeps back and never sells (刻意留有库存) [cartons];
        0 for a store that does not game the count.
    opening_inventory : ndarray of int64
        Stock before the first day's delivery [cartons].
    sellout_share : ndarray of float64
        On a day that sold out during the day (demand above the stock it could
        sell), the share of the day's demand that came before it sold out,
        F(τ) (0 when it opened with nothing to sell); NaN on other days. The
        demand of a day arrives spread over the day, so the unit that found
        the shelf empty arrived at share ``Beta(s + 1, D − s)`` of it.
    zero_inflation : float
        Probability that a day has no demand at all, on top of the
        negative-binomial draw (``mean_demand`` already includes it).

    Notes
    -----
    The bookkeeping identities hold exactly (``previous`` is the opening
    inventory on day 0):

    - ``inventory[d] = previous + deliveries[d] − sales[d]``;
    - ``sales[d] = min(demand[d], max(previous + deliveries[d] − token_stock, 0))``;
    - ``lost_sales[d] = demand[d] − sales[d] ≥ 0``, and ``lost_sales[d] == 0``
      on every day that closed with more than ``token_stock`` in stock.
    """

    start: dt.date
    cycle_days: int
    sales: IntArray
    inventory: IntArray
    deliveries: IntArray
    demand: IntArray
    lost_sales: IntArray
    mean_demand: FloatArray
    dispersion: float
    quota: IntArray
    token_stock: IntArray
    opening_inventory: IntArray
    sellout_share: FloatArray | None = None
    zero_inflation: float = 0.0

    @property
    def days(self) -> int:
        """Days in the history: deprecated, use :attr:`n_days` (as on a Panel)."""
        warnings.warn(
            f"SimulatedDistrict.days is deprecated, use n_days (the same number; 'days' goes "
            f"in {REMOVED_IN})",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.n_days


# --------------------------------------------------------------------------- checks


MAX_WEEK_SHOCK_SD = 3.0
"""The largest ``week_shock_sd`` of :func:`simulate_district` (lognormal sd)."""


def _rng(seed: object) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(
            "'seed' must be an int or a numpy.random.Generator (or a SeedSequence), "
            f"got {type(seed).__name__} (None is refused: a simulation is always reproducible)"
        )
    if seed < 0:
        raise InvalidValueError(f"'seed' must be >= 0: {seed}")
    return np.random.default_rng(int(seed))


def _dispersion(value: object) -> float:
    number = real_number(value, "dispersion", finite=False)
    if number <= 0:
        raise InvalidValueError(f"'dispersion' must be > 0 (math.inf for Poisson demand): {value}")
    if number < _MIN_DISPERSION:  # μ / r would overflow, and the draws with it
        raise InvalidValueError(f"'dispersion' must be >= {_MIN_DISPERSION:g}: {value}")
    return number


def _per_series(value: ArrayLike, shape: tuple[int, ...], name: str) -> IntArray:
    """Whole, non-negative cartons per series, broadcast to ``shape`` (a fresh array)."""
    array = whole_quantities(value, name)
    return np.array(broadcast_to_shape(array, shape, name), dtype=np.int64)


# --------------------------------------------------------------------------- engine


def _draw_demand(
    rng: np.random.Generator,
    mean_demand: FloatArray,
    dispersion: float,
    mixing: str = "gamma",
    zero_inflation: float = 0.0,
) -> IntArray:
    """Poisson draws around a rate mixed by a gamma (negative binomial) or a lognormal.

    Both mixings have mean 1 and variance 1 / dispersion (Poisson when
    dispersion is inf); with zero inflation π a day has no demand with
    probability π and the rate of the others is μ / (1 − π).
    """
    mean = mean_demand / (1.0 - zero_inflation) if zero_inflation > 0 else mean_demand
    if math.isinf(dispersion):
        rate = mean
    elif mixing == "lognormal":
        sigma = math.sqrt(math.log1p(1.0 / dispersion))
        rate = mean * np.exp(sigma * rng.standard_normal(mean.shape) - sigma * sigma / 2)
    else:
        rate = rng.gamma(dispersion, mean / dispersion)
    demand = np.asarray(rng.poisson(rate), dtype=np.int64)
    if zero_inflation > 0:
        demand[rng.random(demand.shape) < zero_inflation] = 0
    return demand


def _sellout_shares(rng: np.random.Generator, demand: IntArray, available: IntArray) -> FloatArray:
    """F(τ) on the days whose demand exceeded the stock they could sell; NaN elsewhere."""
    share = np.full(demand.shape, np.nan)
    out = demand > available
    partial = out & (available > 0)
    share[out & (available == 0)] = 0.0
    if partial.any():
        share[partial] = rng.beta(available[partial] + 1.0, (demand - available)[partial])
    return share


@keeps_labels
def simulate_sales(
    mean_demand: ArrayLike,
    quota: ArrayLike,
    *,
    start: dt.date | str | np.datetime64,
    seed: int | np.random.SeedSequence | np.random.Generator,
    cycle_days: int = 7,
    dispersion: float = math.inf,
    token_stock: ArrayLike = 0,
    opening_inventory: ArrayLike = 0,
    mixing: str = "gamma",
    zero_inflation: float = 0.0,
) -> SimulatedDistrict:
    """Simulate daily demand, deliveries, sales and lost sales from a known expected demand.

    Parameters
    ----------
    mean_demand : array_like
        Expected demand of each day, μ [cartons/day]; finite, >= 0; shaped
        ``(..., days)`` with the day axis last.
    quota : array_like
        Order-up-to level of each series (合理定量 per cycle) [cartons]; whole
        numbers >= 0, broadcast to ``mean_demand.shape[:-1]``.
    start : datetime.date, ISO string or numpy.datetime64
        The date of day 0, a delivery day (only recorded; the weekday pattern
        is whatever ``mean_demand`` holds).
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
        Seed of the random draws; the same seed (int >= 0 or SeedSequence)
        gives the same district. A Generator is used (and advanced) as given.
        None is refused (TypeError): a simulation is always reproducible.
    cycle_days : int, optional
        Days between deliveries [days]; deliveries arrive before the sales of
        days 0, ``cycle_days``, … Default 7.
    dispersion : float, optional
        Negative-binomial size r (variance ``μ + μ²/r``), >= 0.001; ``math.inf``
        (default) gives Poisson demand.
    token_stock : array_like, optional
        Cartons each series keeps back and never sells (刻意留有库存) [cartons];
        whole, >= 0, broadcast like ``quota``. Default 0.
    opening_inventory : array_like, optional
        Stock before day 0's delivery [cartons]; whole, >= 0, broadcast like
        ``quota``. Default 0.
    mixing : {"gamma", "lognormal"}, optional
        The day-to-day noise around μ: Poisson with a gamma-distributed rate
        (negative binomial, the default) or a lognormal one of the same
        variance (a heavier tail, not a negative binomial).
    zero_inflation : float, optional
        Probability in [0, 1) that a day has no demand at all (a sparse brand);
        the other days' rate is raised so the mean stays μ. Default 0.

    Returns
    -------
    SimulatedDistrict
        Observed sales, closing stock and deliveries with the true demand and
        lost sales (int64), shaped like ``mean_demand``.

    Raises
    ------
    InvalidValueError
        Negative, non-finite or fractional values; ``cycle_days`` < 1;
        ``dispersion`` < 0.001; an expected demand above 1e9 cartons a day.
    ShapeMismatchError
        ``mean_demand`` is not at least 1-D with days, or a per-series input
        does not broadcast to its leading shape.

    Notes
    -----
    All demand is drawn *before* the supply runs, so two calls with the same
    seed and ``mean_demand`` see the same demand whatever their quotas
    (common random numbers: compare quota policies on identical demand).
    On each day *d*, with ``h`` the stock after the day's delivery:
    ``sales = min(demand, max(h − token_stock, 0))``,
    ``inventory = h − sales``, ``lost_sales = demand − sales``; on the first
    day of a cycle ``delivery = max(quota − stock, 0)``.

    Examples
    --------
    A store whose quota (20) is below a week's demand (7 × 4) sells out:

    >>> run = simulate_sales([[4.0] * 7], [20], start="2026-03-02", seed=1)
    >>> int(run.deliveries.sum()), int(run.sales.sum() + run.inventory[0, -1])
    (20, 20)
    >>> bool((run.demand >= run.sales).all()), int(run.lost_sales.sum()) > 0
    (True, True)
    """
    first_day = as_date(start, "start")
    rng = _rng(seed)
    days = integer(cycle_days, "cycle_days", 1)
    size = _dispersion(dispersion)
    mu = np.asarray(quantities(mean_demand, "mean_demand"), dtype=np.float64)
    if mu.ndim == 0 or mu.shape[-1] == 0:
        raise ShapeMismatchError(
            f"'mean_demand' must have a day axis (last) with at least one day, got shape {mu.shape}"
        )
    check_calendar_run(first_day, mu.shape[-1], "the simulated history")
    too_large = mu > _MAX_MEAN_DEMAND
    if too_large.any():
        raise InvalidValueError(
            f"'mean_demand' must be at most {_MAX_MEAN_DEMAND:g} cartons a day: "
            f"{offender(too_large, mu)}"
        )
    series_shape = mu.shape[:-1]
    quota, token_stock, opening_inventory = (  # labelled: paired by label, not position
        aligned_off_axis(value, name, mean_demand, "mean_demand", -1)
        for name, value in (
            ("quota", quota),
            ("token_stock", token_stock),
            ("opening_inventory", opening_inventory),
        )
    )
    quotas = _per_series(quota, series_shape, "quota")
    token = _per_series(token_stock, series_shape, "token_stock")
    opening = _per_series(opening_inventory, series_shape, "opening_inventory")

    if mixing not in ("gamma", "lognormal"):
        raise InvalidValueError(f"'mixing' must be 'gamma' or 'lognormal': {mixing!r}")
    inflation = real_number(zero_inflation, "zero_inflation", finite=False)
    if not 0 <= inflation < 1:
        raise InvalidValueError(f"'zero_inflation' must be in [0, 1): {zero_inflation}")
    demand = _draw_demand(rng, mu, size, mixing, inflation)
    available_days = np.zeros(mu.shape, dtype=np.int64)
    sales = np.zeros(mu.shape, dtype=np.int64)
    inventory = np.zeros(mu.shape, dtype=np.int64)
    deliveries = np.zeros(mu.shape, dtype=np.int64)
    on_hand = opening.copy()
    for day in range(mu.shape[-1]):
        if day % days == 0:
            delivered = np.maximum(quotas - on_hand, 0)
            deliveries[..., day] = delivered
            on_hand = on_hand + delivered
        available = np.maximum(on_hand - token, 0)
        available_days[..., day] = available
        sold = np.minimum(demand[..., day], available)
        on_hand = on_hand - sold
        sales[..., day] = sold
        inventory[..., day] = on_hand
    return SimulatedDistrict(
        start=first_day,
        cycle_days=days,
        sales=sales,
        inventory=inventory,
        deliveries=deliveries,
        demand=demand,
        lost_sales=demand - sales,
        mean_demand=mu.copy(),
        dispersion=size,
        quota=quotas,
        token_stock=token,
        opening_inventory=opening,
        # A child generator: the caller's stream advances as it always did.
        sellout_share=_sellout_shares(rng.spawn(1)[0], demand, available_days),
        zero_inflation=inflation,
    )


# --------------------------------------------------------------------------- district


def _profile(weekday_profile: ArrayLike) -> FloatArray:
    profile = np.asarray(as_real_array(weekday_profile, "weekday_profile"), dtype=np.float64)
    if profile.shape != (7,):
        raise ShapeMismatchError(
            f"'weekday_profile' must hold 7 values, Monday to Sunday, got shape {profile.shape}"
        )
    check_finite(profile, "weekday_profile")
    if (profile < 0).any() or profile.max() <= 0:  # (its sum could overflow)
        raise InvalidValueError(
            f"'weekday_profile' must be >= 0 with a positive sum: {profile.tolist()}"
        )
    if profile.max() > 1e300:  # relative to the largest first, or the mean would overflow
        profile = profile / profile.max()
    scaled: FloatArray = profile / profile.mean()
    return scaled


def _share_range(value: tuple[float, float], name: str) -> tuple[float, float]:
    if not isinstance(value, tuple) or len(value) != 2:
        raise TypeError(f"{name!r} must be a (low, high) tuple, got {value!r}")
    low = real_number(value[0], name, finite=False)
    high = real_number(value[1], name, finite=False)
    if not 0 < low <= high or math.isinf(high):
        raise InvalidValueError(f"{name!r} must satisfy 0 < low <= high < inf: {value}")
    return low, high


@keeps_labels
def simulate_district(
    n_stores: int = 40,
    n_brands: int = 12,
    n_cycles: int = 13,
    *,
    seed: int | np.random.SeedSequence | np.random.Generator = 0,
    start: dt.date | str | np.datetime64 = dt.date(2026, 1, 5),
    cycle_days: int = 7,
    median_daily_demand: float = 4.0,
    demand_spread: float = 0.8,
    weekday_profile: ArrayLike = DEFAULT_WEEKDAY_PROFILE,
    dispersion: float = 4.0,
    quota_share: tuple[float, float] = (0.6, 1.3),
    holidays: ArrayLike | None = None,
    holiday_lift: float = 1.0,
    token_stock: int = 0,
    token_share: float = 0.0,
    week_shock_sd: float = 0.0,
    drift_share: float = 0.0,
    drift_factor: float = 2.0,
    office_share: float = 0.0,
    mixing: str = "gamma",
    zero_inflation: float = 0.0,
) -> SimulatedDistrict:
    """Simulate a realistic district: stores × brands over whole delivery cycles.

    Parameters
    ----------
    n_stores, n_brands, n_cycles : int, optional
        Size of the district and of its history (default 40 × 12 over 13
        weekly cycles, a quarter: the source's quota window).
    seed : int, numpy.random.SeedSequence or numpy.random.Generator, optional
        Seed of every draw, as for :func:`simulate_sales`. Default 0.
    start : datetime.date, ISO string or numpy.datetime64, optional
        Day 0, the first delivery day. Default Monday 2026-01-05.
    cycle_days : int, optional
        Days between deliveries [days]. Default 7.
    median_daily_demand : float, optional
        Median over series of the expected daily demand [cartons/day]. Default 4.
    demand_spread : float, optional
        Standard deviation of the log of a series' expected daily demand
        (store size and brand pull); 0 makes every series alike. Default 0.8.
    weekday_profile : array_like, optional
        Relative demand Monday … Sunday (scaled to mean 1). Default
        :data:`DEFAULT_WEEKDAY_PROFILE`.
    dispersion : float, optional
        Negative-binomial size r of daily demand, >= 0.001; ``math.inf`` for
        Poisson. Default 4.
    quota_share : (float, float), optional
        Each series' quota is its expected demand over a cycle times a share
        drawn uniformly from this range (rounded, at least ``token_stock`` + 1);
        a share below 1 makes the series sell out. Default (0.6, 1.3).
    holidays : array_like of bool, optional
        True on holiday days, shaped (days,) or broadcast to (stores, brands, days).
    holiday_lift : float, optional
        Factor on the expected demand of holiday days (节假日: 1.6 is a rush,
        0.5 a deserted business district). Default 1.
    token_stock : int, optional
        Cartons a gaming store keeps back (刻意留有库存). Default 0.
    token_share : float, optional
        Share of stores, in [0, 1], that keep ``token_stock`` back. Default 0.
    week_shock_sd : float, optional
        Standard deviation of a lognormal factor (mean 1) on each series'
        demand in each 7-day block: the weeks a series runs hot; in [0, 3].
        Default 0.
    drift_share : float, optional
        Share of series, in [0, 1], whose demand moves linearly from its base
        to ``drift_factor`` × base (half of them) or base / ``drift_factor``
        (the other half) over the history. Default 0.
    drift_factor : float, optional
        Where a drifting series ends, > 0. Default 2.
    office_share : float, optional
        Share of stores, in [0, 1], with an office district's week: Saturday
        and Sunday at 0.35 × the profile, weekdays raised to keep the mean.
        Default 0.
    mixing : {"gamma", "lognormal"}, optional
        Day-to-day noise, as for :func:`simulate_sales`. Default "gamma".
    zero_inflation : float, optional
        Probability in [0, 1) of a day without demand, as for
        :func:`simulate_sales`. Default 0.

    Returns
    -------
    SimulatedDistrict
        Arrays shaped (n_stores, n_brands, n_cycles × cycle_days); every cycle
        starts with an order-up-to delivery (the opening stock is 0).

    Raises
    ------
    InvalidValueError, ShapeMismatchError, TypeError
        Out-of-range or malformed parameters; a district of more than 10**9
        stores × brands × days (refused before anything is allocated); a
        ``token_stock`` above 2**62 or a ``quota_share`` that gives quotas
        above 2**62 cartons.

    Notes
    -----
    Series (store *i*, brand *j*) has base demand
    ``b_ij = median × exp(spread × (0.6 z_i + 0.8 z_j))`` with standard normal
    store and brand effects, and expected demand on day *d*
    ``μ_ijd = b_ij × profile[weekday(d)] × (holiday_lift if holiday)``.

    Examples
    --------
    >>> district = simulate_district(4, 3, 2, seed=7)
    >>> district.sales.shape, district.start.isoformat()
    ((4, 3, 14), '2026-01-05')
    >>> bool((district.lost_sales == district.demand - district.sales).all())
    True
    """
    rng = _rng(seed)
    stores = integer(n_stores, "n_stores", 1)
    brands = integer(n_brands, "n_brands", 1)
    cycles = integer(n_cycles, "n_cycles", 1)
    days_per_cycle = integer(cycle_days, "cycle_days", 1)
    first_day = as_date(start, "start")
    check_calendar_run(first_day, cycles * days_per_cycle, "the simulated history")
    cells = stores * brands * cycles * days_per_cycle
    if cells > _MAX_CELLS:
        raise InvalidValueError(
            f"the district is too large to simulate: {stores:,} stores × {brands:,} brands × "
            f"{cycles * days_per_cycle:,} days = {cells:,} cells (at most "
            f"{_MAX_CELLS:,}, about 100 bytes each)"
        )
    median = real_number(median_daily_demand, "median_daily_demand", finite=False)
    if not 0 < median < math.inf:
        raise InvalidValueError(f"'median_daily_demand' must be > 0 and finite: {median}")
    spread = real_number(demand_spread, "demand_spread", finite=False)
    if not 0 <= spread < math.inf:
        raise InvalidValueError(f"'demand_spread' must be >= 0 and finite: {spread}")
    profile = _profile(weekday_profile)
    size = _dispersion(dispersion)
    low, high = _share_range(quota_share, "quota_share")
    lift = real_number(holiday_lift, "holiday_lift", finite=False)
    if not 0 <= lift < math.inf:
        raise InvalidValueError(f"'holiday_lift' must be >= 0 and finite: {lift}")
    token = integer(token_stock, "token_stock", 0)
    if token > _MAX_SERIES_CARTONS:
        raise InvalidValueError(f"'token_stock' must be <= 2**62 cartons: {token}")
    share = real_number(token_share, "token_share", finite=False)
    if not 0 <= share <= 1:
        raise InvalidValueError(f"'token_share' must be in [0, 1]: {share}")

    n_days = cycles * days_per_cycle
    shape = (stores, brands, n_days)
    weekday = (first_day.weekday() + np.arange(n_days)) % 7
    store_effect = rng.standard_normal(stores)[:, np.newaxis]
    brand_effect = rng.standard_normal(brands)[np.newaxis, :]
    with np.errstate(over="ignore"):  # an overflow to inf is refused just below
        base = median * np.exp(spread * (0.6 * store_effect + 0.8 * brand_effect))
        peak = base * profile.max() * (max(lift, 1.0) if holidays is not None else 1.0)
    if not (peak <= _MAX_MEAN_DEMAND).all():
        raise InvalidValueError(
            f"'median_daily_demand' {median:g}, 'demand_spread' {spread:g} and "
            f"'holiday_lift' {lift:g} give stores an expected demand above "
            f"{_MAX_MEAN_DEMAND:g} cartons a day"
        )
    mu = base[..., np.newaxis] * profile[weekday]
    mu = mu * _scenario_factors(
        rng,
        shape,
        weekday,
        shock_sd=real_number(week_shock_sd, "week_shock_sd", finite=False),
        drift_share=real_number(drift_share, "drift_share", finite=False),
        drift_factor=real_number(drift_factor, "drift_factor", finite=False),
        office_share=real_number(office_share, "office_share", finite=False),
        profile=profile,
    )
    if holidays is not None:
        holiday = broadcast_to_shape(bool_mask(holidays, "holidays"), shape, "holidays")
        mu = np.where(holiday, mu * lift, mu)
    keeps_token = rng.random(stores) < share
    series_token = np.where(keeps_token, token, 0)[:, np.newaxis] * np.ones(brands, np.int64)
    shares = rng.uniform(low, high, size=(stores, brands))
    with np.errstate(over="ignore"):  # an overflow to inf is refused just below
        cycle_quota = np.rint(base * days_per_cycle * shares)
    if not (cycle_quota <= _MAX_SERIES_CARTONS).all():
        raise InvalidValueError(
            f"'quota_share' {(low, high)} gives quotas above {_MAX_SERIES_CARTONS:,} cartons"
        )
    quota = np.maximum(cycle_quota.astype(np.int64), series_token + 1)
    return simulate_sales(
        mu,
        quota,
        start=first_day,
        seed=rng,
        cycle_days=days_per_cycle,
        dispersion=size,
        token_stock=series_token,
        mixing=mixing,
        zero_inflation=zero_inflation,
    )


def _scenario_factors(
    rng: np.random.Generator,
    shape: tuple[int, int, int],
    weekday: IntArray,
    *,
    shock_sd: float,
    drift_share: float,
    drift_factor: float,
    office_share: float,
    profile: FloatArray,
) -> FloatArray:
    """Multipliers of the expected demand: week shocks, drift, office weeks (1 when off).

    No draw is made for a feature that is off, so the default district is
    unchanged.
    """
    stores, brands, days = shape
    factor = np.ones(shape)
    # A lognormal sd of 3 already gives a week factor with variance e^9 - 1; far larger
    # values overflow float64 in exp(sd²): the simulator takes the realistic range only.
    if not 0 <= shock_sd <= MAX_WEEK_SHOCK_SD:
        raise InvalidValueError(
            f"'week_shock_sd' must be >= 0 and <= {MAX_WEEK_SHOCK_SD}: {shock_sd}"
        )
    for name, share in (("drift_share", drift_share), ("office_share", office_share)):
        if not 0 <= share <= 1:
            raise InvalidValueError(f"{name!r} must be in [0, 1]: {share}")
    if not 0 < drift_factor < math.inf:
        raise InvalidValueError(f"'drift_factor' must be > 0 and finite: {drift_factor}")
    if shock_sd > 0:
        blocks = -(-days // 7)
        shocks = np.exp(shock_sd * rng.standard_normal((stores, brands, blocks)) - shock_sd**2 / 2)
        factor = factor * np.repeat(shocks, 7, axis=-1)[..., :days]
    if drift_share > 0:
        drifting = rng.random((stores, brands)) < drift_share
        up = rng.random((stores, brands)) < 0.5
        end = np.where(up, drift_factor, 1.0 / drift_factor)
        path = 1.0 + (end[..., np.newaxis] - 1.0) * np.linspace(0.0, 1.0, days)
        factor = np.where(drifting[..., np.newaxis], factor * path, factor)
    if office_share > 0:
        office = rng.random(stores) < office_share
        week = profile.copy()
        week[5:] *= 0.35
        week *= profile.sum() / week.sum()
        office_factor = (week / profile)[weekday]
        factor = np.where(office[:, np.newaxis, np.newaxis], factor * office_factor, factor)
    return factor

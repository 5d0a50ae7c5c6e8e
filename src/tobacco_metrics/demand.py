"""Lost sales (预计脱销销售) and mean daily demand, estimated three ways.

The source (篇3) values the stockout days of a delivery cycle at the cycle's
average sales per effective day::

    预计脱销销售 = 实际销售 / 有效销售天数 × 脱销天数        (P = A / E × S)

Algebraically its fulfilment ratio A / (A + P) is just E / D, the share of
days in stock, whatever the volumes; and the rate A / E is biased low:

- stockouts cluster at the end of a delivery cycle, which is where the
  weekend is when deliveries come on Monday, and weekends sell more;
- a day that sold out at noon counts as a full selling day, so its short
  sales drag the rate down, and what it lost in the afternoon is not counted.

On simulated districts with known truth (:mod:`tobacco_metrics.simulate`,
``benchmarks/accuracy.py``, ``docs/lost-sales.md``) it under-states total
lost sales by about 35–45 % and mean daily demand by 6–8 %; quotas set from
it under-supply the stores that sell out fastest (the "马太效应" of 篇3
problem 7). The methods here:

``"seed"``
    The source's formula within each cycle (the default): identical to
    :func:`~tobacco_metrics.stock.projected_stockout_sales` per cycle.
``"weekday"``
    Fits the expected demand of each day as ``level[series] ×
    profile[weekday] × period[calendar week]`` by Poisson (quasi-)likelihood
    on the in-stock days of the whole history; the profile and the week
    factors are shared by every series of the call (the district's weekday
    pattern, a holiday week). A stockout day is valued at its fitted demand:
    a stockout on a Saturday is valued as a Saturday. It does *not* fix the
    other bias: the in-stock days include the days that sold out part-way,
    whose short sales flatten the fitted weekend, so on the benchmark it is
    no better than the seed formula. It is the step between the two.
``"censored"``
    The same mean, but every day that closed with stock ≤ token stock
    after selling is *right-censored*: its demand is only known to be ≥ its
    sales. The demand is negative-binomial with one dispersion for the call,
    fitted by EM (the E-step replaces a censored day's sales by
    E[demand | demand ≥ sales]) with the dispersion chosen by profile
    likelihood. A day's lost sales are ``E[demand | demand ≥ sales] − sales``:
    the afternoon a store sold out is counted too. The recommended method.

The model methods need the date of the first day (``start``) for the
weekdays and calendar weeks, and gain from many series at once: the weekday
profile of a series that sells out every Saturday is learnt from the stores
that do not, so fit a district in one call. Everything is vectorised over
the series; the loops are over EM iterations and over the carton counts of
the censored days.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Final, Literal, get_args

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics._convert import to_date
from tobacco_metrics._daily import DailyData as _DailyData
from tobacco_metrics._daily import daily_data as _daily_data
from tobacco_metrics._daily import stockout_flags as _stockout_flags
from tobacco_metrics._typing import BoolArray, FloatArray, FloatResult, IntArray
from tobacco_metrics._validation import (
    broadcast_to_shape,
    format_position,
    quantities,
    unwrap,
)
from tobacco_metrics.errors import InvalidValueError, MissingDataError, ShapeMismatchError
from tobacco_metrics.stock import (
    projected_stockout_sales,
    stockout_days,
)

__all__ = [
    "LOST_SALES_METHODS",
    "LostSalesMethod",
    "estimate_daily_demand",
    "lost_sales",
]

LostSalesMethod = Literal["seed", "weekday", "censored"]
"""The estimators of lost sales and mean daily demand: ``"seed"``, ``"weekday"``, ``"censored"``."""

LOST_SALES_METHODS: Final[tuple[str, ...]] = get_args(LostSalesMethod)
"""The accepted ``method`` names, the default first."""

_MAX_SWEEPS: Final = 500
# The censored fit loops over carton counts up to the largest censored sale and tabulates
# log y! up to the largest sale: beyond this a day's sales are refused, not left to run out
# of memory (or to overflow the int64 counts).
_MAX_CENSORED_SALES: Final = 100_000
_TOLERANCE: Final = 1e-9
# Negative-binomial sizes tried for the dispersion (profile likelihood), and Poisson;
# the best finite size is then refined by factors 2^±0.5 and 2^±0.25.
_DISPERSION_GRID: Final = (*(2.0 ** np.arange(-1.0, 9.0)).tolist(), math.inf)
_DISPERSION_REFINE: Final = (0.5, 0.25)
_DISPERSION_ROUNDS: Final = 3
_TINY_TAIL: Final = 1e-8
_LANCZOS_G: Final = 7.0
_LANCZOS: Final = np.array(
    [
        0.99999999999980993,
        676.5203681218851,
        -1259.1392167224028,
        771.32342877765313,
        -176.61502916214059,
        12.507343278686905,
        -0.13857109526572012,
        9.9843695780195716e-6,
        1.5056327351493116e-7,
    ]
)


# --------------------------------------------------------------------------- inputs


def _history(
    sales: ArrayLike,
    inventory: ArrayLike,
    token_stock: ArrayLike,
    exclude: ArrayLike | None,
    axis: int,
) -> _DailyData:
    """Validated daily data with the day axis moved last (the stock formulas' own checks)."""
    return _daily_data(sales, inventory, token_stock, exclude, axis)


def _seed_rate(history: _DailyData) -> FloatArray:
    """Σ sales on valid days / valid days (valid: counted and not a stockout day); NaN if none."""
    valid = ~_stockout_flags(history)
    if history.counted is not None:
        valid &= history.counted
    total = np.sum(history.sales, axis=-1, dtype=np.float64, where=valid)
    count = np.count_nonzero(valid, axis=-1)
    rate = np.full(history.sales.shape[:-1], np.nan)
    np.divide(total, count, out=rate, where=count > 0)
    return rate


def _method(method: object) -> str:
    if not isinstance(method, str):
        raise TypeError(f"'method' must be a str, got {type(method).__name__}")
    if method not in LOST_SALES_METHODS:
        names = ", ".join(repr(name) for name in LOST_SALES_METHODS)
        raise InvalidValueError(f"'method' must be one of {names}: {method!r}")
    return method


def _first_weekday(start: object, method: str) -> int:
    if start is None:
        raise MissingDataError(
            f"method={method!r} needs 'start', the date of the first day of the history, "
            "to know each day's weekday"
        )
    return to_date(start).weekday()


def _cycle_days(value: object) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"'cycle_days' must be an int, got {type(value).__name__}")
    if value < 1:
        raise InvalidValueError(f"'cycle_days' must be >= 1: {value}")
    return int(value)


def _whole_sales(sales: NDArray[Any]) -> None:
    """Sales a count model can take: whole numbers, and not beyond the counts it loops over."""
    if sales.size and sales.max() > _MAX_CENSORED_SALES:
        first = tuple(int(i) for i in np.argwhere(sales > _MAX_CENSORED_SALES)[0])
        raise InvalidValueError(
            f"'sales' must be at most {_MAX_CENSORED_SALES} a day for method='censored' (its "
            f"tail sums run over every carton count): {sales[first]} at index "
            f"{format_position(first)} (day axis last); use method='weekday' for such volumes"
        )
    if sales.dtype.kind == "f":
        fractional = sales != np.floor(sales)
        if fractional.any():
            first = tuple(int(i) for i in np.argwhere(fractional)[0])
            raise InvalidValueError(
                f"'sales' must be whole numbers for method='censored' (a count model): "
                f"{sales[first]} at index {format_position(first)} (day axis last); "
                "count in packs if the data hold fractions of a carton"
            )


# --------------------------------------------------------------------------- special functions


def _gammaln(x: FloatArray) -> FloatArray:
    """log Γ(x) for x > 0 (Lanczos, g = 7; relative error about 1e-15)."""
    small = x < 0.5
    z = np.where(small, x + 1.0, x) - 1.0
    series = np.full(z.shape, _LANCZOS[0])
    for i in range(1, _LANCZOS.size):
        series += _LANCZOS[i] / (z + i)
    t = z + _LANCZOS_G + 0.5
    result: FloatArray = 0.5 * math.log(2 * math.pi) + (z + 0.5) * np.log(t) - t + np.log(series)
    if small.any():
        result = result - np.log(np.where(small, x, 1.0))
    return result


def _log_pmf(
    counts: IntArray, log_factorial: FloatArray, mu: FloatArray, size: float
) -> FloatArray:
    """log P(D = y) for negative-binomial D (mean mu, size r; Poisson when r is inf).

    ``counts`` are the whole numbers y and ``log_factorial`` their log y!;
    log Γ(y + r) − log Γ(r) is read from a table over 0 … max(y).
    """
    mu = np.maximum(mu, 1e-300)
    log_mu = np.log(mu)
    if math.isinf(size):
        result: FloatArray = counts * log_mu - mu - log_factorial
        return result
    top = int(counts.max()) if counts.size else 0
    table = _gammaln(np.arange(top + 1.0) + size) - _gammaln(np.array([size]))
    nb: FloatArray = (
        table[counts]
        - log_factorial
        - size * np.log1p(mu / size)
        + counts * (log_mu - np.log(mu + size))
    )
    return nb


@attrs.frozen
class _Bounds:
    """Lower bounds s >= 1 of censored demands, sorted in decreasing order once."""

    order: IntArray  # positions of the sorted bounds in the caller's order
    bounds: IntArray  # sorted, decreasing
    active: IntArray  # active[k] = number of bounds > k

    @classmethod
    def of(cls, bound: IntArray) -> _Bounds:
        order = np.argsort(-bound, kind="stable")
        bounds = bound[order]
        steps = int(bounds[0]) if bounds.size else 0
        active = np.searchsorted(-bounds, -np.arange(steps), side="left")
        return cls(order=order, bounds=bounds, active=active)

    def tail(self, mu: FloatArray, size: float) -> tuple[FloatArray, FloatArray]:
        """(log P(D >= s), E[D | D >= s]) for D ~ NB(mu, size), in the sorted order.

        The head sums over k < s are accumulated by the pmf recursion in log
        space (no underflow), each step touching only the cells still in their
        head. Where P(D >= s) < 1e-8 the difference 1 − head loses precision and
        the tail is taken as geometric from pmf(s) instead.
        """
        s = self.bounds
        m = np.maximum(mu, 1e-300)
        poisson = math.isinf(size)
        if poisson:
            log_pmf = -m
            log_step = np.log(m)
        else:
            log_pmf = -size * np.log1p(m / size)
            log_step = np.log(m) - np.log(m + size)
        head = np.zeros(s.size)
        head_mean = np.zeros(s.size)
        for k, count in enumerate(self.active.tolist()):
            p = np.exp(log_pmf[:count])
            head[:count] += p
            head_mean[:count] += k * p
            shift = -math.log(k + 1) if poisson else math.log((k + size) / (k + 1))
            log_pmf[:count] += log_step[:count] + shift
        # log_pmf now holds log P(D = s) for every cell.
        tail = 1.0 - head
        tail_mean = m - head_mean
        regular = (tail > _TINY_TAIL) & (tail_mean > 0)
        ratio = m / (s + 1.0) if poisson else (s + size) / (s + 1.0) * np.exp(log_step)
        ratio = np.clip(ratio, 0.0, 0.999)
        log_tail = log_pmf - np.log1p(-ratio)
        np.log(tail, out=log_tail, where=regular)
        expected = s + ratio / (1.0 - ratio)
        np.divide(tail_mean, tail, out=expected, where=regular)
        return log_tail, np.maximum(expected, s)


def _tail(bound: IntArray, mu: FloatArray, size: float) -> tuple[FloatArray, FloatArray]:
    """(log P(D >= s), E[D | D >= s]) for D ~ NB(mu, size) and whole bounds s >= 1 (1-D)."""
    bounds = _Bounds.of(bound)
    log_tail, expected = bounds.tail(mu[bounds.order], size)
    unsorted_log = np.empty_like(log_tail)
    unsorted_expected = np.empty_like(expected)
    unsorted_log[bounds.order] = log_tail
    unsorted_expected[bounds.order] = expected
    return unsorted_log, unsorted_expected


# --------------------------------------------------------------------------- the model


@attrs.frozen
class _Design:
    """Weekday and week index of each day of the history."""

    weekday: IntArray  # (T,)
    week: IntArray  # (T,)
    weeks: int

    @classmethod
    def of(cls, days: int, first_weekday: int) -> _Design:
        index = np.arange(days)
        return cls(
            weekday=(first_weekday + index) % 7,
            week=(first_weekday + index) // 7,  # calendar weeks, Monday to Sunday
            weeks=(first_weekday + days - 1) // 7 + 1,
        )


def _factor(
    numerator: NDArray[Any], denominator: NDArray[Any], identified: BoolArray
) -> FloatArray:
    """numerator / denominator, scaled to mean 1, where identified; 1 elsewhere.

    A factor is identified when it has a day that closed above token stock:
    one seen only on censored days would grow without bound (demand ≥ sales
    is all the data say), one seen on no day is free.
    """
    identified = identified & (denominator > 0)
    factor = np.ones(numerator.shape)
    np.divide(numerator, denominator, out=factor, where=identified)
    if identified.any():
        mean = float(factor[identified].mean())
        if mean > 0:
            factor[identified] /= mean
    return factor


def _levels(row_totals: FloatArray, weights: FloatArray, day_factor: FloatArray) -> FloatArray:
    exposure = weights @ day_factor
    level = np.zeros(row_totals.shape)
    np.divide(row_totals, exposure, out=level, where=exposure > 0)
    return level


@attrs.frozen
class _Identified:
    """Which weekday and week factors the observed days identify."""

    weekday: BoolArray  # (7,)
    week: BoolArray  # (weeks,)

    @classmethod
    def of(cls, observed: BoolArray, design: _Design) -> _Identified:
        days = observed.any(axis=0).astype(np.float64)
        return cls(
            weekday=np.bincount(design.weekday, weights=days, minlength=7) > 0,
            week=np.bincount(design.week, weights=days, minlength=design.weeks) > 0,
        )


@attrs.frozen
class _Factors:
    level: FloatArray  # (N,)
    weekday: FloatArray  # (7,)
    week: FloatArray  # (weeks,)

    def mean(self, design: _Design) -> FloatArray:
        day_factor = self.weekday[design.weekday] * self.week[design.week]
        result: FloatArray = self.level[:, np.newaxis] * day_factor
        return result


def _sweep(
    values: FloatArray,
    weights: FloatArray,
    design: _Design,
    identified: _Identified,
    factors: _Factors,
) -> _Factors:
    """One pass of the Poisson likelihood equations for level × weekday × week.

    ``values`` are zero outside the cells used (``weights`` is 0/1).
    """
    column_totals = values.sum(axis=0)
    row_totals = values.sum(axis=1)
    exposure = factors.level @ weights  # Σ_n level_n over the cells used on each day
    weekday = _factor(
        np.bincount(design.weekday, weights=column_totals, minlength=7),
        np.bincount(design.weekday, weights=exposure * factors.week[design.week], minlength=7),
        identified.weekday,
    )
    week = _factor(
        np.bincount(design.week, weights=column_totals, minlength=design.weeks),
        np.bincount(
            design.week, weights=exposure * weekday[design.weekday], minlength=design.weeks
        ),
        identified.week,
    )
    level = _levels(row_totals, weights, weekday[design.weekday] * week[design.week])
    return _Factors(level=level, weekday=weekday, week=week)


def _converged(old: _Factors, new: _Factors) -> bool:
    change = np.abs(new.level - old.level)
    scale = np.maximum(np.abs(new.level), 1e-12)
    return bool((change <= _TOLERANCE * scale).all()) and bool(
        np.allclose(old.weekday, new.weekday, rtol=_TOLERANCE, atol=0)
        and np.allclose(old.week, new.week, rtol=_TOLERANCE, atol=0)
    )


def _fit_complete(values: FloatArray, used: BoolArray, design: _Design) -> _Factors:
    """Poisson (quasi-)likelihood fit of level × weekday × week on the cells ``used``."""
    weights = used.astype(np.float64)
    observed = np.where(used, values, 0.0)
    factors = _Factors(
        level=_levels(observed.sum(axis=1), weights, np.ones(values.shape[-1])),
        weekday=np.ones(7),
        week=np.ones(design.weeks),
    )
    identified = _Identified.of(used, design)
    for _ in range(_MAX_SWEEPS):
        new = _sweep(observed, weights, design, identified, factors)
        if _converged(factors, new):
            return new
        factors = new
    return factors


@attrs.frozen
class _Fit:
    mean: FloatArray  # (N, T) fitted expected demand; NaN rows where not identified
    lost: FloatArray  # (N, T) expected lost sales per day; NaN where lost and not identified
    dispersion: float


def _fit_weekday(
    sales: FloatArray, stockout: BoolArray, counted: BoolArray, design: _Design
) -> _Fit:
    valid = counted & ~stockout
    identified: BoolArray = np.asarray(valid.any(axis=1))
    factors = _fit_complete(sales, valid & identified[:, np.newaxis], design)
    mean = factors.mean(design)
    mean[~identified] = np.nan
    lost = np.where(stockout & counted, mean, 0.0)
    return _Fit(mean=mean, lost=lost, dispersion=math.inf)


def _initial_dispersion(sales: FloatArray, mean: FloatArray, used: BoolArray) -> float:
    """Moment estimate r = Σμ² / Σ((y − μ)² − μ) on the uncensored days, >= the grid's least.

    Infinite (Poisson) when the days show no overdispersion.
    """
    mu = mean[used]
    excess = float(np.sum((sales[used] - mu) ** 2 - mu))
    if excess <= 0:
        return math.inf
    return max(float(np.sum(mu**2)) / excess, float(_DISPERSION_GRID[0]))


@attrs.frozen
class _Censoring:
    """The cells of a censored fit, flattened and sorted once."""

    censored: BoolArray  # (N, T) counted days that closed at or below token stock
    observed_index: IntArray  # flat indices of the days that closed above token stock
    counts: IntArray  # sales on those days
    log_factorial: FloatArray  # their log y!
    bounded_index: IntArray  # flat indices of censored days that sold (D >= sales >= 1), sorted
    bounds: _Bounds

    @classmethod
    def of(cls, sales: FloatArray, observed: BoolArray, censored: BoolArray) -> _Censoring:
        flat = sales.ravel()
        observed_index = np.flatnonzero(observed)
        counts = flat[observed_index].astype(np.int64)
        top = int(counts.max()) if counts.size else 0
        bounded = np.flatnonzero(censored & (sales > 0))
        bounds = _Bounds.of(flat[bounded].astype(np.int64))
        return cls(
            censored=censored,
            observed_index=observed_index,
            counts=counts,
            log_factorial=_gammaln(np.arange(top + 1.0) + 1.0)[counts],
            bounded_index=bounded[bounds.order],
            bounds=bounds,
        )

    def impute(self, sales: FloatArray, mean: FloatArray, size: float) -> FloatArray:
        """E[demand | data]: sales where observed, E[D | D >= sales] where censored."""
        values = np.where(self.censored, mean, sales)
        if self.bounded_index.size:
            _, expected = self.bounds.tail(mean.ravel()[self.bounded_index], size)
            values.ravel()[self.bounded_index] = expected
        return values

    def log_likelihood(self, mean: FloatArray, size: float) -> float:
        """Σ log P(D = y) over observed days + Σ log P(D >= y) over bounded days."""
        flat = mean.ravel()
        total = float(
            np.sum(_log_pmf(self.counts, self.log_factorial, flat[self.observed_index], size))
        )
        if self.bounded_index.size:
            log_tail, _ = self.bounds.tail(flat[self.bounded_index], size)
            total += float(np.sum(log_tail))
        return total

    def best_dispersion(self, mean: FloatArray) -> float:
        """The size r maximising the likelihood: a grid of powers of 2 and Poisson, refined."""
        scores: dict[float, float] = {
            float(size): self.log_likelihood(mean, size) for size in _DISPERSION_GRID
        }
        best = max(scores, key=scores.__getitem__)
        if math.isinf(best):
            return best
        for step in _DISPERSION_REFINE:
            for size in (best * 2.0**-step, best * 2.0**step):
                scores[size] = self.log_likelihood(mean, size)
            best = max(scores, key=scores.__getitem__)
        return best


def _fit_censored(
    sales: FloatArray, censored: BoolArray, counted: BoolArray, design: _Design
) -> _Fit:
    observed = counted & ~censored
    identified: BoolArray = np.asarray(observed.any(axis=1))
    used = counted & identified[:, np.newaxis]
    cells = _Censoring.of(sales, observed & used, censored & used)
    weights = used.astype(np.float64)
    factors = _fit_complete(sales, observed & used, design)
    identified_factors = _Identified.of(observed & used, design)
    size = _initial_dispersion(sales, factors.mean(design), observed & used)
    for _ in range(_DISPERSION_ROUNDS):
        for _ in range(_MAX_SWEEPS):
            values = cells.impute(sales, factors.mean(design), size)
            new = _sweep(np.where(used, values, 0.0), weights, design, identified_factors, factors)
            if _converged(factors, new):
                factors = new
                break
            factors = new
        best = cells.best_dispersion(factors.mean(design))
        if best == size:
            break
        size = best
    mean = factors.mean(design)
    lost = np.where(cells.censored, cells.impute(sales, mean, size) - sales, 0.0)
    mean[~identified] = np.nan
    lost[~identified] = np.where(counted[~identified], np.nan, 0.0)
    return _Fit(mean=mean, lost=lost, dispersion=size)


def _fit(history: _DailyData, method: str, first_weekday: int) -> _Fit:
    """Fit a model method on the history flattened to (series, days)."""
    days = history.sales.shape[-1]
    sales = np.asarray(history.sales, dtype=np.float64).reshape(-1, days)
    inventory = np.asarray(history.inventory, dtype=np.float64).reshape(-1, days)
    token = np.asarray(history.token_stock, dtype=np.float64).reshape(-1, days)
    if history.counted is None:
        counted = np.ones(sales.shape, dtype=np.bool_)
    else:
        counted = np.asarray(history.counted).reshape(-1, days)
    design = _Design.of(days, first_weekday)
    closed_out = inventory <= token  # closed the day with no sellable stock
    if method == "weekday":
        return _fit_weekday(sales, closed_out & (sales == 0), counted, design)
    _whole_sales(np.asarray(history.sales))
    return _fit_censored(sales, closed_out & counted, counted, design)


# --------------------------------------------------------------------------- public


def lost_sales(
    sales: ArrayLike,
    inventory: ArrayLike,
    *,
    method: LostSalesMethod = "seed",
    start: dt.date | str | np.datetime64 | None = None,
    cycle_days: int = 7,
    token_stock: ArrayLike = 0,
    axis: int = -1,
) -> FloatArray:
    """Estimated lost sales (预计脱销销售) of each whole delivery cycle of a history.

    Parameters
    ----------
    sales : array_like
        Quantity sold each day [cartons]; finite, >= 0; whole numbers for
        ``method="censored"``. The history starts on the first day of a cycle
        (a delivery day) and holds whole cycles.
    inventory : array_like
        Closing stock each day [cartons]; finite, >= 0; same shape as ``sales``.
    method : {"seed", "weekday", "censored"}, optional
        The estimator (see the module docstring). Default ``"seed"``, the
        source's formula.
    start : datetime.date, ISO string or numpy.datetime64, optional
        The date of the first day; required by ``"weekday"`` and ``"censored"``.
    cycle_days : int, optional
        Days per delivery cycle (配送周期) [days]. Default 7.
    token_stock : array_like, optional
        Stock at or below which a day counts as out (刻意留有库存) [cartons];
        >= 0, broadcast against ``sales``. Default 0.
    axis : int, optional
        The day axis. Default -1.

    Returns
    -------
    ndarray of float64
        Lost sales per cycle [cartons]; the shape of ``sales`` with the day
        axis replaced by a cycle axis of length ``days // cycle_days`` (for
        the default axis: leading axes × cycles). NaN where the loss cannot be
        estimated: with ``"seed"``, a cycle without an effective day; with the
        model methods, a cycle with a stockout in a series that has no day
        to learn its demand from (no in-stock day for ``"weekday"``, no day
        that closed above token stock for ``"censored"``).

    Raises
    ------
    InvalidValueError
        Unknown ``method``; negative or non-finite data; ``cycle_days`` < 1;
        fractional sales, or a day's sales above 100,000, with ``"censored"``.
    ShapeMismatchError
        ``sales`` and ``inventory`` differ in shape, ``token_stock`` does not
        broadcast, or the history is not a whole number of cycles.
    MissingDataError
        ``start`` is missing for ``"weekday"`` or ``"censored"``.
    EmptyInputError
        The day axis is empty.

    Notes
    -----
    ``"seed"``: per cycle ``P = A / E × S`` with S the stockout days (no sales
    and stock ≤ token stock), E = cycle days − S, A the cycle's sales
    (:func:`~tobacco_metrics.stock.projected_stockout_sales`).

    ``"weekday"``: ``μ̂[d] = level × profile[weekday(d)] × period[week(d)]``
    (weeks Monday to Sunday) fitted on the in-stock days of the whole
    history, profile and period shared by all series of the call, each
    scaled to mean 1; the cycle's loss is ``Σ μ̂[d]`` over its stockout days.

    ``"censored"``: the same mean, demand negative-binomial with one size r
    for the call. A day that closed with stock ≤ token stock is censored
    (demand ≥ sales); EM alternates ``E[D | D ≥ sales]`` for censored days
    with the likelihood equations of the mean, r is chosen on a grid (and
    Poisson) by profile likelihood. The cycle's loss is
    ``Σ (E[D | D ≥ sales] − sales)`` over its censored days; days that
    closed above token stock lost nothing. Its run time grows with the
    largest sale of a censored day (the tail sums loop over carton counts):
    count in cartons, or packs.

    Examples
    --------
    The worked example: 30 cartons on 5 days, 2 stockout days → 12.

    >>> lost_sales([6, 8, 0, 5, 0, 7, 4], [20, 12, 0, 25, 0, 18, 14]).tolist()
    [12.0]

    Two weeks of two stores delivered on Monday 2026-03-02; the second sells
    out on Saturday and Sunday, when the first (always in stock) sells twice
    its weekday rate. The source's formula values those days at the week's
    average; the weekday method as a weekend:

    >>> weekday = [4, 4, 4, 4, 4, 8, 8]
    >>> sales = [weekday * 2, [2, 2, 2, 2, 2, 0, 0] * 2]
    >>> stock = [[9] * 14, [9, 7, 5, 3, 1, 0, 0] * 2]
    >>> lost_sales(sales, stock).tolist()
    [[0.0, 0.0], [4.0, 4.0]]
    >>> lost_sales(sales, stock, method="weekday", start="2026-03-02").tolist()
    [[0.0, 0.0], [8.0, 8.0]]
    """
    chosen = _method(method)
    length = _cycle_days(cycle_days)
    first_weekday = _first_weekday(start, chosen) if chosen != "seed" else 0
    history = _history(sales, inventory, token_stock, None, axis)
    days = history.sales.shape[-1]
    if days % length:
        raise ShapeMismatchError(
            f"'sales' must hold whole cycles of {length} days: {days} days is "
            f"{days // length} cycle(s) and {days % length} day(s); pass a history that "
            "starts on a delivery day and ends on the last day of a cycle"
        )
    cycles = days // length
    lead = history.sales.shape[:-1]
    if chosen == "seed":
        by_cycle = (*lead, cycles, length)
        cycle_sales = history.sales.reshape(by_cycle)
        stockouts = stockout_days(
            cycle_sales,
            history.inventory.reshape(by_cycle),
            token_stock=history.token_stock.reshape(by_cycle),
        )
        actual = np.sum(cycle_sales, axis=-1, dtype=np.float64)
        lost = np.asarray(projected_stockout_sales(actual, length - stockouts, stockouts))
    else:
        fit = _fit(history, chosen, first_weekday)
        lost = fit.lost.reshape(*lead, cycles, length).sum(axis=-1)
    result: FloatArray = np.moveaxis(np.asarray(lost, dtype=np.float64), -1, history.day_axis)
    return result


def estimate_daily_demand(
    sales: ArrayLike,
    inventory: ArrayLike,
    *,
    method: LostSalesMethod = "seed",
    start: dt.date | str | np.datetime64 | None = None,
    token_stock: ArrayLike = 0,
    exclude: ArrayLike | None = None,
    fallback_daily_rate: ArrayLike | None = None,
    axis: int = -1,
) -> FloatResult:
    """Estimated mean daily demand of each series over a history (the base of 合理定量).

    Parameters
    ----------
    sales : array_like
        Quantity sold each day [cartons]; finite, >= 0; whole numbers for
        ``method="censored"``.
    inventory : array_like
        Closing stock each day [cartons]; finite, >= 0; same shape as ``sales``.
    method : {"seed", "weekday", "censored"}, optional
        ``"seed"`` (default) is the source's base daily rate; the model
        methods are those of :func:`lost_sales`.
    start : datetime.date, ISO string or numpy.datetime64, optional
        The date of the first day; required by ``"weekday"`` and ``"censored"``.
    token_stock : array_like, optional
        Stock at or below which a day counts as out (刻意留有库存) [cartons];
        broadcast against ``sales``. Default 0.
    exclude : array_like of bool, optional
        True on days not counted at all (holidays, store closed, data hole);
        broadcast against ``sales``.
    fallback_daily_rate : array_like, optional
        Rate [cartons/day] returned for a series whose demand cannot be
        estimated; broadcast against the result. Without it such a series is NaN.
    axis : int, optional
        The day axis. Default -1.

    Returns
    -------
    numpy.float64 or ndarray of float64
        Mean daily demand [cartons/day]; the shape of ``sales`` without the
        day axis (a scalar for one series).

    Raises
    ------
    InvalidValueError
        Unknown ``method``; negative or non-finite data or fallback;
        fractional sales, or a day's sales above 100,000, with ``"censored"``.
    ShapeMismatchError
        ``sales`` and ``inventory`` differ in shape, or ``token_stock``,
        ``exclude`` or ``fallback_daily_rate`` do not broadcast.
    MissingDataError
        ``start`` is missing for ``"weekday"`` or ``"censored"``.
    EmptyInputError
        The day axis is empty.

    Notes
    -----
    A *counted* day is one not excluded; a *valid* day is a counted day that
    is not a stockout day (no sales and stock ≤ token stock).

    ``"seed"``: the source's base daily rate, ``Σ sales on valid days / number
    of valid days``; no valid day → fallback or NaN. This is the rate of
    ``quota.base_daily_rate``.

    ``"weekday"`` and ``"censored"``: the fitted expected demand μ̂ of
    :func:`lost_sales` averaged over the counted days, stockout days
    included (they are where demand was highest). Not estimable, hence
    fallback or NaN: a series without a valid day (``"weekday"``), or
    without a counted day that closed above token stock (``"censored"``).
    The weekday profile is shared by the series of the call, so estimate a
    district in one call.

    Examples
    --------
    >>> estimate_daily_demand([6, 8, 0, 5, 0, 7, 4], [20, 12, 0, 25, 0, 18, 14])
    np.float64(6.0)
    >>> estimate_daily_demand([0, 0], [0, 0], fallback_daily_rate=3.0)
    np.float64(3.0)

    The store of :func:`lost_sales` that sells out every weekend: its weekday
    rate is 2, its weekend demand (learnt from the other store) 4.

    >>> weekday = [4, 4, 4, 4, 4, 8, 8]
    >>> sales = [weekday * 2, [2, 2, 2, 2, 2, 0, 0] * 2]
    >>> stock = [[9] * 14, [9, 7, 5, 3, 1, 0, 0] * 2]
    >>> estimate_daily_demand(sales, stock).tolist()
    [5.142857142857143, 2.0]
    >>> estimate_daily_demand(sales, stock, method="weekday", start="2026-03-02").round(4).tolist()
    [5.1429, 2.5714]
    """
    chosen = _method(method)
    first_weekday = _first_weekday(start, chosen) if chosen != "seed" else 0
    history = _history(sales, inventory, token_stock, exclude, axis)
    lead = history.sales.shape[:-1]
    if chosen == "seed":
        rate = _seed_rate(history)
    else:
        fit = _fit(history, chosen, first_weekday)
        days = history.sales.shape[-1]
        counted = (
            np.ones(fit.mean.shape, dtype=np.bool_)
            if history.counted is None
            else np.asarray(history.counted).reshape(-1, days)
        )
        count = np.count_nonzero(counted, axis=-1)
        total = np.sum(np.where(counted, fit.mean, 0.0), axis=-1)
        flat = np.full(count.shape, np.nan)
        np.divide(total, count, out=flat, where=count > 0)
        rate = flat.reshape(lead)
    if fallback_daily_rate is not None:
        fallback = broadcast_to_shape(
            np.asarray(quantities(fallback_daily_rate, "fallback_daily_rate"), dtype=np.float64),
            rate.shape,
            "fallback_daily_rate",
        )
        rate = np.where(np.isnan(rate), fallback, rate)
    return unwrap(np.asarray(rate, dtype=np.float64))  # type: ignore[no-any-return]

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
lost sales by about 35–45 % (more at high volume) and mean daily demand by
5–10 %; quotas set from it under-supply the stores that sell out fastest
(the "马太效应" of 篇3 problem 7). The methods here:

``"seed"``
    The source's formula within each cycle (the default, for compatibility):
    identical to :func:`~tobacco_metrics.stock.projected_stockout_sales` per
    cycle. Biased low by 35–70 % on every simulated district.
``"censored"``
    The recommended method. Daily demand is negative-binomial around
    ``μ[i, t] = level[i, week(t)] × shape[i, weekday(t)]``: a *local level*
    per series and calendar week (a random walk with week shocks around a
    series level that is itself a random effect around the district's, plus
    a district week effect such as a holiday week) and a weekday shape per
    series shrunk toward the district's; the dispersion is estimated per
    volume class. A day that closed at or below the stock a store sells
    down to is *right-censored* (demand ≥ sales), so a day that sold out
    at noon counts with its afternoon; with a known sell-out share F (the
    share of the day's expected demand before it sold out) its loss is
    ``μ (1 − F)(r + s)/(r + μ F)``. The fit is empirical Bayes (variances
    estimated from the data, pulled toward defaults so that one series
    alone is not left to estimate them), the tails closed-form (regularised
    incomplete beta), and it reports non-convergence with
    :class:`ConvergenceWarning`. A day's lost sales are
    ``E[D | D ≥ sales] − sales``.
``"weekday"``
    Deprecated (a ``DeprecationWarning``; it goes in 0.3): since the censored
    model replaced its level × weekday × week fit (which read the short sales
    of a day that sold out part-way as demand, and was worse than the formula
    everywhere) it is computed by the censored model and gives the same
    numbers. Use ``"censored"``.

Token stock (刻意留有库存): with ``token_stock`` > 0 the source counts a day
at or below it as a stockout for every store. The model methods censor such
a day only for the stores that hold the stock back (``hold_back``; by
default detected: a series that never closed below its token stock and
reached it); for the others a day closing at one carton was not out.

The model methods need the date of the first day (``start``) for the
weekdays and calendar weeks. They pool across the series of a call (a
district's weekday shape and week effects), but a single series per call is
estimated without bias too (``docs/lost-sales.md``).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Final, Literal, get_args

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics import _censored
from tobacco_metrics._daily import DailyData as _DailyData
from tobacco_metrics._daily import daily_data as _daily_data
from tobacco_metrics._daily import stockout_flags as _stockout_flags
from tobacco_metrics._daily import valid_day_rate as _valid_day_rate
from tobacco_metrics._daily import with_fallback as _with_fallback
from tobacco_metrics._dataframes import aligned_off_axis as _aligned_off_axis
from tobacco_metrics._deprecation import deprecated_method, warn_from_caller
from tobacco_metrics._labelled import keeps_labels
from tobacco_metrics._results import ReadOnlyCopies, as_result, read_only_fields, seal
from tobacco_metrics._typing import BoolArray, FloatArray, FloatResult
from tobacco_metrics._validation import (
    aligned,
    as_date,
    bool_mask,
    broadcast_to_shape,
    format_position,
    overflow_guard,
    quantities_or_nan,
    refuse_where,
)
from tobacco_metrics.errors import InvalidValueError, MissingDataError, ShapeMismatchError
from tobacco_metrics.stock import (
    projected_stockout_sales,
    stockout_days,
)

__all__ = [
    "LOST_SALES_METHODS",
    "ConvergenceWarning",
    "DemandFit",
    "LostSalesMethod",
    "estimate_daily_demand",
    "fit_demand",
    "lost_sales",
]

LostSalesMethod = Literal["seed", "weekday", "censored"]
"""The estimators of lost sales and mean daily demand: ``"seed"``, ``"censored"`` (and
``"weekday"``, a deprecated alias of ``"censored"``)."""

LOST_SALES_METHODS: Final[tuple[str, ...]] = get_args(LostSalesMethod)
"""The accepted ``method`` names, the default first."""


# --------------------------------------------------------------------------- inputs


def _history(
    sales: ArrayLike,
    inventory: ArrayLike,
    token_stock: ArrayLike,
    exclude: ArrayLike | None,
    axis: int | None,
) -> _DailyData:
    """Validated daily data with the day axis moved last (the stock formulas' own checks)."""
    return _daily_data(sales, inventory, token_stock, exclude, axis)


def _model_options(
    sales: ArrayLike, history: _DailyData, hold_back: Any, sellout_share: Any
) -> tuple[Any, Any]:
    """``hold_back`` (one per series) and ``sellout_share`` (one per day) paired with
    labelled ``sales`` by label, never by position."""
    hold = _aligned_off_axis(hold_back, "hold_back", sales, "sales", history.day_axis)
    share = aligned(("sales", sales), ("sellout_share", sellout_share))[1]
    return hold, share


def _seed_rate(history: _DailyData) -> FloatArray:
    """Σ sales on valid days / valid days (valid: counted and not a stockout day); NaN if none."""
    valid = ~_stockout_flags(history)
    if history.counted is not None:
        valid &= history.counted
    total = np.sum(history.sales, axis=-1, dtype=np.float64, where=valid)
    return _valid_day_rate(total, np.count_nonzero(valid, axis=-1))


def _method(method: object) -> str:
    if not isinstance(method, str):
        raise TypeError(f"'method' must be a str, got {type(method).__name__}")
    if method not in LOST_SALES_METHODS:
        names = ", ".join(repr(name) for name in LOST_SALES_METHODS)
        raise InvalidValueError(f"'method' must be one of {names}: {method!r}")
    deprecated_method(method)
    return method


def _first_weekday(start: object, method: str) -> int:
    if start is None:
        raise MissingDataError(
            f"method={method!r} needs 'start', the date of the first day of the history, "
            "to know each day's weekday"
        )
    return as_date(start, "start").weekday()


def _cycle_days(value: object) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"'cycle_days' must be an int, got {type(value).__name__}")
    if value < 1:
        raise InvalidValueError(f"'cycle_days' must be >= 1: {value}")
    return int(value)


def _whole_sales(sales: NDArray[Any]) -> None:
    """Sales a count model can take: whole numbers."""
    if sales.dtype.kind == "f":
        fractional = sales != np.floor(sales)
        if fractional.any():
            first = tuple(int(i) for i in np.argwhere(fractional)[0])
            raise InvalidValueError(
                f"'sales' must be whole numbers for method='censored' (a count model): "
                f"{sales[first]} at index {format_position(first)} (day axis last); "
                "count in packs if the data hold fractions of a carton"
            )


# --------------------------------------------------------------------------- the model


MAX_MODEL_DAILY_SALES = 1_000_000
"""The largest day of sales [cartons] the censored-demand model takes (see ``_run_model``)."""


class ConvergenceWarning(UserWarning):
    """The censored-demand fit stopped at its iteration cap before converging.

    The estimate is still returned (the last iterate); :func:`fit_demand`
    reports the iterations and whether it converged. A subclass of
    :class:`UserWarning`, so ``warnings.simplefilter("error", ConvergenceWarning)``
    turns it into an error where a silent cap is not acceptable.

    Examples
    --------
    >>> issubclass(ConvergenceWarning, UserWarning)
    True
    """


@attrs.frozen(eq=False, field_transformer=read_only_fields)
class DemandFit(ReadOnlyCopies):
    """The censored-demand model fitted to a history (:func:`fit_demand`): 需求, 预计脱销销售.

    Attributes
    ----------
    mean : ndarray of float64
        Expected demand of each day, μ̂ [cartons/day]; the shape of ``sales``.
        NaN for a series with no day that closed with stock to learn from.
    lost : ndarray of float64
        Expected lost sales of each day [cartons]: 0 on a day that closed
        with stock, ``E[D | D >= sales] − sales`` on a censored day (a
        sell-out share given: ``μ (1 − F)(r + s)/(r + μ F)``); NaN on a
        censored day of a series that cannot be estimated.
    dispersion : ndarray of float64
        Negative-binomial size r of each series' daily demand (variance
        ``μ + μ²/r``); the shape of ``sales`` without the day axis; NaN where
        not estimated.
    iterations : int
        Iterations the fit took.
    converged : bool
        Whether the largest change of a log level or shape in the last
        iteration was below 1e-4 (else a :class:`ConvergenceWarning` was issued).

    Examples
    --------
    >>> fit = fit_demand([5, 5, 5, 5, 5, 0, 0], [10, 10, 10, 10, 10, 0, 0], start="2026-03-02")
    >>> fit.lost.round(1).tolist()
    [0.0, 0.0, 0.0, 0.0, 0.0, 5.0, 5.0]
    >>> bool(fit.converged), bool(fit.mean.flags.writeable)
    (True, False)
    """

    mean: FloatArray
    lost: FloatArray
    dispersion: FloatArray
    iterations: int
    converged: bool


@attrs.frozen
class _ModelRun:
    mean: FloatArray  # (N, T)
    lost: FloatArray  # (N, T)
    dispersion: FloatArray  # (N,)
    report: _censored.Report


def _hold_back(value: ArrayLike | None, history: _DailyData) -> BoolArray:
    """Which series sell down only to their token stock: given, or detected.

    Detected (``None``): a series that never closed below its token stock on a
    counted day and closed at it at least once keeps it back.
    """
    lead = history.sales.shape[:-1]
    if value is not None:
        given = broadcast_to_shape(bool_mask(value, "hold_back"), lead, "hold_back")
        return np.asarray(given, dtype=np.bool_)
    inventory, token = history.inventory, history.token_stock
    counted = np.ones(inventory.shape, np.bool_) if history.counted is None else history.counted
    below = np.any((inventory < token) & counted, axis=-1)
    at = np.any((inventory <= token) & counted & (token > 0), axis=-1)
    return np.asarray(at & ~below, dtype=np.bool_)


def _sellout_share(value: ArrayLike | None, shape: tuple[int, ...], day_axis: int) -> Any:
    if value is None:
        return None
    share = np.asarray(quantities_or_nan(value, "sellout_share"), dtype=np.float64)
    above = share > 1
    if above.any():
        first = tuple(int(i) for i in np.argwhere(above)[0])
        raise InvalidValueError(
            f"'sellout_share' must be <= 1: {share[first]} at index {format_position(first)}"
        )
    full = broadcast_to_shape(share, shape, "sellout_share")
    return np.moveaxis(full, day_axis, -1)


def _model(
    history: _DailyData,
    method: str,
    first_weekday: int,
    hold_back: ArrayLike | None,
    sellout_share: ArrayLike | None,
    shape: tuple[int, ...],
) -> _ModelRun:
    if method == "censored":
        _whole_sales(np.asarray(history.sales))
    return _run_model(history, first_weekday, hold_back, sellout_share, shape)


def _stock_covariate(
    sales: NDArray[Any], inventory: NDArray[Any], counted: BoolArray
) -> FloatArray:
    """(N,) log of the largest stock a series opened a counted day with; NaN if none.

    The level prior of the censored model regresses on it (a quota is set
    from expected demand). Worked per block of series: memory.
    """
    n = sales.shape[0]
    held = np.zeros(n)
    block = max(1, (1 << 16) // max(sales.shape[1], 1))
    for begin in range(0, n, block):
        part = slice(begin, begin + block)
        opening = np.asarray(inventory[part], dtype=np.float64) + sales[part]
        held[part] = np.where(counted[part], opening, 0.0).max(axis=1, initial=0.0)
    result: FloatArray = np.full(n, np.nan)
    np.log(held, out=result, where=held > 0)
    return result


def _stores(lead: tuple[int, ...]) -> NDArray[np.int64] | None:
    """(N,) the store of each series: all leading axes but the last (brands); None with one."""
    if len(lead) < 2:
        return None
    brands = max(lead[-1], 1)
    return np.arange(math.prod(lead), dtype=np.int64) // brands


def _run_model(
    history: _DailyData,
    first_weekday: int,
    hold_back: ArrayLike | None,
    sellout_share: ArrayLike | None,
    shape: tuple[int, ...],
) -> _ModelRun:
    """Fit the censored model on the history flattened to (series, days)."""
    days = history.sales.shape[-1]
    # Integer sales stay in their dtype (cast per block of series by the fit): memory.
    raw = np.asarray(history.sales)
    # The fit's cost grows with the largest day's sales: a bound keeps a mistyped
    # quantity (or one in sticks) from running for hours or exhausting memory.
    refuse_where(
        raw > MAX_MODEL_DAILY_SALES,
        raw,
        f"'sales' must be <= {MAX_MODEL_DAILY_SALES:,} cartons a day for the demand model "
        "(a larger day is a data error, or the quantities are not in cartons)",
    )
    sales = raw.reshape(-1, days) if raw.dtype.kind in "iu" else raw.astype(np.float64)
    sales = sales.reshape(-1, days)
    n = sales.shape[0]
    keeps = _hold_back(hold_back, history).reshape(-1, 1)
    inventory = np.asarray(history.inventory).reshape(-1, days)
    token = np.asarray(history.token_stock).reshape(-1, days)
    counted = (
        np.ones((n, days), np.bool_)
        if history.counted is None
        else np.asarray(history.counted).reshape(-1, days)
    )
    censored = inventory <= 0
    if keeps.any():
        censored |= keeps & (inventory <= token)
    censored &= counted
    share = _sellout_share(sellout_share, shape, history.day_axis)
    data = _censored.Data(
        sales=_censored.period_layout(sales, 0.0, first_weekday),
        censored=_censored.period_layout(censored, False, first_weekday),
        counted=_censored.period_layout(counted, False, first_weekday),
        share=None
        if share is None
        else _censored.period_layout(np.asarray(share).reshape(-1, days), np.nan, first_weekday),
        whole=sales.dtype.kind in "iu" or bool(np.all(sales == np.floor(sales))),
        stock=_stock_covariate(sales, inventory, counted),
        group=_stores(history.sales.shape[:-1]),
    )
    fit = _censored.fit(data)
    if not fit.report.converged:
        warn_from_caller(
            f"the censored-demand fit did not converge in {fit.report.iterations} iterations "
            f"(last change {fit.report.change:.2g} in log demand); the estimate is the last "
            "iterate",
            ConvergenceWarning,
        )
    mean, lost = _censored.daily(data, fit)
    dispersion = np.full(n, np.nan)
    dispersion[fit.rows] = fit.state.size
    dispersion[fit.zero] = np.inf
    window = slice(first_weekday, first_weekday + days)
    cells = data.periods * 7  # not -1: a call without series has 0 of them
    return _ModelRun(
        mean=mean.reshape(n, cells)[:, window],
        lost=lost.reshape(n, cells)[:, window],
        dispersion=dispersion,
        report=fit.report,
    )


# --------------------------------------------------------------------------- public


@keeps_labels(day_dim="date")
@overflow_guard
def lost_sales(
    sales: ArrayLike,
    inventory: ArrayLike,
    *,
    method: LostSalesMethod = "seed",
    start: dt.date | str | np.datetime64 | None = None,
    cycle_days: int = 7,
    token_stock: ArrayLike = 0,
    axis: int | None = None,
    hold_back: ArrayLike | None = None,
    sellout_share: ArrayLike | None = None,
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
        The day axis. Default: the last axis (a labelled input of two or more
        dimensions, such as a DataFrame, must name it).
    hold_back : bool or array_like of bool, optional
        Model methods: which series sell down only to their token stock
        (刻意留有库存), broadcast to the series (``sales`` without the day
        axis). Their days at or below ``token_stock`` are censored; the other
        series' only at 0. Default ``None``: detected, a series that never
        closed below its token stock on a counted day and reached it.
    sellout_share : array_like, optional
        Model methods: on a censored day, the share F in [0, 1] of its
        expected demand that came before it sold out (from the sell-out time
        and an hourly profile: F = profile's cumulative share at that time);
        NaN where unknown. Broadcast against ``sales``; ignored on days that
        closed with stock.

    Returns
    -------
    ndarray of float64
        Lost sales per cycle [cartons]; the shape of ``sales`` with the day
        axis replaced by a cycle axis of length ``days // cycle_days`` (for
        the default axis: leading axes × cycles). NaN where the loss cannot be
        estimated: with ``"seed"``, a cycle without an effective day; with the
        model methods, a cycle with a censored day in a series that has no
        day that closed with stock to learn its demand from.

    Raises
    ------
    InvalidValueError
        Unknown ``method``; negative or non-finite data; ``cycle_days`` < 1;
        fractional sales with ``"censored"``; a ``sellout_share`` above 1.
    ShapeMismatchError
        ``sales`` and ``inventory`` differ in shape, ``token_stock``,
        ``hold_back`` or ``sellout_share`` do not broadcast, or the history is
        not a whole number of cycles.
    MissingDataError
        ``start`` is missing for ``"weekday"`` or ``"censored"``.
    EmptyInputError
        The day axis is empty.

    Notes
    -----
    ``"seed"``: per cycle ``P = A / E × S`` with S the stockout days (no sales
    and stock ≤ token stock), E = cycle days − S, A the cycle's sales
    (:func:`~tobacco_metrics.stock.projected_stockout_sales`).

    ``"censored"`` (and ``"weekday"``, now the same model): demand
    ``D ~ NB(μ, r)`` with ``log μ[i, t] = ℓ[i, week(t)] + k[i, weekday(t)]``
    fitted by empirical Bayes (module docstring, :func:`fit_demand`). A day
    that closed with stock ≤ the sell-down stock (token stock for a store
    that holds back, else 0) is censored; its loss is
    ``E[D | D ≥ s] − s`` (``s`` its sales; μ̂ when it sold nothing), or
    ``μ (1 − F)(r + s)/(r + μ F)`` with a sell-out share F. The cycle's loss
    sums its days; a day that closed with stock lost nothing. Cost per cell
    does not grow with the volumes (closed-form tails).

    Examples
    --------
    The worked example: 30 cartons on 5 days, 2 stockout days → 12.

    >>> lost_sales([6, 8, 0, 5, 0, 7, 4], [20, 12, 0, 25, 0, 18, 14]).tolist()
    [12.0]

    Two weeks of two stores delivered on Monday 2026-03-02; the second sells
    out on Saturday and Sunday, when the first (always in stock) sells twice
    its weekday rate. The source's formula values those days at the week's
    average; the censored model above it (its weekend shape is shrunk toward
    the district's, which it learns from the first store):

    >>> weekday = [4, 4, 4, 4, 4, 8, 8]
    >>> sales = [weekday * 2, [2, 2, 2, 2, 2, 0, 0] * 2]
    >>> stock = [[9] * 14, [9, 7, 5, 3, 1, 0, 0] * 2]
    >>> lost_sales(sales, stock).tolist()
    [[0.0, 0.0], [4.0, 4.0]]
    >>> lost_sales(sales, stock, method="censored", start="2026-03-02").round(1).tolist()
    [[0.0, 0.0], [6.3, 6.3]]
    """
    chosen = _method(method)
    length = _cycle_days(cycle_days)
    first_weekday = _first_weekday(start, chosen) if chosen != "seed" else 0
    history = _history(sales, inventory, token_stock, None, axis)
    hold_back, sellout_share = _model_options(sales, history, hold_back, sellout_share)
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
        run = _model(history, chosen, first_weekday, hold_back, sellout_share, np.shape(sales))
        lost = run.lost.reshape(*lead, cycles, length).sum(axis=-1)
    result: FloatArray = np.moveaxis(np.asarray(lost, dtype=np.float64), -1, history.day_axis)
    return result


@keeps_labels(day_dim="date")
@overflow_guard
def estimate_daily_demand(
    sales: ArrayLike,
    inventory: ArrayLike,
    *,
    method: LostSalesMethod = "seed",
    start: dt.date | str | np.datetime64 | None = None,
    token_stock: ArrayLike = 0,
    exclude: ArrayLike | None = None,
    fallback_daily_rate: ArrayLike | None = None,
    axis: int | None = None,
    hold_back: ArrayLike | None = None,
    sellout_share: ArrayLike | None = None,
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
        The day axis. Default: the last axis (a labelled input of two or more
        dimensions, such as a DataFrame, must name it).
    hold_back : bool or array_like of bool, optional
        Model methods: which series hold their token stock back; default
        detected (see :func:`lost_sales`).
    sellout_share : array_like, optional
        Model methods: the sell-out share F of censored days, NaN where
        unknown (see :func:`lost_sales`).

    Returns
    -------
    numpy.float64 or ndarray of float64
        Mean daily demand [cartons/day]; the shape of ``sales`` without the
        day axis (a scalar for one series).

    Raises
    ------
    InvalidValueError
        Unknown ``method``; negative or non-finite data or fallback;
        fractional sales with ``"censored"``; a ``sellout_share`` above 1.
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

    ``"weekday"`` and ``"censored"`` (the same model): the fitted expected
    demand μ̂ of :func:`lost_sales` averaged over the counted days, stockout
    days included (they are where demand was highest). Not estimable, hence
    fallback or NaN: a series without a counted day that closed with stock.
    A series that never sold on a counted day has demand 0.

    Examples
    --------
    >>> estimate_daily_demand([6, 8, 0, 5, 0, 7, 4], [20, 12, 0, 25, 0, 18, 14])
    np.float64(6.0)
    >>> estimate_daily_demand([0, 0], [0, 0], fallback_daily_rate=3.0)
    np.float64(3.0)

    The store of :func:`lost_sales` that sells out every weekend: its weekday
    rate is 2, its weekend demand read partly from the other store's shape.

    >>> weekday = [4, 4, 4, 4, 4, 8, 8]
    >>> sales = [weekday * 2, [2, 2, 2, 2, 2, 0, 0] * 2]
    >>> stock = [[9] * 14, [9, 7, 5, 3, 1, 0, 0] * 2]
    >>> estimate_daily_demand(sales, stock).tolist()
    [5.142857142857143, 2.0]
    >>> estimate_daily_demand(sales, stock, method="censored", start="2026-03-02").round(2).tolist()
    [5.15, 2.33]
    """
    chosen = _method(method)
    first_weekday = _first_weekday(start, chosen) if chosen != "seed" else 0
    history = _history(sales, inventory, token_stock, exclude, axis)
    hold_back, sellout_share = _model_options(sales, history, hold_back, sellout_share)
    fallback_daily_rate = _aligned_off_axis(
        fallback_daily_rate, "fallback_daily_rate", sales, "sales", history.day_axis
    )
    lead = history.sales.shape[:-1]
    if chosen == "seed":
        rate = _seed_rate(history)
    else:
        run = _model(history, chosen, first_weekday, hold_back, sellout_share, np.shape(sales))
        days = history.sales.shape[-1]
        counted = (
            np.ones(run.mean.shape, dtype=np.bool_)
            if history.counted is None
            else np.asarray(history.counted).reshape(-1, days)
        )
        count = np.count_nonzero(counted, axis=-1)
        total = np.sum(np.where(counted, run.mean, 0.0), axis=-1)
        flat = np.full(count.shape, np.nan)
        np.divide(total, count, out=flat, where=count > 0)
        rate = flat.reshape(lead)
    rate = _with_fallback(rate, fallback_daily_rate)
    return as_result(np.asarray(rate, dtype=np.float64))


@keeps_labels(day_dim="date")
@overflow_guard
def fit_demand(
    sales: ArrayLike,
    inventory: ArrayLike,
    *,
    start: dt.date | str | np.datetime64,
    token_stock: ArrayLike = 0,
    exclude: ArrayLike | None = None,
    hold_back: ArrayLike | None = None,
    sellout_share: ArrayLike | None = None,
    axis: int | None = None,
) -> DemandFit:
    """Fit the censored-demand model (``method="censored"``) and report how the fit went.

    The expected demand (需求) and expected lost sales (预计脱销销售) of every
    day of a history, for stores whose sold-out days hide their demand.

    Parameters
    ----------
    sales, inventory, start, token_stock, exclude, hold_back, sellout_share, axis
        As for :func:`lost_sales` and :func:`estimate_daily_demand`; ``sales``
        must be whole numbers (a count model).

    Returns
    -------
    DemandFit
        Expected demand and expected lost sales of every day (day axis where
        it was in ``sales``), the dispersion of each series, the iterations
        and whether the fit converged.

    Raises
    ------
    InvalidValueError, ShapeMismatchError, EmptyInputError, TypeError
        As for :func:`lost_sales`; a ``sellout_share`` outside [0, 1].

    Warns
    -----
    ConvergenceWarning
        The fit stopped at its iteration cap (200) before converging.

    Notes
    -----
    The model, the data it reads and the fit are described in the module
    docstring and ``docs/lost-sales.md``. ``lost_sales(..., method="censored")``
    is ``fit.lost`` summed per cycle; ``estimate_daily_demand`` is ``fit.mean``
    averaged over the counted days.

    Examples
    --------
    A store that sold four cartons a day and sold out on the Friday (three
    sold) and stayed out over the weekend, for four weeks:

    >>> fit = fit_demand([4, 4, 4, 4, 3, 0, 0] * 4, [15, 11, 7, 3, 0, 0, 0] * 4, start="2026-03-02")
    >>> fit.converged, fit.mean.shape
    (True, (28,))
    >>> bool((fit.lost[:4] == 0).all()), bool((fit.lost[4:7] > 0).all())
    (True, True)
    """
    first_weekday = as_date(start, "start").weekday()
    history = _history(sales, inventory, token_stock, exclude, axis)
    hold_back, sellout_share = _model_options(sales, history, hold_back, sellout_share)
    _whole_sales(np.asarray(history.sales))
    run = _run_model(history, first_weekday, hold_back, sellout_share, np.shape(sales))
    lead = history.sales.shape[:-1]
    days = history.sales.shape[-1]
    # Fresh arrays nobody else holds: sealed, so the result keeps them without a copy.
    mean = seal(np.moveaxis(run.mean.reshape(*lead, days), -1, history.day_axis))
    lost = seal(np.moveaxis(run.lost.reshape(*lead, days), -1, history.day_axis))
    return DemandFit(
        mean=mean,
        lost=lost,
        dispersion=run.dispersion.reshape(lead),
        iterations=run.report.iterations,
        converged=run.report.converged,
    )

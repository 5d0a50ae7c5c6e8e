"""Quota decisions: review a quota, set one by service level, read days of cover.

The stock metrics (篇3: 脱销天数, 销售满足度, 存销比) are measured so that a
customer manager can act on them — raise a store's quota (合理定量基数), hold
it while supply is short, cut it when stock piles up (涨库), and never raise
it without limit ("我们不可能无限增大超市的卷烟基数"). This module turns the
metrics into those acts:

- :func:`quota_review` — per series, over a review window of whole cycles:
  raise, cut or hold the quota, with the reasons;
- :func:`service_quota` — the smallest whole-carton quota per cycle whose
  expected fill rate reaches a target under the fitted demand model;
- :func:`cover_status` — days of cover (存销比) read as short, ok or overstock.

Every threshold is a keyword with a default; the defaults are the library's
choice, not the source's (the source says "在合理范围" and gives no number).
The stock rules come from :func:`~tobacco_metrics.stock.cycle_metrics` and
the demand from :func:`~tobacco_metrics.demand.estimate_daily_demand`; this
module only decides.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, get_args

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics._cartons import round_cartons
from tobacco_metrics._chunked import Scan, scanned_daily
from tobacco_metrics._cycle import fulfilment
from tobacco_metrics._dataframes import last_day_axis
from tobacco_metrics._dispersion import moment_dispersion
from tobacco_metrics._html import notebook_table, quota_review_html, review_reasons_html
from tobacco_metrics._labelled import keeps_labels
from tobacco_metrics._negbin import fill_rate_quota
from tobacco_metrics._results import ReadOnlyCopies, as_result, read_only_fields
from tobacco_metrics._review import (
    Evidence,
    count_true,
    evidence,
    void_cycles,
    window_evidence,
)
from tobacco_metrics._series_labels import unique_labels
from tobacco_metrics._typing import BoolResult, FloatArray, FloatResult, IntResult, StrResult
from tobacco_metrics._validation import (
    aligned,
    as_date,
    as_real_array,
    bool_mask,
    broadcast_to_shape,
    check_exact,
    check_finite,
    check_whole,
    fraction,
    integer,
    non_negative_scalar,
    offender,
    overflow_guard,
    quantities,
    quantities_or_nan,
    require_days,
    same_shape,
    unwrap,
)
from tobacco_metrics.demand import LostSalesMethod
from tobacco_metrics.errors import InvalidValueError, ShapeMismatchError
from tobacco_metrics.quota import base_daily_rate
from tobacco_metrics.stock import cycle_metrics

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COVER_STATUSES",
    "REVIEW_ACTIONS",
    "REVIEW_REASONS",
    "CoverStatus",
    "QuotaReview",
    "ReviewAction",
    "ReviewReason",
    "ReviewReasons",
    "cover_status",
    "quota_review",
    "service_quota",
]

ReviewAction = Literal["raise", "cut", "hold"]
"""What :func:`quota_review` proposes for a quota."""

REVIEW_ACTIONS: Final[tuple[str, ...]] = get_args(ReviewAction)
"""The actions of a quota review."""

ReviewReason = Literal["stockouts", "capped", "overstock", "rationed", "in_range", "no_history"]
"""Why :func:`quota_review` proposed what it did (see :class:`ReviewReasons`)."""

REVIEW_REASONS: Final[tuple[str, ...]] = get_args(ReviewReason)
"""The reasons of a quota review, in the order :meth:`ReviewReasons.as_tuples` lists them."""

CoverStatus = Literal["short", "ok", "overstock", "unknown"]
"""Days of cover read against a range: below it, inside it, above it (涨库), or NaN."""

COVER_STATUSES: Final[tuple[str, ...]] = get_args(CoverStatus)
"""The statuses :func:`cover_status` returns."""

_FIT_MONDAY: Final = dt.date(2001, 1, 1)  # a Monday: day 0 when the caller gives no start
# The exact sum steps over carton counts from mean − 10 sd to Q (about 12 sd): cycle
# demand more spread than this, or larger (log-pmf precision), is refused rather than run long.
_MAX_CYCLE_SD: Final = 2e4
_MAX_CYCLE_DEMAND: Final = 1e9
# A negative-binomial size above this is Poisson to float precision (and lgamma's range).
_POISSON_SIZE: Final = 1e15


# --------------------------------------------------------------------------- checks


def _cover_range(value: object) -> tuple[float, float]:
    """(low, high) days of cover, 0 <= low <= high; high may be +inf (never overstock)."""
    if isinstance(value, np.ndarray) and value.shape == (2,):  # e.g. np.array([2, 7])
        value = tuple(value.tolist())
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"'cover_range' must be a (low, high) tuple of days, got {value!r}")
    low = non_negative_scalar(value[0], "cover_range[0]")
    high_value = value[1]
    if isinstance(high_value, (float, np.floating)) and math.isinf(high_value) and high_value > 0:
        high = math.inf
    else:
        high = non_negative_scalar(high_value, "cover_range[1]")
    if low > high:
        raise InvalidValueError(f"'cover_range' must satisfy low <= high: {tuple(value)}")
    return low, high


def _whole_cartons(value: ArrayLike, name: str, *, allow_nan: bool = False) -> FloatArray:
    """Whole cartons >= 0 as float64 (NaN kept when ``allow_nan``)."""
    array = (quantities_or_nan if allow_nan else quantities)(value, name)
    check_whole(array, name)
    check_exact(array, name)
    return np.asarray(array, dtype=np.float64)


def _daily(
    sales: ArrayLike, inventory: ArrayLike, scanned: Scan | None = None
) -> tuple[NDArray[Any], NDArray[Any]]:
    """Sales and stock checked (``scanned``: their values were, by :func:`scanned_daily`)."""
    if scanned is None:
        sales_array = quantities(sales, "sales")
        inventory_array = quantities(inventory, "inventory")
    else:
        sales_array, inventory_array = np.asarray(sales), np.asarray(inventory)
    same_shape(sales_array, inventory_array, ("sales", "inventory"))
    if sales_array.ndim == 0:
        raise ShapeMismatchError(
            "'sales' must have a day axis (last), got a scalar; pass one value per day"
        )
    require_days(sales_array.shape[-1], "sales")
    return sales_array, inventory_array


def _excluded_days(exclude: ArrayLike | None, shape: tuple[int, ...]) -> NDArray[np.bool_] | None:
    """The days not counted (holidays, closures) as a mask of the daily data's shape."""
    return (
        None
        if exclude is None
        else broadcast_to_shape(bool_mask(exclude, "exclude"), shape, "exclude")
    )


def _fit_start(start: dt.date | str | np.datetime64 | None) -> dt.date:
    """The date given (checked, whatever the method), or a Monday standing for day 0."""
    return _FIT_MONDAY if start is None else as_date(start, "start")


def _daily_demand(
    sales: NDArray[Any],
    inventory: NDArray[Any],
    token: NDArray[Any],
    method: LostSalesMethod,
    start: dt.date,
    excluded: NDArray[np.bool_] | None = None,
) -> FloatArray:
    """Estimated daily demand per series: :func:`~tobacco_metrics.base_daily_rate`, float64."""
    rate = base_daily_rate(
        sales, inventory, token_stock=token, method=method, start=start, exclude=excluded
    )
    return np.asarray(rate, dtype=np.float64)


# --------------------------------------------------------------------------- cover status


@keeps_labels
def cover_status(cover: ArrayLike, cover_range: tuple[float, float] = (2.0, 7.0)) -> StrResult:
    """Days of cover (存销比) read against a range: ``"short"``, ``"ok"`` or ``"overstock"`` (涨库).

    The source asks managers to keep 存销比 "在合理范围" (within a reasonable
    range) and to avoid 涨库 (stock piling up); the range is yours to set.

    Parameters
    ----------
    cover : array_like
        Days of cover [days], as
        ``CycleMetrics.stock_to_sales_ratio`` holds them;
        >= 0, +inf allowed (stock and no sales), NaN allowed (unknown).
    cover_range : (float, float), optional
        ``(low, high)`` [days], 0 <= low <= high; ``high`` may be ``math.inf``;
        a tuple, a list or a numpy array of the two.
        Default (2, 7): the library's choice, a week's delivery cycle at most
        and two days of safety at least.

    Returns
    -------
    numpy.str_ or ndarray of str
        Per element: ``"short"`` below ``low``, ``"ok"`` in ``[low, high]``,
        ``"overstock"`` above ``high``, ``"unknown"`` for NaN.

    Raises
    ------
    InvalidValueError
        A negative cover, or a malformed range.
    TypeError
        A cover that is not numeric; a range that is not a pair of numbers.

    Notes
    -----
    Both ends of the range are inside it. Cover 0 (no stock) is short
    whenever ``low > 0``; +inf (stock, nothing sold) is overstock whenever
    ``high`` is finite. NaN — a cover that cannot be known, such as a mean
    over no cycle — is ``"unknown"``: never counted as ok.

    Examples
    --------
    >>> cover_status(3.27)
    np.str_('ok')
    >>> cover_status([0.0, 2.0, 7.0, 7.5, float("inf"), float("nan")]).tolist()
    ['short', 'ok', 'ok', 'overstock', 'overstock', 'unknown']
    >>> cover_status([1.0, 10.0], cover_range=(0.0, 14.0)).tolist()
    ['ok', 'ok']
    """
    low, high = _cover_range(cover_range)
    values = np.asarray(as_real_array(cover, "cover"), dtype=np.float64)
    negative = values < 0
    if negative.any():
        raise InvalidValueError(f"'cover' must be >= 0: {offender(negative, values)}")
    status = np.full(values.shape, "ok", dtype="<U9")
    status[values < low] = "short"
    status[values > high] = "overstock"
    status[np.isnan(values)] = "unknown"
    return as_result(status)


# --------------------------------------------------------------------------- quota review


@attrs.frozen(eq=False, field_transformer=read_only_fields)
class ReviewReasons(ReadOnlyCopies):
    """Why a quota review proposed what it did: one boolean per series and reason.

    Each field is a read-only bool array over the series (a numpy bool for
    one series). A series may have several reasons (``stockouts`` and
    ``capped``); ``in_range`` excludes every other reason.

    Attributes
    ----------
    stockouts : bool
        Pooled fulfilment (销售满足度) over the unrationed cycles is below the
        target: evidence for a raise.
    capped : bool
        The proposal was limited, by ``max_change`` ("不可能无限增大基数") or by
        ``max_quota`` (控量, a controlled-supply brand's ceiling).
    overstock : bool
        No stockout day in the window and mean days of cover above the range
        (涨库): evidence for a cut.
    rationed : bool
        Every cycle with a stockout was rationed (delivered less than the
        quota): the stockouts say nothing about the quota
        ("不必要急于调整基数").
    in_range : bool
        None of the above: fulfilment at target, cover not above the range.
    no_history : bool
        The window holds no day to estimate demand from: the quota is kept.
    """

    stockouts: BoolResult
    capped: BoolResult
    overstock: BoolResult
    rationed: BoolResult
    in_range: BoolResult
    no_history: BoolResult

    _repr_html_ = notebook_table(review_reasons_html)

    def as_tuples(self) -> Any:
        """The reasons' names per series: a tuple of str for one series, else an object array.

        Names are listed in the order of :data:`REVIEW_REASONS`.
        """
        named = self._named()
        return named[()] if named.ndim == 0 else named

    def _named(self) -> NDArray[np.object_]:
        flags = [np.asarray(getattr(self, name)) for name in REVIEW_REASONS]
        shape = flags[0].shape
        named = np.empty(shape, dtype=object)
        for index in np.ndindex(shape):
            named[index] = tuple(
                name for name, flag in zip(REVIEW_REASONS, flags, strict=True) if flag[index]
            )
        return named


@attrs.frozen(eq=False, field_transformer=read_only_fields)
class QuotaReview(ReadOnlyCopies):
    """The result of :func:`quota_review`, one value per series.

    Each field is a read-only array over the series (leading axes of the
    daily data), or a numpy scalar for one series.

    Attributes
    ----------
    quota : int64
        The quota under review [cartons/cycle].
    demand : float64
        Estimated demand per cycle, daily demand × cycle days [cartons/cycle];
        NaN when it cannot be estimated (``no_history``).
    proposed : int64
        The proposed quota [cartons/cycle], whole cartons.
    action : str
        ``"raise"`` (proposed > quota), ``"cut"`` (proposed < quota) or ``"hold"``.
    reasons : ReviewReasons
        Why, one boolean per reason and series.
    fulfilment : float64
        Pooled fulfilment ratio ΣA / (ΣA + ΣP) (销售满足度) over the unrationed
        cycles; NaN when every cycle was rationed or demand has no estimate.
    cover : float64
        Mean days of cover (存销比) over the window's cycles [days]; +inf if a
        cycle ended with stock and no sales.
    rationed_cycles : int64
        Cycles in the window delivered less than the quota [cycles].
    """

    quota: IntResult
    demand: FloatResult
    proposed: IntResult
    action: NDArray[np.str_]
    reasons: ReviewReasons
    fulfilment: FloatResult
    cover: FloatResult
    rationed_cycles: IntResult

    _repr_html_ = notebook_table(quota_review_html, REVIEW_ACTIONS)

    def to_frame(self, index: Sequence[Any] | None = None) -> pd.DataFrame:
        """The review as a pandas DataFrame, one row per series (needs pandas).

        Parameters
        ----------
        index : sequence, optional
            Row labels (a pandas Index or a sequence), one per series in C
            order (``numpy.ravel``). Default: the series' positions, a
            MultiIndex for two or more leading axes.

        Returns
        -------
        pandas.DataFrame
            Columns ``quota``, ``demand``, ``proposed``, ``action``,
            ``reasons`` (names joined by ``"+"``, ``""`` for none),
            ``fulfilment``, ``cover``, ``rationed_cycles``, then one bool
            column per reason.
        """
        import pandas as pd

        shape = np.shape(self.quota)
        count = int(np.prod(shape))
        columns: dict[str, Any] = {
            name: np.asarray(getattr(self, name)).reshape(-1)
            for name in ("quota", "demand", "proposed", "action")
        }
        named = self.reasons._named().reshape(-1)
        columns["reasons"] = ["+".join(reasons) for reasons in named]
        for name in ("fulfilment", "cover", "rationed_cycles"):
            columns[name] = np.asarray(getattr(self, name)).reshape(-1)
        for name in REVIEW_REASONS:
            columns[name] = np.asarray(getattr(self.reasons, name)).reshape(-1)
        if index is not None:
            if isinstance(index, (str, bytes)):
                raise TypeError(
                    f"'index' must be a sequence of row labels, got {type(index).__name__} "
                    f"{index!r}"
                )
            rows: Any = index if isinstance(index, pd.Index) else pd.Index(list(index))
            if len(rows) != count:
                raise ShapeMismatchError(
                    f"'index' must hold one label per series ({count}): {len(rows)} labels"
                )
            unique_labels("index", rows)
        elif len(shape) >= 2:
            rows = pd.MultiIndex.from_tuples(
                list(np.ndindex(shape)), names=[f"axis_{i}" for i in range(len(shape))]
            )
        else:
            rows = pd.RangeIndex(count, name="series")
        frame: pd.DataFrame = pd.DataFrame(columns, index=rows)
        return frame


def _per_series(
    value: ArrayLike, shape: tuple[int, ...], name: str, *, allow_nan: bool = False
) -> FloatArray:
    return broadcast_to_shape(_whole_cartons(value, name, allow_nan=allow_nan), shape, name)


def _rate_and_evidence(
    sales: NDArray[Any],
    inventory: NDArray[Any],
    token: NDArray[Any],
    length: int,
    rationed: NDArray[np.bool_] | None,
    method: LostSalesMethod,
    start: dt.date,
    scanned: Scan | None,
    out: tuple[NDArray[np.bool_], NDArray[np.bool_]] | None = None,
) -> tuple[FloatArray, Evidence]:
    """The daily demand per series and the :func:`evidence` of the window's cycles.

    A large plain panel (``scanned``) is read once more for both when the
    seed rate can come from the cycles' totals; otherwise the rate first,
    then its cycles.  ``rationed`` None: no cycle rationed.  ``out``: the excluded
    days and void cycles (every day excluded), or None.
    """
    found = None
    if scanned is not None and method == "seed":
        found = window_evidence(sales, inventory, token, length, scanned, rationed, None, out)
    if found is None:
        rate = _daily_demand(
            sales, inventory, token, method, start, None if out is None else out[0]
        )
        if scanned is not None:
            found = window_evidence(sales, inventory, token, length, scanned, rationed, rate, out)
        if found is None:
            return rate, _evidence_of_cycles(sales, inventory, token, length, rate, rationed, out)
    return found


def _evidence_of_cycles(
    sales: NDArray[Any],
    inventory: NDArray[Any],
    token: NDArray[Any],
    length: int,
    rate: FloatArray,
    rationed: NDArray[np.bool_] | None,
    out: tuple[NDArray[np.bool_], NDArray[np.bool_]] | None = None,
) -> Evidence:
    """:func:`evidence` of the window's cycles, their metrics by :func:`cycle_metrics`;
    ``out`` (excluded days, void cycles): a void cycle is counted whole, then dropped."""
    by_cycle = (*sales.shape[:-1], sales.shape[-1] // length, length)
    metrics = cycle_metrics(
        sales.reshape(by_cycle),
        inventory.reshape(by_cycle),
        token_stock=token.reshape(by_cycle),
        exclude=None if out is None else out[0].reshape(by_cycle) & ~out[1][..., np.newaxis],
        fallback_daily_rate=np.where(np.isnan(rate), 0.0, rate)[..., np.newaxis],
    )
    return evidence(
        np.asarray(metrics.actual_sales),
        np.asarray(metrics.projected_stockout_sales),
        np.asarray(metrics.stock_to_sales_ratio, dtype=np.float64),
        np.asarray(metrics.stockout_days),
        None if rationed is None else ~rationed,
        None if out is None else out[1],
    )


@keeps_labels
@overflow_guard
def quota_review(
    quota: ArrayLike,
    sales: ArrayLike,
    inventory: ArrayLike,
    *,
    supplied: ArrayLike | None = None,
    cycle_days: int = 7,
    target_fulfilment: float = 0.95,
    cover_range: tuple[float, float] = (2.0, 7.0),
    max_change: float = 0.3,
    token_stock: ArrayLike = 0,
    method: LostSalesMethod = "seed",
    start: dt.date | str | np.datetime64 | None = None,
    max_quota: ArrayLike | None = None,
    exclude: ArrayLike | None = None,
) -> QuotaReview:
    """Review each series' quota (合理定量基数) over a window: raise, cut or hold, and why.

    Parameters
    ----------
    quota : array_like
        The current quota per cycle [cartons]; whole, >= 0; broadcast to the
        series (the leading axes of ``sales``).
    sales : array_like
        Quantity sold each day of the review window [cartons]; finite, >= 0;
        the day axis last holding whole cycles (the window starts on a
        delivery day). The usual window is the last 4 cycles.
    inventory : array_like
        Closing stock each day [cartons]; same shape as ``sales``.
    supplied : array_like, optional
        Cartons the supplier made available in each cycle [cartons]: the
        delivery where the quota is delivered as such, or, under order-up-to
        supply (供应商管理库存), the stock after the delivery (opening stock +
        delivery). >= 0, shaped (series…, cycles) or broadcast to it. A cycle
        with ``supplied < quota`` is *rationed*. Default: no cycle rationed.
    cycle_days : int, optional
        Days per delivery cycle (配送周期) [days]. Default 7.
    target_fulfilment : float, optional
        Fulfilment below which stockouts call for a raise, in [0, 1].
        Default 0.95 (the library's choice).
    cover_range : (float, float), optional
        Reasonable days of cover (存销比) [days]; above ``high`` with no
        stockout is overstock (涨库). Default (2, 7) (the library's choice).
    max_change : float, optional
        Largest relative move of a quota in one review, >= 0; a raise stops at
        ``floor(quota × (1 + max_change))``, a cut at
        ``ceil(quota × (1 − max_change))`` ("不可能无限增大基数").
        Default 0.3 (the library's choice).
    token_stock : array_like, optional
        Stock at or below which a day without sales is out (刻意留有库存)
        [cartons]; broadcast against ``sales``. Default 0.
    method : {"seed", "weekday", "censored"}, optional
        The demand estimator of
        :func:`~tobacco_metrics.demand.estimate_daily_demand`. Default
        ``"seed"``, the source's in-stock daily rate.
    start : datetime.date, ISO string or numpy.datetime64, optional
        Date of the window's first day, for the model methods' weekdays.
        Without it day 0 stands for a Monday, which only renames the weekdays.
    max_quota : array_like, optional
        Hard ceiling per series [cartons], for controlled-supply brands
        (控量); whole, >= 0, NaN for no ceiling; broadcast to the series. It
        wins over ``max_change``: a quota above it is cut to it.
    exclude : array_like of bool, optional
        Days not counted (holidays: "在合理定量时会剔除这些节假日因素"; closures),
        as in :func:`~tobacco_metrics.reasonable_quota`; broadcast against
        ``sales``.  A cycle whose every day is excluded is no evidence.

    Returns
    -------
    QuotaReview
        Proposed quota, action, reasons and the figures behind them.

    Raises
    ------
    InvalidValueError
        Negative, non-finite or fractional quantities; a share outside [0, 1];
        ``cycle_days`` < 1; an unknown ``method``; a malformed ``cover_range``.
    ShapeMismatchError
        ``sales`` and ``inventory`` differ in shape, the window is not whole
        cycles, or a per-series / per-cycle input does not broadcast.
    TypeError
        A wrong type (``cycle_days`` not an int, a non-numeric array).

    Notes
    -----
    Per series, with the stock rules of
    :func:`~tobacco_metrics.stock.cycle_metrics` applied to each cycle
    (a cycle with no effective day valued at the estimated daily demand) and
    ``d`` the estimated demand per cycle (daily demand × ``cycle_days``):

    1. a cycle with ``supplied < quota`` is rationed and is no evidence;
    2. **stockouts**: pooled ``F = ΣA / (ΣA + ΣP)`` over the unrationed cycles
       is below ``target_fulfilment`` → proposed =
       ``min(max(round(d), quota), floor(quota × (1 + max_change)))``;
       ``capped`` when the ceiling bit;
    3. **overstock**: no stockout day in the window and the mean cover of the
       cycles above ``cover_range[1]`` → proposed =
       ``max(min(round(d), quota), ceil(quota × (1 − max_change)))``;
       ``capped`` when the floor bit;
    4. otherwise the quota is held: ``rationed`` if every stockout cycle was
       rationed, ``no_history`` if ``d`` is NaN, else ``in_range``;
    5. ``max_quota`` caps the proposal (``capped``).

    ``round`` is half up. The action is the sign of proposed − quota, so a
    stockout series whose estimated demand is not above its quota is held
    (reason ``stockouts`` alone: look for distorted data). A quota of 0 is
    never raised (``max_change`` is relative): it is held with ``stockouts``
    and ``capped``; set a first quota with :func:`service_quota` or
    :func:`~tobacco_metrics.reasonable_quota`. ``supplied`` and
    ``token_stock`` broadcast from the last axis (numpy's rule): one value
    per series is shape (series, 1). No series (a leading axis of length 0)
    gives empty arrays, whatever the method. Laws: a series
    whose stockouts all fall in rationed cycles is never raised; without
    ``max_quota`` the proposal stays within ``max_change`` of the quota; a
    series with no stockout day and cover in range is held; permuting the
    series permutes the review; with ``method="seed"`` a panel is reviewed
    as each series alone; a stockout day in place of an in-stock day without
    sales never lowers the proposal, nor does a higher ``target_fulfilment``.

    Examples
    --------
    A store allowed 70 cartons a week sells 14 a day and is out on the last
    two days of every cycle: demand 98 a week, a raise capped at 70 × 1.3 = 91.

    >>> sales = [14, 14, 14, 14, 14, 0, 0] * 4
    >>> stock = [56, 42, 28, 14, 0, 0, 0] * 4
    >>> review = quota_review(70, sales, stock)
    >>> review.action, float(review.demand), review.proposed
    (np.str_('raise'), 98.0, np.int64(91))
    >>> review.reasons.as_tuples()
    ('stockouts', 'capped')
    >>> round(float(review.fulfilment), 3)
    0.714

    The same store was delivered only 35 a week: the supplier rationed it, so
    its stockouts say nothing about the quota.

    >>> review = quota_review(70, sales, stock, supplied=35)
    >>> review.action, review.reasons.as_tuples(), int(review.rationed_cycles)
    (np.str_('hold'), ('rationed',), 4)
    """
    length = integer(cycle_days, "cycle_days", 1)
    target = fraction(target_fulfilment, "target_fulfilment")
    _, high = _cover_range(cover_range)
    change = non_negative_scalar(max_change, "max_change")
    last_day_axis(sales, inventory)
    sales, inventory, token_stock, exclude, quota, max_quota = aligned(
        ("sales", sales),
        ("inventory", inventory),
        ("token_stock", token_stock),
        ("exclude", exclude),
        ("quota", quota, 1),
        ("max_quota", max_quota, 1),
    )
    scanned = scanned_daily(sales, inventory)  # a large panel: its values checked in one pass
    sales_array, inventory_array = _daily(sales, inventory, scanned)
    shape = sales_array.shape
    days = shape[-1]
    if days % length:
        raise ShapeMismatchError(
            f"'sales' must hold whole cycles of {length} days: {days} days is "
            f"{days // length} cycle(s) and {days % length} day(s); pass a window that "
            "starts on a delivery day and ends on the last day of a cycle"
        )
    series = shape[:-1]
    cycles = days // length
    current = _per_series(quota, series, "quota")
    token = broadcast_to_shape(quantities(token_stock, "token_stock"), shape, "token_stock")
    excluded = _excluded_days(exclude, shape)
    out = None  # the excluded days, and the cycles whose every day is (void)
    if excluded is not None:
        out = (excluded, void_cycles(excluded, cycles))
    if supplied is None:
        rationed = np.zeros((*series, cycles), dtype=np.bool_)
    else:
        delivered = broadcast_to_shape(
            np.asarray(quantities(supplied, "supplied"), dtype=np.float64),
            (*series, cycles),
            "supplied",
        )
        rationed = delivered < current[..., np.newaxis]
    ceiling = (
        None if max_quota is None else _per_series(max_quota, series, "max_quota", allow_nan=True)
    )

    rate, found = _rate_and_evidence(
        sales_array,
        inventory_array,
        token,
        length,
        None if supplied is None else rationed,
        method,
        _fit_start(start),
        scanned,
        out,
    )
    no_history = np.isnan(rate)
    rationed_cycles = (
        np.zeros(series, dtype=np.int64)
        if supplied is None
        else np.asarray(count_true(rationed), dtype=np.int64)
    )
    uncounted = rationed_cycles if out is None else count_true(rationed | out[1])
    counted_cycles = cycles - np.asarray(uncounted, dtype=np.int64)
    pooled = np.asarray(fulfilment(found.actual, found.projected), dtype=np.float64)
    fulfilment_found = np.where(no_history | (counted_cycles == 0), np.nan, pooled)
    cover = np.asarray(found.cover, dtype=np.float64)
    any_stockout = found.any_stockout
    unrationed_stockout = found.unrationed_stockout

    demand = rate * length
    wanted = round_cartons(np.where(no_history, current, demand), "half_up")
    upper = round_cartons(current * (1.0 + change), "floor")
    lower = np.maximum(round_cartons(current * (1.0 - change), "ceil"), 0.0)
    short = ~no_history & (counted_cycles > 0) & (fulfilment_found < target)
    overstock = ~no_history & ~any_stockout & (cover > high)
    proposed = current.copy()
    proposed = np.where(short, np.clip(wanted, current, upper), proposed)
    proposed = np.where(overstock, np.clip(wanted, lower, current), proposed)
    capped = (short & (wanted > upper)) | (overstock & (wanted < lower))
    if ceiling is not None:
        limited = ~np.isnan(ceiling) & (proposed > np.nan_to_num(ceiling))
        proposed = np.where(limited, ceiling, proposed)
        capped = capped | limited
    rationed_reason = ~no_history & any_stockout & ~unrationed_stockout
    in_range = ~(no_history | short | overstock | rationed_reason | capped)
    action = np.full(series, "hold", dtype="<U5")
    action[proposed > current] = "raise"
    action[proposed < current] = "cut"
    return QuotaReview(
        quota=unwrap(current.astype(np.int64)),
        demand=unwrap(np.asarray(demand, dtype=np.float64)),
        proposed=unwrap(proposed.astype(np.int64)),
        action=unwrap(action),
        reasons=ReviewReasons(
            stockouts=unwrap(np.asarray(short)),
            capped=unwrap(np.asarray(capped)),
            overstock=unwrap(np.asarray(overstock)),
            rationed=unwrap(np.asarray(rationed_reason)),
            in_range=unwrap(np.asarray(in_range)),
            no_history=unwrap(np.asarray(no_history)),
        ),
        fulfilment=unwrap(np.asarray(fulfilment_found, dtype=np.float64)),
        cover=unwrap(cover),
        rationed_cycles=unwrap(rationed_cycles),
    )


# --------------------------------------------------------------------------- service quota


@keeps_labels
@overflow_guard
def service_quota(
    sales: ArrayLike,
    inventory: ArrayLike,
    *,
    fill_rate: ArrayLike = 0.95,
    cycle_days: int = 7,
    token_stock: ArrayLike = 0,
    start: dt.date | str | np.datetime64 | None = None,
    method: LostSalesMethod = "censored",
    dispersion: float | None = None,
    exclude: ArrayLike | None = None,
) -> FloatResult:
    """The smallest whole-carton quota per cycle whose expected fill rate reaches a target.

    合理定量 is meant to give a store "enough that it is rarely out, no more"
    (尽量避免断档 … 尽量避免涨库). This sets it by service level: the quota Q
    per cycle whose expected fill rate ``E[min(D, Q)] / E[D]`` — the share of
    the cycle's demand D that stock on hand can serve — first reaches
    ``fill_rate``, under the demand model fitted to the history.

    Parameters
    ----------
    sales : array_like
        Quantity sold each day of the history [cartons]; finite, >= 0, whole
        numbers for ``method="censored"``; day axis last, any leading axes
        (stores, brands) carried through.
    inventory : array_like
        Closing stock each day [cartons]; same shape as ``sales``.
    fill_rate : array_like, optional
        Target expected fill rate, in [0, 1); broadcast against the series.
        Default 0.95 (the library's choice).
    cycle_days : int, optional
        Days per delivery cycle [days]. Default 7.
    token_stock : array_like, optional
        Stock at or below which a day's demand is censored (刻意留有库存)
        [cartons]; broadcast against ``sales``. Default 0.
    start : datetime.date, ISO string or numpy.datetime64, optional
        Date of the first day (weekdays of the model methods). Without it day
        0 stands for a Monday, which only renames the weekdays.
    method : {"censored", "weekday", "seed"}, optional
        The daily-demand estimator of
        :func:`~tobacco_metrics.demand.estimate_daily_demand`. Default
        ``"censored"``.
    dispersion : float, optional
        Negative-binomial size r of *daily* demand (variance μ + μ²/r),
        > 0, ``math.inf`` for Poisson. Default: estimated by moments from the
        days that closed above token stock, one value for the call.
    exclude : array_like of bool, optional
        Days not counted (holidays, closures), as in
        :func:`~tobacco_metrics.reasonable_quota`: left out of the demand and
        of the dispersion; broadcast against ``sales``.

    Returns
    -------
    numpy scalar or ndarray
        Q per cycle [cartons], over the series broadcast with ``fill_rate``
        (a scalar for one series and one target).
        **dtype**: float64 always, as every quota of the library: whole
        numbers, NaN where a series has no demand estimate.

    Raises
    ------
    InvalidValueError
        Negative, non-finite or (censored) fractional data; ``fill_rate``
        outside [0, 1); ``cycle_days`` < 1; ``dispersion`` <= 0.
    ShapeMismatchError
        ``sales`` and ``inventory`` differ in shape; ``fill_rate`` or
        ``token_stock`` does not broadcast.
    TypeError
        A wrong type.

    Notes
    -----
    With μ the estimated daily demand and r the daily size, cycle demand D
    has mean ``M = μ × cycle_days`` and variance ``M + cycle_days × μ² / r``
    (independent days); D is taken negative-binomial with that mean and
    variance, i.e. size ``R = cycle_days × r`` (Poisson when r is infinite).
    Then ``E[min(D, Q)] = Σ_{k=0}^{Q−1} P(D > k)``, computed exactly, and Q
    is the least whole number with ``E[min(D, Q)] >= fill_rate × M``.
    ``M == 0`` or ``fill_rate == 0`` gives Q = 0; no series gives an empty
    array, whatever the method. The sum starts 10 sd below
    the mean, where P(D > k) is 1 to within 1e-20, so its cost grows with the
    spread of D, not its size; a cycle demand with mean above 1e9 or sd above
    2e4 cartons is refused (count in cases); a size above 1e15 is Poisson.
    Laws: Q is non-decreasing
    in ``fill_rate``; ``Q >= fill_rate × M`` (since min(D, Q) <= Q).

    Examples
    --------
    Four weeks of a store that sells 3 or 5 cartons a day and never runs out
    (Poisson-like: the days vary less than their mean), so D ~ Poisson(28):

    >>> sales = [3, 5, 3, 5, 3, 5, 4] * 4
    >>> stock = [9] * 28
    >>> service_quota(sales, stock)
    np.float64(30.0)
    >>> service_quota(sales, stock, fill_rate=0.99)
    np.float64(35.0)
    """
    length = integer(cycle_days, "cycle_days", 1)
    last_day_axis(sales, inventory)
    sales, inventory, token_stock, exclude, fill_rate = aligned(
        ("sales", sales),
        ("inventory", inventory),
        ("token_stock", token_stock),
        ("exclude", exclude),
        ("fill_rate", fill_rate, 1),
    )
    sales_array, inventory_array = _daily(sales, inventory)
    shape = sales_array.shape
    token = broadcast_to_shape(quantities(token_stock, "token_stock"), shape, "token_stock")
    excluded = _excluded_days(exclude, shape)
    fill = np.asarray(as_real_array(fill_rate, "fill_rate"), dtype=np.float64)
    check_finite(fill, "fill_rate")
    out_of_range = (fill < 0) | (fill >= 1)
    if out_of_range.any():
        raise InvalidValueError(f"'fill_rate' must be in [0, 1): {offender(out_of_range, fill)}")
    if dispersion is None:
        size = moment_dispersion(sales_array, inventory_array, token, excluded)
    else:
        if (
            isinstance(dispersion, (float, np.floating))
            and math.isinf(dispersion)
            and dispersion > 0
        ):
            size = math.inf
        else:
            size = non_negative_scalar(dispersion, "dispersion")
            if size <= 0:
                raise InvalidValueError(f"'dispersion' must be > 0: {dispersion}")
    rate = _daily_demand(sales_array, inventory_array, token, method, _fit_start(start), excluded)
    try:
        rate, fill = np.broadcast_arrays(rate, fill)
    except ValueError:
        raise ShapeMismatchError(
            f"'fill_rate' with shape {fill.shape} does not broadcast to the series' shape "
            f"{rate.shape}"
        ) from None
    mean = (rate * length).reshape(-1)
    known = ~np.isnan(mean)
    cycle_size = size * length
    if cycle_size > _POISSON_SIZE:
        cycle_size = math.inf
    spread = mean if math.isinf(cycle_size) else mean + mean**2 / cycle_size
    sd = np.sqrt(np.where(known, spread, 0.0))
    too_large = known & ((sd > _MAX_CYCLE_SD) | (mean > _MAX_CYCLE_DEMAND))
    if too_large.any():
        first = int(np.argmax(too_large))
        raise InvalidValueError(
            f"the cycle demand is too large or too spread for the exact sum: mean "
            f"{mean[first]:g} cartons, sd {sd[first]:g}, for series {first} (C order); the "
            f"mean must stay below {_MAX_CYCLE_DEMAND:g} and the sd below {_MAX_CYCLE_SD:g}: "
            "count in cases (标准箱) instead of cartons"
        )
    quota = np.full(mean.shape, np.nan)
    quota[known] = fill_rate_quota(mean[known], cycle_size, fill.reshape(-1)[known])
    return as_result(quota.reshape(rate.shape))

"""The per-cycle stock rules and the one list of cycle metrics (private).

Every path that computes cycle metrics — :func:`tobacco_metrics.cycle_metrics`,
the public stock functions, the chunked kernel of :class:`tobacco_metrics.Panel`,
:mod:`tobacco_metrics.dask` and the command line — calls the rules here, so each
rule of ``docs/formulas/stock.md`` is written once:

- ``P = A / E × S`` where ``E > 0``; ``fallback × S`` (or NaN) where ``E == 0``;
- ``F = A / (A + P)``; 1.0 where ``A + P == 0``; NaN where ``P`` is NaN;
- days of cover ``= stock / daily sales``; 0.0 without stock; +inf with stock
  and no sales;
- ``E = D − S`` and average daily sales ``= A / D``.

The rules decide their zero cases without masked loops: where a rule decides
instead of a division, the divisor is made harmless (1, or the smallest positive
double) so that no division by zero happens, and the rule's value is put in
afterwards.  Each takes optional ``out=`` and scratch buffers so the kernel can
run them on cache-sized blocks without allocating.

:class:`MetricArrays` is the one field list: its attrs fields, in order, are the
metrics of every result class (``CycleMetrics``, ``PanelMetrics``,
``PooledMetrics``, the Dask result) and the columns of every table; their
annotations give their dtypes, and :data:`DERIVED_FIELDS` and
:data:`RULED_FIELDS` say which the kernel derives and which pooling re-derives.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics._deprecation import deprecated_method
from tobacco_metrics._results import ReadOnlyCopies, read_only_fields
from tobacco_metrics._typing import FloatArray
from tobacco_metrics._validation import quantities
from tobacco_metrics.errors import InvalidValueError, MissingDataError

__all__ = [
    "FIELDS",
    "KERNEL_FIELDS",
    "RULE_FIELDS",
    "MetricArrays",
    "average_daily_sales",
    "day_sums",
    "days_of_cover",
    "effective_days",
    "fallback_rates",
    "finish",
    "fulfilment",
    "pool",
    "pooled_fulfilment",
    "projected_sales",
    "scalar_finish",
]

_TINY = np.float64(5e-324)  # the smallest positive double

_I = TypeVar("_I")
_F = TypeVar("_F")


# --------------------------------------------------------------------------- rules


def _buffer(out: NDArray[Any] | None, shape: tuple[int, ...], dtype: Any) -> NDArray[Any]:
    return np.empty(shape, dtype=dtype) if out is None else out


def _shape(out: NDArray[Any] | None, *operands: NDArray[Any]) -> tuple[int, ...]:
    """The shape of a rule's result: its ``out`` buffer's, else the operands' broadcast."""
    return out.shape if out is not None else np.broadcast_shapes(*(a.shape for a in operands))


def projected_sales(
    actual: FloatArray,
    effective: FloatArray,
    stockouts: FloatArray,
    fallback: FloatArray | None,
    *,
    out: FloatArray | None = None,
    work: FloatArray | None = None,
    mask: NDArray[np.bool_] | None = None,
) -> FloatArray:
    """P = A / E × S (预计脱销销售) where E > 0; fallback × S, or NaN, where E == 0.

    Where E == 0 every counted day was out, so A == 0: A is divided by 1
    instead and the fallback value put in.  ``work`` may be ``effective``
    itself (it is then overwritten).
    """
    shape = _shape(out, actual, effective, stockouts)
    projected = _buffer(out, shape, np.float64)
    idle = np.equal(effective, 0, out=_buffer(mask, shape, np.bool_))
    divisor = np.maximum(effective, 1.0, out=_buffer(work, shape, np.float64))
    np.divide(actual, divisor, out=projected)
    np.multiply(projected, stockouts, out=projected)
    if idle.any():  # (putmask: a masked copy at twice the speed of copyto(where=))
        if fallback is None:
            np.putmask(projected, idle, np.nan)
        else:
            np.putmask(projected, idle, np.broadcast_to(fallback * stockouts, shape))
    return projected


def fulfilment(
    actual: FloatArray,
    projected: FloatArray,
    *,
    out: FloatArray | None = None,
    work: FloatArray | None = None,
    mask: NDArray[np.bool_] | None = None,
) -> FloatArray:
    """F = A / (A + P) (销售满足度); 1.0 where nothing was lost; NaN where P is NaN.

    Where A + P == 0 the divisor is the smallest positive double (0 / it is
    0, no warning) and 1.0 is put in; where P == 0 < A, A / A is exactly 1.0
    already; a NaN P propagates.
    """
    shape = _shape(out, actual, projected)
    ratio = _buffer(out, shape, np.float64)
    total = np.add(actual, projected, out=_buffer(work, shape, np.float64))
    nothing = np.equal(total, 0, out=_buffer(mask, shape, np.bool_))
    np.maximum(total, _TINY, out=total)  # leaves every positive total (and NaN) as it is
    np.divide(actual, total, out=ratio)
    if nothing.any():
        np.putmask(ratio, nothing, 1.0)
    return ratio


def days_of_cover(
    stock: FloatArray,
    daily: FloatArray,
    *,
    out: FloatArray | None = None,
    work: FloatArray | None = None,
    mask: NDArray[np.bool_] | None = None,
    stocked: NDArray[np.bool_] | None = None,
) -> FloatArray:
    """Stock / daily sales (存销比) [days]; 0.0 without stock; +inf with stock and nothing sold.

    ``work`` may be ``daily`` itself (it is then overwritten).
    """
    shape = _shape(out, stock, daily)
    cover = _buffer(out, shape, np.float64)
    unsold = np.equal(daily, 0, out=_buffer(mask, shape, np.bool_))
    if not unsold.any():
        np.divide(stock, daily, out=cover)
        return cover
    divisor = _buffer(work, shape, np.float64)
    if divisor is not daily:
        np.copyto(divisor, daily)
    np.putmask(divisor, unsold, 1.0)  # stock / 1: no stock stays 0.0
    np.divide(stock, divisor, out=cover)
    flags = np.greater(stock, 0, out=_buffer(stocked, shape, np.bool_))
    np.putmask(cover, np.logical_and(flags, unsold, out=flags), np.inf)
    return cover


def effective_days(days: Any, stockouts: Any) -> Any:
    """E = D − S (有效销售天数) [days], int64."""
    return np.subtract(days, stockouts, dtype=np.int64)


def average_daily_sales(actual: Any, days: Any, out: Any = None) -> Any:
    """A / D [cartons/day] (into ``out`` when given)."""
    return np.true_divide(actual, days, out=out)


def _days_not_innermost(values: NDArray[Any]) -> bool:
    """Whether numpy would add a float64 array's days one by one rather than pairwise.

    numpy sums pairwise along the axis it iterates innermost, which is the
    axis of smallest stride; a float64 array whose day axis (the last) is not
    that axis (Fortran order, a moved axis) is summed day after day instead,
    which can differ in the last bit.  Other dtypes are cast through buffers
    that keep each series' days together.
    """
    if values.dtype != np.float64 or values.ndim < 2 or values.shape[-1] < 2:
        return False
    step = abs(values.strides[-1])
    return any(
        0 < abs(stride) < step
        for stride, size in zip(values.strides[:-1], values.shape[:-1], strict=True)
        if size > 1
    )


def day_sums(
    values: NDArray[Any],
    counted: NDArray[np.bool_] | None = None,
    *,
    out: FloatArray | None = None,
    work: NDArray[Any] | None = None,
) -> FloatArray:
    """Σ over the last (day) axis in float64 (A, 实际销售), the counted days only if given.

    Each series is summed as numpy sums one row of days (pairwise), whatever
    the memory layout: an array numpy would sum day after day (see
    :func:`_days_not_innermost`) is first copied in C order, into ``work``
    when given (the kernel's chunk buffer, as large as ``values``).
    """
    if _days_not_innermost(values):
        if work is None:
            values = np.ascontiguousarray(values)
        else:
            work = work.reshape(values.shape)
            np.copyto(work, values)
            values = work
        if counted is not None:
            counted = np.ascontiguousarray(counted)
    if out is None:
        out = np.empty(values.shape[:-1], dtype=np.float64)
    if counted is None:
        np.sum(values, axis=-1, dtype=np.float64, out=out)
    else:
        np.sum(values, axis=-1, dtype=np.float64, out=out, where=counted)
    return out


def _sum(values: ArrayLike, axis: int | None, dtype: Any, where: Any) -> NDArray[Any]:
    """Σ over ``axis`` in ``dtype``, over the ``where`` entries only when a mask is given."""
    if where is None:
        return np.asarray(np.sum(values, axis=axis, dtype=dtype))
    return np.asarray(np.sum(values, axis=axis, dtype=dtype, where=where))


def pooled_fulfilment(
    actual: ArrayLike,
    projected: ArrayLike,
    axis: int | None,
    *,
    where: NDArray[np.bool_] | None = None,
) -> FloatArray:
    """ΣA / (ΣA + ΣP) over ``axis`` (pooled 销售满足度, never a mean of ratios).

    With ``where``, only the entries where it is True are pooled (the carried
    series).  Run it under an overflow guard: a sum past float64 is an error.
    """
    total_actual = _sum(actual, axis, np.float64, where)
    total_projected = _sum(projected, axis, np.float64, where)
    return fulfilment(total_actual, total_projected)


def fallback_rates(value: ArrayLike | None) -> FloatArray | None:
    """The ``fallback_daily_rate`` option checked, as float64 (None stays None)."""
    if value is None:
        return None
    return quantities(value, "fallback_daily_rate").astype(np.float64)


@attrs.define
class Scratch:
    """Float and boolean buffers for :func:`finish`, each at least as large as a block."""

    stockouts: FloatArray
    effective: FloatArray
    total: FloatArray
    first: NDArray[np.bool_]
    second: NDArray[np.bool_]

    @classmethod
    def allocate(cls, size: int) -> Scratch:
        return cls(
            stockouts=np.empty(size, dtype=np.float64),
            effective=np.empty(size, dtype=np.float64),
            total=np.empty(size, dtype=np.float64),
            first=np.empty(size, dtype=np.bool_),
            second=np.empty(size, dtype=np.bool_),
        )


#: The metrics :func:`finish` computes from D, S, A and the closing stock, in place.
RULE_FIELDS = ("projected_stockout_sales", "fulfilment_ratio", "stock_to_sales_ratio")


def finish(values: dict[str, Any], fallback: FloatArray | None, scratch: Scratch) -> None:
    """P, F and days of cover of many series from D, S, A and the closing stock.

    ``values`` maps ``days`` (an int64 array, or one float when every series
    counts the same days), ``stockout_days``, ``actual_sales`` and
    ``closing_inventory`` to their arrays, and each name of
    :data:`RULE_FIELDS` to the float64 array the result goes to; the scratch
    buffers (flat, at least ``actual_sales.size`` long) are reused.
    """
    days = values["days"]
    actual = values["actual_sales"]
    projected, ratio, cover = (values[name] for name in RULE_FIELDS)
    shape = actual.shape
    n = actual.size
    # E and S as float64 once (whole days are exact in float64).
    stockouts = scratch.stockouts[:n].reshape(shape)
    stockouts[...] = values["stockout_days"]
    effective = np.subtract(days, stockouts, out=scratch.effective[:n].reshape(shape))
    projected_sales(
        actual,
        effective,
        stockouts,
        fallback,
        out=projected,
        work=effective,
        mask=scratch.first[:n].reshape(shape),
    )
    fulfilment(
        actual,
        projected,
        out=ratio,
        work=scratch.total[:n].reshape(shape),
        mask=scratch.first[:n].reshape(shape),
    )
    average = np.divide(actual, days, out=scratch.total[:n].reshape(shape))
    days_of_cover(
        values["closing_inventory"],
        average,
        out=cover,
        work=average,
        mask=scratch.first[:n].reshape(shape),
        stocked=scratch.second[:n].reshape(shape),
    )


def scalar_finish(
    days: int, stockouts: int, actual: float, closing: float
) -> tuple[float, float, float] | None:
    """:func:`finish` for one series in Python floats, without a fallback rate: (P, F, cover).

    The same IEEE operations as the array rules, in the same order, so the
    same bits (a test checks it); None where a result would overflow (the
    array path then raises the overflow error).
    """
    effective = float(days - stockouts)
    projected = actual / effective * float(stockouts) if effective else math.nan
    total = actual + projected
    ratio = 1.0 if total == 0 else actual / total
    average = actual / days
    if average == 0:
        cover = math.inf if closing > 0 else closing / 1.0
    else:
        cover = closing / average
        if math.isinf(cover):
            return None
    if math.isinf(projected):
        return None
    return projected, ratio, cover


# --------------------------------------------------------------------------- the field list

_Rule = Callable[[dict[str, Any]], Any]
# The metrics the kernel does not store, each with its rule from the others (E = D − S, A / D).
_DERIVED_RULES: dict[str, _Rule] = {
    "effective_days": lambda v: effective_days(v["days"], v["stockout_days"]),
    "average_daily_sales": lambda v: average_daily_sales(v["actual_sales"], v["days"]),
}
# The metrics pooling re-derives by their rule from the pooled sums (never a mean of ratios).
_POOLED_RULES: dict[str, _Rule] = {
    "effective_days": lambda s: np.asarray(effective_days(s["days"], s["stockout_days"])),
    "fulfilment_ratio": lambda s: fulfilment(s["actual_sales"], s["projected_stockout_sales"]),
    "stock_to_sales_ratio": lambda s: days_of_cover(
        s["closing_inventory"], s["average_daily_sales"]
    ),
}
#: The metrics the kernel does not store: :func:`derived` makes them from the others.
DERIVED_FIELDS: tuple[str, ...] = tuple(_DERIVED_RULES)
#: The metrics :func:`pool` re-derives by their rule from pooled sums (the others are summed).
RULED_FIELDS: tuple[str, ...] = tuple(_POOLED_RULES)
_DTYPE_OF_TYPE = {"_I": np.dtype(np.int64), "_F": np.dtype(np.float64)}


@attrs.frozen(eq=False, field_transformer=read_only_fields)
class MetricArrays(ReadOnlyCopies, Generic[_I, _F]):
    """The cycle metrics, in the order every result class and table uses.

    The attributes of :class:`~tobacco_metrics.CycleMetrics`; subclasses add
    labels.  Adding a per-cycle metric: a field here (with its rule above),
    its docs section, its test.  ``_I`` and ``_F`` are the types of the
    integer and float fields (numpy results, or Dask arrays), and so their
    dtypes (:data:`DTYPES`).
    """

    days: _I
    stockout_days: _I
    effective_days: _I
    actual_sales: _F
    projected_stockout_sales: _F
    fulfilment_ratio: _F
    stock_to_sales_ratio: _F
    closing_inventory: _F
    average_daily_sales: _F


_METRIC_FIELDS = attrs.fields(MetricArrays)
#: The metric names, in order: the columns every tabular output uses.
FIELDS: tuple[str, ...] = tuple(field.name for field in _METRIC_FIELDS)
#: The metrics the chunked kernel computes per series (the others are derived from them).
KERNEL_FIELDS: tuple[str, ...] = tuple(name for name in FIELDS if name not in DERIVED_FIELDS)
#: The dtype of each metric.
DTYPES: dict[str, np.dtype[Any]] = {f.name: _DTYPE_OF_TYPE[str(f.type)] for f in _METRIC_FIELDS}


def derived(values: dict[str, Any]) -> dict[str, Any]:
    """Every metric from the kernel's: adds E = D − S and A / D, in field order."""
    return {
        name: values[name] if name in values else _DERIVED_RULES[name](values) for name in FIELDS
    }


def pool(
    values: dict[str, Any], axis: int | None, *, where: NDArray[np.bool_] | None = None
) -> dict[str, Any]:
    """The metrics of many series pooled over ``axis``: sums, and the rules re-applied.

    ΣD, ΣS, ΣA, ΣP, Σ closing stock and Σ average daily sales; then
    E = ΣD − ΣS, F = ΣA / (ΣA + ΣP) (never a mean of ratios) and days of cover
    = Σ closing / Σ average daily sales.  With ``where``, only the entries
    where it is True are pooled.  Run it under an overflow guard.
    """
    sums = {
        name: _sum(values[name], axis, DTYPES[name], where)
        for name in FIELDS
        if name not in RULED_FIELDS
    }
    return {name: sums[name] if name in sums else _POOLED_RULES[name](sums) for name in FIELDS}


_M = TypeVar("_M", bound="MetricArrays[Any, Any]")


def with_projected(metrics: _M, projected: ArrayLike) -> _M:
    """``metrics`` with P replaced (a demand model's lost sales) and F by the one rule.

    Used by the ``method=`` of ``cycle_metrics`` and ``Panel.metrics``: S, E,
    A, cover and the rest stay as counted; only the valuation of the stockout
    days changes. Where the model cannot value a series (NaN: no in-stock
    day) and the cycle had no effective day, the counted P stays: the
    fallback rate × S when one was given, else NaN. A NaN P gives a NaN F.
    """
    actual = np.asarray(metrics.actual_sales, dtype=np.float64)
    lost = np.broadcast_to(np.asarray(projected, dtype=np.float64), actual.shape)
    unvalued = np.isnan(lost) & (np.asarray(metrics.effective_days) == 0)
    if unvalued.any():
        lost = np.where(unvalued, np.asarray(metrics.projected_stockout_sales), lost)
    ratio = fulfilment(actual, lost)
    if actual.ndim == 0:
        return attrs.evolve(metrics, projected_stockout_sales=lost[()], fulfilment_ratio=ratio[()])
    return attrs.evolve(metrics, projected_stockout_sales=lost, fulfilment_ratio=ratio)


def model_daily_lost(
    sales: ArrayLike,
    inventory: ArrayLike,
    method: object,
    start: dt.date | str | np.datetime64 | None,
    *,
    token_stock: ArrayLike = 0,
    exclude: ArrayLike | None = None,
    axis: int | None = None,
) -> FloatArray:
    """The lost sales a demand model expects on each day [cartons], shaped like ``sales``.

    ``method`` is one of the model methods of :func:`~tobacco_metrics.lost_sales`
    (``"seed"`` is the counted formula, not a model: refused here); NaN where
    the model cannot value a series (no in-stock day).
    """
    # demand imports stock, which imports this module: imported here, when a model is asked for.
    from tobacco_metrics.demand import LOST_SALES_METHODS, fit_demand

    if method == "seed" or method not in LOST_SALES_METHODS:
        models = ", ".join(repr(name) for name in LOST_SALES_METHODS if name != "seed")
        raise InvalidValueError(f"'method' must be one of {models}: {method!r}")
    deprecated_method(method)
    if start is None:
        raise MissingDataError(
            f"method={method!r} needs 'start', the date of the first day (weekday effects)"
        )
    fit = fit_demand(
        sales, inventory, start=start, token_stock=token_stock, exclude=exclude, axis=axis
    )
    return fit.lost

"""The results of :meth:`Panel.metrics`: per series (:class:`PanelMetrics`) and pooled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np
from numpy.typing import NDArray

from tobacco_metrics import _cycle
from tobacco_metrics._html import metrics_html, notebook_table, pooled_html
from tobacco_metrics._labelled import metrics_to_xarray, pooled_metrics_to_frame
from tobacco_metrics._results import as_result, frozen_array, seal
from tobacco_metrics._typing import FloatArray, FloatResult, IntArray
from tobacco_metrics._validation import (
    normalize_axis,
    overflow_guard,
)
from tobacco_metrics.stock import CycleMetrics

if TYPE_CHECKING:
    import pandas as pd
    import xarray as xr

__all__ = ["PanelCycleMetrics", "PanelMetrics", "PooledMetrics"]

Label = Hashable


def _records(
    key_names: Sequence[str],
    keys: Sequence[Sequence[Any]],
    start: dt.date,
    end: dt.date,
    columns: dict[str, NDArray[Any]],
) -> list[dict[str, Any]]:
    names = [*key_names, "start", "end", *columns]
    plain = [column.reshape(-1).tolist() for column in columns.values()]
    start_text, end_text = start.isoformat(), end.isoformat()
    return [
        dict(zip(names, (*key, start_text, end_text, *values), strict=True))
        for key, values in zip(zip(*keys, strict=True), zip(*plain, strict=True), strict=True)
    ]


def _label_index(labels: tuple[Any, ...], name: str) -> pd.Index:
    import pandas as pd

    index: pd.Index = pd.Index(list(labels), name=name, tupleize_cols=False)
    return index


@attrs.frozen(eq=False, repr=False)
class PanelMetrics(_cycle.MetricArrays[IntArray, FloatArray]):
    """The cycle metrics of every store × brand of a panel, as :meth:`Panel.metrics` returns them.

    Every array is read-only (in every copy too), shaped (stores, brands);
    the fields mean what they mean in :class:`~tobacco_metrics.CycleMetrics`.
    A series the store does not carry (``carried`` False) has NaN float
    metrics and 0 day counts, and is left out of every pooled figure and of
    :meth:`to_records` and :meth:`to_frame`.

    Attributes
    ----------
    stores, brands : tuple
        The labels of the two axes.
    start, end : datetime.date
        The first and last day of the period (a cycle, or the whole panel).
    days : ndarray of int64
        Counted days D [days] (a broadcast view when every series counts the same days).
    stockout_days : ndarray of int64
        S (脱销天数) [days].
    actual_sales : ndarray of float64
        A (实际销售) [cartons].
    projected_stockout_sales : ndarray of float64
        P (预计脱销销售) [cartons]; NaN when E == 0 without a fallback rate.
    fulfilment_ratio : ndarray of float64
        F = A / (A + P) (销售满足度); 1.0 when P == 0.
    stock_to_sales_ratio : ndarray of float64
        存销比 [days]; 0.0 without stock, +inf with stock and no sales.
    closing_inventory : ndarray of float64
        Stock at the end of the last counted day [cartons].
    effective_days : ndarray of int64
        E = D − S (有效销售天数) [days].
    average_daily_sales : ndarray of float64
        A / D [cartons/day].
    carried : ndarray of bool
        False for the store × brand series not carried (see :class:`Panel`).
    """

    stores: tuple[Label, ...] = attrs.field(kw_only=True)
    brands: tuple[Label, ...] = attrs.field(kw_only=True)
    start: dt.date = attrs.field(kw_only=True)
    end: dt.date = attrs.field(kw_only=True)
    carried: NDArray[np.bool_] = attrs.field(kw_only=True, converter=frozen_array)

    @classmethod
    def _from_kernel(
        cls,
        values: dict[str, NDArray[Any]],
        *,
        stores: tuple[Label, ...],
        brands: tuple[Label, ...],
        start: dt.date,
        end: dt.date,
        carried: NDArray[np.bool_],
    ) -> PanelMetrics:
        """The kernel's arrays, with the series not carried blanked (NaN, or 0 days)."""
        if not carried.all():
            values = {name: _blank(value, carried) for name, value in values.items()}
        return cls(**values, stores=stores, brands=brands, start=start, end=end, carried=carried)

    def __repr__(self) -> str:
        return (
            f"PanelMetrics({len(self.stores)} stores × {len(self.brands)} brands, "
            f"{self.start.isoformat()} to {self.end.isoformat()})"
        )

    def to_cycle_metrics(self) -> CycleMetrics:
        """The same numbers as a :class:`~tobacco_metrics.CycleMetrics` (arrays, no labels)."""
        return CycleMetrics(**{name: getattr(self, name) for name in _cycle.FIELDS})

    def _carried_only(self) -> NDArray[np.bool_] | None:
        """The mask of carried series for sums and tables, None when every series is carried."""
        return None if self.carried.all() else self.carried

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per carried store × brand (stores first), for an ERP: labels, dates, metrics.

        Keys: ``store``, ``brand``, ``start`` and ``end`` (ISO dates), then the
        metrics of :class:`~tobacco_metrics.CycleMetrics` as Python ints and
        floats (NaN and inf as float).  Series not carried are left out.

        Examples
        --------
        >>> from tobacco_metrics import Panel
        >>> panel = Panel(["C001"], ["B"], "2026-03-02", [[[3, 0]]], [[[2, 0]]])
        >>> record = panel.metrics().to_records()[0]
        >>> record["store"], record["end"], record["stockout_days"], record["fulfilment_ratio"]
        ('C001', '2026-03-03', 1, 0.5)
        """
        n_stores, n_brands = len(self.stores), len(self.brands)
        store_keys = [s for s in self.stores for _ in range(n_brands)]
        brand_keys = list(self.brands) * n_stores
        columns = _columns(self)
        keep = self._carried_only()
        if keep is not None:
            flat = keep.reshape(-1)
            store_keys = [key for key, kept in zip(store_keys, flat, strict=True) if kept]
            brand_keys = [key for key, kept in zip(brand_keys, flat, strict=True) if kept]
            columns = {name: column[keep] for name, column in columns.items()}
        return _records(("store", "brand"), (store_keys, brand_keys), self.start, self.end, columns)

    def to_xarray(self) -> xr.Dataset:
        """The metrics as an xarray Dataset over (store, brand), one variable per metric.

        The ``carried`` mask is a variable too; the period is in ``attrs``.
        Needs xarray (``pip install "tobacco-metrics[xarray]"``).
        """
        return metrics_to_xarray(self)

    _repr_html_ = notebook_table(metrics_html)

    def to_frame(self) -> pd.DataFrame:
        """The metrics as a pandas DataFrame indexed by (store, brand) (needs pandas).

        One column per metric, one row per carried series; the period is in
        ``frame.attrs["start"]`` and ``frame.attrs["end"]``.
        """
        import pandas as pd

        index = pd.MultiIndex.from_product(
            [_label_index(self.stores, "store"), _label_index(self.brands, "brand")]
        )
        frame: pd.DataFrame = pd.DataFrame(
            {name: column.reshape(-1) for name, column in _columns(self).items()}, index=index
        )
        keep = self._carried_only()
        if keep is not None:
            frame = frame[keep.reshape(-1)]
        frame.attrs.update(start=self.start, end=self.end)
        return frame

    @overflow_guard
    def pooled_fulfilment_ratio(self, axis: int | None = None) -> FloatResult:
        """ΣA / (ΣA + ΣP) over ``axis`` (0: stores, 1: brands, None: all), carried series only."""
        if axis is not None:
            axis = normalize_axis(axis, 2)
        pooled = _cycle.pooled_fulfilment(
            self.actual_sales, self.projected_stockout_sales, axis, where=self._carried_only()
        )
        return as_result(pooled)

    @overflow_guard
    def _pooled(self, by: Literal["store", "brand"]) -> PooledMetrics:
        axis = 1 if by == "store" else 0
        labels = self.stores if by == "store" else self.brands
        values = {name: getattr(self, name) for name in _cycle.FIELDS}
        pooled = _cycle.pool(values, axis, where=self._carried_only())
        return PooledMetrics(
            **{name: seal(value) for name, value in pooled.items()},
            by=by,
            labels=labels,
            start=self.start,
            end=self.end,
        )

    def by_store(self) -> PooledMetrics:
        """Pool each store's carried brands: sums, and F = ΣA / (ΣA + ΣP), never a mean of ratios.

        Examples
        --------
        >>> from tobacco_metrics import Panel
        >>> panel = Panel(["C001"], ["small", "big"], "2026-03-02",
        ...               [[[1, 0], [100, 100]]], [[[0, 0], [5, 5]]])
        >>> m = panel.metrics()
        >>> m.fulfilment_ratio.tolist()
        [[0.5, 1.0]]
        >>> round(float(m.by_store().fulfilment_ratio[0]), 4)  # not the mean 0.75
        0.995
        """
        return self._pooled("store")

    def by_brand(self) -> PooledMetrics:
        """Pool each brand over the stores that carry it: sums, and F = ΣA / (ΣA + ΣP)."""
        return self._pooled("brand")


@attrs.frozen(eq=False, repr=False)
class PooledMetrics(_cycle.MetricArrays[IntArray, FloatArray]):
    """Metrics pooled per store (over its brands) or per brand (over the stores).

    Only carried series are pooled (see :class:`Panel`).  Every array is
    read-only, in every copy too.

    Attributes
    ----------
    by : {'store', 'brand'}
        What each entry is.
    labels : tuple
        The stores or brands.
    start, end : datetime.date
        The period.
    days, stockout_days, effective_days : ndarray of int64
        Σ counted days, Σ stockout days and Σ effective days over the pooled
        series [store × brand days: a store with 10 brands over 7 days counts 70].
    actual_sales, projected_stockout_sales : ndarray of float64
        ΣA and ΣP [cartons]; ΣP is NaN if any P is.
    fulfilment_ratio : ndarray of float64
        ΣA / (ΣA + ΣP) (pooled 销售满足度); 1.0 when ΣP == 0.
    closing_inventory, average_daily_sales : ndarray of float64
        Σ closing stock [cartons] and Σ average daily sales [cartons/day].
    stock_to_sales_ratio : ndarray of float64
        Σ closing stock / Σ average daily sales [days] (0.0 / +inf rules as usual).
    """

    by: Literal["store", "brand"] = attrs.field(kw_only=True)
    labels: tuple[Label, ...] = attrs.field(kw_only=True)
    start: dt.date = attrs.field(kw_only=True)
    end: dt.date = attrs.field(kw_only=True)

    def __repr__(self) -> str:
        return f"PooledMetrics(by {self.by}, {len(self.labels)} {self.by}s)"

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per store (or brand): the label under ``by``, the period, the pooled metrics."""
        return _records((self.by,), (self.labels,), self.start, self.end, _columns(self))

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame indexed by store (or brand), one column per pooled metric.

        The pooled day counts are sums over the pooled series — a store's 30
        products over 60 days count 1,800 — so their columns say so:
        ``store_product_days``, ``stockout_store_product_days`` and
        ``effective_store_product_days``; the period is in ``frame.attrs``.
        """
        return pooled_metrics_to_frame(self)

    _repr_html_ = notebook_table(pooled_html)


@attrs.frozen(eq=False, repr=False)
class PanelCycleMetrics(_cycle.MetricArrays[IntArray, FloatArray]):
    """The metrics of every cycle of every store × brand, as :meth:`Panel.metrics_by_cycle` gives.

    Every array is read-only (in every copy too), shaped (cycles, stores,
    brands); cycle *c* holds what :meth:`Panel.metrics` gives for the *c*-th
    panel of :meth:`Panel.cycles`, so the fields mean what they mean in
    :class:`PanelMetrics` (series not carried: NaN float metrics, 0 days).

    Attributes
    ----------
    stores, brands : tuple
        The labels of the last two axes.
    starts, ends : tuple of datetime.date
        The first and last day of each cycle.
    carried : ndarray of bool
        (stores, brands): False for the series not carried.
    """

    stores: tuple[Label, ...] = attrs.field(kw_only=True)
    brands: tuple[Label, ...] = attrs.field(kw_only=True)
    starts: tuple[dt.date, ...] = attrs.field(kw_only=True)
    ends: tuple[dt.date, ...] = attrs.field(kw_only=True)
    carried: NDArray[np.bool_] = attrs.field(kw_only=True, converter=frozen_array)

    @classmethod
    def _stack(
        cls,
        cycles: Sequence[PanelMetrics],
        *,
        stores: tuple[Label, ...],
        brands: tuple[Label, ...],
        carried: NDArray[np.bool_],
    ) -> PanelCycleMetrics:
        """The cycles' metrics stacked; no cycle (a panel shorter than one, dropped) is
        a result of 0 cycles, as the command line writes no row for it."""
        shape = (0, len(stores), len(brands))
        values = {
            name: seal(
                np.stack([getattr(cycle, name) for cycle in cycles])
                if cycles
                else np.empty(shape, dtype=_cycle.DTYPES[name])
            )
            for name in _cycle.FIELDS
        }
        return cls(
            **values,
            stores=stores,
            brands=brands,
            starts=tuple(cycle.start for cycle in cycles),
            ends=tuple(cycle.end for cycle in cycles),
            carried=carried,
        )

    def __repr__(self) -> str:
        period = (
            f", {self.starts[0].isoformat()} to {self.ends[-1].isoformat()}" if self.starts else ""
        )
        return (
            f"PanelCycleMetrics({len(self.starts)} cycles × {len(self.stores)} stores × "
            f"{len(self.brands)} brands{period})"
        )

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame indexed by (cycle_start, store, brand), carried series only.

        One column per metric, plus ``cycle_end``; the rows run cycle by
        cycle, stores first within a cycle.
        """
        import pandas as pd

        index = pd.MultiIndex.from_product(
            [
                pd.Index(list(self.starts), name="cycle_start"),
                _label_index(self.stores, "store"),
                _label_index(self.brands, "brand"),
            ]
        )
        n_series = len(self.stores) * len(self.brands)
        columns = {"cycle_end": np.repeat(np.asarray(self.ends, dtype=object), n_series)}
        columns.update({name: column.reshape(-1) for name, column in _columns(self).items()})
        frame: pd.DataFrame = pd.DataFrame(columns, index=index)
        if not self.carried.all():
            frame = frame[np.tile(self.carried.reshape(-1), len(self.starts))]
        return frame


def _columns(metrics: _cycle.MetricArrays[Any, Any]) -> dict[str, NDArray[Any]]:
    return {name: np.asarray(getattr(metrics, name)) for name in _cycle.FIELDS}


def _blank(value: NDArray[Any], carried: NDArray[np.bool_]) -> NDArray[Any]:
    """A metric with the series not carried set to NaN (float) or 0 (day counts)."""
    blank = np.where(carried, value, np.nan if value.dtype.kind == "f" else 0).astype(value.dtype)
    return seal(blank)

"""The stock items of the daily report (每日拜访总结 4–6): the route's stock and how fast it sells.

The source's daily report has ten items (篇6, 二(七)).
:func:`~tobacco_metrics.daily_visit_report` computes those about the visits
(1–3 and 7); this module computes the three about stock, from the route's
daily sales and stock (a :class:`~tobacco_metrics.Panel`):

4. "卷烟库存总体概况。为当日所拜访线路内客户卷烟库存的平均数量,以及数量是否合理,结构是否合理"
   — the average stock of the stores visited on the route, whether the
   quantity is reasonable (days of cover within a range) and whether its
   structure is (the stock's price-class shares beside the sales');
5. "重点客户库存情况。对重点客户的库存情况要认真记录,重点分析" — the key
   customers' stock, store by store;
6. "卷烟消化速度如何。当日拜访线路客户的卷烟消化速度快慢" — how fast the
   stock sells: daily sales per store, and the new brands' sell-through.

Every number comes from the public formulas (:func:`~tobacco_metrics.cycle_metrics`,
:func:`~tobacco_metrics.stock_to_sales_ratio`,
:func:`~tobacco_metrics.pooled_fulfilment_ratio`,
:func:`~tobacco_metrics.class_shares`,
:func:`~tobacco_metrics.new_brand_sell_through`,
:func:`~tobacco_metrics.sell_through_speed`); this module only picks the
stores and brands and adds up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Hashable
from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike

from tobacco_metrics import _convert as cv
from tobacco_metrics._html import notebook_table, result_html, route_report_html
from tobacco_metrics._labelled import keeps_labels, on_panel_axes
from tobacco_metrics._results import read_only_fields
from tobacco_metrics._validation import (
    aligned_to_axes,
    as_real_array,
    broadcast_to_shape,
    overflow_guard,
    positive_fraction,
    quantities,
)
from tobacco_metrics.decisions import cover_status
from tobacco_metrics.errors import InvalidValueError, MissingDataError, ShapeMismatchError
from tobacco_metrics.ledger import new_brand_sell_through, sell_through_speed
from tobacco_metrics.panel import Panel
from tobacco_metrics.pricing import PriceClass
from tobacco_metrics.stock import (
    CycleMetrics,
    cycle_metrics,
    pooled_fulfilment_ratio,
    stock_to_sales_ratio,
)
from tobacco_metrics.structure import class_shares

__all__ = ["KeyCustomerStock", "NewBrandSpeed", "RouteStockReport", "route_stock_report"]


@attrs.frozen
class KeyCustomerStock:
    """One key customer's stock (重点客户库存情况), summed over its brands.

    Attributes
    ----------
    store : hashable
        The store.
    inventory : float
        Closing stock on the last day, all brands [cartons].
    stock_to_sales_ratio : float
        ``inventory`` / the store's average daily sales: days of cover
        (存销比) [days]; 0.0 without stock, inf with stock and no sales.
    stockout_days : int
        Stockout days summed over the brands (脱销天数) [brand-days].
    fulfilment_ratio : float
        Pooled fulfilment ΣA / (ΣA + ΣP) over the brands (销售满足度).
    brands_out : tuple
        Brands with no closing stock on the last day, in panel order.
    """

    store: Hashable
    inventory: float
    stock_to_sales_ratio: float
    stockout_days: int
    fulfilment_ratio: float
    brands_out: tuple[Hashable, ...]

    _repr_html_ = notebook_table(result_html)


@attrs.frozen(field_transformer=read_only_fields)  # a bounded repr
class NewBrandSpeed:
    """How fast a new brand sells on the route (新品消化速度).

    Attributes
    ----------
    brand : hashable
        The new brand.
    ordered : int
        Visited stores that bought it [stores].
    fast, slow : tuple
        Those whose sell-through reached ``fast_at`` (动销快) and those below
        (动销慢), in panel order.
    sell_through : float
        Route sell-through Σ sales / Σ purchases over the stores that bought
        it; NaN when none did.
    """

    brand: Hashable
    ordered: int
    fast: tuple[Hashable, ...]
    slow: tuple[Hashable, ...]
    sell_through: float

    _repr_html_ = notebook_table(result_html)


@attrs.frozen(field_transformer=read_only_fields)  # a bounded repr
class RouteStockReport:
    """Items 4–6 of the daily report, as :func:`route_stock_report` returns them.

    Attributes
    ----------
    stores : tuple
        The visited stores, in panel order.
    start, end : datetime.date
        The period the stock and sales cover.
    average_stock : float
        Mean closing stock per visited store, all brands (库存平均数量)
        [cartons/store].
    daily_sales_per_store : float
        Mean daily sales per visited store, all brands (消化速度)
        [cartons/store/day].
    stock_to_sales_ratio : float
        The route's days of cover: Σ closing stock / Σ average daily sales
        (存销比) [days].
    cover_range : tuple of float
        The reasonable range of a store's days of cover [days].
    short_stores, in_range_stores, overstock_stores : tuple
        Stores whose days of cover (all brands) are below, inside
        (ends included) or above ``cover_range`` (数量是否合理), as
        :func:`~tobacco_metrics.cover_status` reads them.
    stock_class_shares, sales_class_shares : tuple of float
        Shares of price classes I … V in the route's closing stock and in its
        sales over the period (结构是否合理); NaN when there is none.
    key_customers : tuple of KeyCustomerStock
        The visited key customers, in panel order (item 5).
    new_brands : tuple of NewBrandSpeed
        Each new brand's sell-through on the route (item 6).
    """

    stores: tuple[Hashable, ...]
    start: dt.date
    end: dt.date
    average_stock: float
    daily_sales_per_store: float
    stock_to_sales_ratio: float
    cover_range: tuple[float, float]
    short_stores: tuple[Hashable, ...]
    in_range_stores: tuple[Hashable, ...]
    overstock_stores: tuple[Hashable, ...]
    stock_class_shares: tuple[float, ...]
    sales_class_shares: tuple[float, ...]
    key_customers: tuple[KeyCustomerStock, ...]
    new_brands: tuple[NewBrandSpeed, ...]

    _repr_html_ = notebook_table(route_report_html, [member.name for member in PriceClass])

    @property
    def structure_gap(self) -> tuple[float, ...]:
        """Stock share − sales share per class I … V: > 0 where stock is heavier than sales."""
        return tuple(
            s - t for s, t in zip(self.stock_class_shares, self.sales_class_shares, strict=True)
        )

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-friendly dict (ISO dates, records as dicts)."""
        return cv.record_to_dict(self)


def _positions(labels: tuple[Hashable, ...], wanted: Any, name: str, what: str) -> list[int]:
    if isinstance(wanted, (str, bytes)) or not isinstance(wanted, Collection):
        raise TypeError(
            f"{name!r} must be a collection of {what} labels, got {type(wanted).__name__}"
        )
    absent = [item for item in wanted if item not in labels]
    if absent:
        raise MissingDataError(f"{name!r} names {what}s not in the panel: {absent[:5]!r}")
    chosen = set(wanted)
    return [index for index, label in enumerate(labels) if label in chosen]


def _labelled(stores: tuple[Hashable, ...], labels: Any, wanted: str) -> tuple[Hashable, ...]:
    """The stores whose label (one per store, in order) is ``wanted``."""
    return tuple(store for store, label in zip(stores, labels, strict=True) if label == wanted)


def _over_stores(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Sums over the stores (axis 0) in ascending order: the same to the last bit in any order.

    The report is about a set of stores: listing them in another order must
    not move a figure, not even by floating-point rounding.
    """
    return np.asarray(np.sort(np.asarray(values, dtype=np.float64), axis=0).sum(axis=0))


def _price_classes(price_class: ArrayLike, n_brands: int) -> np.ndarray[Any, Any]:
    codes = as_real_array(price_class, "price_class")
    if codes.ndim != 1 or codes.shape[0] != n_brands:
        raise ShapeMismatchError(
            f"'price_class' must give one class per panel brand ({n_brands}): shape {codes.shape}"
        )
    return codes


def _visited_token_stock(panel: Panel, rows: list[int], token_stock: ArrayLike) -> Any:
    """The token stock of the visited stores' rows: a number, or an array over the panel.

    An array is read over the whole panel's (stores, brands, days), as by
    ``Panel.metrics`` (a pandas or xarray one paired by label), and then
    cut to the visited rows.
    """
    (value,) = on_panel_axes(panel, token_stock=token_stock)
    tokens = quantities(value, "token_stock")
    if tokens.ndim == 0:
        return tokens
    return broadcast_to_shape(tokens, panel.sales.shape, "token_stock")[rows]


def _key_customer_stock(
    brands: tuple[Hashable, ...],
    store: Hashable,
    position: int,
    carried: _CarriedMetrics,
    store_stock: np.ndarray[Any, Any],
    store_cover: np.ndarray[Any, Any],
) -> KeyCustomerStock:
    """The stock line of the visited store at ``position`` (its carried brands only)."""
    out = (carried.closing[position] == 0) & carried.mask[position]
    return KeyCustomerStock(
        store=store,
        inventory=float(store_stock[position]),
        stock_to_sales_ratio=float(store_cover[position]),
        stockout_days=int(carried.stockout_days[position].sum()),
        fulfilment_ratio=float(
            pooled_fulfilment_ratio(carried.actual[position], carried.projected[position])
        ),
        brands_out=tuple(brands[b] for b in np.flatnonzero(out).tolist()),
    )


@attrs.frozen
class _CarriedMetrics:
    """The per-series figures of the visited stores, 0 for a series not carried.

    A series the store does not carry (``Panel.carried`` False) has no stock,
    no sales and no stockout: it is left out of every sum, as in
    :meth:`Panel.metrics() <tobacco_metrics.Panel.metrics>`.
    """

    mask: np.ndarray[Any, Any]
    closing: np.ndarray[Any, Any]
    daily_sales: np.ndarray[Any, Any]
    actual: np.ndarray[Any, Any]
    projected: np.ndarray[Any, Any]
    stockout_days: np.ndarray[Any, Any]

    @classmethod
    def of(cls, metrics: CycleMetrics, mask: np.ndarray[Any, Any]) -> _CarriedMetrics:
        """The figures of ``metrics`` (visited stores × brands) where ``mask``, else 0."""

        def kept(values: object) -> np.ndarray[Any, Any]:
            return np.where(mask, np.asarray(values), 0)

        return cls(
            mask=mask,
            closing=kept(metrics.closing_inventory),
            daily_sales=kept(metrics.average_daily_sales),
            actual=kept(metrics.actual_sales),
            projected=kept(metrics.projected_stockout_sales),
            stockout_days=kept(metrics.stockout_days),
        )


def _new_brand_speeds(
    panel: Panel,
    rows: list[int],
    new_columns: list[int],
    purchases: ArrayLike | None,
    sold_all: np.ndarray[Any, Any],
    fast_at: float,
) -> list[NewBrandSpeed]:
    """Each new brand's sell-through over the visited stores that bought it."""
    if not new_columns:
        return []
    if purchases is None:
        raise MissingDataError("'new_brands' were given without 'purchases'")
    axes = (tuple(panel.stores), tuple(panel.brands))
    bought_all = quantities(aligned_to_axes(purchases, "purchases", axes, "panel"), "purchases")
    if bought_all.shape != panel.sales.shape[:2]:
        raise ShapeMismatchError(
            f"'purchases' must be shaped like the panel's (stores, brands) "
            f"{panel.sales.shape[:2]}: {bought_all.shape}"
        )
    stores = tuple(panel.stores[row] for row in rows)
    speeds = []
    for column in new_columns:
        bought = bought_all[rows, column]
        sold = sold_all[:, column]
        labels = np.asarray(sell_through_speed(bought, sold, fast_at=fast_at))
        ordered = bought > 0
        speeds.append(
            NewBrandSpeed(
                brand=panel.brands[column],
                ordered=int(np.count_nonzero(ordered)),
                fast=_labelled(stores, labels, "fast"),
                slow=_labelled(stores, labels, "slow"),
                sell_through=float(
                    new_brand_sell_through(
                        _over_stores(bought[ordered]), _over_stores(sold[ordered])
                    )
                ),
            )
        )
    return speeds


@keeps_labels
@overflow_guard
def route_stock_report(
    panel: Panel,
    *,
    visited: Collection[Hashable],
    price_class: ArrayLike,
    key_customers: Collection[Hashable] = (),
    new_brands: Collection[Hashable] = (),
    purchases: ArrayLike | None = None,
    cover_range: tuple[float, float] = (2.0, 7.0),
    token_stock: ArrayLike = 0,
    fast_at: float = 0.5,
) -> RouteStockReport:
    """Items 4–6 of the daily report: the visited route's stock, its key customers, its speed.

    Parameters
    ----------
    panel : Panel
        Daily sales and closing stock of the route's stores over the period
        to judge, e.g. the last order cycle (stores × brands × days).
    visited : collection of hashable
        The stores visited today (all in the panel): the report is about them.
    price_class : array_like of int
        Price class code 1 (I) … 5 (V) of each panel brand, in panel order.
    key_customers : collection of hashable
        Key customers (重点客户); those visited today get a stock line.
    new_brands : collection of hashable
        New brands (新品) to follow; needs ``purchases``.
    purchases : array_like, optional
        Cartons each store bought of each brand since the new brands'
        introduction, shaped (stores, brands) like the panel [cartons]; only
        the new brands' columns are read.  The new brands' sales are the
        panel's sales over its days, so the panel should start at their
        introduction (a new brand has no opening stock).
    cover_range : (float, float)
        A store's reasonable days of cover [days], read by
        :func:`~tobacco_metrics.cover_status`; default (2, 7), the library's
        choice.
    token_stock : array_like
        Token stock for the stockout rule (刻意留有库存) [cartons]; >= 0;
        default 0.  An array is broadcast against the whole panel's
        (stores, brands, days), as for :meth:`Panel.metrics` (e.g.
        ``tokens[:, None, None]`` for one value per panel store), and read
        at the visited stores.
    fast_at : float
        Sell-through at or above which a store sells a new brand fast;
        default 0.5 (see :func:`~tobacco_metrics.sell_through_speed`).

    Returns
    -------
    RouteStockReport

    Raises
    ------
    MissingDataError
        A visited store, key customer or new brand not in the panel; new
        brands without ``purchases``.
    InvalidValueError
        No store visited; a bad ``cover_range``; a bad purchase, or sales
        above purchases for a new brand (InconsistentLedgerError).
    ShapeMismatchError
        ``purchases`` not shaped like the panel's (stores, brands);
        ``price_class`` not one per brand.

    Notes
    -----
    Over the visited stores *V* and the panel's days, with the per-series
    metrics of :func:`~tobacco_metrics.cycle_metrics`:

    - ``average_stock = Σ closing / |V|``; ``daily_sales_per_store = Σ A/D / |V|``;
    - ``stock_to_sales_ratio = stock_to_sales_ratio(Σ closing, Σ A/D)``, and per
      store the same over its brands, read by ``cover_status(cover, cover_range)``;
    - ``stock_class_shares = class_shares(closing per brand over V)``,
      ``sales_class_shares = class_shares(A per brand over V)``;
    - a key customer's ``fulfilment_ratio = pooled_fulfilment_ratio`` over its brands;
    - a new brand's route ``sell_through = new_brand_sell_through(Σ purchases,
      Σ sales)`` over the stores that bought it, each of them classed by
      :func:`~tobacco_metrics.sell_through_speed`.

    A series the store does not carry (``panel.carried`` False) counts for
    nothing: no stock, no sales, no stockout day, not in ``brands_out``.
    Sums over the stores run in ascending order of the values, so the order
    of the panel's stores changes no figure, to the last bit.

    Examples
    --------
    Three stores, two brands (class II and a new class III), one week:

    >>> panel = Panel(["C1", "C2", "C3"], ["B-II", "NEW"], "2026-03-02",
    ...               sales=[[[2] * 7, [1] * 7], [[1] * 7, [0] * 7], [[4] * 7, [0] * 7]],
    ...               inventory=[[[6] * 7, [3] * 7], [[30] * 7, [2] * 7], [[0] * 7, [0] * 7]])
    >>> report = route_stock_report(panel, visited={"C1", "C2"}, price_class=[2, 3],
    ...                             key_customers={"C2", "C3"}, new_brands={"NEW"},
    ...                             purchases=[[0, 10], [0, 2], [0, 0]])
    >>> report.average_stock, report.daily_sales_per_store, report.stock_to_sales_ratio
    (20.5, 2.0, 10.25)
    >>> report.short_stores, report.in_range_stores, report.overstock_stores
    ((), ('C1',), ('C2',))
    >>> report.stock_class_shares, report.sales_class_shares
    ((0.0, 0.878, 0.122, 0.0, 0.0), (0.0, 0.75, 0.25, 0.0, 0.0))
    >>> report.key_customers[0].store, report.key_customers[0].stock_to_sales_ratio
    ('C2', 32.0)
    >>> speed = report.new_brands[0]
    >>> speed.ordered, speed.fast, speed.slow, round(speed.sell_through, 3)
    (2, ('C1',), ('C2',), 0.583)
    """
    if not isinstance(panel, Panel):
        raise TypeError(f"'panel' must be a Panel, got {type(panel).__name__}")
    fast_at = positive_fraction(fast_at, "fast_at")  # checked even without new brands
    rows = _positions(panel.stores, visited, "visited", "store")
    if not rows:
        raise InvalidValueError("'visited' must name at least one store: the report is about them")
    keys = set(_positions(panel.stores, key_customers, "key_customers", "store"))
    new_columns = _positions(panel.brands, new_brands, "new_brands", "brand")
    stores = tuple(panel.stores[row] for row in rows)

    metrics = cycle_metrics(
        panel.sales[rows],
        panel.inventory[rows],
        token_stock=_visited_token_stock(panel, rows, token_stock),
    )
    carried = _CarriedMetrics.of(metrics, np.asarray(panel.carried)[rows])
    closing = carried.closing  # (visited, brands)
    store_stock = closing.sum(axis=1, dtype=np.float64)
    store_daily = carried.daily_sales.sum(axis=1, dtype=np.float64)
    store_cover = np.asarray(stock_to_sales_ratio(store_stock, store_daily))
    status = np.asarray(cover_status(store_cover, cover_range))
    price_class = aligned_to_axes(price_class, "price_class", (tuple(panel.brands),), "panel")
    codes = _price_classes(price_class, len(panel.brands))
    stock_shares = class_shares(_over_stores(closing), codes)
    sales_shares = class_shares(_over_stores(carried.actual), codes)

    key_lines = [
        _key_customer_stock(
            panel.brands, stores[position], position, carried, store_stock, store_cover
        )
        for position, row in enumerate(rows)
        if row in keys
    ]
    speeds = _new_brand_speeds(panel, rows, new_columns, purchases, carried.actual, fast_at)

    n_visited = len(rows)
    route_stock, route_daily = _over_stores(store_stock), _over_stores(store_daily)
    return RouteStockReport(
        stores=stores,
        start=panel.start,
        end=panel.end,
        average_stock=float(route_stock / n_visited),
        daily_sales_per_store=float(route_daily / n_visited),
        stock_to_sales_ratio=float(stock_to_sales_ratio(route_stock, route_daily)),
        cover_range=(float(cover_range[0]), float(cover_range[1])),
        short_stores=_labelled(stores, status, "short"),
        in_range_stores=_labelled(stores, status, "ok"),
        overstock_stores=_labelled(stores, status, "overstock"),
        stock_class_shares=tuple(float(x) for x in np.asarray(stock_shares)),
        sales_class_shares=tuple(float(x) for x in np.asarray(sales_shares)),
        key_customers=tuple(key_lines),
        new_brands=tuple(speeds),
    )

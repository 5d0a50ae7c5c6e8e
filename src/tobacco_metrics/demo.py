"""A small, deterministic demo district (no data files needed).

Eight stores, six cigarette products and one seven-day delivery cycle: daily
demand with a weekday pattern, one delivery on the cycle's first day up to
each store's quota, sales limited by the stock on hand.  Some quotas are set
below demand, so some stores sell out and the stock formulas have something
to find; one store keeps a token pack to dodge the stockout count.
"""

from __future__ import annotations

import datetime as dt

import attrs
import numpy as np
from numpy.typing import NDArray

from tobacco_metrics.domain import AreaType, Brand, DeliveryCycle, Store, StoreFormat

__all__ = ["DemoDistrict", "demo_district"]

_BRANDS = (
    ("6901028075018", "兰州(硬珍品)", 180.0),
    ("6901028001567", "云烟(软珍品)", 125.0),
    ("6901028180552", "泰山(华贵)", 85.0),
    ("6901028093135", "黄金叶(天叶)", 45.0),
    ("6901028118784", "红塔山(经典)", 28.0),
    ("6901028045134", "大前门(软)", 12.0),
)

_STORES = (
    ("C001", "城中烟酒店", AreaType.URBAN, StoreFormat.TOBACCO_LIQUOR),
    ("C002", "好德便利(西街)", AreaType.URBAN, StoreFormat.CONVENIENCE),
    ("C003", "联华超市(北门)", AreaType.URBAN, StoreFormat.SUPERMARKET),
    ("C004", "车站便利店", AreaType.URBAN, StoreFormat.CONVENIENCE),
    ("C005", "民乐食杂店", AreaType.RURAL, StoreFormat.GROCERY),
    ("C006", "党寨综合商店", AreaType.RURAL, StoreFormat.GROCERY),
    ("C007", "新区烟酒行", AreaType.URBAN, StoreFormat.TOBACCO_LIQUOR),
    ("C008", "乡镇连锁店", AreaType.RURAL, StoreFormat.CHAIN),
)

# Friday to Sunday sell more; a cycle starts on Monday.
_WEEKDAY_PROFILE = np.array([0.85, 0.85, 0.9, 0.95, 1.15, 1.3, 1.0])


@attrs.frozen(eq=False)
class DemoDistrict:
    """A demo district: stores, brands and one delivery cycle of daily data.

    ``sales`` and ``inventory`` are read-only int64 arrays shaped
    (stores, brands, days) in cartons; ``token_stock`` is per store.
    """

    stores: tuple[Store, ...]
    brands: tuple[Brand, ...]
    start: dt.date
    sales: NDArray[np.int64]
    inventory: NDArray[np.int64]
    token_stock: NDArray[np.int64]

    def cycles(self) -> tuple[DeliveryCycle, ...]:
        """One :class:`DeliveryCycle` per store × brand, stores first."""
        return tuple(
            DeliveryCycle(
                store.id,
                brand.code,
                self.start,
                sales=self.sales[i, j],
                inventory=self.inventory[i, j],
            )
            for i, store in enumerate(self.stores)
            for j, brand in enumerate(self.brands)
        )


def demo_district(seed: int = 2026, *, start: dt.date = dt.date(2026, 3, 2)) -> DemoDistrict:
    """Generate the demo district; the same ``seed`` gives the same district.

    Examples
    --------
    >>> district = demo_district()
    >>> district.sales.shape
    (8, 6, 7)
    >>> bool((district.sales >= 0).all() and (district.inventory >= 0).all())
    True
    """
    rng = np.random.default_rng(seed)
    n_stores, n_brands, n_days = len(_STORES), len(_BRANDS), 7
    weekday = np.roll(_WEEKDAY_PROFILE, -start.weekday())
    store_size = rng.uniform(0.5, 2.0, size=(n_stores, 1, 1))
    brand_pull = np.array([0.6, 1.0, 1.4, 2.2, 3.0, 2.5]).reshape(1, n_brands, 1)
    mean_demand = store_size * brand_pull * weekday.reshape(1, 1, n_days)
    demand = rng.poisson(mean_demand)
    # Quotas between 60% and 130% of a week's mean demand: some stores sell out.
    quota_share = rng.uniform(0.6, 1.3, size=(n_stores, n_brands))
    quota = np.rint(mean_demand.sum(axis=-1) * quota_share).astype(np.int64)
    token_stock = np.zeros(n_stores, dtype=np.int64)
    token_stock[3] = 1  # C004 keeps one carton back to dodge the stockout count
    opening = quota + rng.integers(0, 3, size=(n_stores, n_brands))
    sales = np.zeros((n_stores, n_brands, n_days), dtype=np.int64)
    inventory = np.zeros_like(sales)
    on_hand = opening.copy()
    for day in range(n_days):
        sellable = np.maximum(on_hand - token_stock[:, np.newaxis], 0)
        sold = np.minimum(demand[..., day], sellable)
        on_hand = on_hand - sold
        sales[..., day] = sold
        inventory[..., day] = on_hand
    sales.setflags(write=False)
    inventory.setflags(write=False)
    token_stock.setflags(write=False)
    return DemoDistrict(
        stores=tuple(
            Store(sid, name, area, format=fmt, manager_id="M01") for sid, name, area, fmt in _STORES
        ),
        brands=tuple(Brand(code, name, price) for code, name, price in _BRANDS),
        start=start,
        sales=sales,
        inventory=inventory,
        token_stock=token_stock,
    )

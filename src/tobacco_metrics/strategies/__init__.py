"""Hypothesis strategies for tobacco_metrics: domain objects and consistent sales/stock data.

Use them in your own property tests (``pip install -e ".[strategies]"`` from
a checkout installs Hypothesis beside the package; the core package never
imports Hypothesis)::

    from hypothesis import given
    from tobacco_metrics.strategies import panels

    @given(panels(stockouts="never"))
    def test_my_report_has_no_lost_sales(panel):
        ...

Importing this module registers every public attrs class of the package for
:func:`hypothesis.strategies.from_type` (``st.from_type(Brand)`` draws from
:func:`brands`, ``st.from_type(Panel)`` from :func:`panels`, a result class
such as ``PanelMetrics`` from the function that computes it on drawn data,
…); a
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

Dirty exports
-------------
:func:`long_exports` draws long tables as ERP systems write them (padded
labels, mixed date formats, shuffled rows, gaps, not-carried series,
duplicate rows) together with the clean :class:`~tobacco_metrics.Panel` a
correct reader must build from each, for testing readers of exports.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import numpy as np

from tobacco_metrics.strategies import _common, _exports, _registry
from tobacco_metrics.strategies._daily import (
    daily_sales,
    delivery_cycles,
    panels,
    sales_and_stock,
)
from tobacco_metrics.strategies._exports import LongExport, long_exports
from tobacco_metrics.strategies._records import (
    allocation_prices,
    brand_codes,
    brands,
    manager_ids,
    price_class_thresholds,
    price_classes,
    promotion_tiers,
    store_ids,
    stores,
    visit_findings,
    visit_standards,
    visit_steps,
    visits,
)

__all__ = [  # noqa: RUF022 (plain sorted order, as the tests check)
    "COLUMNS",
    "DATE_FORMATS",
    "DateFormat",
    "LongExport",
    "SUPPORTED_DTYPES",
    "Stockouts",
    "allocation_prices",
    "brand_codes",
    "brands",
    "daily_sales",
    "delivery_cycles",
    "long_exports",
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

# The constants and aliases are bound here, each with its docstring, for the reference.
SUPPORTED_DTYPES: tuple[np.dtype[Any], ...] = _common.SUPPORTED_DTYPES
"""The dtypes the daily-data strategies draw from by default (and accept)."""

Stockouts: TypeAlias = _common.Stockouts
"""The shapes of interest of :func:`sales_and_stock`, :func:`delivery_cycles`, :func:`panels`."""

DateFormat: TypeAlias = _exports.DateFormat
"""How :func:`long_exports` writes a date: a key of :data:`DATE_FORMATS`."""

DATE_FORMATS: dict[DateFormat, str] = _exports.DATE_FORMATS
"""The date formats of :func:`long_exports`: name → how 2 March 2026 is written."""

COLUMNS: tuple[str, ...] = _exports.COLUMNS
"""The columns of a :class:`LongExport`'s rows, in order."""

# The public names are documented (and pickled) as tobacco_metrics.strategies.X.
for _name in ("LongExport", *(name for name in __all__ if name[0].islower())):
    globals()[_name].__module__ = __name__
del _name

_registry.register()

"""Labelled stores × brands × days panels: from an ERP long table to cycle metrics in one pass.

An ERP export is a *long table*: one row per store, brand and day with the
quantity sold and the closing stock.  :meth:`Panel.from_long` turns it into a
:class:`Panel`, dense ``sales`` and ``inventory`` arrays shaped
``(stores, brands, days)`` with their labels and first date, and
:meth:`Panel.metrics` computes the stock metrics of
:func:`~tobacco_metrics.cycle_metrics` (脱销天数, 预计脱销销售, 销售满足度,
存销比 …) for every store × brand in one call, as a :class:`PanelMetrics`.

The metrics are computed in one pass over memory: the panel is cut into
chunks of stores (and brands) small enough to stay in the CPU cache while
every per-day quantity is derived from them, so no temporary as large as the
panel is ever made, no float64 copy of a float32 panel either, and int32 or
float32 inputs are read as they are.  The per-series rules are the functions
:func:`~tobacco_metrics.cycle_metrics` calls, so the results are *identical*
(the tests check it bit for bit); ``docs/performance.md`` gives the figures.

The package: ``_long`` reads long tables, ``_kernel`` is the chunked kernel,
``_results`` holds the result classes and ``_panel`` the :class:`Panel` class.
"""

from tobacco_metrics.panel._panel import Panel
from tobacco_metrics.panel._results import PanelCycleMetrics, PanelMetrics, PooledMetrics

__all__ = ["Panel", "PanelCycleMetrics", "PanelMetrics", "PooledMetrics"]

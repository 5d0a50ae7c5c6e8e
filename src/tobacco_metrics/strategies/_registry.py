"""``st.from_type`` registration of every public attrs class of tobacco_metrics.

Records are drawn from the strategies of this package; results are computed by
the function that returns them from drawn, valid inputs (so a drawn result is
one the library can produce).
"""

from __future__ import annotations

import datetime as dt
import importlib
import typing
from typing import Any

import numpy as np
from hypothesis import strategies as st

# From the package, not the subject modules: classes move between modules.
from tobacco_metrics import (
    Adoption,
    AgreementProgress,
    Brand,
    CycleLimit,
    CycleMetrics,
    DailyVisitReport,
    DeliveryCycle,
    KeyBrandShelf,
    Panel,
    PanelMetrics,
    PooledMetrics,
    PriceClassThresholds,
    PromotionTier,
    QuotaAdjustment,
    SimulatedDistrict,
    Store,
    StructureChange,
    Visit,
    VisitFindings,
    VisitIssue,
    VisitStandard,
    WorkTask,
    agreement_progress,
    cycle_metrics,
    daily_visit_report,
    recommendation_adoption,
    simulate_district,
    structure_change,
)
from tobacco_metrics.strategies import _records
from tobacco_metrics.strategies._common import FIRST_DATE, LAST_DATE, label_text
from tobacco_metrics.strategies._daily import delivery_cycles, panels, sales_and_stock

_DATES = st.dates(FIRST_DATE, LAST_DATE)


def _literal_values(cls: type, field: str) -> tuple[Any, ...]:
    """The values of a ``Literal[...]`` field annotation (read from the class, not restated)."""
    return typing.get_args(typing.get_type_hints(cls)[field])


@st.composite
def _date_spans(draw: st.DrawFn, max_days: int = 120) -> tuple[dt.date, dt.date]:
    first = draw(_DATES)
    return first, first + dt.timedelta(days=draw(st.integers(0, max_days)))


def _cycle_limits() -> st.SearchStrategy[CycleLimit]:
    return st.builds(CycleLimit, _DATES, st.integers(1, 14), st.integers(0, 10_000))


@st.composite
def _quota_adjustments(draw: st.DrawFn) -> QuotaAdjustment:
    start, end = draw(_date_spans())
    factor = draw(st.integers(0, 300)) / 100
    return QuotaAdjustment(start, end, factor, draw(st.just("") | label_text()))


@st.composite
def _work_tasks(draw: st.DrawFn) -> WorkTask:
    date, end = draw(_date_spans(max_days=10))
    kind = draw(st.sampled_from(_literal_values(WorkTask, "kind")))
    return WorkTask(date, kind=kind, description=draw(label_text()), end=end)


@st.composite
def _visit_issues(draw: st.DrawFn) -> VisitIssue:
    code = draw(st.sampled_from(_literal_values(VisitIssue, "code")))
    return VisitIssue(code, draw(label_text()), steps=draw(st.frozensets(_records.visit_steps())))


def _cycle_metrics() -> st.SearchStrategy[CycleMetrics]:
    return sales_and_stock().map(lambda data: cycle_metrics(*data))


def _panel_metrics() -> st.SearchStrategy[PanelMetrics]:
    return panels().map(lambda panel: panel.metrics())


def _pooled_metrics() -> st.SearchStrategy[PooledMetrics]:
    return st.one_of(
        _panel_metrics().map(PanelMetrics.by_store), _panel_metrics().map(PanelMetrics.by_brand)
    )


@st.composite
def _structure_changes(draw: st.DrawFn) -> StructureChange:
    n_brands = draw(st.integers(1, 5))
    quantities = st.lists(st.integers(0, 500), min_size=n_brands, max_size=n_brands)
    before, after = draw(quantities), draw(quantities)
    classes = draw(st.lists(st.integers(1, 5), min_size=n_brands, max_size=n_brands))
    prices = draw(
        st.none() | st.lists(st.integers(1, 200_000), min_size=n_brands, max_size=n_brands)
    )
    return structure_change(
        np.asarray(before, dtype=np.int64),
        np.asarray(after, dtype=np.int64),
        np.asarray(classes, dtype=np.int64),
        price=None if prices is None else np.asarray(prices, dtype=np.float64) / 100,
    )


@st.composite
def _agreement_progresses(draw: st.DrawFn) -> AgreementProgress:
    ordered = draw(st.integers(0, 10_000))
    agreed = draw(st.integers(1, 10_000))
    return agreement_progress(ordered, agreed, draw(_DATES))


@st.composite
def _key_brand_shelves(draw: st.DrawFn) -> KeyBrandShelf:
    should_carry = draw(st.integers(0, 60))
    on_shelf = draw(st.integers(0, should_carry))
    return KeyBrandShelf(draw(_records.brand_codes()), should_carry, on_shelf)


_ONE_DAY = dt.date(2026, 3, 2)


@st.composite
def _daily_visit_reports(draw: st.DrawFn) -> DailyVisitReport:
    manager = draw(_records.manager_ids())  # a report is one manager's day
    day = draw(
        st.lists(_records.visits(manager_ids=st.just(manager), dates=st.just(_ONE_DAY)), max_size=6)
    )
    planned = draw(st.frozensets(_records.store_ids(), max_size=6))
    area = draw(st.sampled_from(["urban", "rural"]))
    return daily_visit_report(day, planned_store_ids=planned, area=area)


@st.composite
def _adoptions(draw: st.DrawFn) -> Adoption:
    made = draw(st.lists(_records.visits(), max_size=3))
    orders = draw(
        st.lists(st.tuples(_records.store_ids(), _records.brand_codes(), _DATES), max_size=4)
        | st.just(
            [
                (visit.store_id, code, visit.start.date())
                for visit in made
                for code in visit.recommended_brands
            ]
        )
    )
    return recommendation_adoption(made, orders)


def _simulated_districts() -> st.SearchStrategy[SimulatedDistrict]:
    return st.builds(
        simulate_district,
        st.integers(1, 3),
        st.integers(1, 3),
        st.integers(1, 3),
        seed=st.integers(0, 2**32 - 1),
    )


# The decision and report results, by the public name of their class.
def _results() -> dict[str, st.SearchStrategy[Any]]:
    tm: Any = importlib.import_module("tobacco_metrics")
    found: dict[str, st.SearchStrategy[Any]] = {}
    found["DistortionFlags"] = sales_and_stock().map(lambda data: tm.distortion_flags(*data))
    found["VolatileCustomers"] = sales_and_stock(
        series_shapes=st.integers(1, 4).map(lambda n: (n,)), min_days=14, max_days=28
    ).map(lambda data: tm.volatile_customers(data[0], cycle_days=7, partial="drop"))

    @st.composite
    def scorecards(draw: st.DrawFn) -> Any:
        metrics = draw(_panel_metrics())
        n_stores = len(metrics.stores)
        groups = draw(
            st.lists(st.sampled_from(["Li", "Wang", "Zhao"]), min_size=n_stores, max_size=n_stores)
        )
        return tm.scorecard(metrics, np.asarray(groups, dtype=object)[:, np.newaxis])

    found["Scorecard"] = scorecards()

    def month_limits(split: Any, totals: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        """``split(totals, year, month, order_weekday=…)`` over drawn months and weekdays."""
        return st.builds(
            lambda totals, year, month, weekday: split(totals, year, month, order_weekday=weekday),
            totals,
            st.integers(2000, 2099),
            st.integers(1, 12),
            st.integers(0, 6),
        )

    found["WeeklyLimits"] = month_limits(
        tm.weekly_limits,
        st.lists(st.integers(0, 10_000), min_size=1, max_size=4).map(
            lambda totals: np.asarray(totals, dtype=np.int64)
        ),
    )
    found["ClassLimits"] = month_limits(
        tm.class_limits, st.lists(st.integers(0, 10_000), min_size=5, max_size=5)
    )
    found["VisitSchedule"] = st.builds(
        lambda count, year, month, area: tm.visit_schedule(
            [f"C{i:03d}" for i in range(count)],
            np.ones(count, dtype=np.int64),
            year,
            month,
            area=area,
        ),
        st.integers(30, 40),  # the urban daily minimum is 30 stores
        st.integers(2000, 2099),
        st.integers(1, 12),
        st.sampled_from(["urban", "rural"]),
    )
    reviews = sales_and_stock(
        min_days=14,
        max_days=14,
        dtypes=st.just(np.dtype(np.int64)),
        scales=st.just(1),
        series_shapes=st.integers(1, 3).map(lambda n: (n,)),
    ).flatmap(lambda data: st.integers(0, 60).map(lambda quota: tm.quota_review(quota, *data)))
    found["QuotaReview"] = reviews
    found["DemandFit"] = sales_and_stock(
        min_days=7,
        max_days=21,
        dtypes=st.just(np.dtype(np.int64)),
        scales=st.just(1),
        series_shapes=st.integers(1, 3).map(lambda n: (n,)),
    ).map(lambda data: tm.fit_demand(*data, start="2026-03-02"))
    found["PanelCycleMetrics"] = panels(min_days=7, max_days=21).map(
        lambda panel: panel.metrics_by_cycle(7, partial="drop")
    )
    found["ReviewReasons"] = reviews.map(lambda review: review.reasons)
    found["RouteStockReport"] = _route_reports()
    found["KeyCustomerStock"] = _route_reports(key=True).map(lambda report: report.key_customers[0])
    found["NewBrandSpeed"] = _route_reports(new=True).map(lambda report: report.new_brands[0])
    return found


@st.composite
def _route_reports(draw: st.DrawFn, key: bool = False, new: bool = False) -> Any:
    """A route stock report of a drawn panel; with a key customer line or a new brand line."""
    tm: Any = importlib.import_module("tobacco_metrics")
    panel = draw(panels(max_brands=3, dtypes=st.sampled_from([np.dtype(np.int64), np.float64])))
    visited = draw(st.lists(st.sampled_from(panel.stores), min_size=1, unique=True))
    keys = draw(st.lists(st.sampled_from(visited), min_size=int(key), unique=True))
    new_brands = draw(st.lists(st.sampled_from(panel.brands), min_size=int(new), unique=True))
    codes = draw(
        st.lists(st.integers(1, 5), min_size=len(panel.brands), max_size=len(panel.brands))
    )
    sold = np.sum(panel.sales, axis=-1, dtype=np.float64)  # a new brand has no opening stock
    extra = draw(st.lists(st.integers(0, 5), min_size=sold.size, max_size=sold.size))
    return tm.route_stock_report(
        panel,
        visited=set(visited),
        price_class=codes,
        key_customers=set(keys),
        new_brands=set(new_brands),
        purchases=sold + np.reshape(extra, sold.shape) if new_brands else None,
    )


def register() -> None:
    """Register the strategies for ``st.from_type`` (idempotent)."""
    by_class: dict[type, st.SearchStrategy[Any]] = {
        Brand: _records.brands(),
        Store: _records.stores(),
        Visit: _records.visits(),
        VisitFindings: _records.visit_findings(),
        DeliveryCycle: delivery_cycles(),
        Panel: panels(),
        PriceClassThresholds: _records.price_class_thresholds(),
        VisitStandard: _records.visit_standards(),
        PromotionTier: _records.promotion_tiers(),
        CycleLimit: _cycle_limits(),
        QuotaAdjustment: _quota_adjustments(),
        WorkTask: _work_tasks(),
        VisitIssue: _visit_issues(),
        CycleMetrics: _cycle_metrics(),
        PanelMetrics: _panel_metrics(),
        PooledMetrics: _pooled_metrics(),
        StructureChange: _structure_changes(),
        AgreementProgress: _agreement_progresses(),
        SimulatedDistrict: _simulated_districts(),
        KeyBrandShelf: _key_brand_shelves(),
        DailyVisitReport: _daily_visit_reports(),
        Adoption: _adoptions(),
    }
    package = importlib.import_module("tobacco_metrics")
    by_name = {getattr(package, name): strategy for name, strategy in _results().items()}
    for cls, strategy in {**by_class, **by_name}.items():
        st.register_type_strategy(cls, strategy)

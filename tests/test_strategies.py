"""Tests of tobacco_metrics.strategies: the guarantees of the strategies themselves.

Consistency of the generated sales and stock (the ledger identity, sales never
above what was on hand, deliveries only on delivery days), every option
honoured, InvalidArgument for impossible combinations, and the registration
for ``st.from_type`` (on import and through the ``hypothesis`` entry point).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import subprocess
import sys
import textwrap
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from numpy.typing import NDArray

import tobacco_metrics as tm
from tobacco_metrics import strategies as tms
from tobacco_metrics.strategies import (
    SUPPORTED_DTYPES,
    allocation_prices,
    brand_codes,
    brands,
    daily_sales,
    delivery_cycles,
    long_exports,
    manager_ids,
    panels,
    price_class_thresholds,
    price_classes,
    promotion_tiers,
    sales_and_stock,
    store_ids,
    stores,
    visit_findings,
    visit_standards,
    visit_steps,
    visits,
)

FLOAT32 = st.just(np.dtype(np.float32))
INT32 = st.just(np.dtype(np.int32))


def implied_deliveries(sales: NDArray[Any], inventory: NDArray[Any]) -> NDArray[Any]:
    """delivery[d] = inventory[d] − inventory[d − 1] + sales[d] for d >= 1, in the data's dtype."""
    delivered: NDArray[Any] = inventory[..., 1:] - inventory[..., :-1] + sales[..., 1:]
    return delivered


def assert_consistent(sales: NDArray[Any], inventory: NDArray[Any], cycle_days: int) -> None:
    """The ledger of a generated history balances, exactly, in its own dtype."""
    assert sales.shape == inventory.shape
    assert sales.dtype == inventory.dtype
    assert sales.dtype in SUPPORTED_DTYPES
    assert np.isfinite(sales).all()
    assert np.isfinite(inventory).all()
    assert (sales >= 0).all()
    assert (inventory >= 0).all()  # so sales[d] <= previous closing + delivery[d]
    delivered = implied_deliveries(sales, inventory)
    assert (delivered >= 0).all()
    delivery_day = (np.arange(1, sales.shape[-1]) % cycle_days) == 0
    # Off delivery days the stock only goes down by what was sold, exactly.
    assert (delivered[..., ~delivery_day] == 0).all()
    np.testing.assert_array_equal(
        inventory[..., 1:][..., ~delivery_day],
        (inventory[..., :-1] - sales[..., 1:])[..., ~delivery_day],
    )


def unit_of(values: NDArray[Any]) -> Fraction | None:
    """The largest power-of-two or whole unit dividing every value (None if all zero)."""
    nonzero = [Fraction(float(v)) for v in values.ravel() if v != 0]
    if not nonzero:
        return None
    unit = nonzero[0]
    for value in nonzero[1:]:
        unit = Fraction(
            math.gcd(unit.numerator * value.denominator, value.numerator * unit.denominator),
            unit.denominator * value.denominator,
        )
    return unit


# --------------------------------------------------------------------------- consistency


@given(sales_and_stock(cycle_days=3))
def test_sales_and_stock_ledger_balances(data: tuple[NDArray[Any], NDArray[Any]]) -> None:
    sales, inventory = data
    assert_consistent(sales, inventory, cycle_days=3)


@given(panels(cycle_days=5))
def test_panels_ledger_balances(panel: tm.Panel) -> None:
    assert_consistent(panel.sales, panel.inventory, cycle_days=5)
    assert panel.sales.shape == (len(panel.stores), len(panel.brands), panel.n_days)
    assert len(set(panel.stores)) == len(panel.stores)
    assert len(set(panel.brands)) == len(panel.brands)


@given(delivery_cycles())
def test_delivery_cycles_ledger_balances_after_the_delivery(cycle: tm.DeliveryCycle) -> None:
    sales = np.asarray(cycle.sales)
    inventory = np.asarray(cycle.inventory)
    # The cycle's only delivery is on its first day.
    assert_consistent(sales, inventory, cycle_days=cycle.days)
    for day in cycle.closed_days:
        assert sales[(day - cycle.start).days] == 0  # a closed store sells nothing
    assert len(cycle.closed_days) < cycle.days
    metrics = cycle.metrics()  # never raises: at least one day is open
    assert int(metrics.days) == cycle.days - len(cycle.closed_days)


@given(panels(cycle_days=4, min_days=8))
def test_panel_cycles_are_delivery_cycles(panel: tm.Panel) -> None:
    for part in panel.cycles(4, partial="keep"):
        delivered = implied_deliveries(part.sales, part.inventory)
        assert (delivered == 0).all()


@given(daily_sales())
def test_daily_sales_are_one_non_negative_series(sales: NDArray[Any]) -> None:
    assert sales.ndim == 1
    assert 1 <= sales.size <= 21
    assert sales.dtype in SUPPORTED_DTYPES
    assert (sales >= 0).all()


# --------------------------------------------------------------------------- shapes of interest


@given(panels(stockouts="never", token_stock=1.5))
def test_never_out_has_no_stockout_day(panel: tm.Panel) -> None:
    metrics = panel.metrics(token_stock=1.5)
    assert (metrics.stockout_days == 0).all()
    assert (metrics.fulfilment_ratio == 1.0).all()
    assert ((panel.sales > 0) | (panel.inventory > 1.5)).all()


@given(panels(stockouts="always", token_stock=2))
def test_always_out_is_out_every_day(panel: tm.Panel) -> None:
    assert (panel.sales == 0).all()
    assert (panel.inventory <= 2).all()
    metrics = panel.metrics(token_stock=2)
    assert (metrics.stockout_days == metrics.days).all()


@given(panels(stockouts="always"))
def test_always_out_without_token_stock_has_no_stock(panel: tm.Panel) -> None:
    assert (panel.sales == 0).all()
    assert (panel.inventory == 0).all()


@given(sales_and_stock(stockouts="token_only", token_stock=3))
def test_token_only_never_runs_dry(data: tuple[NDArray[Any], NDArray[Any]]) -> None:
    sales, inventory = data
    assert (inventory > 0).all()
    assert (tm.stockout_days(sales, inventory) == 0).all()  # out only by the token rule
    assert_consistent(sales, inventory, cycle_days=7)


@given(panels(min_days=1, max_days=1, min_stores=2, max_stores=2, min_brands=3, max_brands=3))
def test_size_bounds_are_honoured(panel: tm.Panel) -> None:
    assert panel.shape == (2, 3, 1)


@given(
    st.data(),
    st.integers(1, 5),
    st.integers(0, 3),
    st.integers(1, 30),
    st.integers(0, 10),
)
def test_default_maxima_follow_the_minima(
    data: st.DataObject, min_stores: int, extra: int, min_days: int, extra_days: int
) -> None:
    panel = data.draw(
        panels(min_stores=min_stores, max_stores=min_stores + extra, min_days=min_days)
    )
    assert min_stores <= len(panel.stores) <= min_stores + extra
    assert min_days <= panel.n_days <= max(min_days, 21)


@given(panels(dtypes=FLOAT32), sales_and_stock(dtypes=INT32))
def test_dtypes_are_honoured(panel: tm.Panel, data: tuple[NDArray[Any], NDArray[Any]]) -> None:
    assert panel.sales.dtype == panel.inventory.dtype == np.float32
    assert data[0].dtype == data[1].dtype == np.int32


@pytest.mark.parametrize("scale", [2.0**-30, 2.0**-20, 0.125, 2.0**30])
@settings(max_examples=10)
@given(data=st.data())
def test_tiny_and_huge_scales(scale: float, data: st.DataObject) -> None:
    for dtype in (np.float32, np.float64):
        sales, inventory = data.draw(
            sales_and_stock(dtypes=st.just(np.dtype(dtype)), scales=st.just(scale))
        )
        assert_consistent(sales, inventory, cycle_days=7)
        for values in (sales, inventory):
            unit = unit_of(values)
            assert unit is None or unit % Fraction(scale) == 0


@given(sales_and_stock(dtypes=INT32, scales=st.just(2**24)))
def test_huge_int32_values_stay_in_range(data: tuple[NDArray[Any], NDArray[Any]]) -> None:
    sales, inventory = data
    assert inventory.dtype == np.int32
    assert (inventory.astype(np.int64) % 2**24 == 0).all()
    assert_consistent(sales, inventory, cycle_days=7)


@given(sales_and_stock(series_shapes=st.just(())))
def test_one_series_is_one_dimensional(data: tuple[NDArray[Any], NDArray[Any]]) -> None:
    assert data[0].ndim == data[1].ndim == 1


@settings(max_examples=20, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    panels(
        stores=st.integers(0, 10**6),
        brands=st.sampled_from(["a", "b", "c"]),
        starts=st.just(dt.date(2026, 3, 2)),
    )
)
def test_label_and_start_strategies_are_used(panel: tm.Panel) -> None:
    assert all(isinstance(store, int) for store in panel.stores)
    assert set(panel.brands) <= {"a", "b", "c"}
    assert panel.start == dt.date(2026, 3, 2)


@given(delivery_cycles(allow_closed_days=False, min_days=7, max_days=7))
def test_cycles_without_closed_days(cycle: tm.DeliveryCycle) -> None:
    assert cycle.days == 7
    assert not cycle.closed_days


# --------------------------------------------------------------------------- domain objects


@given(brands(price_classes=price_classes(max_value=tm.PriceClass.III)))
def test_brands_are_valid_and_of_the_asked_class(brand: tm.Brand) -> None:
    assert brand.price_class <= tm.PriceClass.III
    assert brand.retail_price is None or brand.retail_price >= brand.allocation_price
    assert tm.Brand.from_dict(brand.to_dict()) == brand


@given(price_class_thresholds(), st.data())
def test_allocation_prices_fall_in_the_drawn_class(
    thresholds: tm.PriceClassThresholds, data: st.DataObject
) -> None:
    level = data.draw(price_classes())
    price = data.draw(
        allocation_prices(price_classes=st.just(level), thresholds=thresholds, max_value=10**7)
    )
    assert tm.price_class(price, thresholds) == level
    assert round(price, 2) == price  # whole cents


@given(stores(areas=st.just(tm.AreaType.RURAL)))
def test_stores_are_valid(store: tm.Store) -> None:
    assert store.area is tm.AreaType.RURAL
    assert tm.Store.from_dict(store.to_dict()) == store


@given(
    visits(
        manager_ids=st.just("M07"),
        timezones=st.sampled_from([dt.timezone.utc, dt.timezone(dt.timedelta(hours=8))]),
        min_duration=dt.timedelta(minutes=8),
        max_duration=dt.timedelta(minutes=30),
    )
)
def test_visits_honour_their_options(visit: tm.Visit) -> None:
    assert visit.manager_id == "M07"
    assert visit.start.tzinfo is not None
    assert visit.end.tzinfo is visit.start.tzinfo
    assert dt.timedelta(minutes=8) <= visit.duration <= dt.timedelta(minutes=30)
    assert tm.Visit.from_dict(visit.to_dict()) == visit


@given(visits())
def test_visits_are_naive_by_default(visit: tm.Visit) -> None:
    assert visit.start.tzinfo is None
    assert dt.time(6) <= visit.start.time() <= dt.time(20)
    codes = [issue.code for issue in tm.check_visit(visit)]
    order = ("too_short", "missing_steps", "after_field_hours")
    assert codes == [code for code in order if code in codes]  # each at most once, in order


@given(visit_standards(), promotion_tiers(min_threshold=5, max_threshold=9), visit_findings())
def test_other_records_are_valid(
    standard: tm.VisitStandard, tier: tm.PromotionTier, findings: tm.VisitFindings
) -> None:
    assert standard.first_visit_by <= standard.field_work_ends
    assert tm.VisitStandard.from_dict(standard.to_dict()) == standard
    assert 5 <= tier.threshold <= 9
    assert tm.VisitFindings.from_dict(findings.to_dict()) == findings


@given(store_ids(), manager_ids(), brand_codes(), visit_steps())
def test_label_strategies(store: str, manager: str, code: str, step: tm.VisitStep) -> None:
    assert store.startswith("C")
    assert manager.startswith("M")
    assert len(code) == 13
    assert code.isdigit()
    assert isinstance(step, tm.VisitStep)


# --------------------------------------------------------------------------- invalid arguments


def draw_once(strategy: st.SearchStrategy[Any]) -> Any:
    """One example of ``strategy``, without shrinking (``find`` would shrink it)."""
    drawn: list[Any] = []

    @settings(max_examples=1, database=None, phases=[Phase.generate])
    @given(strategy)
    def keep(value: Any) -> None:
        drawn.append(value)

    keep()
    return drawn[0]


@pytest.mark.parametrize(
    "make",
    [
        lambda: panels(min_days=5, max_days=2),
        lambda: panels(min_stores=0),
        lambda: panels(max_brands=0),
        lambda: panels(min_days=1.5),  # type: ignore[arg-type]
        lambda: panels(stockouts="sometimes"),  # type: ignore[arg-type]
        lambda: panels(stockouts="token_only"),  # no token stock to keep
        lambda: panels(token_stock=-1),
        lambda: panels(token_stock=math.nan),
        lambda: panels(cycle_days=0),
        lambda: panels(dtypes=np.dtype(np.float32)),  # type: ignore[arg-type]
        lambda: panels(stores=["a", "b"]),  # type: ignore[arg-type]
        lambda: panels(sorted_labels=1),  # type: ignore[arg-type]
        lambda: long_exports(max_gaps=-1),
        lambda: long_exports(min_conflicts=2, max_conflicts=1),
        lambda: long_exports(shuffle="yes"),  # type: ignore[arg-type]
        lambda: long_exports(histories=tm.Panel),  # type: ignore[arg-type]
        lambda: sales_and_stock(min_days=0),
        lambda: daily_sales(min_days=3, max_days=1),
        lambda: delivery_cycles(allow_closed_days=1),  # type: ignore[arg-type]
        lambda: price_classes(min_value=tm.PriceClass.IV, max_value=tm.PriceClass.II),
        lambda: price_classes(max_value=6),
        lambda: allocation_prices(min_value=5, max_value=4),
        lambda: allocation_prices(min_value=0),
        lambda: allocation_prices(thresholds=(100, 70, 30, 16.5)),  # type: ignore[arg-type]
        lambda: visits(min_duration=dt.timedelta(hours=2), max_duration=dt.timedelta(hours=1)),
        lambda: visits(min_duration=dt.timedelta(seconds=-1)),
        lambda: visits(timezones=dt.timezone.utc),  # type: ignore[arg-type]
        lambda: promotion_tiers(min_threshold=0.2, max_threshold=0.8),
        # These raised Python's ValueError, OverflowError and TypeError from math.ceil.
        lambda: promotion_tiers(min_threshold=math.nan),
        lambda: promotion_tiers(max_threshold=math.inf),
        lambda: promotion_tiers(min_threshold="1"),  # type: ignore[arg-type]
        lambda: promotion_tiers(max_threshold=True),
        lambda: stores(ids="C001"),  # type: ignore[arg-type]
    ],
)
def test_impossible_arguments_raise_at_call_time(make: Any) -> None:
    with pytest.raises(InvalidArgument):
        make()


@pytest.mark.parametrize(
    "strategy",
    [
        panels(dtypes=st.just(np.dtype(np.int16))),
        panels(dtypes=st.just("not a dtype")),  # type: ignore[arg-type]
        sales_and_stock(dtypes=INT32, scales=st.just(0.5)),  # not whole
        sales_and_stock(dtypes=INT32, scales=st.just(2**31)),  # beyond int32
        sales_and_stock(scales=st.just(-1.0)),
        sales_and_stock(dtypes=FLOAT32, scales=st.just(0.1)),  # not exact in float32
        sales_and_stock(dtypes=INT32, scales=st.just(1), stockouts="token_only", token_stock=0.5),
        allocation_prices(price_classes=st.just(tm.PriceClass.V), min_value=50),
        allocation_prices(price_classes=st.just(tm.PriceClass.I), max_value=99.99),
        panels(stores=st.sampled_from([1, "a"]), min_stores=2, sorted_labels=True),
        long_exports(date_formats=st.just("dd.mm.yyyy")),  # type: ignore[arg-type]
    ],
)
def test_impossible_draws_raise_invalid_argument(strategy: st.SearchStrategy[Any]) -> None:
    with pytest.raises(InvalidArgument):
        draw_once(strategy)


def test_token_only_picks_a_default_scale_that_fits() -> None:
    # The default scales include 250 cartons for integer dtypes, which a token stock of 2
    # cannot hold; the default adapts instead of failing.
    sales, inventory = draw_once(
        sales_and_stock(dtypes=INT32, stockouts="token_only", token_stock=2)
    )
    assert (inventory > 0).all()
    assert tm.stockout_days(sales, inventory, token_stock=2).shape == sales.shape[:-1]


@settings(max_examples=60)
@given(sales_and_stock(stockouts="token_only", token_stock=0.5))
def test_token_only_below_one_carton_draws_a_dtype_that_holds_it(
    data: tuple[NDArray[Any], NDArray[Any]],
) -> None:
    # A token stock of half a carton cannot be held by an integer dtype counting
    # cartons, so the default dtypes are the float ones (it was an InvalidArgument
    # error on each integer draw).
    sales, inventory = data
    assert inventory.dtype.kind == "f"
    assert (inventory > 0).all()
    assert (tm.stockout_days(sales, inventory) == 0).all()
    assert_consistent(sales, inventory, cycle_days=7)


# --------------------------------------------------------------------------- from_type


REGISTERED = {
    tm.Brand: brands,
    tm.Store: stores,
    tm.Visit: visits,
    tm.VisitFindings: visit_findings,
    tm.DeliveryCycle: delivery_cycles,
    tm.Panel: panels,
    tm.PriceClassThresholds: price_class_thresholds,
    tm.VisitStandard: visit_standards,
    tm.PromotionTier: promotion_tiers,
}


@pytest.mark.parametrize("cls", list(REGISTERED), ids=lambda cls: cls.__name__)
def test_from_type_draws_valid_instances(cls: type) -> None:
    assert isinstance(draw_once(st.from_type(cls)), cls)


PUBLIC_ATTRS_CLASSES = [
    getattr(tm, name)
    for name in tm.__all__
    if isinstance(getattr(tm, name), type) and attrs.has(getattr(tm, name))
]


@pytest.mark.parametrize("cls", PUBLIC_ATTRS_CLASSES, ids=lambda cls: cls.__name__)
def test_every_copy_of_a_result_keeps_its_arrays_read_only(cls: type) -> None:
    """Before: pickle and deepcopy gave most result classes writeable arrays (attrs restores
    an instance without its converters); now every copy goes through the constructor."""
    import copy
    import pickle

    record = draw_once(st.from_type(cls))
    arrays = [f.name for f in attrs.fields(cls) if isinstance(getattr(record, f.name), np.ndarray)]
    for copied in (pickle.loads(pickle.dumps(record)), copy.deepcopy(record), copy.copy(record)):
        assert type(copied) is cls
        for name in arrays:
            assert not getattr(copied, name).flags.writeable, name
            np.testing.assert_array_equal(getattr(copied, name), getattr(record, name))


@settings(max_examples=20)
@given(st.from_type(tm.DeliveryCycle), st.from_type(tm.Panel))
def test_from_type_gives_consistent_data(cycle: tm.DeliveryCycle, panel: tm.Panel) -> None:
    assert_consistent(np.asarray(cycle.sales), np.asarray(cycle.inventory), cycle.days)
    assert_consistent(panel.sales, panel.inventory, 7)


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
        timeout=120,
    )


def test_entry_point_registers_without_importing_the_strategies() -> None:
    done = run_python(
        """
        import sys
        from hypothesis import given, settings, strategies as st
        import tobacco_metrics as tm
        assert "tobacco_metrics.strategies" in sys.modules, "the entry point did not run"
        drawn = []

        @settings(max_examples=1, database=None)
        @given(st.from_type(tm.Brand), st.from_type(tm.Panel))
        def keep(brand, panel):
            drawn.append((brand, panel))

        keep()
        print(*(type(value).__name__ for value in drawn[0]))
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["Brand", "Panel"]


def test_importing_the_package_does_not_import_hypothesis() -> None:
    done = run_python(
        """
        import sys
        import tobacco_metrics
        print("hypothesis" in sys.modules, "tobacco_metrics.strategies" in sys.modules)
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]


def test_importing_the_strategies_registers_without_the_entry_point() -> None:
    done = run_python(
        """
        from hypothesis import given, settings, strategies as st
        import tobacco_metrics as tm
        import tobacco_metrics.strategies
        drawn = []

        @settings(max_examples=1, database=None)
        @given(st.from_type(tm.Store))
        def keep(store):
            drawn.append(store)

        keep()
        print(type(drawn[0]).__name__)
        """,
        HYPOTHESIS_NO_PLUGINS="1",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["Store"]


def test_strategies_public_names() -> None:
    assert sorted(tms.__all__) == tms.__all__
    for name in tms.__all__:
        assert getattr(tms, name) is not None
    assert "strategies" not in tm.__all__


TUTORIAL = Path(__file__).parents[1] / "docs" / "tutorials" / "testing-with-strategies.md"


def test_the_tutorial_files_run_as_saved(tmp_path: Path) -> None:
    """Each of the tutorial's files, saved under its name, passes under a fresh pytest."""
    blocks = re.findall(r"```python\n# (\S+\.py)\n(.*?)```", TUTORIAL.read_text("utf-8"), re.S)
    names = [name for name, _ in blocks]
    assert names == ["pipeline.py", "test_store_report.py", "test_visit_day.py", "test_reader.py"]
    for name, code in blocks:
        (tmp_path / name).write_text(code, encoding="utf-8")
    # Harness only (the files run unchanged): fewer examples, to keep the suite fast.
    (tmp_path / "conftest.py").write_text(
        "from hypothesis import settings\n"
        "settings.register_profile('tutorial', max_examples=15, deadline=None)\n"
        "settings.load_profile('tutorial')\n",
        encoding="utf-8",
    )
    src = str(Path(tm.__file__).parents[1])
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([src, str(tmp_path)])},
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "6 passed" in done.stdout


# --------------------------------------------------------------------------- every attrs class


def public_attrs_classes() -> list[type]:
    """Every public attrs class of the package, found in ``tm.__all__`` (new ones are caught)."""
    found = [getattr(tm, name) for name in tm.__all__]
    return [cls for cls in found if isinstance(cls, type) and attrs.has(cls)]


def test_the_enumeration_finds_the_classes_issue_14_named() -> None:
    names = {cls.__name__ for cls in public_attrs_classes()}
    named = {"QuotaAdjustment", "CycleLimit", "WorkTask", "VisitIssue", "StructureChange"}
    assert named | {"AgreementProgress", "CycleMetrics", "PanelMetrics"} <= names


@pytest.mark.parametrize("cls", public_attrs_classes(), ids=lambda cls: cls.__name__)
def test_every_public_attrs_class_resolves_with_from_type(cls: type) -> None:
    drawn = draw_once(st.from_type(cls))
    assert type(drawn) is cls


@settings(max_examples=20)
@given(st.from_type(tm.PanelMetrics), st.from_type(tm.QuotaAdjustment), st.from_type(tm.WorkTask))
def test_drawn_results_and_records_are_valid(
    metrics: tm.PanelMetrics, adjustment: tm.QuotaAdjustment, task: tm.WorkTask
) -> None:
    assert metrics.days.shape == (len(metrics.stores), len(metrics.brands))
    assert (metrics.stockout_days <= metrics.days).all()
    assert adjustment.start <= adjustment.end
    assert tm.QuotaAdjustment.from_dict(adjustment.to_dict()) == adjustment
    assert tm.WorkTask.from_dict(task.to_dict()) == task


@settings(max_examples=30)
@given(st.from_type(tm.KeyBrandShelf), st.from_type(tm.DailyVisitReport), st.from_type(tm.Adoption))
def test_drawn_visit_results_are_ones_the_library_computes(
    shelf: tm.KeyBrandShelf, report: tm.DailyVisitReport, adoption: tm.Adoption
) -> None:
    assert 0 <= shelf.on_shelf <= shelf.should_carry
    assert report.actual_visits >= 0
    assert report.planned_visits >= 0
    assert adoption.recommended == len(adoption.adopted) + len(adoption.pending)


@settings(max_examples=30)
@given(
    st.from_type(tm.RouteStockReport),
    st.from_type(tm.KeyCustomerStock),
    st.from_type(tm.NewBrandSpeed),
)
def test_drawn_route_reports_are_ones_the_library_computes(
    report: tm.RouteStockReport, line: tm.KeyCustomerStock, speed: tm.NewBrandSpeed
) -> None:
    # These were not registered: from_type built them from their annotations
    # (negative stock, stores that are `property` objects, lists that do not add up).
    grouped = report.short_stores + report.in_range_stores + report.overstock_stores
    assert len(grouped) == len(report.stores)
    assert set(grouped) == set(report.stores)
    assert report.average_stock >= 0
    assert line.inventory >= 0
    assert line.stockout_days >= 0
    assert speed.ordered == len(speed.fast) + len(speed.slow)
    assert math.isnan(speed.sell_through) or 0 <= speed.sell_through <= 1


# --------------------------------------------------------------------------- renamed arguments


@settings(max_examples=5)
@given(st.data())
def test_old_label_argument_names_still_work_with_a_warning(data: st.DataObject) -> None:
    with pytest.warns(DeprecationWarning, match=r"panels\(store_ids=...\) is deprecated"):
        strategy = panels(store_ids=st.sampled_from(["x", "y"]), max_stores=2)
    assert set(data.draw(strategy).stores) <= {"x", "y"}
    with pytest.warns(DeprecationWarning, match="use brands="):
        strategy = panels(brand_codes=st.just("b"), max_brands=1)
    assert data.draw(strategy).brands == ("b",)


def test_old_and_new_label_names_together_are_refused() -> None:
    with pytest.raises(InvalidArgument, match="both stores= and its deprecated name store_ids="):
        panels(stores=st.just("a"), store_ids=st.just("a"))


# --------------------------------------------------------------------------- sorted labels


@given(panels(sorted_labels=True))
def test_sorted_labels_round_trip_through_the_long_table(panel: tm.Panel) -> None:
    stores: list[Any] = list(panel.stores)
    brands_: list[Any] = list(panel.brands)
    assert stores == sorted(stores)
    assert brands_ == sorted(brands_)
    long = panel.to_long()
    back = tm.Panel.from_long(
        long["store"], long["brand"], long["date"], long["sales"], long["inventory"]
    )
    assert back.stores == panel.stores
    assert back.brands == panel.brands
    assert back.start == panel.start
    np.testing.assert_array_equal(back.sales, panel.sales)
    np.testing.assert_array_equal(back.inventory, panel.inventory)


def test_unsorted_labels_are_the_default() -> None:
    # Without the option the strategy draws labels in either order (a round trip needs care).
    strategy = panels(stores=st.sampled_from(["b", "a"]), min_stores=2, max_stores=2)
    for order in (("a", "b"), ("b", "a")):
        found = find(strategy, lambda panel, order=order: panel.stores == order)  # type: ignore[misc]
        assert found.stores == order


# --------------------------------------------------------------------------- long exports


def parse_date(value: object) -> dt.date:
    """The reference reader's dates: every format of DATE_FORMATS."""
    if isinstance(value, dt.datetime):
        assert value.time() == dt.time(0)
        return value.date()
    if isinstance(value, dt.date):
        return value
    assert isinstance(value, str)
    text = value.removesuffix(" 00:00:00")
    if "/" in text:
        year, month, day = (int(part) for part in text.split("/"))
        return dt.date(year, month, day)
    if len(text) == 8 and text.isdigit():
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    return dt.date.fromisoformat(text)


def read_export(export: tms.LongExport) -> tm.Panel:
    """A small correct reader: strip, parse, collapse identical rows, refuse conflicts, fill."""
    cells: dict[tuple[Any, Any, dt.date], tuple[Any, Any]] = {}
    for store, brand, date, sales, inventory in export.rows:
        key = (store.strip(), brand.strip(), parse_date(date))
        if key in cells and cells[key] != (sales, inventory):
            raise tm.DuplicateEntryError(f"conflicting rows for {key}")
        cells[key] = (sales, inventory)
    carried = {(store, brand) for store, brand, _ in cells}
    stores = sorted({store for store, _ in carried})
    brands = sorted({brand for _, brand in carried})
    days = {day for _, _, day in cells}
    first, last = min(days), max(days)
    zero = next(iter(cells.values()))[0] * 0
    for store in stores:
        for brand in brands:
            if (store, brand) not in carried:  # not carried: zeros, as LongExport documents
                for offset in range((last - first).days + 1):
                    cells[(store, brand, first + dt.timedelta(days=offset))] = (zero, zero)
    keys = list(cells)
    return tm.Panel.from_long(
        [key[0] for key in keys],
        [key[1] for key in keys],
        [key[2] for key in keys],
        [cells[key][0] for key in keys],
        [cells[key][1] for key in keys],
        missing="no_movement",
    )


def assert_same_panel(panel: tm.Panel, expected: tm.Panel, *, same_dtype: bool = True) -> None:
    assert panel.stores == expected.stores
    assert panel.brands == expected.brands
    assert panel.start == expected.start
    if same_dtype:
        assert panel.sales.dtype == expected.sales.dtype
    np.testing.assert_array_equal(panel.sales, expected.sales)
    np.testing.assert_array_equal(panel.inventory, expected.inventory)


@given(long_exports())
def test_a_correct_reader_gives_the_clean_twin(export: tms.LongExport) -> None:
    assert not export.conflicts
    assert_same_panel(read_export(export), export.clean)


@given(long_exports())
def test_the_dirt_is_what_the_export_reports(export: tms.LongExport) -> None:
    clean, original = export.clean, export.original
    n_stores, n_brands, n_days = clean.shape
    index = (
        {label: i for i, label in enumerate(clean.stores)},
        {label: i for i, label in enumerate(clean.brands)},
    )
    # Every row is a cell of the original history, written dirty.
    for store, brand, date, sales, inventory in export.rows:
        s, b = index[0][store.strip()], index[1][brand.strip()]
        d = (parse_date(date) - clean.start).days
        assert (sales, inventory) == (original.sales[s, b, d], original.inventory[s, b, d])
    carried_cells = (n_stores * n_brands - len(export.not_carried)) * n_days
    assert len(export.rows) == carried_cells - len(export.filled) + export.identical_duplicates
    for store, brand, day in export.filled:
        s, b, d = index[0][store], index[1][brand], (day - clean.start).days
        assert d >= 1  # never the first day
        assert clean.sales[s, b, d] == 0
        assert clean.inventory[s, b, d] == clean.inventory[s, b, d - 1]
    for store, brand in export.not_carried:
        assert (clean.sales[index[0][store], index[1][brand]] == 0).all()
    carried = getattr(clean, "carried", None)  # where Panel records not-carried series
    if carried is not None:
        assert int(np.count_nonzero(~carried)) == len(export.not_carried)


@given(long_exports(min_conflicts=1, max_conflicts=2))
def test_conflicting_duplicates_are_refused_by_a_correct_reader(export: tms.LongExport) -> None:
    assert 1 <= len(export.conflicts) <= 2
    with pytest.raises(tm.DuplicateEntryError):
        read_export(export)


@settings(max_examples=30)
@given(
    long_exports(
        whitespace=False,
        shuffle=False,
        max_gaps=0,
        max_not_carried=0,
        max_identical_duplicates=0,
        date_formats=st.just("iso"),
    )
)
def test_an_export_without_dirt_is_the_plain_long_table(export: tms.LongExport) -> None:
    columns = export.columns()
    assert list(columns) == list(tms.COLUMNS)
    read = tm.Panel.from_long(*(columns[name] for name in tms.COLUMNS))
    assert_same_panel(read, export.clean)
    assert_same_panel(export.clean, export.original)


@settings(max_examples=30)
@given(long_exports(date_formats=st.sampled_from(["compact", "slash"])))
def test_the_export_reads_with_pandas(export: tms.LongExport) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(export.columns())
    assert len(frame) == len(export.rows)
    assert frame["date"].map(lambda text: "-" not in text).all()


@settings(max_examples=30)
@given(long_exports(max_not_carried=0))
def test_from_frame_reads_an_export_as_its_clean_twin(export: tms.LongExport) -> None:
    """The library's own reader of frames (Panel.from_frame) gives the clean twin."""
    import pandas as pd

    panel = tm.Panel.from_frame(pd.DataFrame(export.columns()), missing="no_movement")
    # Panel.from_frame documents float64 quantities, whatever the frame held
    assert panel.sales.dtype == panel.inventory.dtype == np.float64
    assert_same_panel(panel, export.clean, same_dtype=False)


def test_date_formats_match_the_literal() -> None:
    import typing

    assert tuple(tms.DATE_FORMATS) == typing.get_args(tms.DateFormat)
    day = dt.date(2026, 3, 2)
    for name in tms.DATE_FORMATS:
        written = draw_once(
            long_exports(
                histories=panels(starts=st.just(day), max_days=1), date_formats=st.just(name)
            )
        ).rows[0][2]
        assert parse_date(written) == day
        assert repr(written) in tms.DATE_FORMATS[name] or str(written) in tms.DATE_FORMATS[name]

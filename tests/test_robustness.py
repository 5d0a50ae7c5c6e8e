"""Robustness sweep: every public name of tobacco_metrics under adversarial input.

Each public function and constructor has an entry in :data:`CASES`: a strategy
of valid keyword arguments (from the public strategies where they fit), the
kind of each argument, and the documented range of a result.  The sweep draws a
valid call, replaces some arguments with adversarial values of their kind
(NaN, ±inf, negative, empty, 0-d, mismatched shapes, object and bool arrays,
huge ints, wrong types, naive vs aware datetimes, …), calls, and asserts that

- the call returns a result inside the documented range, or raises
  :class:`~tobacco_metrics.TobaccoMetricsError` (or :class:`TypeError` when an
  argument of the wrong type was given) with a non-empty message, never
  another exception;
- no warning escapes (a numpy RuntimeWarning above all);
- no input is modified (its pickled value, and an array's writeable flag);
- a call left valid succeeds.

Exception classes, enums and constants are covered by specific checks
(:data:`SIMPLE`).  :func:`test_every_public_name_is_covered` fails, listing
them, when a name of ``tobacco_metrics.__all__`` has no entry.
"""

from __future__ import annotations

import datetime as dt
import math
import pickle
import re
import sys
import warnings
from collections.abc import Callable
from typing import Any, get_args

import numpy as np
import pandas as pd
import pytest
from dateutil.rrule import FR, MO, TH
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

import tobacco_metrics as tm
import tobacco_metrics.errors as errors_module
from _robustness_cases import (
    CASES,
)
from _robustness_kinds import (
    CATALOGUE,
    KINDS,
    ODD_SHAPES,
    Bad,
    Case,
    Kwargs,
)
from _robustness_strategies import (
    TOKENS,
    arr,
    check_dtype,
    check_quota,
    in_unit_interval,
    is_instance,
    lost_sales_inputs,
    no_check,
    non_negative_or_nan,
    record_case,
)
from tobacco_metrics import TobaccoMetricsError
from tobacco_metrics.strategies import (
    sales_and_stock,
)

# --------------------------------------------------------------------------- issue 17: screening


@st.composite
def distortion_inputs(draw: st.DrawFn) -> Kwargs:
    sales, inventory = draw(sales_and_stock(max_days=10))
    kwargs: Kwargs = {"sales": sales, "inventory": inventory}
    if draw(st.booleans()):
        kwargs["token"] = draw(TOKENS)
        kwargs["min_days"] = draw(st.integers(1, 4))
    if draw(st.booleans()):
        kwargs["purchases"] = np.zeros(sales.shape)
        if draw(st.booleans()):
            kwargs["reported_sales"] = np.array(sales)
        kwargs["tolerance"] = draw(st.sampled_from([0, 1e-6, 0.5]))
    return kwargs


def check_distortions(result: tm.DistortionFlags, kwargs: Kwargs) -> None:
    assert isinstance(result, tm.DistortionFlags)
    for name in tm.DISTORTION_KINDS:
        days = np.asarray(getattr(result, f"{name}_days"))
        check_dtype(days, "b")
        assert np.array_equal(np.asarray(getattr(result, name)), days.any(axis=-1))


@st.composite
def volatile_inputs(draw: st.DrawFn) -> Kwargs:
    cycle = draw(st.integers(1, 4))
    sales, _ = draw(
        sales_and_stock(
            series_shapes=st.sampled_from([(2,), (3, 2)]), min_days=2 * cycle, max_days=4 * cycle
        )
    )
    kwargs: Kwargs = {"sales": sales, "cycle_days": cycle, "partial": "drop"}
    if draw(st.booleans()):
        kwargs["top"] = draw(st.integers(1, 3))
    if draw(st.booleans()):
        kwargs["stores"] = [f"C{i}" for i in range(sales.shape[0])]
    return kwargs


def check_volatile(result: tm.VolatileCustomers, kwargs: Kwargs) -> None:
    assert isinstance(result, tm.VolatileCustomers)
    assert non_negative_or_nan(result.cv)
    assert len(set(np.asarray(result.order).tolist())) == np.asarray(result.order).size


@st.composite
def cap_inputs(draw: st.DrawFn) -> Kwargs:
    n = draw(st.integers(1, 4))
    status = draw(st.lists(st.sampled_from([*tm.SupplyStatus, None]), min_size=n, max_size=n))
    kwargs: Kwargs = {
        "status": status,
        "control_level": np.array(draw(st.lists(st.integers(0, 30), min_size=n, max_size=n))),
    }
    if draw(st.booleans()):
        kwargs["points"] = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    if draw(st.booleans()):
        kwargs["capped"] = draw(st.sets(st.sampled_from(list(tm.SupplyStatus))))
    return kwargs


def check_caps(result: Any, kwargs: Kwargs) -> None:
    check_dtype(result, "f")
    assert non_negative_or_nan(result)
    assert not np.isinf(np.asarray(result)).any()


@st.composite
def schedule_inputs(draw: st.DrawFn) -> Kwargs:
    n = draw(st.integers(1, 5))
    stores = [f"C{i}" for i in range(n)]
    return {
        "stores": stores,
        "frequency": np.array(draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))),
        "year": 2026,
        "month": draw(st.integers(1, 12)),
        "area": draw(st.sampled_from(["urban", "rural"])),
        "holidays": [dt.date(2026, 5, 1)],
        "standard": tm.VisitStandard(min_visits_urban=1, min_visits_rural=0),
        "priority": draw(st.none() | st.just(np.arange(n, dtype=float))),
        "focus": draw(st.sets(st.sampled_from(stores), max_size=2)),
    }


def check_schedule(result: tm.VisitSchedule, kwargs: Kwargs) -> None:
    assert isinstance(result, tm.VisitSchedule)
    assert np.all(result.daily_counts >= result.min_visits)
    assert np.all(result.visit_counts >= result.frequency)


ROUTE_PANEL = tm.Panel(
    ["C1", "C2"],
    ["B1", "NEW"],
    "2026-03-02",
    [[[1, 2, 0], [1, 0, 0]], [[3, 0, 1], [0, 0, 0]]],
    [[[4, 2, 2], [3, 3, 3]], [[5, 5, 4], [1, 1, 1]]],
)


@st.composite
def route_inputs(draw: st.DrawFn) -> Kwargs:
    kwargs: Kwargs = {
        "panel": ROUTE_PANEL,
        "visited": draw(st.sets(st.sampled_from(["C1", "C2"]), min_size=1)),
        "price_class": np.array([2, 3]),
        "key_customers": draw(st.sets(st.sampled_from(["C1", "C2"]))),
        "cover_range": draw(st.sampled_from([(2.0, 7.0), (0, 1)])),
        "token_stock": draw(TOKENS),
    }
    if draw(st.booleans()):
        kwargs["new_brands"] = {"NEW"}
        kwargs["purchases"] = np.array([[0, 4], [0, 0]])
        kwargs["fast_at"] = draw(st.floats(0.1, 1))
    return kwargs


def _issue17_cases() -> dict[str, Case]:
    c: dict[str, Case] = {}
    c["distortion_flags"] = Case(
        tm.distortion_flags,
        distortion_inputs(),
        check_distortions,
    )
    c["DistortionFlags"] = record_case(
        tm.DistortionFlags, distortion_inputs().map(lambda k: tm.distortion_flags(**k))
    )
    c["volatile_customers"] = Case(
        tm.volatile_customers, volatile_inputs(), check_volatile, overrides={"stores": "object"}
    )
    c["VolatileCustomers"] = record_case(
        tm.VolatileCustomers, volatile_inputs().map(lambda k: tm.volatile_customers(**k))
    )
    c["control_caps"] = Case(
        tm.control_caps,
        cap_inputs(),
        check_caps,
    )
    c["working_days"] = Case(
        tm.working_days,
        st.fixed_dictionaries(
            {"year": st.integers(1, 9999), "month": st.integers(1, 12)},
            optional={"holidays": st.lists(st.dates(), max_size=3)},
        ),
        is_instance(tuple),
    )
    c["visit_schedule"] = Case(
        tm.visit_schedule,
        schedule_inputs(),
        check_schedule,
    )
    c["VisitSchedule"] = record_case(
        tm.VisitSchedule, schedule_inputs().map(lambda k: tm.visit_schedule(**k))
    )
    c["route_stock_report"] = Case(
        tm.route_stock_report,
        route_inputs(),
        is_instance(tm.RouteStockReport),
    )
    reports = route_inputs().map(lambda k: tm.route_stock_report(**k))
    c["RouteStockReport"] = record_case(tm.RouteStockReport, reports)
    c["KeyCustomerStock"] = record_case(
        tm.KeyCustomerStock,
        st.just(tm.KeyCustomerStock("C1", 3.0, 1.5, 0, 1.0, ())),
    )
    c["NewBrandSpeed"] = record_case(
        tm.NewBrandSpeed, st.just(tm.NewBrandSpeed("NEW", 1, ("C1",), (), 0.75))
    )
    return c


CASES.update(_issue17_cases())


# --------------------------------------------------------------------------- specific checks


def check_errors() -> None:
    assert issubclass(tm.TobaccoMetricsError, ValueError)
    for name in errors_module.__all__:
        cls = getattr(tm, name)
        if issubclass(cls, Warning):  # ExportNote: what a reader decided, not an error
            assert issubclass(cls, UserWarning)
            assert not issubclass(cls, tm.TobaccoMetricsError)
            continue
        assert issubclass(cls, tm.TobaccoMetricsError)
        error = cls("'x' must be >= 0: -1")
        assert str(error) == "'x' must be >= 0: -1"
    assert issubclass(tm.InconsistentLedgerError, tm.InvalidValueError)


def check_labelled_enum(cls: Any) -> Callable[[], None]:
    def check() -> None:
        assert len(cls) > 0
        for member in cls:
            assert cls(member.value) is member
            assert isinstance(member.label, str)
            assert member.label
        with pytest.raises(ValueError, match="bogus"):
            cls("bogus")

    return check


def check_price_class_enum() -> None:
    assert [int(member) for member in tm.PriceClass] == [1, 2, 3, 4, 5]
    assert [member.label for member in tm.PriceClass] == ["一类", "二类", "三类", "四类", "五类"]


def check_units_constants() -> None:
    assert tm.CARTONS_PER_CASE == 250
    assert tm.PACKS_PER_CARTON == 10
    assert tm.STICKS_PER_PACK == 20
    assert tm.STICKS_PER_CARTON == tm.PACKS_PER_CARTON * tm.STICKS_PER_PACK == 200


def check_version() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+([.-]?\w+)*", tm.__version__)


def check_weekday_profile() -> None:
    profile = tm.DEFAULT_WEEKDAY_PROFILE
    assert isinstance(profile, tuple)
    assert len(profile) == 7
    assert all(isinstance(v, float) and math.isfinite(v) and v > 0 for v in profile)


def check_lost_sales_methods() -> None:
    assert get_args(tm.LostSalesMethod) == tm.LOST_SALES_METHODS
    assert tm.LOST_SALES_METHODS == ("seed", "weekday", "censored")


def check_screening_constants() -> None:
    assert tm.DISTORTION_KINDS == (
        "token_hold",
        "zeroed_before_order",
        "missing_upload",
        "ledger_mismatch",
    )
    capped = {tm.SupplyStatus.CONTROLLED, tm.SupplyStatus.POINT_CONTROLLED}
    assert capped == tm.DEFAULT_CAPPED_STATUSES


def check_panel_from_frame() -> None:
    """Adversarial frames: a refusal naming the problem, never another exception or a warning."""
    valid = {
        "store": ["C1", "C1"],
        "brand": ["B", "B"],
        "date": ["2026-03-02", "2026-03-03"],
        "sales": [1.0, 2.0],
        "inventory": [3.0, 1.0],
    }
    frame = pd.DataFrame(valid)
    before = frame.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert tm.Panel.from_frame(frame).sales.tolist() == [[[1.0, 2.0]]]
        bad_values: list[tuple[str, Any]] = [
            ("sales", [np.nan, 1.0]),
            ("sales", [np.inf, 1.0]),
            ("inventory", [-1.0, 1.0]),
            ("sales", [1e308, "x"]),
            ("date", ["NaT", "2026-03-03"]),
            ("date", ["0000-01-01", "2026-03-03"]),
            ("date", ["2026-03-02", "2126-03-03"]),
            ("date", [None, "2026-03-03"]),
            ("store", [None, "C1"]),
            ("store", ["", "C1"]),
        ]
        for column, values in bad_values:
            broken = pd.DataFrame({**valid, column: values})
            with pytest.raises((TobaccoMetricsError, TypeError)) as excinfo:
                tm.Panel.from_frame(broken)
            assert str(excinfo.value)
        for not_a_frame in (None, 3, [[1, 2]], np.zeros((2, 5)), pd.Series([1.0])):
            with pytest.raises(TypeError, match=r"must be a dataframe|cannot be read as a table"):
                tm.Panel.from_frame(not_a_frame)
        with pytest.raises(TobaccoMetricsError):
            tm.Panel.from_frame(frame.iloc[:0])
    pd.testing.assert_frame_equal(frame, before)


def check_read_export() -> None:
    """Every argument given a bad value: a refusal naming it, never another exception."""
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp())
    source = folder / "export.csv"
    source.write_text(
        "客户编码,卷烟编码,日期,销量,库存\nC1,B,2026-03-02,1,3\nC1,B,2026-03-03,2,1\n",
        encoding="utf-8",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert tm.read_export(source).sales.tolist() == [[[1.0, 2.0]]]
        bad: list[dict[str, Any]] = [
            {"path": None},
            {"path": 5},
            {"path": b"export.csv"},
            {"path": folder},
            {"path": folder / "absent.csv"},
            *(
                {name: value}
                for name in ("store", "brand", "date", "sales", "inventory")
                for value in (None, 5, "", "   ", "absent")
            ),
            {"missing": "x"},
            {"missing": None},
            {"encoding": "no-such-codec"},
            {"encoding": 5},
            {"sheet": -1},
            {"sheet": 1.5},
            {"sheet": True},
        ]
        for change in bad:
            arguments: dict[str, Any] = {"path": source, **change}
            with pytest.raises((TobaccoMetricsError, TypeError, OSError)) as excinfo:
                tm.read_export(**arguments)
            assert str(excinfo.value)


SIMPLE: dict[str, Callable[[], None]] = {
    "Panel.from_frame": check_panel_from_frame,
    "read_export": check_read_export,
    "__version__": check_version,
    **dict.fromkeys(errors_module.__all__, check_errors),
    "PriceClass": check_price_class_enum,
    "AreaType": check_labelled_enum(tm.AreaType),
    "StoreFormat": check_labelled_enum(tm.StoreFormat),
    "LifecycleStage": check_labelled_enum(tm.LifecycleStage),
    "VisitStep": check_labelled_enum(tm.VisitStep),
    "SupplyStatus": check_labelled_enum(tm.SupplyStatus),
    "BrandCategory": check_labelled_enum(tm.BrandCategory),
    "DISTORTION_KINDS": check_screening_constants,
    "DEFAULT_CAPPED_STATUSES": check_screening_constants,
    **dict.fromkeys(
        ("CARTONS_PER_CASE", "PACKS_PER_CARTON", "STICKS_PER_PACK", "STICKS_PER_CARTON"),
        check_units_constants,
    ),
    "DEFAULT_WEEKDAY_PROFILE": check_weekday_profile,
    "LOST_SALES_METHODS": check_lost_sales_methods,
    "LostSalesMethod": check_lost_sales_methods,
}


# -- decisions and assessment (quota review, service quota, cover status, scorecard)


def check_review(result: tm.QuotaReview, kwargs: Kwargs) -> None:
    assert isinstance(result, tm.QuotaReview)
    check_dtype(result.proposed, "i")
    assert np.all(arr(result.proposed) >= 0)
    assert set(arr(result.action).reshape(-1).tolist()) <= set(tm.REVIEW_ACTIONS)
    assert in_unit_interval(result.fulfilment)
    flags = np.stack([arr(getattr(result.reasons, name)) for name in tm.REVIEW_REASONS])
    assert flags.any(axis=0).all()


def check_cover_status(result: Any, kwargs: Kwargs) -> None:
    assert set(arr(result).reshape(-1).tolist()) <= set(tm.COVER_STATUSES)
    assert arr(result).shape == arr(kwargs["cover"]).shape


def check_scorecard(result: tm.Scorecard, kwargs: Kwargs) -> None:
    assert isinstance(result, tm.Scorecard)
    assert in_unit_interval(result.fulfilment)
    assert in_unit_interval(result.stockout_rate)
    assert in_unit_interval(result.in_range_share)
    score = arr(result.score)
    assert np.all(np.isnan(score) | ((score >= 0) & (score <= 100 + 1e-9)))


@st.composite
def review_inputs(draw: st.DrawFn) -> Kwargs:
    kwargs = draw(lost_sales_inputs(cycles=True))
    kwargs["quota"] = draw(st.integers(0, 100))
    if draw(st.booleans()):
        kwargs["supplied"] = draw(st.integers(0, 100))
    if draw(st.booleans()):
        kwargs["max_quota"] = draw(st.integers(0, 150))
    if draw(st.booleans()):
        kwargs["target_fulfilment"] = draw(st.floats(0, 1))
    if draw(st.booleans()):
        kwargs["max_change"] = draw(st.floats(0, 3))
    if draw(st.booleans()):
        low = draw(st.floats(0, 10))
        kwargs["cover_range"] = (low, low + draw(st.floats(0, 10)))
    return kwargs


@st.composite
def service_inputs(draw: st.DrawFn) -> Kwargs:
    kwargs = draw(lost_sales_inputs(cycles=True))
    if draw(st.booleans()):
        kwargs["fill_rate"] = draw(st.floats(0, 0.999))
    if draw(st.booleans()):
        kwargs["dispersion"] = draw(st.floats(0.5, 100) | st.just(math.inf))
    return kwargs


@st.composite
def scorecard_inputs(draw: st.DrawFn) -> Kwargs:
    sales, stock = draw(sales_and_stock())
    metrics = tm.cycle_metrics(sales, stock)
    shape = sales.shape[:-1]
    kwargs: Kwargs = {
        "metrics": metrics,
        "by": draw(st.integers(0, 3) | hnp.arrays(np.int64, shape, elements=st.integers(0, 3))),
    }
    if draw(st.booleans()):
        kwargs["carried"] = draw(hnp.arrays(np.bool_, shape))
    if draw(st.booleans()):
        kwargs["weights"] = {"fulfilment": draw(st.floats(0.1, 5)), "in_range_share": 1.0}
    return kwargs


CASES.update(
    {
        "quota_review": Case(
            tm.quota_review,
            review_inputs(),
            check_review,
            overrides={"sales": "small_array", "inventory": "small_array"},
        ),
        "service_quota": Case(
            tm.service_quota,
            service_inputs(),
            check_quota,
            overrides={"sales": "small_array", "inventory": "small_array"},
            valid_may_raise=True,  # a cycle demand too large or spread for the exact sum
        ),
        "cover_status": Case(
            tm.cover_status,
            st.builds(
                dict,
                cover=st.floats(0, 30) | hnp.arrays(np.float64, ODD_SHAPES, elements=st.floats(0)),
            ),
            check_cover_status,
        ),
        "scorecard": Case(
            tm.scorecard, scorecard_inputs(), check_scorecard, overrides={"weights": "mapping"}
        ),
    }
)


def check_decision_names() -> None:
    assert get_args(tm.ReviewAction) == tm.REVIEW_ACTIONS == ("raise", "cut", "hold")
    assert get_args(tm.ReviewReason) == tm.REVIEW_REASONS
    assert get_args(tm.CoverStatus) == tm.COVER_STATUSES
    assert set(tm.DEFAULT_SCORE_WEIGHTS) == {"fulfilment", "stockout_rate", "in_range_share"}
    review = tm.quota_review(70, [14] * 5 + [0, 0], [56, 42, 28, 14, 0, 0, 0])
    assert isinstance(review.reasons, tm.ReviewReasons)


def check_convergence_warning() -> None:
    assert issubclass(tm.ConvergenceWarning, UserWarning)
    assert not issubclass(tm.ConvergenceWarning, TobaccoMetricsError)


SIMPLE["ConvergenceWarning"] = check_convergence_warning
SIMPLE.update(
    dict.fromkeys(
        (
            "REVIEW_ACTIONS",
            "REVIEW_REASONS",
            "COVER_STATUSES",
            "ReviewAction",
            "ReviewReason",
            "CoverStatus",
            "DEFAULT_SCORE_WEIGHTS",
            "ReviewReasons",
            "QuotaReview",
            "Scorecard",
        ),
        check_decision_names,
    )
)


def test_every_public_name_is_covered() -> None:
    uncovered = sorted(set(tm.__all__) - set(CASES) - set(SIMPLE))
    assert not uncovered, f"public names without a robustness case: {', '.join(uncovered)}"


def test_registry_names_are_public() -> None:
    unknown = sorted(
        name for name in set(CASES) | set(SIMPLE) if name.split(".")[0] not in tm.__all__
    )
    assert not unknown, f"robustness cases for names that are not public: {unknown}"


def test_every_parameter_has_a_kind() -> None:
    """Every parameter of every swept public callable has a catalogue entry (or an override)."""
    missing = sorted(
        f"{name}({parameter})"
        for name, case in CASES.items()
        if not case.unvalidated
        for parameter in case.parameters
        if parameter not in CATALOGUE and parameter not in case.overrides
    )
    assert not missing, f"parameters without an adversarial kind in CATALOGUE: {missing}"


def test_catalogue_has_no_stale_entry() -> None:
    used = {p for case in CASES.values() if not case.unvalidated for p in case.parameters}
    stale = sorted(set(CATALOGUE) - used)
    assert not stale, f"catalogue entries no public parameter has: {stale}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_overrides_are_parameters(name: str) -> None:
    case = CASES[name]
    unknown = sorted(set(case.overrides) - set(case.parameters))
    assert not unknown, f"{name} has no parameters {unknown}"
    assert all(kind in KINDS for kind in case.kinds.values())


@pytest.mark.parametrize("name", sorted(SIMPLE))
def test_simple_names(name: str) -> None:
    SIMPLE[name]()


# --------------------------------------------------------------------------- the sweep


def snapshot(kwargs: Kwargs) -> tuple[bytes, list[bool]]:
    """What must not change: the pickled arguments and the arrays' writeable flags."""
    flags: list[bool] = []

    def walk(value: Any) -> None:
        if isinstance(value, np.ndarray):
            flags.append(bool(value.flags.writeable))
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    for value in kwargs.values():
        walk(value)
    return pickle.dumps({name: canonical(value) for name, value in kwargs.items()}), flags


def canonical(value: Any) -> Any:
    """A labelled value as its numbers and labels (pandas pickles its own caches too)."""
    if isinstance(value, (pd.Series, pd.DataFrame)):
        columns = list(value.columns) if isinstance(value, pd.DataFrame) else None
        return type(value).__name__, value.to_numpy(copy=True), list(value.index), columns
    return value


def call_once(case: Case, kwargs: Kwargs, corrupted: dict[str, Bad]) -> None:
    """Call, and check the outcome against the contract."""
    before = snapshot(kwargs)
    wrong_type = any(bad.wrong_type for bad in corrupted.values())
    allowed: tuple[type[BaseException], ...] = (
        (TobaccoMetricsError, TypeError) if wrong_type else (TobaccoMetricsError,)
    )
    raised: BaseException | None = None
    # numpy's default error state: warn on overflow, division by zero and invalid values.
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            result = case.call(**kwargs)
        except allowed as error:
            raised = error
        else:
            case.check(result, kwargs)
    if raised is not None:
        name = type(raised).__name__
        assert str(raised).strip(), f"{name} without a message"
        assert corrupted or case.valid_may_raise, f"a valid call raised {name}: {raised}"
    # The library's own ConvergenceWarning is documented behaviour (the fit stopped at its
    # cap and says so), and so is the DeprecationWarning of method="weekday" (an alias of
    # "censored"); any other warning, a numpy RuntimeWarning above all, is a defect.
    deprecated = kwargs.get("method") == "weekday"
    unexpected = [
        w
        for w in caught
        if not issubclass(w.category, tm.ConvergenceWarning)
        and not (deprecated and issubclass(w.category, DeprecationWarning))
    ]
    assert not unexpected, [f"{w.category.__name__}: {w.message}" for w in unexpected]
    assert snapshot(kwargs) == before, "an input was modified"


def sweep_settings() -> settings:
    return settings(
        settings.default,
        max_examples=max(10, settings().max_examples // 3),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.mark.parametrize("name", sorted(CASES))
@given(data=st.data())
@sweep_settings()
def test_sweep(name: str, data: st.DataObject) -> None:
    case = CASES[name]
    kwargs = dict(data.draw(case.valid, label="valid call"))
    names = sorted(case.kinds)
    chosen = data.draw(st.sets(st.sampled_from(names), max_size=2), label="corrupted")
    corrupted: dict[str, Bad] = {}
    for argument in sorted(chosen):
        corrupted[argument] = data.draw(KINDS[case.kinds[argument]].strategy(), label=argument)
        kwargs[argument] = corrupted[argument].value
    call_once(case, kwargs, corrupted)


OPEN_FIXED_VALUES: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=OPEN_FIXED_VALUES[name]))
        if name in OPEN_FIXED_VALUES
        else name
        for name in sorted(CASES)
    ],
)
@given(data=st.data())
@settings(settings.default, max_examples=2, suppress_health_check=[HealthCheck.too_slow])
def test_every_fixed_value(name: str, data: st.DataObject) -> None:
    """Each argument in turn gets each fixed adversarial value of its kind, in a valid call."""
    case = CASES[name]
    valid = data.draw(case.valid, label="valid call")
    for argument in sorted(case.kinds):
        for fixed in KINDS[case.kinds[argument]].fixed:
            bad = fixed.bad()
            try:
                call_once(case, {**valid, argument: bad.value}, {argument: bad})
            except Exception as error:
                raise AssertionError(
                    f"{name} with {argument}={bad.value!r}: {type(error).__name__}: {error}"
                ) from error


EDGE_CALLS: dict[str, Callable[[], Any]] = {
    "monthly_work_calendar first": lambda: tm.monthly_work_calendar(1, 1),
    "monthly_work_calendar last": lambda: tm.monthly_work_calendar(
        9999, 12, holidays=[dt.date.max], weekday_rules={"data_collection": None}
    ),
    "monthly_work_calendar last, Fridays": lambda: tm.monthly_work_calendar(
        9999, 12, weekday_rules={"week_summary": FR(-1), "data_collection": (MO, TH)}
    ),
    "order_days last": lambda: tm.order_days(9999, 12, 6),
    "weekly_limits last": lambda: tm.weekly_limits(100, 9999, 12, order_weekday=4),
    "weekly_limits first": lambda: tm.weekly_limits(100, 1, 1, order_weekday=0),
    "history_window last": lambda: tm.history_window(dt.date.max, 12),
    "history_window first": lambda: tm.history_window(dt.date(1, 3, 31), 2),
    "holiday_mask last": lambda: tm.holiday_mask(dt.date.max, 1, [dt.date.max]),
    "agreement_progress last": lambda: tm.agreement_progress(1, 2, dt.date.max),
    "CycleLimit last": lambda: tm.CycleLimit(dt.date.max, 1, 3).last_day,
    "DeliveryCycle last": lambda: tm.DeliveryCycle("C", "B", dt.date.max, [1], [2]).metrics(),
    "Panel last": lambda: tm.Panel(["C"], ["B"], dt.date.max, [[[1]]], [[[2]]]).metrics(),
    "Visit last": lambda: tm.check_visit(tm.Visit("C", "M", dt.datetime.max, dt.datetime.max)),
    "recommendation_adoption last": lambda: tm.recommendation_adoption(
        [tm.Visit("C", "M", dt.datetime.max, dt.datetime.max, recommended_brands={"B"})],
        [("C", "B", dt.date.max)],
        within_days=10**9,
    ),
    "WorkTask last": lambda: tm.WorkTask(dt.date.max, kind="month_summary", description="x").days,
}


@pytest.mark.parametrize("name", sorted(EDGE_CALLS))
def test_calendar_edges(name: str) -> None:
    """The first and last days of the calendar: a result, or a TobaccoMetricsError."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        message = "a result"
        try:
            EDGE_CALLS[name]()
        except TobaccoMetricsError as error:
            message = str(error)
    assert message
    assert not caught


def test_sweep_detects_a_modified_input() -> None:
    def scribble(values: NDArray[Any]) -> None:
        values[0] = -1

    case = Case(scribble, st.nothing(), no_check)
    with pytest.raises(AssertionError, match="modified"):
        call_once(case, {"values": np.array([1.0, 2.0])}, {})


def test_sweep_detects_a_warning() -> None:
    def divide(values: NDArray[Any]) -> NDArray[Any]:
        return np.asarray(values) / 0

    case = Case(divide, st.nothing(), no_check)
    with pytest.raises(AssertionError, match="RuntimeWarning"):
        call_once(case, {"values": np.array([1.0])}, {})


def test_sweep_refuses_other_exceptions() -> None:
    def fail(values: Any) -> None:
        raise ValueError("not ours")

    case = Case(fail, st.nothing(), no_check)
    with pytest.raises(ValueError, match="not ours"):
        call_once(case, {"values": 1}, {"values": Bad(1, wrong_type=True)})


if __name__ == "__main__":  # pragma: no cover - a quick listing for maintainers
    print("\n".join(sorted(CASES)), file=sys.stderr)

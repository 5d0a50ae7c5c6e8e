"""Tests of the domain classes (tobacco_metrics.domain)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pytest

from tobacco_metrics import (
    AreaType,
    Brand,
    DeliveryCycle,
    InvalidValueError,
    LifecycleStage,
    MissingDataError,
    Panel,
    PriceClass,
    PriceClassThresholds,
    ShapeMismatchError,
    Store,
    StoreFormat,
    Visit,
    VisitFindings,
    VisitStep,
    WorkTask,
)

MONDAY = dt.date(2026, 3, 2)


def make_cycle(**changes: Any) -> DeliveryCycle:
    values: dict[str, Any] = {
        "store_id": "C001",
        "brand_code": "B1",
        "start": MONDAY,
        "sales": [6, 8, 0, 5, 0, 7, 4],
        "inventory": [20, 12, 0, 25, 0, 18, 14],
    }
    values.update(changes)
    return DeliveryCycle(**values)


def make_visit(**changes: Any) -> Visit:
    values: dict[str, Any] = {
        "store_id": "C001",
        "manager_id": "M01",
        "start": dt.datetime(2026, 3, 2, 9, 0),
        "end": dt.datetime(2026, 3, 2, 9, 12),
        "steps": frozenset(VisitStep),
    }
    values.update(changes)
    return Visit(**values)


# ----------------------------------------------------------------------------- enums


def test_enums_carry_chinese_labels() -> None:
    assert [s.label for s in VisitStep] == list("问看介整收答记")
    assert StoreFormat.TOBACCO_LIQUOR.label == "烟酒店"
    assert LifecycleStage.GROWTH.label == "成长期"
    assert AreaType.URBAN.label == "城区"


# ----------------------------------------------------------------------------- Brand


def test_brand_price_class_is_derived_from_the_allocation_price() -> None:
    brand = Brand("B1", "云烟(软珍品)", allocation_price=125.0)
    assert brand.price_class is PriceClass.I
    assert brand.price_class_under(PriceClassThresholds(class_i=130.0)) is PriceClass.II
    assert attrs.evolve(brand, allocation_price=20.0).price_class is PriceClass.IV


@pytest.mark.parametrize("price", [0, -3.0, float("nan"), float("inf")])
def test_brand_price_must_be_positive(price: float) -> None:
    with pytest.raises(InvalidValueError, match="'allocation_price' must be > 0"):
        Brand("B1", "x", allocation_price=price)


def test_brand_validation_messages() -> None:
    with pytest.raises(InvalidValueError, match="'code' must not be empty"):
        Brand(" ", "x", 10.0)
    with pytest.raises(TypeError, match="'allocation_price' must be a number"):
        Brand("B1", "x", "10")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'retail_price' must be > 0: -1"):
        Brand("B1", "x", 10.0, retail_price=-1)
    with pytest.raises(TypeError, match="'is_key' must be a bool"):
        Brand("B1", "x", 10.0, is_key=1)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'lifecycle' must be one of"):
        Brand("B1", "x", 10.0, lifecycle="teenage")


def test_brand_is_frozen_and_hashable() -> None:
    brand = Brand("B1", "x", 10.0)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        brand.allocation_price = 20.0  # type: ignore[misc]
    assert {brand, Brand("B1", "x", 10.0)} == {brand}


def test_brand_round_trips_through_json() -> None:
    brand = Brand(
        "B1", "兰州", 180.0, retail_price=230.0, is_key=True, lifecycle=LifecycleStage.MATURITY
    )
    data = json.loads(json.dumps(brand.to_dict()))
    assert data["lifecycle"] == "MATURITY"
    assert Brand.from_dict(data) == brand


def test_from_dict_rejects_unknown_keys() -> None:
    with pytest.raises(InvalidValueError, match="unknown field\\(s\\) for Brand: colour"):
        Brand.from_dict({"code": "B1", "name": "x", "allocation_price": 1.0, "colour": "red"})


# ----------------------------------------------------------------------------- Store


def test_store_accepts_enum_names_and_values_from_erp_rows() -> None:
    store = Store.from_dict({"id": "C1", "name": "x", "area": "rural", "format": "GROCERY"})
    assert store.area is AreaType.RURAL
    assert store.format is StoreFormat.GROCERY
    assert Store.from_dict(store.to_dict()) == store


def test_enum_fields_take_the_chinese_label_an_erp_writes() -> None:
    """Before: an ERP's 区域 column ("城区"/"农村") had to be mapped to names first."""
    assert AreaType("城区") is AreaType.URBAN
    assert LifecycleStage("成熟期") is LifecycleStage.MATURITY
    store = Store.from_dict({"id": "C1", "name": "x", "area": "农村", "format": "超市"})
    assert (store.area, store.format) == (AreaType.RURAL, StoreFormat.SUPERMARKET)
    with pytest.raises(InvalidValueError, match=r"'city' \(or a label: 城区, 农村\)"):
        Store("C1", "x", "city")
    with pytest.raises(ValueError, match="'郊区' is not a valid AreaType"):
        AreaType("郊区")


def test_store_validation() -> None:
    with pytest.raises(InvalidValueError, match="'area' must be one of URBAN, RURAL: 'city'"):
        Store("C1", "x", "city")
    with pytest.raises(TypeError, match="'manager_id' must be a str or None"):
        Store("C1", "x", AreaType.URBAN, manager_id=7)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- DeliveryCycle


def test_cycle_dates_and_metrics() -> None:
    cycle = make_cycle()
    assert cycle.end == dt.date(2026, 3, 8)
    assert cycle.days == 7
    assert cycle.dates[0] == MONDAY
    m = cycle.metrics()
    assert int(m.stockout_days) == 2
    assert float(m.projected_stockout_sales) == 12.0


def test_cycle_closed_days_are_excluded_from_the_metrics() -> None:
    cycle = make_cycle(closed_days={dt.date(2026, 3, 4)})
    assert cycle.closed_mask().tolist() == [False, False, True, False, False, False, False]
    m = cycle.metrics()
    assert int(m.days) == 6
    assert int(m.stockout_days) == 1


def test_cycle_metrics_options_are_passed_through() -> None:
    cycle = make_cycle(sales=[0, 0], inventory=[1, 0])
    assert int(cycle.metrics().stockout_days) == 1
    assert int(cycle.metrics(token_stock=1).stockout_days) == 2
    assert (
        float(cycle.metrics(token_stock=1, fallback_daily_rate=3.0).projected_stockout_sales) == 6.0
    )


def test_cycle_series_are_immutable_tuples() -> None:
    cycle = make_cycle()
    assert isinstance(cycle.sales, tuple)
    assert cycle == make_cycle()
    assert hash(cycle) == hash(make_cycle())


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"sales": [1, 2]}, ShapeMismatchError, "one value a day each: 2 and 7"),
        ({"sales": [], "inventory": []}, InvalidValueError, "at least one day"),
        (
            {"sales": [1, -1, 0, 0, 0, 0, 0]},
            InvalidValueError,
            "'sales' must be >= 0: -1 at index 1",
        ),
        ({"inventory": [[1, 2]]}, ShapeMismatchError, "one-dimensional"),
        ({"closed_days": {dt.date(2026, 3, 9)}}, InvalidValueError, "within the cycle"),
        ({"start": "2026-13-01"}, InvalidValueError, "ISO date"),
        ({"start": dt.datetime(2026, 3, 2, 8)}, TypeError, "got a datetime"),
        ({"sales": "1234567"}, TypeError, "got a string"),
    ],
)
def test_cycle_validation(changes: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        make_cycle(**changes)


def test_cycle_round_trips_through_json() -> None:
    cycle = make_cycle(closed_days={dt.date(2026, 3, 4)}, sales=[6.5, 8, 0, 5, 0, 7, 4])
    data = json.loads(json.dumps(cycle.to_dict()))
    assert data["start"] == "2026-03-02"
    assert data["closed_days"] == ["2026-03-04"]
    assert DeliveryCycle.from_dict(data) == cycle


# ----------------------------------------------------------------------------- Visit


def test_visit_duration_and_missing_steps() -> None:
    visit = make_visit(steps={VisitStep.ASK, "look", "TIDY"})
    assert visit.duration == dt.timedelta(minutes=12)
    assert visit.date == dt.date(2026, 3, 2)
    assert VisitStep.RECORD in visit.missing_steps
    assert len(visit.missing_steps) == 4


def test_visit_round_trips_through_json() -> None:
    visit = make_visit(
        recommended_brands={"B2", "B1"},
        findings=VisitFindings(display_tidy=False, illegal_cigarettes_seen=True, notes="假烟"),
        planned=False,
    )
    data = json.loads(json.dumps(visit.to_dict()))
    assert data["recommended_brands"] == ["B1", "B2"]
    assert data["findings"]["illegal_cigarettes_seen"] is True
    assert Visit.from_dict(data) == visit


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"end": dt.datetime(2026, 3, 2, 8, 59)}, InvalidValueError, "'end' must be >= 'start'"),
        (
            {"end": dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone.utc)},
            InvalidValueError,
            "naive or both timezone-aware",
        ),
        ({"steps": {"dance"}}, InvalidValueError, "'steps' must be one of"),
        ({"steps": "ask"}, TypeError, "got a string"),
        ({"recommended_brands": {""}}, InvalidValueError, "brand code must be a non-empty str"),
        ({"findings": "ok"}, TypeError, "'findings' must be a VisitFindings or a dict"),
        ({"start": 3}, TypeError, "expected a datetime"),
    ],
)
def test_visit_validation(changes: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        make_visit(**changes)


def test_findings_validation() -> None:
    with pytest.raises(TypeError, match="'display_tidy' must be a bool"):
        VisitFindings(display_tidy="yes")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- one validation layer


def test_numpy_bools_are_accepted_as_flags() -> None:
    import numpy as np

    brand = Brand("B1", "x", 10.0, is_key=np.bool_(True), is_new=np.False_)
    assert brand.is_key is True
    assert brand.is_new is False
    assert VisitFindings(display_tidy=np.bool_(False)).display_tidy is False
    assert make_visit(planned=np.True_).planned is True


@pytest.mark.parametrize("bad", [1, "yes", None, 0.0])
def test_a_flag_that_is_not_a_bool_names_its_type(bad: Any) -> None:
    with pytest.raises(TypeError, match=f"'is_key' must be a bool .*got {type(bad).__name__}"):
        Brand("B1", "x", 10.0, is_key=bad)


@pytest.mark.parametrize("cls", [Brand, Store, DeliveryCycle, Visit, VisitFindings])
@pytest.mark.parametrize("data", [None, ["code", "B1"], "code=B1", 3])
def test_from_dict_of_a_non_mapping_is_a_type_error(cls: Any, data: Any) -> None:
    with pytest.raises(TypeError, match=f"{cls.__name__}.from_dict needs a dict"):
        cls.from_dict(data)


@pytest.mark.parametrize(
    ("cls", "data", "missing"),
    [
        (Brand, {"code": "B1"}, "name, allocation_price"),
        (Visit, {"store_id": "C1", "manager_id": "m"}, "start, end"),
        (Panel, {"stores": ["a"], "brands": ["b"], "start": "2026-03-02"}, "sales, inventory"),
    ],
)
def test_from_dict_names_the_fields_it_has_no_value_for(
    cls: Any, data: dict[str, Any], missing: str
) -> None:
    """It was Python's "__init__() missing 2 required positional arguments"."""
    with pytest.raises(MissingDataError, match=f"^{cls.__name__}.from_dict: no value for "):
        cls.from_dict(data)
    with pytest.raises(MissingDataError, match=f"{missing}$"):
        cls.from_dict(data)


def test_a_private_field_is_not_a_key_of_from_dict() -> None:
    """Panel's value scan is its own: a dict neither sets it nor is told it exists."""
    panel = Panel(["a"], ["b"], "2026-03-02", [[[1.0]]], [[[1.0]]])
    with pytest.raises(InvalidValueError, match=r"unknown field\(s\) for Panel: _scan;"):
        Panel.from_dict({**panel.to_dict(), "_scan": (None, True)})
    with pytest.raises(InvalidValueError) as refused:
        Panel.from_dict({**panel.to_dict(), "colour": "red"})
    assert "_scan" not in str(refused.value)


def test_a_brand_code_that_is_not_a_str_is_a_type_error() -> None:
    # Changed in 0.2: was InvalidValueError; the shared converter says TypeError for a type.
    with pytest.raises(TypeError, match="a brand code must be a str, got int: 7"):
        make_visit(recommended_brands={7})
    with pytest.raises(InvalidValueError, match="brand code must be a non-empty str: ' '"):
        make_visit(recommended_brands={" "})


def test_record_base_lives_in_a_private_module_and_domain_keeps_the_name() -> None:
    from tobacco_metrics import _record, domain

    assert domain._Record is _record._Record
    assert issubclass(Brand, _record._Record)


# --------------------------------------------------------------------------- messages (h30)


def test_record_refusals_name_the_field_in_the_library_format() -> None:
    import numpy as np

    import tobacco_metrics as tm

    # attrs' own instance_of message was a tuple repr with the whole Attribute in it.
    with pytest.raises(TypeError, match=r"^'notes' must be a str, got NoneType$"):
        tm.VisitFindings(notes=None)  # type: ignore[arg-type]
    # A dict with a non-str key: Python's "sequence item 0: expected str instance".
    with pytest.raises(TypeError, match=r"Store.from_dict needs str keys .*got int: 1"):
        tm.Store.from_dict({1: 2})  # type: ignore[dict-item]
    # An array compared with an enum value elementwise: numpy's "truth value … ambiguous"
    # for two elements, and a silent pass for one.
    for stage in (np.array(["growth", "x"]), np.array(["growth"])):
        with pytest.raises(TypeError, match="'lifecycle' must be one LifecycleStage"):
            tm.Brand("c", "n", 1.0, lifecycle=stage)
    # A date collection: None was Python's "'NoneType' object is not iterable", and a bad
    # date did not say which argument held it.
    with pytest.raises(TypeError, match="'closed_days' must be a collection, got NoneType"):
        tm.DeliveryCycle("s", "b", "2026-03-02", [1], [1], closed_days=None)
    with pytest.raises(InvalidValueError, match=r"^'closed_days': expected an ISO date"):
        tm.DeliveryCycle("s", "b", "2026-03-02", [1], [1], closed_days=["2026-02-30"])


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (
            lambda: DeliveryCycle("s", "b", 5, sales=[1], inventory=[1]),
            TypeError,
            "^'start': expected a date, got int$",
        ),
        (
            lambda: Visit("s", "m", start="9am", end=dt.datetime(2026, 3, 2, 9)),
            InvalidValueError,
            "^'start': expected an ISO datetime",
        ),
        (
            lambda: Visit("s", "m", start=dt.datetime(2026, 3, 2, 9), end=930),
            TypeError,
            "^'end': expected a datetime, got int$",
        ),
        (
            lambda: WorkTask("3/2", kind="total_forecast", description="x"),
            InvalidValueError,
            "^'date': expected an ISO date",
        ),
        (
            lambda: WorkTask(dt.date(2026, 3, 2), kind="total_forecast", description="x", end=3),
            TypeError,
            "^'end': expected a date, got int$",
        ),
        (
            lambda: Panel(["a"], ["b"], 20260302, [[[1]]], [[[1]]]),
            TypeError,
            "^'start': expected a date, got int$",
        ),
    ],
)
def test_a_converted_field_is_named_in_its_error(
    build: Any, error: type[Exception], message: str
) -> None:
    """A converter is not told its field by attrs; each message used to name none."""
    with pytest.raises(error, match=message):
        build()


def test_a_findings_dict_is_refused_naming_findings() -> None:
    """VisitFindings.from_dict's message named no field of the Visit."""
    with pytest.raises(InvalidValueError, match=r"^'findings': unknown field"):
        Visit(
            "s",
            "m",
            start=dt.datetime(2026, 3, 2, 9),
            end=dt.datetime(2026, 3, 2, 10),
            findings={"stock_ok": True},
        )


def test_an_enum_field_reads_a_label_padded_as_export_cells_are() -> None:
    """ " 城区 " (a padded ERP cell) was refused; the CLI strips the same cells."""
    assert Store("C1", "x", " 城区 ").area is AreaType.URBAN
    assert Store("C1", "x", "\u3000rural\t").area is AreaType.RURAL
    with pytest.raises(InvalidValueError, match="'area' must be one of URBAN, RURAL: '   '"):
        Store("C1", "x", "   ")

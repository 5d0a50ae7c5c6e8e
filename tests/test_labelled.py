"""Tests of the labelled conversions (xarray, pandas, polars) and the xarray guard.

Round trips panel ⇄ xarray ⇄ long frame keep every value, label and dtype;
metrics convert with their labels and units; an array function given
DataArrays keeps their coordinates or refuses them with a message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tobacco_metrics as tm
from tobacco_metrics import _labelled as lb
from tobacco_metrics.strategies import panels

xr = pytest.importorskip("xarray")
pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

COLUMNS = ("store", "brand", "date", "sales", "inventory")


def assert_same_panel(panel: tm.Panel, expected: tm.Panel) -> None:
    assert panel.stores == expected.stores
    assert panel.brands == expected.brands
    assert panel.start == expected.start
    assert panel.sales.dtype == expected.sales.dtype
    assert panel.inventory.dtype == expected.inventory.dtype
    np.testing.assert_array_equal(panel.sales, expected.sales)
    np.testing.assert_array_equal(panel.inventory, expected.inventory)


def from_frame(frame: Any) -> tm.Panel:
    if isinstance(frame, pl.DataFrame):
        # Through numpy: Panel.from_long given polars Series widens int32 to int64.
        return tm.Panel.from_long(*(frame[name].to_numpy() for name in COLUMNS))
    return tm.Panel.from_long(*(frame[name] for name in COLUMNS))


# --------------------------------------------------------------------------- round trips


@given(panels())
def test_panel_xarray_round_trip_keeps_everything(panel: tm.Panel) -> None:
    dataset = lb.panel_to_xarray(panel)
    assert dataset["sales"].dims == ("store", "brand", "date")
    assert dataset["date"].dtype.kind == "M"
    assert dataset["sales"].attrs["units"] == "cartons"
    assert_same_panel(lb.panel_from_xarray(dataset), panel)  # label order kept as given


@given(panels(sorted_labels=True), st.sampled_from(["pandas", "polars"]))
def test_panel_xarray_long_frame_round_trip(panel: tm.Panel, frame: str) -> None:
    via_xarray = lb.panel_from_xarray(lb.panel_to_xarray(panel))
    table: Any = lb.panel_to_long_frame(via_xarray, frame=frame)  # type: ignore[call-overload]
    assert list(table.columns) == list(COLUMNS)
    assert len(table) == panel.sales.size
    back = from_frame(table)
    assert_same_panel(back, panel)
    assert_same_panel(lb.panel_from_xarray(lb.panel_to_xarray(back)), panel)


def test_long_frames_have_date_columns() -> None:
    panel = tm.Panel(["C1"], ["B"], "2026-03-02", [[[1, 2]]], [[[3, 1]]])
    pandas_frame = lb.panel_to_long_frame(panel)
    assert pandas_frame["date"].dtype.kind == "M"
    assert pandas_frame["date"].tolist() == [pd.Timestamp("2026-03-02"), pd.Timestamp("2026-03-03")]
    polars_frame = lb.panel_to_long_frame(panel, frame="polars")
    assert polars_frame.schema["date"] == pl.Date
    assert polars_frame["date"].to_list() == [dt.date(2026, 3, 2), dt.date(2026, 3, 3)]
    with pytest.raises(tm.InvalidValueError, match="'frame' must be"):  # a library error
        lb.panel_to_long_frame(panel, frame="arrow")  # type: ignore[call-overload]


def test_from_xarray_matches_dimensions_by_name_and_sorts_dates() -> None:
    panel = tm.Panel(["C1", "C2"], ["B"], "2026-03-02", [[[1, 2, 3]], [[4, 5, 6]]], [[[0] * 3]] * 2)
    dataset = lb.panel_to_xarray(panel).transpose("date", "brand", "store")
    shuffled = dataset.isel(date=[2, 0, 1])
    assert_same_panel(lb.panel_from_xarray(shuffled), panel)


def test_from_xarray_without_label_coordinates_uses_positions() -> None:
    dataset = xr.Dataset(
        {
            "sales": (("store", "brand", "date"), np.ones((2, 1, 2))),
            "inventory": (("store", "brand", "date"), np.zeros((2, 1, 2))),
        },
        coords={"date": np.array(["2026-03-02", "2026-03-03"], dtype="datetime64[ns]")},
    )
    panel = lb.panel_from_xarray(dataset)
    assert panel.stores == (0, 1)
    assert panel.brands == (0,)


def bad_dataset(dates: list[str], dims: tuple[str, ...] = ("store", "brand", "date")) -> Any:
    shape = (1, 1, len(dates))[: len(dims)] if len(dims) == 3 else (1, len(dates))
    return xr.Dataset(
        {"sales": (dims, np.ones(shape)), "inventory": (dims, np.ones(shape))},
        coords={"date": np.array(dates, dtype="datetime64[ns]")},
    )


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        ({"sales": [1]}, TypeError, "xarray.Dataset"),
        (xr.Dataset({"sales": ("date", [1])}), tm.ShapeMismatchError, "'inventory' is missing"),
        (bad_dataset(["2026-03-02"], ("store", "date")), tm.ShapeMismatchError, "store, brand"),
        (bad_dataset(["2026-03-02", "2026-03-04"]), tm.InvalidValueError, "consecutive"),
        (bad_dataset(["2026-03-02", "2026-03-02"]), tm.InvalidValueError, "repeated"),
        (bad_dataset(["2026-03-02T12:00"]), tm.InvalidValueError, "whole days"),
    ],
)
def test_from_xarray_refusals(value: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        lb.panel_from_xarray(value)


# --------------------------------------------------------------------------- metrics


PANEL = tm.Panel(
    ["C001", "C002"],
    ["B1", "B2"],
    "2026-03-02",
    [[[3, 0, 1, 1], [2, 2, 2, 2]], [[0, 0, 0, 0], [1, 0, 1, 0]]],
    [[[2, 0, 5, 4], [9, 7, 5, 3]], [[0, 0, 0, 0], [3, 3, 2, 2]]],
)


def test_metrics_to_xarray_keeps_labels_values_and_units() -> None:
    metrics = PANEL.metrics()
    dataset = lb.metrics_to_xarray(metrics)
    assert dataset.attrs == {"start": "2026-03-02", "end": "2026-03-05"}
    assert dataset["fulfilment_ratio"].dims == ("store", "brand")
    for name in ("days", "stockout_days", "actual_sales", "fulfilment_ratio", "closing_inventory"):
        np.testing.assert_array_equal(dataset[name].values, getattr(metrics, name))
    assert int(dataset["stockout_days"].sel(store="C001", brand="B1")) == 1
    assert dataset["average_daily_sales"].attrs["units"] == "cartons/day"
    assert dataset["fulfilment_ratio"].attrs["units"] == "1"
    np.testing.assert_array_equal(dataset["effective_days"].values, metrics.effective_days)


def test_cycle_metrics_to_frame_shapes() -> None:
    one = tm.cycle_metrics([3, 0, 1], [2, 0, 5])
    frame = lb.cycle_metrics_to_frame(one)
    assert len(frame) == 1
    assert frame["stockout_days"].tolist() == [1]
    assert frame["fulfilment_ratio"].tolist() == [float(one.fulfilment_ratio)]
    many = tm.cycle_metrics(PANEL.sales, PANEL.inventory)
    frame = lb.cycle_metrics_to_frame(many, names=["store", "brand"])
    assert frame.index.names == ["store", "brand"]
    assert frame.loc[(1, 0), "stockout_days"] == 4
    assert list(frame.columns)[:3] == ["days", "stockout_days", "effective_days"]
    with pytest.raises(tm.ShapeMismatchError, match="each of the 2 axes"):
        lb.cycle_metrics_to_frame(many, names=["store"])


def test_pooled_frames_say_they_count_store_product_days() -> None:
    pooled = PANEL.metrics().by_store()
    frame = lb.pooled_metrics_to_frame(pooled)
    assert frame.index.name == "store"
    assert frame.loc["C001", "store_product_days"] == 8  # 2 products × 4 days
    assert frame.loc["C002", "stockout_store_product_days"] == 4  # B1 out 4 days, B2 never
    assert frame.loc["C002", "effective_store_product_days"] == 4
    assert "days" not in frame.columns
    assert frame.attrs["days"] == "store × product days"
    np.testing.assert_array_equal(frame["fulfilment_ratio"], pooled.fulfilment_ratio)


def test_cycles_to_frame_indexes_by_cycle_store_brand() -> None:
    cycles = [part.metrics() for part in PANEL.cycles(2)]
    frame = lb.cycles_to_frame(cycles)
    assert list(frame.index.names) == ["cycle", "store", "brand"]
    assert len(frame) == 8
    key: Any = (pd.Timestamp("2026-03-04"), "C002", "B2")
    row = frame.loc[key]
    assert row["actual_sales"] == 1.0
    assert row["stockout_days"] == 0
    np.testing.assert_array_equal(
        frame.xs(pd.Timestamp("2026-03-02"))["fulfilment_ratio"].to_numpy().reshape(2, 2),
        cycles[0].fulfilment_ratio,
    )
    with pytest.raises(tm.ShapeMismatchError, match="empty"):
        lb.cycles_to_frame([])


# --------------------------------------------------------------------------- the xarray guard


def labelled(values: Any, dates: list[str]) -> Any:
    return xr.DataArray(
        np.asarray(values),
        dims=("store", "date"),
        coords={"store": ["C1", "C2"], "date": np.array(dates, dtype="datetime64[ns]")},
    )


DATES = ["2026-03-02", "2026-03-03", "2026-03-04"]


def test_day_function_keeps_coordinates() -> None:
    sales = labelled([[0, 1, 0], [2, 2, 2]], DATES)
    result: Any = tm.stockout_days(sales, xr.zeros_like(sales))
    assert result.dims == ("store",)
    assert result.sel(store="C1").item() == 2
    assert result.sel(store="C2").item() == 0


def test_the_date_dimension_is_the_day_axis_wherever_it_is() -> None:
    sales = labelled([[0, 1, 0], [2, 2, 2]], DATES).transpose("date", "store")
    result: Any = tm.stockout_days(sales, xr.zeros_like(sales), token_stock=0)
    assert result.dims == ("store",)
    assert result.sel(store="C1").item() == 2


def test_labels_in_another_order_are_aligned_by_name() -> None:
    sales = labelled([[0, 1, 0], [2, 2, 2]], DATES)
    stock = labelled([[0, 0, 9], [0, 0, 0]], DATES)  # C1 is stocked on the last day only
    shuffled = stock.isel(date=[2, 0, 1], store=[1, 0]).transpose("date", "store")
    result: Any = tm.stockout_days(sales, shuffled)
    assert result.sel(store="C1").item() == 1
    assert result["store"].values.tolist() == ["C1", "C2"]


def test_different_labels_are_refused() -> None:
    sales = labelled([[0, 1, 0], [2, 2, 2]], DATES)
    other = labelled([[0, 1, 0], [2, 2, 2]], ["2026-04-01", "2026-04-02", "2026-04-03"])
    with pytest.raises(tm.ShapeMismatchError, match="different labels"):
        tm.stockout_days(sales, other)


def test_a_result_record_becomes_a_dataset() -> None:
    sales = labelled([[3, 0, 1], [2, 2, 2]], DATES)
    inventory = labelled([[2, 0, 5], [9, 7, 5]], DATES)
    result: Any = tm.cycle_metrics(sales, inventory)
    plain = tm.cycle_metrics(sales.values, inventory.values)
    assert isinstance(result, xr.Dataset)
    assert set(result.data_vars) >= {"stockout_days", "fulfilment_ratio"}
    np.testing.assert_array_equal(result["fulfilment_ratio"].values, plain.fulfilment_ratio)
    assert result["stockout_days"].sel(store="C1").item() == 1
    assert result["stockout_days"].dims == ("store",)


def test_elementwise_functions_keep_every_dimension() -> None:
    sales = labelled([[0, 1, 0], [2, 2, 2]], DATES)
    result: Any = tm.stockout_mask(sales, xr.zeros_like(sales))
    assert result.dims == ("store", "date")
    assert result.sel(store="C1").values.tolist() == [True, False, True]
    assert result["date"].values.tolist() == sales["date"].values.tolist()


def test_an_explicit_axis_wins_over_the_date_dimension() -> None:
    sales = labelled([[0, 1, 0], [2, 2, 2]], DATES)
    result: Any = tm.stockout_days(sales, xr.zeros_like(sales), axis=0)
    assert result.dims == ("date",)
    assert result.values.tolist() == [1, 0, 1]


def test_a_dataset_argument_is_refused() -> None:
    sales = xr.Dataset({"s": ("date", [1, 0])})
    with pytest.raises(TypeError, match="xarray Dataset"):
        tm.stockout_days(sales, [0, 0])


def test_a_result_the_labels_cannot_name_is_refused() -> None:
    base = xr.DataArray([10.0, 20.0], dims="store", coords={"store": ["C1", "C2"]})
    starts = [dt.date(2026, 3, 2), dt.date(2026, 3, 9)]  # a new cycle axis: not the store's
    with pytest.raises(TypeError, match=r"cannot label; pass plain arrays \(\.values\)"):
        tm.adjusted_quotas(base, starts, [])


def test_class_shares_gain_a_price_class_dimension() -> None:
    quantity = xr.DataArray([[1.0, 3.0]], dims=("store", "brand"), coords={"store": ["C1"]})
    result: Any = tm.class_shares(quantity, [1, 3])
    assert result.dims == ("store", "price_class")
    assert result.sel(store="C1", price_class=3).item() == 0.75


def test_plain_calls_are_unchanged() -> None:
    assert tm.stockout_days([0, 1, 0], [0, 0, 0]) == 2
    assert tm.stockout_days.__name__ == "stockout_days"
    assert tm.stockout_days.__wrapped__.__name__ == "stockout_days"  # type: ignore[attr-defined]
    assert not lb.is_xarray(np.zeros(2))
    assert lb.is_xarray(xr.DataArray([1]))


def test_a_carried_mask_travels_through_xarray() -> None:
    """Where Panel records not-carried series (a ``carried`` mask), the Dataset keeps it."""
    if not hasattr(PANEL, "carried"):
        pytest.skip("this Panel has no carried mask")
    carried = np.array([[True, False], [True, True]])
    kwargs: dict[str, Any] = {"carried": carried}
    sales = np.asarray(PANEL.sales).copy()
    sales[0, 1] = 0
    inventory = np.asarray(PANEL.inventory).copy()
    inventory[0, 1] = 0
    panel = tm.Panel(PANEL.stores, PANEL.brands, PANEL.start, sales, inventory, **kwargs)
    dataset = lb.panel_to_xarray(panel)
    assert dataset["carried"].values.tolist() == carried.tolist()
    back = lb.panel_from_xarray(dataset)
    np.testing.assert_array_equal(back.carried, carried)  # type: ignore[attr-defined,unused-ignore]

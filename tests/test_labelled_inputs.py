"""Dataframe-native inputs to the array functions and to Panel.from_long (the notebook path).

Regression tests for an adversarial sweep of labelled inputs: pandas nullable, object,
string and Arrow columns; polars DataFrames; xarray DataArrays over other dimensions;
long-table columns over different row labels.  The rule is the library's: a right number
or a clear error, nothing paired by position.
"""

from __future__ import annotations

import importlib.util
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest

import tobacco_metrics as tm
from tobacco_metrics import ShapeMismatchError, TobaccoMetricsError

HAS_POLARS = importlib.util.find_spec("polars") is not None
HAS_XARRAY = importlib.util.find_spec("xarray") is not None
HAS_PYARROW = importlib.util.find_spec("pyarrow") is not None
DAYS = pd.date_range("2026-03-02", periods=3)
INVENTORY = np.array([5.0, 0.0, 5.0])


# --------------------------------------------------------------------------- column dtypes


@pytest.mark.parametrize(
    "sales",
    [
        pd.Series(["1", "0", "1"], dtype=object),
        pd.Series(["1", "0", "1"], dtype="str"),
        pd.Series(["1", "0", "1"], dtype="category"),
        np.array(["1", 0, 1], dtype=object),
    ],
    ids=["object", "str", "category of str", "object array"],
)
def test_a_column_of_strings_is_refused_as_a_string_array_is(sales: Any) -> None:
    """Before: "1", "0" in an object or pandas string column were read as numbers."""
    with pytest.raises(TypeError, match=r"'sales' must hold real numbers, got str '1' at index 0"):
        tm.stockout_days(sales, INVENTORY)


def test_booleans_in_an_object_column_are_refused_as_a_bool_array_is() -> None:
    """Before: True/False in an object column counted as 1/0 cartons."""
    with pytest.raises(TypeError, match=r"got bool True at index 0 \(2 such values\)"):
        tm.stockout_days(pd.Series([True, 0, True], dtype=object), INVENTORY)
    with pytest.raises(TypeError, match="dtype bool"):
        tm.stockout_days(np.array([True, False, True]), INVENTORY)


def test_integers_in_an_object_column_stay_exact() -> None:
    """Before: 2**53 + 1 in an object column was rounded to 2**53 without a word."""
    big = pd.Series([2**53 + 1] * 3, dtype=object)
    with pytest.raises(TobaccoMetricsError, match=r"2\*\*53"):
        tm.agreed_monthly_total(big, months=3)
    order = tm.replenishment_order(pd.Series([2**53 + 1], dtype=object), 0)
    assert order.tolist() == [2**53 + 1]
    with pytest.raises(TobaccoMetricsError, match="cannot hold exactly"):
        tm.replenishment_order(np.array([2**64 + 1, 0.5], dtype=object), 0)


def test_numbers_in_an_object_column_give_the_numeric_result() -> None:
    plain = tm.stockout_days(np.array([1.0, 0.0, 1.0]), INVENTORY)
    assert tm.stockout_days(pd.Series([1, 0, 1.0], dtype=object), INVENTORY) == plain
    assert tm.stockout_days(pd.Series([1, 0, 1], dtype="category"), INVENTORY) == plain


@pytest.mark.parametrize(
    "dtype",
    ["Int64", "Float64", *(["int64[pyarrow]", "double[pyarrow]"] if HAS_PYARROW else [])],
)
def test_nullable_columns_give_the_plain_result_or_name_the_missing_day(dtype: str) -> None:
    full = pd.Series([1, 0, 1], dtype=dtype)
    assert tm.stockout_days(full, INVENTORY) == 1
    with pytest.raises(TobaccoMetricsError, match=r"'sales' must be finite: nan at index 1"):
        tm.stockout_days(pd.Series([1, None, 1], dtype=dtype), INVENTORY)


def test_a_boolean_mask_with_na_is_refused_with_a_hint() -> None:
    """Before: "got dtype object; to exclude days by position build a mask" (not the cause)."""
    sales, inventory = np.array([1.0, 0.0, 1.0]), INVENTORY
    exclude = pd.Series([False, pd.NA, False], dtype="boolean")
    with pytest.raises(TypeError, match=r"missing values \(NA\) at index 1.*fillna\(False\)"):
        tm.stockout_days(sales, inventory, exclude=exclude)
    filled = exclude.fillna(True)
    assert tm.stockout_days(sales, inventory, exclude=filled) == 0
    as_objects = pd.Series([False, True, False], dtype=object)
    assert tm.stockout_days(sales, inventory, exclude=as_objects) == 0


# --------------------------------------------------------------------------- polars


@pytest.mark.skipif(not HAS_POLARS, reason="polars not installed")
def test_a_polars_frame_names_its_axis_and_pairs_columns_by_name() -> None:
    """Before: a polars frame was read rows × columns without a word, columns by position."""
    import polars as pl

    sales = pl.DataFrame({"C1": [1.0, 0.0, 1.0], "C2": [1.0, 1.0, 1.0]})
    inventory = pl.DataFrame({"C2": [1.0, 1.0, 1.0], "C1": [5.0, 0.0, 5.0]})
    with pytest.raises(ShapeMismatchError, match="axis=0 has 3 unlabelled positions"):
        tm.stockout_days(sales, inventory)
    assert tm.stockout_days(sales, inventory, axis=0).tolist() == [1, 0]
    with pytest.raises(ShapeMismatchError, match="different labels"):
        tm.stockout_days(sales, inventory.rename({"C2": "C3"}), axis=0)


# --------------------------------------------------------------------------- xarray


@pytest.mark.skipif(not HAS_XARRAY, reason="xarray not installed")
def test_data_arrays_over_other_dimensions_are_refused() -> None:
    """Before: ('store', 'date') and ('shop', 'date') were paired by position."""
    import xarray as xr

    sales = xr.DataArray([[1.0, 0.0], [2.0, 2.0]], dims=("store", "date"))
    inventory = xr.DataArray([[5.0, 0.0], [0.0, 2.0]], dims=("shop", "date"))
    with pytest.raises(ShapeMismatchError, match="'inventory' has the dimension 'shop'"):
        tm.stockout_days(sales, inventory)
    same = inventory.rename(shop="store")
    assert np.asarray(tm.stockout_days(sales, same)).tolist() == [1, 0]


# --------------------------------------------------------------------------- long tables

TABLE = pd.DataFrame(
    {
        "store": ["C1"] * 3,
        "brand": pd.Categorical(["B"] * 3),
        "date": DAYS,
        "sales": [1.0, 0.0, 2.0],
        "inventory": [5.0, 0.0, 4.0],
    }
)


def columns(**changes: Any) -> list[Any]:
    return [changes.get(name, TABLE[name]) for name in TABLE.columns]


def test_long_columns_in_another_row_order_are_paired_by_label() -> None:
    """Before: a date column in another order was paired by position (sales moved days)."""
    plain = tm.Panel.from_long(*columns())
    shuffled = TABLE["date"].iloc[[2, 0, 1]]
    panel = tm.Panel.from_long(*columns(date=shuffled))
    assert panel.sales.tolist() == plain.sales.tolist() == [[[1.0, 0.0, 2.0]]]
    reversed_stock = tm.Panel.from_long(*columns(inventory=TABLE["inventory"][::-1]))
    assert reversed_stock.inventory.tolist() == [[[5.0, 0.0, 4.0]]]


@pytest.mark.parametrize(
    ("changed", "match"),
    [
        (TABLE["sales"].set_axis([5, 6, 7]), "different row labels"),
        (TABLE["sales"].set_axis([0, 0, 1]), "the labels repeat"),
    ],
)
def test_long_columns_over_other_row_labels_are_refused(changed: Any, match: str) -> None:
    with pytest.raises(ShapeMismatchError, match=match):
        tm.Panel.from_long(*columns(sales=changed))


def test_unlabelled_long_columns_keep_their_positions() -> None:
    """Lists and arrays carry no row labels: they are read by position, as documented."""
    panel = tm.Panel.from_long(*(TABLE[name].to_numpy() for name in TABLE.columns))
    assert panel.sales.tolist() == [[[1.0, 0.0, 2.0]]]


# --------------------------------------------------------------------------- the day axis

SHUFFLED_DAYS = DAYS[[2, 0, 1]]


def test_days_out_of_order_are_refused() -> None:
    """Before: date columns in another order than the days gave the wrong closing stock."""
    sales = pd.DataFrame([[2.0, 0.0, 1.0]], columns=SHUFFLED_DAYS)
    inventory = pd.DataFrame([[9.0, 0.0, 4.0]], columns=SHUFFLED_DAYS)
    with pytest.raises(TobaccoMetricsError, match=r"days out of order on axis 1: 2026-03-04"):
        tm.cycle_metrics(sales, inventory, axis=1)
    metrics = tm.cycle_metrics(sales.sort_index(axis=1), inventory.sort_index(axis=1), axis=1)
    assert metrics.closing_inventory.tolist() == [9.0]


@pytest.mark.parametrize(
    "index",
    [
        SHUFFLED_DAYS,
        pd.period_range("2026-03-02", periods=3, freq="D")[::-1],
        list(DAYS.date)[::-1],
    ],
    ids=["timestamps", "periods", "dates"],
)
def test_a_series_over_days_out_of_order_is_refused(index: Any) -> None:
    with pytest.raises(TobaccoMetricsError, match="out of order"):
        tm.reasonable_quota(pd.Series([2.0, 0.0, 1.0], index=index), INVENTORY)


def test_repeated_days_are_refused_and_labels_that_are_not_days_are_not_checked() -> None:
    repeated = pd.Series([1.0, 0.0, 1.0], index=DAYS[[0, 0, 1]])
    with pytest.raises(TobaccoMetricsError, match="days repeated"):
        tm.stockout_days(repeated, INVENTORY)
    assert tm.stockout_days(pd.Series([1.0, 0.0, 1.0], index=[3, 1, 2]), INVENTORY) == 1


WEEKS = pd.date_range("2026-03-02", periods=14)  # Monday to Sunday, twice
NO_SUNDAYS = WEEKS[WEEKS.day_of_week != 6]


def test_days_that_skip_a_day_are_refused_not_read_as_positions() -> None:
    """Before: an export without its Sundays made a "cycle" of 7 positions span 8 days."""
    sales = pd.Series(np.arange(1.0, 13.0), index=NO_SUNDAYS)
    stock = pd.Series(np.full(12, 3.0), index=NO_SUNDAYS)
    with pytest.raises(tm.MissingDataError, match=r"axis 0: 2026-03-07 at position 5, then "):
        tm.cycle_metrics(sales, stock)
    with pytest.raises(tm.MissingDataError, match=r"1 day\(s\) missing; 1 such step"):
        tm.lost_sales(sales, stock, cycle_days=7)
    with pytest.raises(tm.MissingDataError, match="not one day apart"):
        tm.reasonable_quota(sales, stock)
    for function in (tm.cycle_metrics, tm.reasonable_quota):  # the stock's labels alone
        with pytest.raises(tm.MissingDataError, match="'inventory' has its days labelled"):
            function(sales.to_numpy(), stock)
    # The fix the message names: every day in, the added days excluded.
    full_sales, full_stock = sales.reindex(WEEKS, fill_value=0.0), stock.reindex(WEEKS)
    closed = full_stock.isna()
    assert np.asarray(tm.lost_sales(full_sales, full_stock.fillna(3.0))).shape == (2,)
    metrics = tm.cycle_metrics(full_sales, full_stock.fillna(3.0), exclude=closed)
    assert (int(metrics.days), float(metrics.actual_sales)) == (12, 78.0)


@pytest.mark.parametrize(
    ("index", "problem"),
    [
        (pd.period_range("2026-03-02", periods=4, freq="D")[[0, 1, 3]], "1 day(s) missing"),
        (list(pd.date_range("2026-03-02", periods=4).date[[0, 2, 3]]), "1 day(s) missing"),
        (pd.to_datetime(["2026-03-02 08:00", "2026-03-02 18:00", "2026-03-03 00:00"]), "one day"),
    ],
    ids=["periods", "dates", "two times on one day"],
)
def test_every_kind_of_date_label_must_be_one_day_apart(index: Any, problem: str) -> None:
    with pytest.raises(tm.MissingDataError, match=re.escape(problem)):
        tm.stockout_days(pd.Series([1.0, 0.0, 1.0], index=index), INVENTORY)


def test_times_of_day_on_consecutive_days_and_periods_longer_than_a_day_are_not_gaps() -> None:
    stamped = pd.to_datetime(["2026-03-02 08:00", "2026-03-03 17:30", "2026-03-04 09:15"])
    assert tm.stockout_days(pd.Series([1.0, 0.0, 1.0], index=stamped), INVENTORY) == 1
    months = pd.period_range("2026-01", periods=3, freq="M")  # not days: not checked here
    assert tm.stockout_days(pd.Series([1.0, 0.0, 1.0], index=months), INVENTORY) == 1


@pytest.mark.skipif(not HAS_XARRAY, reason="xarray not installed")
def test_a_date_coordinate_that_skips_a_day_is_refused() -> None:
    import xarray as xr

    sales = xr.DataArray(
        [[2.0, 0.0, 1.0]],
        dims=("store", "date"),
        coords={"date": DAYS.delete(1).append(pd.DatetimeIndex(["2026-03-05"]))},
    )
    with pytest.raises(tm.MissingDataError, match=r"not one day apart on axis 1: 2026-03-02"):
        tm.cycle_metrics(sales, sales)


def test_stock_over_shuffled_days_is_aligned_to_sales_over_ordered_days() -> None:
    sales = pd.Series([2.0, 0.0, 1.0], index=DAYS)
    inventory = pd.Series([4.0, 9.0, 0.0], index=SHUFFLED_DAYS)  # Mar 4, 2, 3
    assert tm.cycle_metrics(sales, inventory).closing_inventory == 4.0


@pytest.mark.skipif(not HAS_XARRAY, reason="xarray not installed")
def test_a_date_coordinate_out_of_order_is_refused() -> None:
    import xarray as xr

    sales = xr.DataArray([[2.0, 0.0, 1.0]], dims=("store", "date"), coords={"date": SHUFFLED_DAYS})
    with pytest.raises(TobaccoMetricsError, match="out of order on axis 1"):
        tm.cycle_metrics(sales, sales)
    ordered = sales.sortby("date")
    assert np.asarray(tm.cycle_metrics(ordered, ordered).closing_inventory).tolist() == [2.0]


# --------------------------------------------------------------------------- result order


def test_a_plain_result_follows_the_reference_input() -> None:
    """The labelled argument with the most dimensions orders a plain result (docs/guarantees)."""
    weights = pd.DataFrame([[1, 1], [1, 2]], index=["B", "A"])
    totals = pd.Series([10, 3], index=["A", "B"])
    assert tm.split_total(totals, weights).tolist() == [[2, 1], [3, 7]]
    sales = pd.Series([1.0, 0.0, 0.0], index=["x", "y", "z"])
    inventory = pd.Series([0.0, 0.0, 5.0], index=["z", "y", "x"])
    assert tm.stockout_mask(sales, inventory).tolist() == [False, True, True]


def test_volatile_customers_labels_a_frame_by_its_index() -> None:
    rows = np.vstack([np.full(14, 5.0), np.r_[np.zeros(7), np.full(7, 20.0)]])
    frame = pd.DataFrame(rows, index=["S1", "S2"])
    assert tm.volatile_customers(frame).stores == ("S1", "S2")  # before: (0, 1)
    assert tm.volatile_customers(frame, stores=["S1", "S2"]).ranked == ("S2", "S1")
    with pytest.raises(tm.ShapeMismatchError, match="never renamed by position"):
        tm.volatile_customers(frame, stores=["S2", "S1"])  # before: S1's row named S2
    assert tm.volatile_customers(pd.DataFrame(rows), stores=["a", "b"]).stores == ("a", "b")


# --------------------------------------------------------------------------- elementwise pairs

ROWS = ["x", "y", "z"]


def by_label(values: list[float]) -> pd.Series:
    """The same values under the same labels, in reverse order."""
    return pd.Series(values[::-1], index=ROWS[::-1])


@pytest.mark.parametrize(
    ("name", "call", "values"),
    [
        ("stockout_mask", tm.stockout_mask, ([1.0, 0.0, 0.0], [5.0, 0.0, 0.0])),
        ("fulfilment_ratio", tm.fulfilment_ratio, ([1.0, 2.0, 3.0], [3.0, 0.0, 0.0])),
        ("stock_to_sales_ratio", tm.stock_to_sales_ratio, ([1.0, 2.0, 3.0], [3.0, 1.0, 1.0])),
        (
            "projected_stockout_sales",
            tm.projected_stockout_sales,
            ([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [3.0, 1.0, 0.0]),
        ),
        (
            "agreement_progress",
            lambda ordered, agreed: tm.agreement_progress(ordered, agreed, "2026-03-15").progress,
            ([1.0, 2.0, 3.0], [10.0, 5.0, 3.0]),
        ),
    ],
)
def test_elementwise_pairs_are_aligned_by_label(name: str, call: Any, values: Any) -> None:
    """Before: these five paired two Series over the same labels by position."""
    first, *others = values
    plain = call(*(np.asarray(value) for value in values))
    labelled = call(pd.Series(first, index=ROWS), *(by_label(value) for value in others))
    np.testing.assert_array_equal(np.asarray(labelled), np.asarray(plain), err_msg=name)


# --------------------------------------------------------------------------- Panel.metrics options

PANEL = tm.Panel(
    ["S1", "S2"],
    ["A", "B"],
    "2026-03-02",
    np.array([[[0.0, 0, 0], [2, 2, 2]], [[1, 1, 1], [1, 0, 1]]]),
    np.array([[[0.0, 0, 0], [5, 5, 5]], [[1, 1, 1], [5, 0, 5]]]),
)


def test_panel_options_are_paired_with_the_panel_by_label() -> None:
    """Before: a fallback rate frame over (S2, S1) × (B, A) was read by position."""
    plain = PANEL.metrics(fallback_daily_rate=np.array([[4.0, 3.0], [2.0, 1.0]]))
    frame = pd.DataFrame([[1.0, 2.0], [3.0, 4.0]], index=["S2", "S1"], columns=["B", "A"])
    labelled = PANEL.metrics(fallback_daily_rate=frame)
    assert labelled.projected_stockout_sales.tolist() == plain.projected_stockout_sales.tolist()
    assert labelled.projected_stockout_sales[0, 0] == 12.0
    per_brand = pd.Series([1.0, 2.0], index=["B", "A"])
    assert PANEL.metrics(fallback_daily_rate=per_brand).projected_stockout_sales[0, 0] == 6.0
    with pytest.raises(ShapeMismatchError, match="'fallback_daily_rate' and 'panel'"):
        PANEL.metrics(fallback_daily_rate=frame.rename(index={"S2": "S3"}))


def test_a_panel_exclusion_mask_over_dates_is_paired_by_date() -> None:
    days = pd.date_range("2026-03-02", periods=3)
    mask = pd.DataFrame([[False, True, False]] * 2, index=["S1", "S2"], columns=days)
    expected = PANEL.metrics(exclude=mask.to_numpy()[:, None, :]).stockout_days.tolist()
    per_day = pd.Series([False, False, True], index=days[[2, 0, 1]])  # Mar 3 excluded
    assert PANEL.metrics(exclude=per_day).stockout_days.tolist() == expected == [[2, 0], [0, 0]]


def test_route_stock_report_pairs_price_classes_with_the_panel_brands() -> None:
    """Before: price classes in a Series over (B, A) were laid on brands A, B by position."""
    plain = tm.route_stock_report(PANEL, visited=["S1", "S2"], price_class=np.array([1, 5]))
    by_brand = pd.Series([5, 1], index=["B", "A"])
    labelled = tm.route_stock_report(PANEL, visited=["S1", "S2"], price_class=by_brand)
    assert repr(labelled) == repr(plain)
    with pytest.raises(ShapeMismatchError, match="'price_class' and 'panel'"):
        tm.route_stock_report(PANEL, visited=["S1"], price_class=by_brand.rename({"B": "C"}))


def test_days_in_a_multiindex_must_increase_too() -> None:
    columns = pd.MultiIndex.from_tuples([("w10", day) for day in DAYS])
    sales = pd.DataFrame([[2.0, 0.0, 1.0]], columns=columns)
    assert tm.stockout_days(sales, sales, axis=1).tolist() == [1]
    with pytest.raises(TobaccoMetricsError, match="out of order on axis 1"):
        tm.stockout_days(sales.iloc[:, ::-1], sales.iloc[:, ::-1], axis=1)


def test_panel_options_by_cycle_are_paired_by_label() -> None:
    frame = pd.DataFrame([[1.0, 2.0], [3.0, 4.0]], index=["S2", "S1"], columns=["B", "A"])
    plain = PANEL.metrics_by_cycle(3, fallback_daily_rate=np.array([[4.0, 3.0], [2.0, 1.0]]))
    labelled = PANEL.metrics_by_cycle(3, fallback_daily_rate=frame)
    assert labelled.projected_stockout_sales.tolist() == plain.projected_stockout_sales.tolist()
    assert labelled.projected_stockout_sales[0, 0, 0] == 12.0

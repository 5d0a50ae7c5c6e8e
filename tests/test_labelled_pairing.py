"""Labels that name the same thing in two inputs, in another form: how they are paired.

The cases the first labelled sweep (tests/test_labelled_sweep.py) refused rather than
handled; docs/guarantees.md ("How labels are paired") states the rules:

- index levels are paired by their names (every level named, the same names);
- a day is a day whatever type labels it (``datetime.date``, ``datetime64``,
  ``Timestamp``, a daily ``Period``; a time of day is read as its day), while text
  is not a date;
- True/False labels never pair with the numbers 1/0;
- a stores × brands table given to a Panel method is paired by both labels.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tobacco_metrics as tm
from tobacco_metrics import MissingDataError, ShapeMismatchError

DAYS = pd.date_range("2026-03-02", periods=3)
PAIRS = [("C1", "B1"), ("C1", "B2"), ("C2", "B1"), ("C2", "B2")]
SALES = np.array([[1.0, 0, 1], [1, 1, 1], [2, 0, 2], [0, 0, 0]])
STOCK = np.array([[5.0, 0, 5], [1, 1, 1], [0, 0, 0], [3, 0, 0]])
INVENTORY_3 = np.array([5.0, 0.0, 5.0])


def _frame(values: Any, index: Any, columns: Any = DAYS) -> pd.DataFrame:
    frame: pd.DataFrame = pd.DataFrame(
        np.asarray(values, dtype=float), index=index, columns=columns
    )
    return frame


def _by_store_brand(values: Any, names: Any = ("store", "brand")) -> pd.DataFrame:
    return _frame(values, pd.MultiIndex.from_tuples(PAIRS, names=list(names)))


# --------------------------------------------------------------------------- 1. index levels


def test_index_levels_in_another_order_are_paired_by_name() -> None:
    """Before: refused ("different labels"), though both name their levels."""
    sales, stock = _by_store_brand(SALES), _by_store_brand(STOCK)
    expected = tm.stockout_days(SALES, STOCK, axis=1).tolist()
    swapped = stock.reorder_levels(["brand", "store"])
    assert tm.stockout_days(sales, swapped, axis=1).tolist() == expected
    assert tm.stockout_days(sales, swapped.sort_index(), axis=1).tolist() == expected
    metrics: Any = tm.cycle_metrics(sales, swapped.sample(frac=1, random_state=1), axis=1)
    assert metrics.stockout_days.tolist() == expected


def test_level_names_win_where_codes_would_pair_either_way() -> None:
    """Stores 1, 2 and brands 1, 2: the swapped rows pair as they are, but by name they move."""
    codes = [(1, 1), (1, 2), (2, 1), (2, 2)]
    index = pd.MultiIndex.from_tuples(codes, names=["store", "brand"])
    sales, stock = _frame(SALES, index), _frame(STOCK, index)
    swapped = stock.reorder_levels(["brand", "store"]).sort_index()
    assert set(swapped.index) == set(index)  # by position, (1, 2) would meet (1, 2)
    expected = tm.stockout_days(SALES, STOCK, axis=1).tolist()
    assert tm.stockout_days(sales, swapped, axis=1).tolist() == expected


@pytest.mark.parametrize(
    ("names", "says"),
    [
        ((None, None), r"name every level on both sides"),
        (("brand", None), r"name every level on both sides"),
        (("brand", "outlet"), r"level names \('brand', 'outlet'\) against \('store', 'brand'\)"),
    ],
    ids=["unnamed", "half named", "other names"],
)
def test_index_levels_that_cannot_be_paired_by_name_say_what_to_do(names: Any, says: str) -> None:
    sales = _by_store_brand(SALES)
    swapped = _by_store_brand(STOCK).reorder_levels([1, 0]).rename_axis(list(names))
    with pytest.raises(ShapeMismatchError, match=says):
        tm.stockout_days(sales, swapped, axis=1)


def test_long_table_columns_over_levels_in_another_order_are_paired_by_name() -> None:
    index = pd.MultiIndex.from_tuples([("C1", d) for d in DAYS], names=["store", "date"])
    sales = pd.Series([1.0, 0.0, 1.0], index=index)
    stock = pd.Series([5.0, 0.0, 5.0], index=index).reorder_levels([1, 0])
    panel = tm.Panel.from_long(["C1"] * 3, ["B"] * 3, list(DAYS), sales, stock.iloc[::-1])
    assert panel.inventory.tolist() == [[[5.0, 0.0, 5.0]]]


@given(
    level_order=st.permutations([0, 1]),
    rows=st.permutations(range(len(PAIRS))),
    days=st.permutations(range(len(DAYS))),
)
def test_permuting_levels_rows_and_days_never_changes_the_result(
    level_order: list[int], rows: list[int], days: list[int]
) -> None:
    """Law: the stock frame's level order, row order and day order do not count."""
    sales = _by_store_brand(SALES)
    stock = _by_store_brand(STOCK).reorder_levels(level_order).iloc[rows, days]
    expected: Any = tm.cycle_metrics(SALES, STOCK, axis=1)
    metrics: Any = tm.cycle_metrics(sales, stock, axis=1)
    np.testing.assert_array_equal(metrics.stockout_days, expected.stockout_days)
    np.testing.assert_array_equal(metrics.closing_inventory, expected.closing_inventory)


# --------------------------------------------------------------------------- 2. dates of types


DAY_LABELS = {
    "date": [day.date() for day in DAYS],
    "datetime64[D]": list(DAYS.to_numpy().astype("datetime64[D]")),
    "Timestamp": list(DAYS),
    "datetime": [day.to_pydatetime() for day in DAYS],
    "Period": list(DAYS.to_period("D")),
}


@pytest.mark.parametrize("kind", DAY_LABELS)
@pytest.mark.parametrize("reference", ["Timestamp", "date"])
def test_the_same_days_in_another_type_are_paired(kind: str, reference: str) -> None:
    """Before: date against Timestamp refused ("of different types")."""
    sales = pd.Series([1.0, 0.0, 1.0], index=pd.Index(DAY_LABELS[reference], dtype=object))
    stock = pd.Series([5.0, 0.0, 5.0], index=pd.Index(DAY_LABELS[kind], dtype=object))
    assert tm.stockout_days(sales, stock) == 1
    assert tm.stockout_days(sales, stock.iloc[::-1]) == 1  # and put in order by day


@given(kind=st.sampled_from(sorted(DAY_LABELS)), days=st.permutations(range(len(DAYS))))
def test_the_type_and_order_of_the_day_labels_never_change_the_result(
    kind: str, days: list[int]
) -> None:
    """Law: the same days in any of the date types, in any order, give the same metrics."""
    sales = _frame(SALES, [str(pair) for pair in PAIRS])
    labels = pd.Index(DAY_LABELS[kind], dtype=object)
    stock = _frame(STOCK, sales.index, labels).iloc[:, days]
    expected: Any = tm.cycle_metrics(SALES, STOCK, axis=1)
    metrics: Any = tm.cycle_metrics(sales, stock, axis=1)
    np.testing.assert_array_equal(metrics.closing_inventory, expected.closing_inventory)
    np.testing.assert_array_equal(metrics.stockout_days, expected.stockout_days)


def test_an_axis_mixing_date_types_is_checked_by_its_days() -> None:
    """Before: a raw pandas TypeError ("Cannot compare Timestamp with datetime.date")."""
    mixed = pd.Index([DAYS[0].date(), DAYS[1], DAYS[2].date()], dtype=object)
    sales = pd.Series([1.0, 0.0, 1.0], index=mixed)
    assert tm.stockout_days(sales, sales.iloc[::-1] + 4) == 0
    with pytest.raises(tm.InvalidValueError, match="out of order on axis 0: 2026-03-04 at"):
        tm.stockout_days(sales.iloc[::-1], sales)
    with pytest.raises(MissingDataError, match=r"1 day\(s\) missing"):
        tm.stockout_days(sales.set_axis([*mixed[:2], DAYS[2].date() + dt.timedelta(1)]), sales)


def test_a_missing_date_label_is_no_day_and_pairs_with_none() -> None:
    sales = pd.Series([1.0, 0.0, 1.0], index=DAYS)
    token = pd.Series([0.0, 0.0, 1.0], index=pd.Index([DAYS[0], DAYS[1], pd.NaT], dtype=object))
    with pytest.raises(ShapeMismatchError, match="'token_stock' and 'sales' carry different"):
        tm.stockout_days(sales, INVENTORY_3, token_stock=token)


def test_an_xarray_coordinate_in_nanoseconds_pairs_with_pandas_days() -> None:
    """Before: datetime64[ns] coordinates were read as integers (1772409600000000000)."""
    xr = pytest.importorskip("xarray")
    nanoseconds = DAYS.to_numpy().astype("datetime64[ns]")
    sales = xr.DataArray([[1.0, 0.0, 1.0]], dims=("store", "date"), coords={"date": nanoseconds})
    stock = _frame([[5, 0, 5]], pd.RangeIndex(1))
    assert np.asarray(tm.stockout_days(stock, sales, axis=1)).tolist() == [1]
    assert np.asarray(tm.stockout_days(sales, stock.iloc[:, ::-1], axis=1)).tolist() == [1]


def test_days_as_text_are_not_dates_and_say_how_to_convert() -> None:
    sales = pd.Series([1.0, 0.0, 1.0], index=DAYS)
    stock = pd.Series([5.0, 0.0, 5.0], index=[day.strftime("%Y-%m-%d") for day in DAYS])
    with pytest.raises(ShapeMismatchError, match=r"str against Timestamp.*pandas\.to_datetime"):
        tm.stockout_days(sales, stock)
    assert tm.stockout_days(sales, stock.set_axis(pd.to_datetime(stock.index))) == 1


def test_a_panel_option_over_dates_of_another_type_is_paired_by_day() -> None:
    """Before: an exclusion table over datetime.date columns was refused by Panel.metrics."""
    panel = tm.Panel(["C1"], ["B1"], "2026-03-02", [[[1.0, 0.0, 1.0]]], [[[5.0, 0.0, 5.0]]])
    dates = [day.date() for day in DAYS]
    exclude = pd.DataFrame([[False, True, False]], index=["B1"], columns=dates[::-1])
    assert panel.metrics().stockout_days.tolist() == [[1]]
    assert panel.metrics(exclude=exclude).stockout_days.tolist() == [[0]]


# --------------------------------------------------------------------------- 3. True/False


def test_true_false_labels_never_pair_with_one_and_zero() -> None:
    """Before: rows True/False were paired with rows 1/0 (True == 1 in numpy and pandas)."""
    sales = _frame([[1, 0, 1], [1, 1, 1]], [True, False])
    stock = _frame([[0, 0, 0], [5, 0, 5]], [0, 1])
    with pytest.raises(ShapeMismatchError, match="True/False labels against the numbers 1/0"):
        tm.stockout_days(sales, stock, axis=1)
    with pytest.raises(ShapeMismatchError, match="True/False labels against the numbers 1/0"):
        tm.stockout_days(sales, stock.iloc[::-1], axis=1)
    flags = _frame([[0, 0, 0], [5, 0, 5]], [False, True])
    assert tm.stockout_days(sales, flags, axis=1).tolist() == [1, 0]


# --------------------------------------------------------------------------- 4. times of day


def test_a_time_of_day_is_read_as_its_day_when_pairing() -> None:
    hours = DAYS + pd.Timedelta("20h")
    sales = pd.Series([1.0, 0.0, 1.0], index=hours)
    stock = pd.Series([5.0, 0.0, 5.0], index=DAYS)
    assert tm.stockout_days(sales, stock.iloc[::-1]) == 1
    assert tm.stockout_days(sales, stock.iloc[::-1] + 1) == 0


def test_two_labels_on_one_day_are_refused_not_paired() -> None:
    """08:00 and 20:00 of one day: never paired by position with 20:00 and 08:00."""
    hours = pd.DatetimeIndex(["2026-03-02 08:00", "2026-03-02 20:00", "2026-03-03 08:00"])
    sales = pd.Series([1.0, 0.0, 1.0], index=hours)
    with pytest.raises(MissingDataError, match="two labels on one day"):
        tm.stockout_days(sales, sales)
    panel = tm.Panel(["C1"], ["B1"], "2026-03-02", [[[1.0, 0.0, 1.0]]], [[[5.0, 0.0, 5.0]]])
    exclude = pd.DataFrame([[False, True, False]], index=["B1"], columns=hours)
    with pytest.raises(ShapeMismatchError, match=r"two labels on one day \(2026-03-02 08:00"):
        panel.metrics(exclude=exclude)


# --------------------------------------------------------------------------- 5. from_long


def test_from_long_names_the_store_and_brand_of_a_mistyped_date() -> None:
    dates = [(dt.date(2026, 3, 2) + dt.timedelta(days=d)).isoformat() for d in range(60)]
    dates[5] = "2126-03-07"
    with pytest.raises(
        MissingDataError,
        match=r"is 2126-03-07 at row 5 mistyped \(on the row of store 'C1', brand 'B'; ",
    ):
        tm.Panel.from_long(["C1"] * 60, ["B"] * 60, dates, [1] * 60, [5] * 60)


# --------------------------------------------------------------------------- 6. per-series tables


PANEL = tm.Panel(
    ["C1", "C2"],
    ["B1", "B2"],
    "2026-03-02",
    SALES.reshape(2, 2, 3),
    STOCK.reshape(2, 2, 3),
)
TOKENS = np.array([[0.0, 1.0], [0.0, 3.0]])
RATE = np.array([[1.0, 2.0], [3.0, 4.0]])


def _table(values: Any) -> pd.DataFrame:
    table: pd.DataFrame = pd.DataFrame(values, index=["C1", "C2"], columns=["B1", "B2"])
    return table


def test_a_stores_by_brands_table_is_paired_by_both_labels() -> None:
    """Before: token_stock as stores × brands was laid on (brands, days) and refused."""
    expected = PANEL.metrics(token_stock=TOKENS[..., None], fallback_daily_rate=RATE)
    shuffled = _table(TOKENS).iloc[::-1, ::-1]
    got = PANEL.metrics(token_stock=shuffled, fallback_daily_rate=_table(RATE).iloc[::-1, ::-1])
    np.testing.assert_array_equal(got.stockout_days, expected.stockout_days)
    np.testing.assert_array_equal(got.projected_stockout_sales, expected.projected_stockout_sales)
    by_cycle = PANEL.metrics_by_cycle(3, token_stock=shuffled)
    np.testing.assert_array_equal(by_cycle.stockout_days[0], expected.stockout_days)


def test_a_per_series_option_indexed_by_store_and_brand_is_paired() -> None:
    series = _table(TOKENS).stack()
    series.index = series.index.set_names(["store", "brand"])
    expected = PANEL.metrics(token_stock=TOKENS[..., None]).stockout_days
    got = PANEL.metrics(token_stock=series.sample(frac=1, random_state=2).swaplevel())
    np.testing.assert_array_equal(got.stockout_days, expected)
    with pytest.raises(ShapeMismatchError, match=r"no value for store 'C2', brand 'B2'"):
        PANEL.metrics(fallback_daily_rate=series.iloc[:3])


def test_a_data_array_over_brand_and_store_is_paired_with_the_panel() -> None:
    xr = pytest.importorskip("xarray")
    tokens = xr.DataArray(
        TOKENS.T, dims=("brand", "store"), coords={"brand": ["B1", "B2"], "store": ["C1", "C2"]}
    )
    expected = PANEL.metrics(token_stock=TOKENS[..., None]).stockout_days
    got = PANEL.metrics(token_stock=tokens.isel(store=[1, 0])).stockout_days
    np.testing.assert_array_equal(got, expected)


def test_a_brands_by_stores_table_is_refused_with_what_to_do() -> None:
    with pytest.raises(ShapeMismatchError, match=r"brands on its rows and the stores.*\.T"):
        PANEL.metrics(fallback_daily_rate=_table(RATE).T)
    with pytest.raises(ShapeMismatchError, match=r"brands on its rows and the stores.*\.T"):
        PANEL.metrics(token_stock=_table(TOKENS).T)
    with pytest.raises(
        ShapeMismatchError, match=r"two levels \(None, None\); .*'store' and 'brand'"
    ):
        PANEL.metrics(token_stock=_table(TOKENS).stack())


def test_stores_and_brands_with_the_same_labels_need_named_axes() -> None:
    """Store codes 1, 2 and brand codes 1, 2: which axis is which only names can say."""
    panel = tm.Panel([1, 2], [1, 2], "2026-03-02", SALES.reshape(2, 2, 3), STOCK.reshape(2, 2, 3))
    table = pd.DataFrame(TOKENS, index=[1, 2], columns=[1, 2])
    with pytest.raises(ShapeMismatchError, match="name its axes"):
        panel.metrics(token_stock=table)
    named = table.rename_axis(index="brand", columns="store")
    with pytest.raises(ShapeMismatchError, match=r"pass token_stock\.T"):
        panel.metrics(token_stock=named)
    got = panel.metrics(token_stock=named.T.iloc[::-1]).stockout_days
    expected = panel.metrics(token_stock=TOKENS[..., None]).stockout_days
    np.testing.assert_array_equal(got, expected)

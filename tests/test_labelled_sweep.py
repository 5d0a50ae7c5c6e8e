"""The analyst-in-a-notebook sweep: dataframe and labelled inputs the other tests do not try.

Each test is a regression test of a defect found by that sweep (see docs/guarantees.md,
"Labelled and dataframe inputs"): a right number or an error that names the argument;
never a silently wrong number, a positional pairing of differently labelled inputs, a
raw error from inside numpy or pandas, or a warning.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

import tobacco_metrics as tm
from tobacco_metrics import ShapeMismatchError

HAS_POLARS = importlib.util.find_spec("polars") is not None
HAS_PYARROW = importlib.util.find_spec("pyarrow") is not None
HAS_XARRAY = importlib.util.find_spec("xarray") is not None
DAYS = pd.date_range("2026-03-02", periods=3)
DATES = [day.date() for day in DAYS]
INVENTORY = np.array([5.0, 0.0, 5.0])
needs_polars = pytest.mark.skipif(not HAS_POLARS, reason="polars not installed")
needs_pyarrow = pytest.mark.skipif(not HAS_PYARROW, reason="pyarrow not installed")
needs_xarray = pytest.mark.skipif(not HAS_XARRAY, reason="xarray not installed")


# --------------------------------------------------------------------------- pyarrow tables


@needs_pyarrow
def test_pyarrow_tables_pair_their_columns_by_name() -> None:
    """Before: a Table's columns were paired by position (store b's stock read as a's)."""
    import pyarrow as pa

    sales = pa.table({"a": [1.0, 0.0, 1.0], "b": [1.0, 1.0, 1.0]})
    stock = pa.table({"b": [1.0, 1.0, 1.0], "a": [5.0, 0.0, 5.0]})
    assert tm.stockout_days(sales, stock, axis=0).tolist() == [1, 0]  # before: [0, 0]
    batch = pa.record_batch({"b": [1.0, 1.0, 1.0], "a": [5.0, 0.0, 5.0]})
    assert tm.stockout_days(sales, batch, axis=0).tolist() == [1, 0]
    with pytest.raises(ShapeMismatchError, match="different labels"):
        tm.stockout_days(sales, stock.rename_columns(["b", "c"]), axis=0)
    with pytest.raises(ShapeMismatchError, match="axis=0 has 3 unlabelled positions"):
        tm.stockout_days(sales, stock)  # like a polars frame: the day axis must be named


# --------------------------------------------------------------------------- column kinds


def _frames(columns: dict[str, list[Any]]) -> list[Any]:
    frames = []
    if HAS_POLARS:
        import polars as pl

        frames.append(pl.DataFrame(columns))
    if HAS_PYARROW:
        import pyarrow as pa

        frames.append(pa.table(columns))
    return frames


@pytest.mark.parametrize("frame", _frames({"date": DATES, "C1": [1.0, 0.0, 1.0]}))
def test_a_date_column_in_a_frame_is_refused_not_read_as_numbers(frame: Any) -> None:
    """Before: polars read the dates as 20514, 20515, … cartons; pyarrow raised from numpy."""
    with pytest.raises(TypeError, match=r"'sales' mixes column dtypes: 'date' is Date|date32"):
        tm.stockout_days(frame, frame, axis=0)
    with pytest.raises(TypeError, match="'weights' mixes column dtypes"):
        tm.split_total([10, 3, 4], frame)  # before (polars): the date column took every carton
    with pytest.raises(TypeError, match="'cartons' must hold real numbers, but its column 'date'"):
        tm.cartons_to_packs(frame)


@pytest.mark.parametrize("frame", _frames({"C1": [1.0, 0.0, 1.0], "open": [True, True, False]}))
def test_a_boolean_column_among_numbers_is_refused(frame: Any) -> None:
    """Before: True and False in a polars or pyarrow frame counted as 1 and 0 cartons."""
    with pytest.raises(TypeError, match=r"'sales' mixes column dtypes: 'C1' is .* 'open' is"):
        tm.stockout_days(frame, frame, axis=0)
    with pytest.raises(TypeError, match="its column 'open' is of dtype"):
        tm.cartons_to_packs(frame)


@pytest.mark.parametrize("frame", _frames({"C1": [False, True, False], "C2": [False, False, True]}))
def test_a_frame_of_boolean_columns_is_a_mask(frame: Any) -> None:
    sales = np.array([[1.0, 1.0], [0.0, 0.0], [1.0, 1.0]])
    stock = np.array([[5.0, 5.0], [0.0, 0.0], [5.0, 5.0]])
    assert tm.stockout_days(sales, stock, axis=0, exclude=frame).tolist() == [0, 1]


@needs_polars
def test_a_polars_lazy_frame_asks_to_be_collected() -> None:
    """Before: a PerformanceWarning, then "got objects that are not numbers"."""
    import polars as pl

    lazy: Any = pl.DataFrame({"C1": [1.0, 0.0, 1.0]}).lazy()
    with pytest.raises(TypeError, match=r"'sales' is a polars LazyFrame.*collect\(\)"):
        tm.stockout_days(lazy, lazy, axis=0)
    with pytest.raises(TypeError, match="'weights' is a polars LazyFrame"):
        tm.split_total([10, 3, 4], lazy)


def test_a_pandas_date_column_is_named_as_such() -> None:
    """Before: "got objects that are not numbers" (which value, where?)."""
    frame = pd.DataFrame({"date": DAYS, "C1": [1.0, 0.0, 1.0]})
    with pytest.raises(TypeError, match=r"got Timestamp .* at index \(0, 0\) \(3 such values\)"):
        tm.stockout_days(frame, frame, axis=0)


# --------------------------------------------------------------------------- time zones


@pytest.mark.parametrize(
    "index",
    [
        pd.date_range("2026-03-02", periods=3, tz="Asia/Shanghai"),
        pd.date_range("2026-03-07", periods=3, tz="America/New_York"),  # over a DST change
        pd.date_range("2026-03-01 16:00", periods=3, tz="UTC"),
    ],
    ids=["Shanghai", "New York DST", "UTC afternoon"],
)
def test_days_with_a_time_zone_are_days(index: pd.DatetimeIndex) -> None:
    """Before: a numpy UserWarning ("no explicit representation of timezones")."""
    assert tm.stockout_days(pd.Series([1.0, 0.0, 1.0], index=index), INVENTORY) == 1
    gap = pd.Series([1.0, 0.0, 1.0], index=index[[0, 1]].append(index[2:] + pd.Timedelta("1D")))
    with pytest.raises(tm.MissingDataError, match=r"1 day\(s\) missing"):
        tm.stockout_days(gap, INVENTORY)


# --------------------------------------------------------------------------- xarray dimensions

XR_SALES = [[1.0, 0.0, 1.0], [2.0, 2.0, 0.0], [0.0, 0.0, 0.0]]  # 3 stores × 3 days
XR_STOCK = [[1.0, 1.0, 1.0], [1.0, 1.0, 0.0], [0.0, 0.0, 0.0]]


@needs_xarray
@pytest.mark.parametrize("transposed", [False, True], ids=["store-date", "date-store"])
def test_a_data_array_over_stores_is_laid_on_the_stores(transposed: bool) -> None:
    """Before: a token stock over ``store`` (no coordinate) was broadcast along ``date``."""
    import xarray as xr

    sales = xr.DataArray(XR_SALES, dims=("store", "date"), coords={"date": DAYS})
    stock = xr.DataArray(XR_STOCK, dims=("store", "date"), coords={"date": DAYS})
    token = xr.DataArray([1.0, 0.0, 0.0], dims="store")
    if transposed:
        sales, stock = sales.T, stock.T
    plain = tm.stockout_days(
        np.asarray(XR_SALES), np.asarray(XR_STOCK), token_stock=[[1], [0], [0]]
    )
    assert plain.tolist() == [1, 1, 3]
    result: Any = tm.stockout_days(sales, stock, token_stock=token)
    assert result.values.tolist() == [1, 1, 3]
    rate = xr.DataArray([1.0, 2.0, 3.0], dims="store", coords={"store": ["a", "b", "c"]})
    labelled = sales.assign_coords(store=["a", "b", "c"])
    metrics = tm.cycle_metrics(
        labelled,
        stock.assign_coords(store=["a", "b", "c"]),
        fallback_daily_rate=rate.isel(store=[2, 0, 1]),
    )
    dataset: Any = metrics
    assert dataset["projected_stockout_sales"].sel(store="c").item() == 9.0


@needs_xarray
def test_a_per_brand_data_array_must_lie_on_its_dimension() -> None:
    """Before: price classes over ``brand`` were laid on ``store`` when axis=-1 was ``store``."""
    import xarray as xr

    quantity = xr.DataArray([[1.0, 2.0], [3.0, 4.0]], dims=("brand", "store"))
    price_class = xr.DataArray([1, 3], dims="brand")
    with pytest.raises(ShapeMismatchError, match=r"laid along axis 1 .* 'store'.*pass axis=0"):
        tm.class_shares(quantity, price_class)
    shares: Any = tm.class_shares(quantity, price_class, axis=0)
    assert shares.sel(price_class=1).values.tolist() == [0.25, 2 / 6]
    total = xr.DataArray([10, 3], dims="part")
    with pytest.raises(ShapeMismatchError, match="'total' has the dimension 'part'"):
        tm.split_total(total, xr.DataArray([[1, 1], [1, 2]], dims=("row", "part")))


# --------------------------------------------------------------------------- per-series options

STORES = list("abc")
WEEK = pd.date_range("2026-03-02", periods=7)
WEEK_SALES = pd.DataFrame(
    [[1.0, 0, 1, 0, 0, 0, 0], [2, 2, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0]],
    index=STORES,
    columns=WEEK,
)
WEEK_STOCK = pd.DataFrame(
    [[1.0, 1, 1, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0]],
    index=STORES,
    columns=WEEK,
)
RATES = pd.Series([1.0, 2.0, 3.0], index=STORES)


CALLS: dict[str, Callable[..., Any]] = {
    "cycle_metrics": lambda sales, stock, axis, rate: (
        tm.cycle_metrics(sales, stock, axis=axis, fallback_daily_rate=rate).projected_stockout_sales
    ),
    "base_daily_rate": lambda sales, stock, axis, rate: tm.base_daily_rate(
        sales, stock, axis=axis, fallback_daily_rate=rate
    ),
    "reasonable_quota": lambda sales, stock, axis, rate: tm.reasonable_quota(
        sales, stock, axis=axis, fallback_daily_rate=rate
    ),
    "estimate_daily_demand": lambda sales, stock, axis, rate: tm.estimate_daily_demand(
        sales, stock, axis=axis, fallback_daily_rate=rate
    ),
}


@pytest.mark.parametrize("name", CALLS)
@pytest.mark.parametrize("days_first", [False, True], ids=["stores x days", "days x stores"])
def test_a_fallback_rate_per_store_is_paired_by_store(name: str, days_first: bool) -> None:
    """Before: a fallback Series over (c, a, b) was read by position (store c got b's rate)."""
    sales, stock, axis = (
        (WEEK_SALES.T, WEEK_STOCK.T, 0) if days_first else (WEEK_SALES, WEEK_STOCK, 1)
    )

    def run(rate: Any) -> list[float]:
        values: list[float] = np.asarray(CALLS[name](sales, stock, axis, rate)).tolist()
        return values

    plain = run(RATES.to_numpy())
    assert plain[2] == (21.0 if name in ("cycle_metrics", "reasonable_quota") else 3.0)
    assert run(RATES[["c", "a", "b"]]) == plain
    with pytest.raises(ShapeMismatchError, match="'fallback_daily_rate' and 'sales'"):
        run(RATES.set_axis(["x", "y", "z"]))


SHUFFLED = ["c", "a", "b"]
OPTIONS: dict[str, tuple[Callable[[Any], Any], pd.Series]] = {
    "reasonable_quota(adjustment=)": (
        lambda option: tm.reasonable_quota(WEEK_SALES, WEEK_STOCK, axis=1, adjustment=option),
        pd.Series([2.0, 3.0, 1.0], index=STORES),
    ),
    "reasonable_quota(cycle_days=)": (
        lambda option: tm.reasonable_quota(WEEK_SALES, WEEK_STOCK, axis=1, cycle_days=option),
        pd.Series([14, 7, 7], index=STORES),
    ),
    "service_quota(fill_rate=)": (
        lambda option: tm.service_quota(WEEK_SALES, WEEK_STOCK, fill_rate=option),
        pd.Series([0.9, 0.99, 0.5], index=STORES),
    ),
    "agreed_monthly_total(adjustment=)": (
        lambda option: tm.agreed_monthly_total(
            WEEK_SALES.iloc[:, :3], axis=1, months=3, adjustment=option
        ),
        pd.Series([1.0, 2.0, 1.0], index=STORES),
    ),
}


@pytest.mark.parametrize("name", OPTIONS)
def test_per_store_options_are_paired_by_store(name: str) -> None:
    """Before: these options, one per store, were read by position (store a got c's)."""
    call, option = OPTIONS[name]
    plain = np.asarray(call(option.to_numpy()))
    np.testing.assert_array_equal(np.asarray(call(option[SHUFFLED])), plain, err_msg=name)
    with pytest.raises(ShapeMismatchError, match="different labels"):
        call(option.set_axis(["x", "y", "z"]))


def test_a_token_stock_per_store_is_refused_by_reasonable_quota_as_by_stockout_days() -> None:
    """Before: reasonable_quota laid a token stock over stores along the days (3 × 3 data)."""
    sales, stock = WEEK_SALES.iloc[:, :3], WEEK_STOCK.iloc[:, :3]
    token = pd.Series([0.0, 0.0, 1.0], index=SHUFFLED)
    for function in (tm.stockout_days, tm.reasonable_quota):
        with pytest.raises(ShapeMismatchError, match="'token_stock' and 'sales' carry different"):
            function(sales, stock, axis=1, token_stock=token)
    per_day = pd.Series([0.0, 1.0, 0.0], index=sales.columns[[1, 0, 2]])
    expected = tm.reasonable_quota(sales, stock, axis=1, token_stock=np.array([1.0, 0.0, 0.0]))
    labelled = tm.reasonable_quota(sales, stock, axis=1, token_stock=per_day)
    np.testing.assert_array_equal(labelled, expected)


# --------------------------------------------------------------------------- 0-d inputs


def _zero_d() -> list[Any]:
    values: list[Any] = [np.array(3.0), np.float64(3.0)]
    if HAS_XARRAY:
        import xarray as xr

        values.append(xr.DataArray(3.0))
    return values


@pytest.mark.parametrize("value", _zero_d(), ids=lambda value: type(value).__name__)
@pytest.mark.parametrize(
    ("call", "named"),
    [
        (lambda v: tm.stockout_days(v, v), "'sales'"),
        (lambda v: tm.cycle_metrics(v, v), "'sales'"),
        (lambda v: tm.reasonable_quota(v, v), "'sales'"),
        (lambda v: tm.lost_sales(v, v), "'sales'"),
        (lambda v: tm.distortion_flags(v, v), "'sales'"),
        (lambda v: tm.agreed_monthly_total(v), "'monthly_sales'"),
        (lambda v: tm.pooled_fulfilment_ratio(np.asarray(v), 1.0, axis=0), "'axis'"),
    ],
    ids=[
        "stockout_days",
        "cycle_metrics",
        "reasonable_quota",
        "lost_sales",
        "distortion_flags",
        "agreed_monthly_total",
        "pooled_fulfilment_ratio",
    ],
)
def test_a_scalar_where_an_axis_is_needed_names_the_argument(
    call: Any, named: str, value: Any
) -> None:
    """Before: "the data must have at least one dimension (the day axis)" (which data?)."""
    with pytest.raises(ShapeMismatchError, match=f"{named}.*got a scalar|{named} must have"):
        call(value)


@needs_xarray
def test_a_0d_data_array_broadcasts_against_a_labelled_one() -> None:
    import xarray as xr

    projected = xr.DataArray([1.0, 2.0], dims="s", coords={"s": ["a", "b"]})
    ratio: Any = tm.fulfilment_ratio(xr.DataArray(3.0), projected)
    assert ratio.sel(s="b").item() == 0.6


# --------------------------------------------------------------------------- messages


@pytest.mark.parametrize(
    ("index", "kinds"),
    [
        ([20260302, 20260303, 20260304], "int against Timestamp"),
        (DAYS.to_period("W"), "Period against Timestamp"),
        ([str(day) for day in DATES], "str against Timestamp"),
    ],
    ids=["numbers", "weeks", "text"],
)
def test_labels_alike_but_of_another_type_say_so(index: Any, kinds: str) -> None:
    """Before: "different labels (2026-03-02, … against 2026-03-02 00:00:00, …)", no reason.

    (Dates, daily periods and timestamps of the same days now pair: test_labelled_pairing.py.)
    """
    sales = pd.Series([1.0, 0.0, 1.0], index=DAYS)
    with pytest.raises(ShapeMismatchError, match=f"of different types, {kinds}"):
        tm.stockout_days(sales, pd.Series([5.0, 0.0, 5.0], index=index))


def test_repeated_labels_in_another_order_say_so() -> None:
    sales = pd.Series([1.0, 0.0, 1.0], index=["a", "a", "b"])
    with pytest.raises(ShapeMismatchError, match="the labels repeat"):
        tm.stockout_mask(sales, sales.iloc[[2, 0, 1]])


def test_day_mask_names_its_argument() -> None:
    """Before: a raw "'numpy.datetime64' object is not iterable" from the loop."""
    panel = tm.Panel(["S1"], ["A"], "2026-03-02", [[[1.0, 0.0, 1.0]]], [[[5.0, 0.0, 5.0]]])
    with pytest.raises(TypeError, match="'dates' must be an iterable of dates"):
        panel.day_mask(np.datetime64("2026-03-03"))
    with pytest.raises(TypeError, match="'dates' must be a date, not a datetime"):
        panel.day_mask(DAYS[[1]])
    assert panel.day_mask(np.array(["2026-03-03"], dtype="datetime64[D]")).tolist() == [
        False,
        True,
        False,
    ]


# ------------------------------------------------------------------ days along the last axis

FORTNIGHT = pd.date_range("2026-03-02", periods=14)
BY_DAY = pd.DataFrame(  # 14 days × 14 stores: read with the days last, each store a "day"
    np.tile(np.r_[np.zeros(7), np.full(7, 4.0)], (14, 1)).T, index=FORTNIGHT
)
LAST_AXIS: dict[str, Callable[[Any], Any]] = {
    "volatile_customers": lambda sales: tm.volatile_customers(sales),
    "distortion_flags": lambda sales: tm.distortion_flags(sales, sales),
    "service_quota": lambda sales: tm.service_quota(sales, sales),
    "quota_review": lambda sales: tm.quota_review(7, sales, sales),
}


@pytest.mark.parametrize("name", LAST_AXIS)
def test_dates_down_the_rows_are_refused_where_days_are_the_last_axis(name: str) -> None:
    """Before: a dates × stores frame was read with its 14 stores as 14 days."""
    with pytest.raises(ShapeMismatchError, match="dates on axis 0, but the days are read along"):
        LAST_AXIS[name](BY_DAY)
    LAST_AXIS[name](BY_DAY.T)  # stores × days: the days where they are read


@pytest.mark.parametrize("name", LAST_AXIS)
def test_dates_that_skip_a_day_are_refused_where_days_are_the_last_axis(name: str) -> None:
    """Before: a fortnight without its Sundays was read as 12 consecutive days."""
    no_sundays = BY_DAY.T.loc[:, FORTNIGHT.day_of_week != 6]
    with pytest.raises(tm.MissingDataError, match=r"not one day apart.*1 day\(s\) missing"):
        LAST_AXIS[name](no_sundays)


# --------------------------------------------------------------------------- integer labels


def test_a_series_without_an_index_against_integer_labels_in_another_order_is_ambiguous() -> None:
    """Before: laid by position without a word, though the labels 2, 0, 1 could be meant."""
    quantity = pd.DataFrame([[1.0, 2.0, 3.0]], columns=[2, 0, 1])
    with pytest.raises(ShapeMismatchError, match=r"built without labels \(0 … 2\).*\.to_numpy\(\)"):
        tm.class_shares(quantity, pd.Series([1, 5, 5]))
    by_position = tm.class_shares(quantity, np.array([1, 5, 5]))
    by_label = tm.class_shares(quantity, pd.Series([1, 5, 5], index=pd.Index([0, 1, 2])))
    assert by_position[0, 0] == 1 / 6  # column 2 is class I
    assert by_label[0, 0] == 2 / 6  # label 0 (the second column) is class I
    panel = tm.Panel([2, 0, 1], ["A"], "2026-03-02", np.ones((3, 1, 2)), np.zeros((3, 1, 2)))
    with pytest.raises(ShapeMismatchError, match="'fallback_daily_rate' was built without labels"):
        panel.metrics(fallback_daily_rate=pd.DataFrame({"A": [1.0, 2.0, 3.0]}))
    words = pd.DataFrame([[1.0, 2.0]], columns=["A", "B"])  # other labels: by position, as before
    assert tm.class_shares(words, pd.Series([1, 5]))[0, 0] == 1 / 3


# --------------------------------------------------------------------------- plots

HAS_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None


@pytest.mark.skipif(not HAS_MATPLOTLIB, reason="matplotlib not installed")
def test_plots_never_rename_labelled_rows_nor_pair_them_by_position() -> None:
    """Before: labels= renamed a labelled Series' bars by position (store b drawn as a), and
    scorecard_bar paired a score and a fulfilment over other labels by position."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from tobacco_metrics import plot

    quota = pd.Series([10.0, 20.0], index=["a", "b"])
    demand = pd.Series([5.0, 30.0], index=["b", "a"])
    with pytest.raises(ShapeMismatchError, match="rows are never renamed by position"):
        plot.quota_vs_demand(quota, demand, labels=["b", "a"])
    ax = plot.quota_vs_demand(quota, demand, labels=["a", "b"])
    bars: list[Any] = list(ax.patches)
    assert [bar.get_height() for bar in bars] == [10.0, 20.0, 30.0, 5.0]
    frame = pd.DataFrame([[1.0, 2.0], [3.0, 4.0]], index=["s1", "s2"], columns=["A", "B"])
    with pytest.raises(ShapeMismatchError, match="'labels'"):
        plot.class_shares_bar(frame, pd.Series([1, 5], index=["B", "A"]), labels=["s2", "s1"])
    score = pd.Series([1.0, 2.0], index=["g2", "g1"])
    with pytest.raises(ShapeMismatchError, match="'groups'"):
        plot.scorecard_bar(groups=["g1", "g2"], score=score)
    fulfilment = pd.Series([0.5, 0.9], index=["g1", "g2"])
    ax = plot.scorecard_bar(groups=["g2", "g1"], score=score, fulfilment=fulfilment)
    texts = [text.get_text() for text in ax.texts]
    assert texts == ["F = 0.500", "F = 0.900"]  # g1 (score 2) on top, with g1's ratio
    with pytest.raises(TypeError, match="'quota' must hold real numbers"):
        plot.quota_vs_demand(pd.Series(["10", "20"]), [1.0, 2.0])
    plt.close("all")


def test_a_reference_with_a_repeated_label_pairs_nothing_by_repetition() -> None:
    """Before: columns (A, B) against a reference's (A, A) took column A twice, B dropped."""
    sales = pd.DataFrame([[1.0, 2.0], [0.0, 2.0], [1.0, 2.0]], columns=["A", "A"])
    stock = pd.DataFrame([[5.0, 1.0], [0.0, 1.0], [5.0, 1.0]], columns=["A", "B"])
    with pytest.raises(ShapeMismatchError, match="the labels repeat"):
        tm.stockout_days(sales, stock, axis=0)
    assert tm.stockout_days(sales, stock.set_axis(["A", "A"], axis=1), axis=0).tolist() == [1, 0]


def test_a_scorecard_carried_mask_is_paired_with_the_panel_by_label() -> None:
    """Before: a carried frame over (S2, S1) × (B, A) was read by position."""
    panel = tm.Panel(
        ["S1", "S2"],
        ["A", "B"],
        "2026-03-02",
        np.array([[[0.0, 0, 0], [2, 2, 2]], [[1, 1, 1], [1, 0, 1]]]),
        np.array([[[0.0, 0, 0], [5, 5, 5]], [[1, 1, 1], [5, 0, 5]]]),
    )
    metrics = panel.metrics()
    carried = pd.DataFrame([[True, False], [True, True]], index=["S1", "S2"], columns=["A", "B"])
    by = {"S1": "g1", "S2": "g2"}
    plain = tm.scorecard(metrics, by, carried=carried.to_numpy()).fulfilment
    shuffled = carried.loc[["S2", "S1"], ["B", "A"]]
    np.testing.assert_array_equal(tm.scorecard(metrics, by, carried=shuffled).fulfilment, plain)
    with pytest.raises(ShapeMismatchError, match="'carried' and 'metrics'"):
        tm.scorecard(metrics, by, carried=carried.rename(index={"S2": "S3"}))


def test_simulate_sales_pairs_per_series_inputs_with_the_demand_by_label() -> None:
    """Before: a quota Series over (b, a) against demand rows (a, b) was read by position."""
    mean_demand = pd.DataFrame(np.ones((2, 7)), index=["a", "b"])
    quota = pd.Series([7.0, 0.0], index=["b", "a"])
    labelled = tm.simulate_sales(mean_demand, quota, start="2026-03-02", seed=0)
    plain = tm.simulate_sales(mean_demand.to_numpy(), [0.0, 7.0], start="2026-03-02", seed=0)
    np.testing.assert_array_equal(labelled.inventory, plain.inventory)
    with pytest.raises(ShapeMismatchError, match="'quota' and 'mean_demand'"):
        tm.simulate_sales(mean_demand, quota.set_axis(["x", "y"]), start="2026-03-02", seed=0)


def test_the_censored_model_options_are_paired_with_sales_by_label() -> None:
    """Before: hold_back per store and sellout_share per day were read by position."""
    days = pd.date_range("2026-03-02", periods=14)
    sales = pd.DataFrame(np.tile([2.0, 0, 3, 1, 0, 2, 1] * 2, (2, 1)), index=["a", "b"])
    stock = pd.DataFrame(np.tile([5.0, 0, 4, 2, 0, 3, 1] * 2, (2, 1)), index=["a", "b"])
    sales, stock = sales.set_axis(days, axis=1), stock.set_axis(days, axis=1)
    sales.loc["b"] = sales.loc["b"] * 2

    def lost(hold_back: Any) -> Any:
        return tm.lost_sales(
            sales, stock, axis=1, method="censored", start="2026-03-02", hold_back=hold_back
        )

    np.testing.assert_array_equal(
        lost(pd.Series([True, False], index=["b", "a"])), lost(np.array([False, True]))
    )
    with pytest.raises(ShapeMismatchError, match="'hold_back' and 'sales'"):
        lost(pd.Series([True, False], index=["x", "y"]))
    share = pd.DataFrame(0.5, index=["b", "a"], columns=days)
    with pytest.raises(ShapeMismatchError, match="'sellout_share' and 'sales'"):
        tm.lost_sales(
            sales,
            stock,
            axis=1,
            method="censored",
            start="2026-03-02",
            sellout_share=share.set_axis(["x", "y"]),
        )

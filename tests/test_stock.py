"""Tests of the core stock formulas (tobacco_metrics.stock)."""

from __future__ import annotations

import math
from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.typing import NDArray

import tobacco_metrics as tm
from tobacco_metrics import (
    EmptyInputError,
    InvalidValueError,
    ShapeMismatchError,
    TobaccoMetricsError,
    cycle_metrics,
    effective_sales_days,
    fulfilment_ratio,
    pooled_fulfilment_ratio,
    projected_stockout_sales,
    stock_to_sales_ratio,
    stockout_days,
    stockout_mask,
)

# The worked example of docs/formulas/stock.md: 30 cartons on 5 days, 2 days without sales or stock.
WORKED_SALES = [6, 8, 0, 5, 0, 7, 4]
WORKED_STOCK = [20, 12, 0, 25, 0, 18, 14]


def reference_cycle(
    sales: list[float],
    stock: list[float],
    token: float = 0.0,
    excluded: list[bool] | None = None,
    fallback: float | None = None,
) -> dict[str, float]:
    """The cycle formulas of docs/formulas/stock.md for one cycle, in plain Python."""
    counted = [i for i in range(len(sales)) if not (excluded and excluded[i])]
    days = len(counted)
    out = sum(1 for i in counted if sales[i] == 0 and stock[i] <= token)
    effective = days - out
    actual = float(sum(sales[i] for i in counted))
    if effective > 0:
        lost = actual / effective * out
    elif fallback is not None:
        lost = fallback * out
    else:
        lost = math.nan
    if math.isnan(lost):
        fulfil = math.nan
    elif lost == 0:
        fulfil = 1.0
    else:
        fulfil = actual / (actual + lost)
    closing = float(stock[counted[-1]])
    daily = actual / days
    if closing == 0:
        cover = 0.0
    elif daily == 0:
        cover = math.inf
    else:
        cover = closing / daily
    return {
        "days": days,
        "stockout_days": out,
        "effective_days": effective,
        "actual_sales": actual,
        "projected_stockout_sales": lost,
        "fulfilment_ratio": fulfil,
        "stock_to_sales_ratio": cover,
        "closing_inventory": closing,
        "average_daily_sales": daily,
    }


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b or math.isclose(a, b, rel_tol=1e-12)


# ----------------------------------------------------------------------------- worked values


def test_worked_example_from_design() -> None:
    m = cycle_metrics(WORKED_SALES, WORKED_STOCK)
    assert int(m.days) == 7
    assert int(m.stockout_days) == 2
    assert int(m.effective_days) == 5
    assert float(m.actual_sales) == 30.0
    assert float(m.projected_stockout_sales) == 12.0
    assert float(m.fulfilment_ratio) == pytest.approx(30 / 42)
    assert float(m.closing_inventory) == 14.0
    assert float(m.average_daily_sales) == pytest.approx(30 / 7)
    assert float(m.stock_to_sales_ratio) == pytest.approx(14 / (30 / 7))


def test_worked_example_piece_by_piece() -> None:
    assert stockout_days(WORKED_SALES, WORKED_STOCK) == 2
    assert effective_sales_days(WORKED_SALES, WORKED_STOCK) == 5
    assert projected_stockout_sales(30, 5, 2) == 12.0
    assert fulfilment_ratio(30, 12) == pytest.approx(0.7142857142857143)


def test_single_cycle_results_are_numpy_scalars() -> None:
    m = cycle_metrics(WORKED_SALES, WORKED_STOCK)
    assert isinstance(m.stockout_days, np.int64)
    assert isinstance(m.fulfilment_ratio, np.float64)
    assert isinstance(stockout_days(WORKED_SALES, WORKED_STOCK), np.int64)
    assert isinstance(fulfilment_ratio(30, 12), np.float64)


def test_many_cycles_give_arrays_over_leading_axes() -> None:
    sales = np.array([[WORKED_SALES, [1] * 7], [[0] * 7, [2, 0, 0, 0, 0, 0, 0]]])
    stock = np.array([[WORKED_STOCK, [1] * 7], [[0] * 7, [0] * 7]])
    m = cycle_metrics(sales, stock)
    assert m.stockout_days.shape == (2, 2)
    assert m.stockout_days.tolist() == [[2, 0], [7, 6]]
    assert m.effective_days.tolist() == [[5, 7], [0, 1]]
    assert m.projected_stockout_sales.tolist()[0] == [12.0, 0.0]
    assert math.isnan(m.projected_stockout_sales[1, 0])
    assert m.projected_stockout_sales[1, 1] == 12.0
    assert m.stockout_days.dtype == np.int64
    assert m.fulfilment_ratio.dtype == np.float64


# ----------------------------------------------------------------------------- edge rules


def test_nothing_lost_means_full_fulfilment_even_with_zero_sales() -> None:
    m = cycle_metrics([0, 0, 0], [5, 5, 5])
    assert int(m.stockout_days) == 0
    assert float(m.projected_stockout_sales) == 0.0
    assert float(m.fulfilment_ratio) == 1.0
    assert float(m.stock_to_sales_ratio) == math.inf


def test_all_days_out_without_fallback_is_nan() -> None:
    m = cycle_metrics([0, 0, 0], [0, 0, 0])
    assert int(m.effective_days) == 0
    assert math.isnan(m.projected_stockout_sales)
    assert math.isnan(m.fulfilment_ratio)
    assert float(m.stock_to_sales_ratio) == 0.0


def test_all_days_out_with_fallback_values_the_lost_days() -> None:
    m = cycle_metrics([0, 0, 0], [0, 0, 0], fallback_daily_rate=4.0)
    assert float(m.projected_stockout_sales) == 12.0
    assert float(m.fulfilment_ratio) == 0.0


def test_fallback_broadcasts_per_series_and_only_applies_when_no_effective_day() -> None:
    m = cycle_metrics([[0, 0], [3, 0]], [[0, 0], [1, 0]], fallback_daily_rate=[2.0, 100.0])
    assert m.projected_stockout_sales.tolist() == [4.0, 3.0]


def test_partial_day_sell_out_is_not_a_stockout_day() -> None:
    assert stockout_mask([4, 0], [0, 0]).tolist() == [False, True]


def test_token_stock_counts_a_kept_pack_as_out() -> None:
    sales, stock = [5, 0, 0, 0], [1, 1, 1, 2]
    assert stockout_days(sales, stock) == 0
    assert stockout_days(sales, stock, token_stock=1) == 2
    assert stockout_days(sales, stock, token_stock=2) == 3


def test_token_stock_broadcasts_per_store() -> None:
    sales = np.zeros((2, 3))
    stock = np.ones((2, 3))
    assert stockout_days(sales, stock, token_stock=np.array([[0], [1]])).tolist() == [0, 3]
    # One value per store given as (stores,): numpy matches shapes from the last axis,
    # so it is refused, and the message says which shape to give.
    with pytest.raises(
        ShapeMismatchError,
        match=r"shape \(2,\) does not broadcast .*\(2, 3\); .* give shape \(2, 1\) "
        r"\(token_stock\[:, None\]\)",
    ):
        stockout_days(sales, stock, token_stock=np.array([0, 1]))


def test_excluded_days_are_not_counted_at_all() -> None:
    exclude = np.array([False, False, True, False, False, False, False])
    m = cycle_metrics(WORKED_SALES, WORKED_STOCK, exclude=exclude)
    assert int(m.days) == 6
    assert int(m.stockout_days) == 1
    assert float(m.projected_stockout_sales) == 6.0


def test_closing_inventory_is_the_last_counted_day() -> None:
    exclude = np.array([False, False, False, False, False, True, True])
    m = cycle_metrics(WORKED_SALES, WORKED_STOCK, exclude=exclude)
    assert float(m.closing_inventory) == 0.0
    assert float(m.actual_sales) == 19.0


def test_stock_to_sales_ratio_rules_by_hand() -> None:
    assert stock_to_sales_ratio([0, 0, 5, 6], [0, 2, 0, 3]).tolist() == [0.0, 0.0, math.inf, 2.0]


def test_fulfilment_ratio_rules() -> None:
    result = fulfilment_ratio([0, 0, 5, 10], [0, 3, math.nan, 10])
    assert result[:2].tolist() == [1.0, 0.0]
    assert math.isnan(result[2])
    assert result[3] == 0.5


def test_projected_sales_uses_the_fallback_only_where_no_effective_day() -> None:
    result = projected_stockout_sales([30, 0], [5, 0], [2, 3], fallback_daily_rate=[1.0, 2.0])
    assert result.tolist() == [12.0, 6.0]


def test_pooled_fulfilment_is_not_a_mean_of_ratios() -> None:
    actual, lost = np.array([2.0, 200.0]), np.array([2.0, 0.0])
    pooled = float(pooled_fulfilment_ratio(actual, lost))
    assert pooled == pytest.approx(202 / 204)
    mean_of_ratios = float(np.mean(fulfilment_ratio(actual, lost)))
    assert pooled != pytest.approx(mean_of_ratios)


def test_pooled_fulfilment_propagates_nan_and_pools_along_an_axis() -> None:
    assert math.isnan(pooled_fulfilment_ratio([1.0, 2.0], [math.nan, 0.0]))
    result = pooled_fulfilment_ratio([[30, 200], [0, 0]], [[12, 0], [0, 0]], axis=1)
    assert result.tolist() == pytest.approx([230 / 242, 1.0])
    m = cycle_metrics(
        np.array([WORKED_SALES, WORKED_SALES]), np.array([WORKED_STOCK, WORKED_STOCK])
    )
    assert float(m.pooled_fulfilment_ratio()) == pytest.approx(60 / 84)


def test_cycle_metrics_day_axis_can_be_any_axis() -> None:
    rng = np.random.default_rng(1)
    sales = rng.integers(0, 3, size=(4, 7, 3))
    stock = rng.integers(0, 3, size=(4, 7, 3))
    along_1 = cycle_metrics(sales, stock, axis=1)
    last = cycle_metrics(np.moveaxis(sales, 1, -1), np.moveaxis(stock, 1, -1))
    assert np.array_equal(along_1.stockout_days, last.stockout_days)
    assert np.array_equal(along_1.fulfilment_ratio, last.fulfilment_ratio, equal_nan=True)
    assert np.array_equal(along_1.closing_inventory, last.closing_inventory)


@pytest.mark.parametrize("dtype", [np.int8, np.uint16, np.int32, np.int64, np.float32, np.float64])
def test_any_numeric_dtype_is_accepted(dtype: Any) -> None:
    m = cycle_metrics(np.array(WORKED_SALES, dtype=dtype), np.array(WORKED_STOCK, dtype=dtype))
    assert float(m.projected_stockout_sales) == 12.0


def test_sums_of_narrow_integers_do_not_overflow() -> None:
    sales = np.full(10, 2**31 - 1, dtype=np.int32)
    m = cycle_metrics(sales, np.zeros(10, dtype=np.int32))
    assert float(m.actual_sales) == 10 * (2**31 - 1)
    small = np.full(300, 100, dtype=np.int8)
    assert float(cycle_metrics(small, small).actual_sales) == 30000.0


def test_pandas_series_are_accepted() -> None:
    pd = pytest.importorskip("pandas")
    m = cycle_metrics(pd.Series(WORKED_SALES), pd.Series(WORKED_STOCK))
    assert float(m.projected_stockout_sales) == 12.0


def test_inputs_are_never_modified_and_read_only_inputs_work() -> None:
    sales = np.array(WORKED_SALES, dtype=float)
    stock = np.array(WORKED_STOCK, dtype=float)
    sales.setflags(write=False)
    stock.setflags(write=False)
    exclude = np.zeros(7, dtype=bool)
    before = (sales.copy(), stock.copy(), exclude.copy())
    cycle_metrics(sales, stock, exclude=exclude, token_stock=0.5)
    assert np.array_equal(sales, before[0])
    assert np.array_equal(stock, before[1])
    assert np.array_equal(exclude, before[2])


def test_result_arrays_are_read_only() -> None:
    m = cycle_metrics(np.zeros((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match="read-only"):
        m.fulfilment_ratio[0] = 0.5


def test_cycle_metrics_to_dict() -> None:
    d = cycle_metrics(WORKED_SALES, WORKED_STOCK).to_dict()
    assert d["stockout_days"] == 2
    assert d["projected_stockout_sales"] == 12.0
    assert set(d) == {
        "days",
        "stockout_days",
        "effective_days",
        "actual_sales",
        "projected_stockout_sales",
        "fulfilment_ratio",
        "stock_to_sales_ratio",
        "closing_inventory",
        "average_daily_sales",
    }


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("sales", "stock", "error", "message"),
    [
        ([1, -2, 3], [0, 0, 0], InvalidValueError, r"'sales' must be >= 0: -2 at index 1"),
        ([1, 2, 3], [0, -1.5, 0], InvalidValueError, r"'inventory' must be >= 0: -1.5 at index 1"),
        ([1, math.nan], [0, 0], InvalidValueError, r"'sales' must be finite: nan at index 1"),
        ([1, 2], [math.inf, 0], InvalidValueError, r"'inventory' must be finite: inf at index 0"),
        ([1, 2, 3], [0, 0], ShapeMismatchError, r"same shape: \(3,\) and \(2,\)"),
        ([], [], EmptyInputError, r"no days"),
        (5, 5, ShapeMismatchError, r"at least one dimension"),
    ],
)
def test_bad_daily_data_is_refused_with_a_clear_message(
    sales: Any, stock: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        cycle_metrics(sales, stock)


def test_many_offenders_are_counted() -> None:
    with pytest.raises(InvalidValueError, match=r"\(2 such values\)"):
        stockout_days([[0, -1], [-3, 0]], [[0, 0], [0, 0]])


def test_errors_share_one_base_class_that_is_a_value_error() -> None:
    with pytest.raises(TobaccoMetricsError):
        cycle_metrics([-1], [0])
    assert issubclass(TobaccoMetricsError, ValueError)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"token_stock": -1}, InvalidValueError, r"'token_stock' must be >= 0: -1"),
        ({"token_stock": [0, 1]}, ShapeMismatchError, r"'token_stock'"),
        ({"exclude": [1, 0, 0, 0, 0, 0, 0]}, TypeError, r"'exclude' must be a boolean mask"),
        ({"exclude": np.ones(7, dtype=bool)}, EmptyInputError, r"excludes every day"),
        ({"exclude": np.zeros(3, dtype=bool)}, ShapeMismatchError, r"'exclude'"),
        ({"fallback_daily_rate": -1.0}, InvalidValueError, r"'fallback_daily_rate' must be >= 0"),
        (
            {"fallback_daily_rate": math.nan},
            InvalidValueError,
            r"'fallback_daily_rate' must be finite",
        ),
        ({"axis": 1}, InvalidValueError, r"'axis' must be in \[-1, 0\]"),
        ({"axis": 0.0}, TypeError, r"'axis' must be an int"),
    ],
)
def test_bad_options_are_refused(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        cycle_metrics(WORKED_SALES, WORKED_STOCK, **kwargs)


def test_all_excluded_series_are_located() -> None:
    exclude = np.array([[False, False], [True, True]])
    with pytest.raises(EmptyInputError, match=r"1 cycle\(s\), first at index 1"):
        cycle_metrics(np.ones((2, 2)), np.ones((2, 2)), exclude=exclude)


@pytest.mark.parametrize(
    "value", ["12", np.array([True, False]), np.array(["a", "b"]), np.array([1 + 2j]), [object()]]
)
def test_wrong_types_raise_type_error(value: Any) -> None:
    with pytest.raises(TypeError, match="'sales'"):
        stockout_days(value, value)


def test_projected_sales_refuses_impossible_and_empty_cycles() -> None:
    with pytest.raises(InvalidValueError, match="sold 3"):
        projected_stockout_sales(3, 0, 2)
    with pytest.raises(EmptyInputError, match="both 0"):
        projected_stockout_sales(0, 0, 0)
    with pytest.raises(InvalidValueError, match=r"whole numbers of days: 2\.5"):
        projected_stockout_sales(3, 2.5, 2)
    with pytest.raises(ShapeMismatchError, match="do not broadcast"):
        projected_stockout_sales([1, 2], [1, 2, 3], 1)


def test_fulfilment_and_cover_refuse_negative_and_infinite_input() -> None:
    with pytest.raises(InvalidValueError, match="'projected_stockout_sales' must be >= 0"):
        fulfilment_ratio(1, -1)
    with pytest.raises(InvalidValueError, match="must be finite or NaN: inf"):
        fulfilment_ratio(1, math.inf)
    with pytest.raises(InvalidValueError, match="'average_daily_sales' must be >= 0"):
        stock_to_sales_ratio(1, -0.5)


# ----------------------------------------------------------------------------- laws

day_counts = st.integers(min_value=1, max_value=12)
quantities = st.integers(min_value=0, max_value=6)


@st.composite
def daily_panels(draw: st.DrawFn) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_]]:
    """Small (series, days) integer panels with many zeros, and an exclude mask."""
    shape = (draw(st.integers(1, 4)), draw(day_counts))
    sales = draw(hnp.arrays(np.int64, shape, elements=quantities))
    stock = draw(hnp.arrays(np.int64, shape, elements=quantities))
    exclude = draw(hnp.arrays(np.bool_, shape, elements=st.booleans()))
    exclude[:, 0] = False  # keep at least one counted day per series
    return sales, stock, exclude


@given(daily_panels(), st.integers(0, 2), st.none() | st.floats(0, 10))
def test_vectorised_metrics_equal_the_plain_python_reference(
    panel: tuple[Any, Any, Any], token: int, fallback: float | None
) -> None:
    sales, stock, exclude = panel
    m = cycle_metrics(
        sales, stock, token_stock=token, exclude=exclude, fallback_daily_rate=fallback
    )
    for i in range(sales.shape[0]):
        expected = reference_cycle(
            sales[i].tolist(), stock[i].tolist(), token, exclude[i].tolist(), fallback
        )
        for name, value in expected.items():
            assert same(float(getattr(m, name)[i]), value), (name, i)


@given(daily_panels(), st.integers(0, 2))
def test_laws_of_the_counts_and_ratios(panel: tuple[Any, Any, Any], token: int) -> None:
    sales, stock, exclude = panel
    m = cycle_metrics(sales, stock, token_stock=token, exclude=exclude)
    assert ((m.stockout_days >= 0) & (m.stockout_days <= m.days)).all()
    assert (m.effective_days == m.days - m.stockout_days).all()
    defined = ~np.isnan(m.fulfilment_ratio)
    assert ((m.fulfilment_ratio[defined] >= 0) & (m.fulfilment_ratio[defined] <= 1)).all()
    # NaN only where nothing could be estimated.
    assert (np.isnan(m.fulfilment_ratio) == (m.effective_days == 0)).all()
    # P = 0 <=> F = 1 wherever defined.
    assert ((m.projected_stockout_sales[defined] == 0) == (m.fulfilment_ratio[defined] == 1)).all()
    # With sales, F is the share of counted days in stock: F = E / D.
    selling = m.actual_sales > 0
    assert np.allclose(m.fulfilment_ratio[selling], (m.effective_days / m.days)[selling])
    assert (m.stock_to_sales_ratio >= 0).all()


@given(daily_panels(), st.randoms(use_true_random=False))
def test_permuting_days_changes_no_count(panel: tuple[Any, Any, Any], rnd: Any) -> None:
    sales, stock, exclude = panel
    order = list(range(sales.shape[1]))
    rnd.shuffle(order)
    before = cycle_metrics(sales, stock, exclude=exclude)
    after = cycle_metrics(sales[:, order], stock[:, order], exclude=exclude[:, order])
    for name in ("days", "stockout_days", "effective_days", "actual_sales"):
        assert np.array_equal(getattr(before, name), getattr(after, name))
    assert np.allclose(
        before.projected_stockout_sales, after.projected_stockout_sales, equal_nan=True
    )
    assert np.allclose(before.fulfilment_ratio, after.fulfilment_ratio, equal_nan=True)


@given(daily_panels(), st.sampled_from([0.5, 2.0, 3.0, 10.0]))
def test_scaling_sales_and_stock_keeps_fulfilment_and_cover(
    panel: tuple[Any, Any, Any], k: float
) -> None:
    sales, stock, _ = panel
    before = cycle_metrics(sales, stock, token_stock=1)
    after = cycle_metrics(sales * k, stock * k, token_stock=k)
    assert np.array_equal(before.stockout_days, after.stockout_days)
    assert np.allclose(before.fulfilment_ratio, after.fulfilment_ratio, equal_nan=True)
    assert np.allclose(before.stock_to_sales_ratio, after.stock_to_sales_ratio, equal_nan=True)
    assert np.allclose(
        before.projected_stockout_sales * k, after.projected_stockout_sales, equal_nan=True
    )


@given(daily_panels())
def test_more_token_stock_never_means_fewer_stockout_days(panel: tuple[Any, Any, Any]) -> None:
    sales, stock, exclude = panel
    fewer = stockout_days(sales, stock, exclude=exclude, token_stock=0)
    more = stockout_days(sales, stock, exclude=exclude, token_stock=3)
    assert (more >= fewer).all()


@st.composite
def sales_and_losses(draw: st.DrawFn) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Equal-length arrays of actual and projected lost sales per cycle."""
    size = draw(st.integers(1, 8))
    values = st.floats(0, 1e6)
    return (
        draw(hnp.arrays(np.float64, size, elements=values)),
        draw(hnp.arrays(np.float64, size, elements=values)),
    )


@given(sales_and_losses())
def test_pooled_fulfilment_equals_fulfilment_of_the_sums(pair: tuple[Any, Any]) -> None:
    actual, lost = pair
    pooled = float(pooled_fulfilment_ratio(actual, lost))
    assert 0.0 <= pooled <= 1.0
    assert pooled == pytest.approx(float(fulfilment_ratio(actual.sum(), lost.sum())))


def test_every_formula_is_exported() -> None:
    for name in (
        "stockout_mask",
        "stockout_days",
        "effective_sales_days",
        "projected_stockout_sales",
        "fulfilment_ratio",
        "stock_to_sales_ratio",
        "cycle_metrics",
        "CycleMetrics",
        "pooled_fulfilment_ratio",
        "price_class",
    ):
        assert name in tm.__all__
        assert getattr(tm, name).__doc__


@pytest.mark.parametrize(
    "call",
    [
        lambda: cycle_metrics([1e308, 1e308], [1e308, 0]),
        lambda: fulfilment_ratio(1e308, 1e308),
        lambda: stock_to_sales_ratio(1e308, 1e-308),
        lambda: projected_stockout_sales(1e308, 1, 1e308),
        lambda: pooled_fulfilment_ratio([1e308, 1e308], [0, 0]),
    ],
)
def test_float64_overflow_is_an_error_not_a_warning(call: Any) -> None:
    with pytest.raises(InvalidValueError, match="too large to compute with in float64"):
        call()


def test_cycle_metrics_stay_read_only_in_every_copy() -> None:
    import copy
    import pickle

    from tobacco_metrics.stock import CYCLE_METRIC_FIELDS

    many = cycle_metrics(np.ones((3, 7)), np.ones((3, 7)))
    for copied in (pickle.loads(pickle.dumps(many)), copy.deepcopy(many), copy.copy(many)):
        assert copied.to_dict() == many.to_dict()
        for name in CYCLE_METRIC_FIELDS:
            assert not getattr(copied, name).flags.writeable, name
    one = cycle_metrics([6, 8, 0, 5, 0, 7, 4], [20, 12, 0, 25, 0, 18, 14])
    assert pickle.loads(pickle.dumps(one)).to_dict() == one.to_dict()


small_whole = st.one_of(st.integers(0, 2**20), st.integers(0, 50).map(float))
small_stock = st.one_of(
    st.integers(0, 2**20), st.floats(0, 1e15, allow_nan=False, allow_infinity=False)
)


@given(
    st.integers(1, 64).flatmap(
        lambda n: st.tuples(
            st.lists(st.one_of(st.just(0), small_whole), min_size=n, max_size=n),
            st.lists(st.one_of(st.just(0), small_stock), min_size=n, max_size=n),
        )
    ),
    st.booleans(),
)
def test_the_small_cycle_path_equals_the_array_path(case: Any, as_array: bool) -> None:
    from tobacco_metrics import stock

    sales, inventory = case
    if as_array:
        sales, inventory = np.asarray(sales), np.asarray(inventory)
    fast = stock._one_small_cycle(sales, inventory, 0)
    try:
        expected = stock._cycle_metrics(sales, inventory, 0, None, None, -1)
    except tm.InvalidValueError:
        assert fast is None  # an overflow: the fast path hands over, the array path raises
        return
    if fast is None:  # only an array of another dtype (object, mixed) takes the array path
        assert as_array
        return
    for name in stock.CYCLE_METRIC_FIELDS:
        got, wanted = getattr(fast, name), getattr(expected, name)
        assert type(got) is type(wanted), name
        np.testing.assert_array_equal(got, wanted, err_msg=name, strict=True)


@pytest.mark.parametrize(
    ("sales", "inventory"),
    [
        ([True, 0], [1, 0]),  # bools: the array path decides
        ([-0.0, 1], [1, 1]),  # negative zero
        ([0.5, 1], [1, 1]),  # fractional sales: sums not exact in any order
        ([2**53, 1], [1, 1]),  # past the exact whole numbers
        ([1, 2], [1, 2, 3]),  # shapes differ: the array path's error
        ([1.0, float("nan")], [1, 1]),
        (list(range(65)), list(range(65))),  # long: the array path
    ],
)
def test_the_small_cycle_path_hands_over_what_it_does_not_handle(
    sales: Any, inventory: Any
) -> None:
    from tobacco_metrics import stock

    assert stock._one_small_cycle(sales, inventory, 0) is None


def test_masked_days_are_excluded_days() -> None:
    masked_day = [False, False, True, False, False, False, False]
    sales = np.ma.array([6, 8, 0, 5, 0, 7, 4], mask=masked_day)
    stock = [20, 12, 0, 25, 0, 18, 14]
    got = cycle_metrics(sales, stock)
    assert got.to_dict() == cycle_metrics(sales.data, stock, exclude=sales.mask).to_dict()
    assert int(got.stockout_days) == 1  # the masked day is not counted as a stockout
    assert int(tm.stockout_days(sales, stock)) == 1
    first_day = np.array([True, False, False, False, False, False, False])
    both = cycle_metrics(sales, stock, exclude=first_day)
    assert int(both.days) == 5  # day 0 excluded, day 2 masked
    with pytest.raises(TypeError, match="'exclude' must be a boolean mask"):
        cycle_metrics(sales, stock, exclude=[0, 0, 0, 0, 0, 0, 1])
    unmasked = np.ma.array([1, 2], mask=False)
    assert cycle_metrics(unmasked, [1, 1]).to_dict() == cycle_metrics([1, 2], [1, 1]).to_dict()


def test_series_are_paired_by_date_not_by_position() -> None:
    """Issue 14: two Series over the same dates in another order (1 stockout day, not 0)."""
    import pandas as pd

    dates = pd.date_range("2026-03-02", periods=3)
    sales = pd.Series([0, 5, 3], index=dates)
    inventory = pd.Series([0, 4, 2], index=dates)
    assert int(stockout_days(sales, inventory.iloc[::-1])) == 1
    other = pd.Series([0, 4, 2], index=pd.date_range("2026-04-02", periods=3))
    with pytest.raises(ShapeMismatchError, match="labels"):
        stockout_days(sales, other)


def test_a_dataframe_must_name_its_day_axis() -> None:
    import pandas as pd

    frame = pd.DataFrame([[0, 5, 3], [1, 1, 1]], columns=pd.date_range("2026-03-02", periods=3))
    with pytest.raises(ShapeMismatchError, match="orientation is ambiguous"):
        cycle_metrics(frame, frame)
    assert cycle_metrics(frame, frame, axis=1).stockout_days.tolist() == [1, 0]

"""Tests of sales structure, assortment, ledger and segments (tobacco_metrics.structure)."""

from __future__ import annotations

import itertools
import math
from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from numpy.typing import NDArray

import tobacco_metrics as tm
from tobacco_metrics import (
    InconsistentLedgerError,
    InvalidValueError,
    PriceClass,
    ShapeMismatchError,
    StructureChange,
    assortment_width,
    average_price_per_carton,
    average_price_per_case,
    class_shares,
    gross_margin,
    gross_profit,
    ledger_sales,
    new_brand_sell_through,
    on_shelf_rate,
    price_class,
    sell_through_speed,
    share_at_or_above,
    stockout_segment,
    structure_change,
    target_customers,
)

PUBLIC = [
    "StructureChange",
    "assortment_width",
    "average_price_per_carton",
    "average_price_per_case",
    "class_shares",
    "gross_margin",
    "gross_profit",
    "ledger_sales",
    "new_brand_sell_through",
    "on_shelf_rate",
    "sell_through_speed",
    "share_at_or_above",
    "stockout_segment",
    "structure_change",
    "target_customers",
]

# A small district: 3 stores x 5 brands, one brand per class I..V.
SOLD = np.array(
    [
        [10, 20, 30, 25, 15],  # 100 cartons: III+ = 60
        [0, 0, 5, 10, 35],  # 50 cartons: III+ = 5
        [0, 0, 0, 0, 0],  # nothing sold
    ]
)
CLASSES = np.array([1, 2, 3, 4, 5], dtype=np.int8)
PRICES = np.array([150.0, 80.0, 40.0, 20.0, 10.0])  # yuan per carton, classes I..V

# --------------------------------------------------------------------------- strategies

n_brands = st.integers(min_value=1, max_value=6)


@st.composite
def sales_tables(draw: st.DrawFn) -> tuple[NDArray[np.int64], NDArray[np.int8]]:
    """(quantity[store, brand], class per brand) with whole cartons (exact float sums)."""
    brands = draw(n_brands)
    stores = draw(st.integers(min_value=1, max_value=5))
    quantity = draw(
        hnp.arrays(np.int64, (stores, brands), elements=st.integers(min_value=0, max_value=10_000))
    )
    classes = draw(hnp.arrays(np.int8, (brands,), elements=st.integers(min_value=1, max_value=5)))
    return quantity, classes


# --------------------------------------------------------------------------- exports


HOME = {
    **dict.fromkeys(
        ["gross_margin", "gross_profit", "ledger_sales", "new_brand_sell_through"],
        "ledger",
    ),
    "sell_through_speed": "ledger",
    "stockout_segment": "segments",
    "target_customers": "segments",
}


def test_names_are_exported() -> None:
    for name in PUBLIC:
        assert name in tm.__all__
        module = getattr(tm, HOME.get(name, "structure"))
        assert name in module.__all__
        assert getattr(tm, name) is getattr(module, name)


@pytest.mark.parametrize("name", sorted(HOME))
def test_moved_names_still_import_from_structure_with_a_warning(name: str) -> None:
    with pytest.warns(DeprecationWarning, match=f"structure.{name} moved to .*{HOME[name]}"):
        old = getattr(tm.structure, name)
    assert old is getattr(tm, name)
    assert name not in tm.structure.__all__


def test_unknown_structure_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        tm.structure.nothing_here  # noqa: B018


# --------------------------------------------------------------------------- class_shares


def test_class_shares_worked_example() -> None:
    shares = class_shares(SOLD, CLASSES)
    assert shares.shape == (3, 5)
    assert shares.dtype == np.float64
    np.testing.assert_allclose(shares[0], [0.10, 0.20, 0.30, 0.25, 0.15])
    np.testing.assert_allclose(shares[1], [0.0, 0.0, 0.1, 0.2, 0.7])
    assert np.isnan(shares[2]).all()  # nothing sold: every share NaN


def test_class_shares_groups_brands_of_one_class() -> None:
    # two class III brands and one class V brand
    assert class_shares([30, 10, 60], [3, 3, 5]).tolist() == [0.0, 0.0, 0.4, 0.0, 0.6]


def test_class_shares_accepts_price_class_output_and_members() -> None:
    codes = price_class(PRICES)
    assert codes.dtype == np.int8
    members = [PriceClass.I, PriceClass.II, PriceClass.III, PriceClass.IV, PriceClass.V]
    np.testing.assert_array_equal(class_shares(SOLD[:2], codes), class_shares(SOLD[:2], members))


def test_class_shares_other_axis_lays_classes_along_it() -> None:
    by_brand = SOLD.T  # brand x store
    np.testing.assert_array_equal(
        class_shares(by_brand, CLASSES, axis=0), class_shares(SOLD, CLASSES)
    )


def test_class_shares_per_store_classes_broadcast() -> None:
    # a 2-D class table: the second store files brand 0 under class II
    classes = np.array([[1, 5], [2, 5]])
    shares = class_shares([[1, 3], [1, 3]], classes)
    assert shares.tolist() == [[0.25, 0.0, 0.0, 0.0, 0.75], [0.0, 0.25, 0.0, 0.0, 0.75]]


def test_class_shares_no_brands_is_nan() -> None:
    shares = class_shares(np.zeros((2, 0)), np.zeros(0, dtype=np.int8))
    assert shares.shape == (2, 5)
    assert np.isnan(shares).all()


def test_class_shares_does_not_modify_read_only_input() -> None:
    sold = SOLD.copy()
    sold.setflags(write=False)
    classes = CLASSES.copy()
    classes.setflags(write=False)
    class_shares(sold, classes)
    np.testing.assert_array_equal(sold, SOLD)


@pytest.mark.parametrize(
    ("classes", "message"),
    [
        (
            [1, 2, 3, 4, 6],
            r"'price_class' must hold price class codes 1 \(I\) … 5 \(V\): 6 at index 4",
        ),
        ([0, 2, 3, 4, 0], r"codes 1 \(I\) … 5 \(V\): 0 at index 0 \(2 such values\)"),
        ([1.0, 2.5, 3.0, 4.0, 5.0], r"codes 1 \(I\) … 5 \(V\): 2.5 at index 1"),
        ([1.0, math.nan, 3.0, 4.0, 5.0], r"codes 1 \(I\) … 5 \(V\): nan at index 1"),
    ],
)
def test_unknown_classes_are_errors(classes: list[float], message: str) -> None:
    with pytest.raises(InvalidValueError, match=message):
        class_shares(SOLD, classes)


def test_negative_quantity_is_an_error() -> None:
    with pytest.raises(InvalidValueError, match=r"'quantity' must be >= 0: -5 at index \(1, 2\)"):
        class_shares([[1, 2, 3, 4, 5], [1, 2, -5, 4, 5]], CLASSES)


def test_non_finite_quantity_is_an_error() -> None:
    with pytest.raises(InvalidValueError, match="'quantity' must be finite: nan"):
        class_shares([1.0, math.nan], [1, 2])


def test_class_count_must_match_brands() -> None:
    with pytest.raises(ShapeMismatchError, match="'price_class' has 4 entries but the data have 5"):
        class_shares(SOLD, [1, 2, 3, 4])


def test_class_table_that_does_not_broadcast() -> None:
    with pytest.raises(ShapeMismatchError, match="'price_class' with shape"):
        class_shares(SOLD, np.ones((2, 5), dtype=np.int8))


def test_scalar_quantity_is_a_shape_error() -> None:
    with pytest.raises(ShapeMismatchError, match="'quantity' must have at least one dimension"):
        class_shares(5, [1])


def test_boolean_quantity_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="'quantity' must hold real numbers"):
        class_shares([True, False], [1, 2])


@given(sales_tables())
def test_class_shares_laws(table: tuple[NDArray[np.int64], NDArray[np.int8]]) -> None:
    quantity, classes = table
    shares = class_shares(quantity, classes)
    sold = quantity.sum(axis=-1) > 0
    assert np.isnan(shares[~sold]).all()
    assert not np.isnan(shares[sold]).any()
    assert ((shares[sold] >= 0) & (shares[sold] <= 1)).all()
    np.testing.assert_allclose(shares[sold].sum(axis=-1), 1.0, rtol=1e-12)
    # a class without brands has share 0 wherever something sold
    for code in range(1, 6):
        if code not in classes:
            assert (shares[sold, code - 1] == 0).all()


# --------------------------------------------------------------------------- share_at_or_above


def test_share_at_or_above_worked_example() -> None:
    shares = share_at_or_above(SOLD, CLASSES)
    assert shares.shape == (3,)
    assert shares[0] == pytest.approx(0.6)
    assert shares[1] == pytest.approx(0.1)
    assert math.isnan(shares[2])


def test_share_at_or_above_levels() -> None:
    row = SOLD[0]
    assert share_at_or_above(row, CLASSES, PriceClass.I) == pytest.approx(0.1)
    assert share_at_or_above(row, CLASSES, PriceClass.II) == pytest.approx(0.3)
    assert share_at_or_above(row, CLASSES, 4) == pytest.approx(0.85)
    assert share_at_or_above(row, CLASSES, np.int64(5)) == 1.0


def test_share_at_or_above_one_store_is_a_numpy_scalar() -> None:
    assert isinstance(share_at_or_above([10, 30, 40, 20], [1, 3, 4, 5]), np.float64)


def test_share_at_or_above_pandas_input() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(SOLD[:2], columns=list("abcde"))
    result = share_at_or_above(frame, pd.Series(CLASSES))
    np.testing.assert_allclose(result, [0.6, 0.1])


@pytest.mark.parametrize("level", [0, 6, -1])
def test_share_at_or_above_level_out_of_range(level: int) -> None:
    with pytest.raises(InvalidValueError, match=f"'at_least' must be a price class .*: {level}"):
        share_at_or_above(SOLD, CLASSES, level)


@pytest.mark.parametrize("level", ["III", 3.0, True, None])
def test_share_at_or_above_level_type(level: Any) -> None:
    with pytest.raises(TypeError, match="'at_least' must be a PriceClass or an int"):
        share_at_or_above(SOLD, CLASSES, level)


@given(sales_tables(), st.integers(min_value=1, max_value=5))
def test_share_at_or_above_is_a_sum_of_class_shares(
    table: tuple[NDArray[np.int64], NDArray[np.int8]], level: int
) -> None:
    quantity, classes = table
    share = share_at_or_above(quantity, classes, level)
    expected = class_shares(quantity, classes)[..., :level].sum(axis=-1)
    np.testing.assert_allclose(share, expected, rtol=1e-12, atol=1e-15)
    known = ~np.isnan(share)
    assert ((share[known] >= 0) & (share[known] <= 1)).all()


@st.composite
def upward_moves(
    draw: st.DrawFn,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], int, int, int]:
    """(quantity, prices, classes, from_brand, to_brand, cartons moved) to a higher class."""
    brands = draw(st.integers(min_value=2, max_value=6))
    prices = draw(hnp.arrays(np.int64, (brands,), elements=st.integers(min_value=1, max_value=300)))
    classes = price_class(prices.astype(np.float64)).astype(np.int64)
    pairs = [
        (low, high)
        for low in range(brands)
        for high in range(brands)
        if classes[high] < classes[low]
    ]
    assume(pairs)
    lower, higher = draw(st.sampled_from(pairs))
    quantity = draw(
        hnp.arrays(np.int64, (brands,), elements=st.integers(min_value=0, max_value=10_000))
    )
    moved = draw(st.integers(min_value=0, max_value=int(quantity[lower])))
    return quantity, prices, classes, lower, higher, moved


@given(upward_moves(), st.integers(min_value=1, max_value=5))
def test_moving_volume_up_never_lowers_share_or_price(
    move: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], int, int, int],
    level: int,
) -> None:
    quantity, prices, classes, lower, higher, moved = move
    after = quantity.copy()
    after[lower] -= moved
    after[higher] += moved
    assume(quantity.sum() > 0)
    assert share_at_or_above(after, classes, level) >= share_at_or_above(quantity, classes, level)
    before_price = average_price_per_case(quantity * prices, quantity)
    after_price = average_price_per_case(after * prices, after)
    assert after_price >= before_price
    if moved > 0:
        assert after_price > before_price  # a higher class is strictly dearer
    change = structure_change(quantity, after, classes, level, price=prices)
    assert change.share_change >= 0
    assert change.price_per_case_change >= 0


# --------------------------------------------------------------------------- average prices


def test_average_price_worked_example() -> None:
    amount = SOLD * PRICES
    per_carton = average_price_per_carton(amount, SOLD)
    # store 0: 1500 + 1600 + 1200 + 500 + 150 = 4950 yuan over 100 cartons
    assert per_carton[0] == pytest.approx(49.5)
    # store 1: 200 + 200 + 350 = 750 yuan over 50 cartons
    assert per_carton[1] == pytest.approx(15.0)
    assert math.isnan(per_carton[2])
    per_case = average_price_per_case(amount, SOLD)
    np.testing.assert_allclose(per_case[:2], [12_375.0, 3_750.0])
    assert math.isnan(per_case[2])


def test_average_price_is_a_ratio_of_sums_not_a_mean_of_prices() -> None:
    # 1 carton at 200 yuan and 99 at 10: the mean of prices would be 105
    assert average_price_per_carton([200, 990], [1, 99]) == pytest.approx(11.9)


def test_average_price_axis_none_pools_everything() -> None:
    amount = SOLD * PRICES
    assert average_price_per_carton(amount, SOLD, axis=None) == pytest.approx(5700 / 150)
    assert isinstance(average_price_per_case(amount, SOLD, axis=None), np.float64)


def test_average_price_scalar_pair_is_a_total() -> None:
    assert average_price_per_case(1_250_000, 500) == 625_000.0
    assert math.isnan(average_price_per_carton(0, 0))


def test_average_price_other_axis() -> None:
    amount = (SOLD * PRICES).T
    np.testing.assert_array_equal(
        average_price_per_carton(amount, SOLD.T, axis=0),
        average_price_per_carton(SOLD * PRICES, SOLD),
    )


def test_average_price_amount_without_cartons_is_an_error() -> None:
    with pytest.raises(
        InvalidValueError, match=r"'amount' must be 0 where 'cartons' is 0.*at index 1"
    ):
        average_price_per_case([100, 50], [2, 0])


def test_average_price_negative_amount_is_an_error() -> None:
    with pytest.raises(InvalidValueError, match="'amount' must be >= 0: -1"):
        average_price_per_carton([-1, 5], [1, 1])


def test_average_price_shapes_must_broadcast() -> None:
    with pytest.raises(ShapeMismatchError, match="'amount' \\(3,\\), 'cartons' \\(2,\\)"):
        average_price_per_case([1, 2, 3], [1, 2])


@given(
    hnp.arrays(np.int64, (4,), elements=st.integers(min_value=0, max_value=1000)),
    hnp.arrays(np.int64, (4,), elements=st.integers(min_value=1, max_value=300)),
)
def test_average_price_lies_between_the_prices(
    cartons: NDArray[np.int64], prices: NDArray[np.int64]
) -> None:
    price = average_price_per_carton(cartons * prices, cartons)
    sold = cartons > 0
    if not sold.any():
        assert math.isnan(price)
        return
    assert prices[sold].min() - 1e-9 <= price <= prices[sold].max() + 1e-9
    assert average_price_per_case(cartons * prices, cartons) == pytest.approx(price * 250)
    assert average_price_per_case(cartons * prices, cartons) == price * tm.CARTONS_PER_CASE
    # one average per row of a (stores, brands) table
    rows = np.stack([cartons, cartons[::-1]])
    row_prices = np.stack([prices, prices[::-1]])
    both = average_price_per_carton(rows * row_prices, rows)
    np.testing.assert_allclose(both, [price, price], rtol=1e-12)


# --------------------------------------------------------------------------- structure_change


def test_structure_change_worked_example() -> None:
    before = [10, 30, 60]
    after = [10, 50, 40]
    change = structure_change(before, after, [2, 3, 4], price=[80, 40, 20])
    assert isinstance(change, StructureChange)
    assert change.at_least is PriceClass.III
    assert change.share_before == pytest.approx(0.4)
    assert change.share_after == pytest.approx(0.6)
    assert change.share_change == pytest.approx(0.2)
    assert change.price_per_case_before == pytest.approx(8000.0)
    assert change.price_per_case_after == pytest.approx(9000.0)
    assert change.price_per_case_change == pytest.approx(1000.0)


def test_structure_change_many_stores_and_nan_rules() -> None:
    before = np.array([[10, 30, 60], [0, 0, 0], [5, 5, 0]])
    after = np.array([[10, 50, 40], [1, 0, 1], [0, 0, 0]])
    change = structure_change(before, after, [2, 3, 4], PriceClass.II, price=[80, 40, 20])
    assert change.share_before.shape == (3,)
    np.testing.assert_allclose(change.share_before, [0.1, np.nan, 0.5])
    np.testing.assert_allclose(change.share_after, [0.1, 0.5, np.nan])
    np.testing.assert_allclose(change.share_change, [0.0, np.nan, np.nan])
    np.testing.assert_allclose(change.price_per_case_after, [9000.0, 12_500.0, np.nan])
    assert not change.share_change.flags.writeable
    as_dict = change.to_dict()
    assert as_dict["at_least"] == "II"
    assert as_dict["share_before"][0] == pytest.approx(0.1)
    assert math.isnan(as_dict["share_before"][1])


def test_structure_change_without_prices_has_nan_prices() -> None:
    change = structure_change([10, 30, 60], [10, 50, 40], [2, 3, 4])
    assert change.share_change == pytest.approx(0.2)
    assert math.isnan(change.price_per_case_before)
    assert math.isnan(change.price_per_case_change)


def test_structure_change_periods_must_have_the_same_shape() -> None:
    with pytest.raises(ShapeMismatchError, match="'before_quantity' and 'after_quantity'"):
        structure_change([[1, 2, 3]], [1, 2, 3], [1, 2, 3])


@pytest.mark.parametrize(
    ("price", "error", "message"),
    [
        ([80, 0, 20], InvalidValueError, "'price' must be > 0: 0 at index 1"),
        ([80, math.inf, 20], InvalidValueError, "'price' must be finite: inf at index 1"),
        ([80, 40], ShapeMismatchError, "'price' has 2 entries but the data have 3"),
    ],
)
def test_structure_change_bad_prices(
    price: list[float], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        structure_change([1, 2, 3], [1, 2, 3], [1, 2, 3], price=price)


# --------------------------------------------------------------------------- on_shelf_rate


CARRIED = np.array(
    [
        [True, True, False],
        [False, True, False],
        [True, True, False],
        [False, True, True],
    ]
)


def test_on_shelf_rate_worked_example() -> None:
    np.testing.assert_allclose(on_shelf_rate(CARRIED), [0.5, 1.0, 0.25])
    should = np.array(
        [
            [True, True, False],
            [True, True, False],
            [False, True, False],
            [False, True, False],
        ]
    )
    rate = on_shelf_rate(CARRIED, should)
    # brand 0: stores 0, 1 should, store 0 carries; store 2 carries but need not
    np.testing.assert_allclose(rate[:2], [0.5, 1.0])
    assert math.isnan(rate[2])  # no store should carry brand 2


def test_on_shelf_rate_one_brand_is_a_scalar() -> None:
    rate = on_shelf_rate([True, False, True, True])
    assert isinstance(rate, np.float64)
    assert rate == 0.75


def test_on_shelf_rate_no_stores_is_nan() -> None:
    rate = on_shelf_rate(np.zeros((0, 2), dtype=bool))
    assert rate.shape == (2,)
    assert np.isnan(rate).all()


def test_on_shelf_rate_store_axis_last() -> None:
    np.testing.assert_array_equal(on_shelf_rate(CARRIED.T, axis=-1), on_shelf_rate(CARRIED))


def test_on_shelf_rate_should_carry_broadcasts_per_brand() -> None:
    np.testing.assert_allclose(
        on_shelf_rate(CARRIED, np.array([True, True, False]))[:2], [0.5, 1.0]
    )


def test_on_shelf_rate_rejects_numbers() -> None:
    with pytest.raises(TypeError, match="'carried' must be boolean"):
        on_shelf_rate([[1, 0], [0, 1]])
    with pytest.raises(TypeError, match="'should_carry' must be boolean"):
        on_shelf_rate(CARRIED, np.ones(3))


def test_on_shelf_rate_shapes() -> None:
    with pytest.raises(ShapeMismatchError, match="'should_carry' with shape \\(2,\\)"):
        on_shelf_rate(CARRIED, [True, False])
    with pytest.raises(ShapeMismatchError, match="'carried' must have at least one dimension"):
        on_shelf_rate(True)


@given(
    hnp.arrays(np.bool_, st.tuples(st.integers(1, 6), st.integers(1, 4))),
    st.data(),
)
def test_on_shelf_rate_laws(carried: NDArray[np.bool_], data: st.DataObject) -> None:
    should = data.draw(hnp.arrays(np.bool_, carried.shape))
    rate = on_shelf_rate(carried, should)
    known = should.any(axis=0)
    assert np.isnan(rate[~known]).all()
    assert ((rate[known] >= 0) & (rate[known] <= 1)).all()
    # every store should: the plain share of stores carrying
    np.testing.assert_allclose(on_shelf_rate(carried), carried.mean(axis=0))
    # carrying more never lowers the rate
    more = carried | data.draw(hnp.arrays(np.bool_, carried.shape))
    assert (on_shelf_rate(more, should)[known] >= rate[known]).all()
    # every store that should carry the brand carries it: 1
    assert np.all(on_shelf_rate(carried | should, should)[known] == 1.0)


# --------------------------------------------------------------------------- assortment_width


def test_assortment_width_worked_example() -> None:
    classes = [1, 2, 4]
    assert assortment_width(CARRIED, classes).tolist() == [2, 1, 2, 1]
    assert assortment_width(CARRIED, classes, PriceClass.I).tolist() == [1, 0, 1, 0]
    assert assortment_width(CARRIED, classes, PriceClass.V).tolist() == [2, 1, 2, 2]
    assert assortment_width(CARRIED, classes).dtype == np.int64


def test_assortment_width_one_store_and_axis() -> None:
    width = assortment_width([True, True, True], [2, 2, 3])
    assert isinstance(width, np.int64)
    assert width == 2
    np.testing.assert_array_equal(
        assortment_width(CARRIED.T, [1, 2, 4], axis=0), assortment_width(CARRIED, [1, 2, 4])
    )


def test_assortment_width_errors() -> None:
    with pytest.raises(TypeError, match="'carried' must be boolean"):
        assortment_width([[3, 0, 1]], [1, 2, 4])
    with pytest.raises(InvalidValueError, match="'price_class' must hold price class codes"):
        assortment_width(CARRIED, [1, 2, 9])
    with pytest.raises(ShapeMismatchError, match="'price_class' has 2 entries"):
        assortment_width(CARRIED, [1, 2])


@given(sales_tables(), st.integers(min_value=1, max_value=5))
def test_assortment_width_laws(
    table: tuple[NDArray[np.int64], NDArray[np.int8]], level: int
) -> None:
    quantity, classes = table
    carried = quantity > 5_000
    width = assortment_width(carried, classes, level)
    assert (width >= 0).all()
    assert (width <= np.count_nonzero(classes <= level)).all()
    # a wider class range never narrows the count
    if level < 5:
        assert (assortment_width(carried, classes, level + 1) >= width).all()
    # carrying every brand gives the number of brands in range
    everything = np.ones_like(carried)
    assert (
        assortment_width(everything, classes, level) == np.count_nonzero(classes <= level)
    ).all()
    # carrying more never narrows it, nor does the widest class range
    assert (assortment_width(carried | (quantity > 0), classes, level) >= width).all()
    assert (assortment_width(carried, classes, 5) >= width).all()


# --------------------------------------------------------------------------- ledger


def test_ledger_sales_worked_example() -> None:
    assert ledger_sales(12, 50, 20) == 42.0
    assert isinstance(ledger_sales(12, 50, 20), np.float64)
    result = ledger_sales([[12, 0], [5, 3]], [50, 10], [[20, 10], [5, 0]])
    assert result.tolist() == [[42.0, 0.0], [50.0, 13.0]]


def test_ledger_sales_inconsistent_lists_positions() -> None:
    opening = np.array([[12, 0, 1], [5, 3, 0]])
    closing = np.array([[20, 11, 1], [5, 0, 12]])
    with pytest.raises(
        InconsistentLedgerError,
        match=(
            r"does not balance.* at 2 position\(s\): index \(0, 1\) \(0 \+ 10 − 11 = -1\), "
            r"index \(1, 2\) \(0 \+ 10 − 12 = -2\); sales cannot be negative"
        ),
    ):
        ledger_sales(opening, [[10, 10, 0], [0, 0, 10]], closing)


def test_ledger_sales_inconsistent_scalar() -> None:
    with pytest.raises(InconsistentLedgerError, match=r"'purchases': 5 \+ 0 − 7 = -2"):
        ledger_sales(5, 0, 7)


def test_ledger_sales_lists_only_the_first_positions() -> None:
    with pytest.raises(
        InconsistentLedgerError, match=r"at 8 position\(s\): index 0 .*index 4 \(.*\) and 3 more"
    ):
        ledger_sales(np.zeros(8), 0, np.ones(8))


def test_ledger_sales_is_an_invalid_value_error_too() -> None:
    with pytest.raises(InvalidValueError):
        ledger_sales(0, 0, 1)


def test_ledger_sales_bad_inputs() -> None:
    with pytest.raises(InvalidValueError, match="'purchases' must be >= 0: -3 at index 1"):
        ledger_sales([1, 1], [0, -3], [0, 0])
    with pytest.raises(ShapeMismatchError, match="do not broadcast"):
        ledger_sales([1, 2, 3], [1, 2], 0)


@given(
    hnp.arrays(
        np.int64,
        hnp.array_shapes(min_dims=1, max_dims=2, max_side=5),
        elements=st.integers(min_value=0, max_value=10**6),
    ),
    st.data(),
)
def test_ledger_round_trip(opening: NDArray[np.int64], data: st.DataObject) -> None:
    purchases = data.draw(
        hnp.arrays(np.int64, opening.shape, elements=st.integers(min_value=0, max_value=10**6))
    )
    on_hand = opening + purchases
    fraction = data.draw(hnp.arrays(np.float64, opening.shape, elements=st.floats(0, 1)))
    sold = np.floor(on_hand * fraction).astype(np.int64)
    closing = on_hand - sold
    sales = ledger_sales(opening, purchases, closing)
    np.testing.assert_array_equal(sales, sold)
    np.testing.assert_array_equal(opening + purchases - sales, closing)
    # one carton too many in the closing count breaks the ledger where nothing was sold
    if (sold == 0).any():
        with pytest.raises(InconsistentLedgerError, match=f"at {int((sold == 0).sum())} position"):
            ledger_sales(opening, purchases, closing + 1)


def test_gross_profit_worked_example() -> None:
    assert gross_profit(42, 230, 200) == 1260.0
    assert isinstance(gross_profit(42, 230, 200), np.float64)
    # selling below the purchase price (低于进货价) is a loss, not an error
    assert gross_profit([42, 10], [230, 95], [200, 100]).tolist() == [1260.0, -50.0]


def test_gross_profit_bad_inputs() -> None:
    with pytest.raises(InvalidValueError, match="'retail_price' must be >= 0"):
        gross_profit(1, -230, 200)
    with pytest.raises(ShapeMismatchError):
        gross_profit([1, 2], [1, 2, 3], 1)


def test_gross_margin_worked_example() -> None:
    assert gross_margin(42, 230, 200) == pytest.approx(1260 / 9660)
    assert gross_margin([42, 10], [230, 95], [200, 100]) == pytest.approx(1210 / 10610)
    margins = gross_margin([[42, 10], [0, 0]], [230, 95], [200, 100])
    assert margins[0] == pytest.approx(1210 / 10610)
    assert math.isnan(margins[1])  # nothing sold
    assert gross_margin([[42, 10], [0, 0]], [230, 95], [200, 100], axis=None) == pytest.approx(
        1210 / 10610
    )


@given(
    hnp.arrays(np.int64, (3,), elements=st.integers(min_value=0, max_value=1000)),
    hnp.arrays(np.int64, (3,), elements=st.integers(min_value=1, max_value=500)),
    hnp.arrays(np.int64, (3,), elements=st.integers(min_value=0, max_value=500)),
)
def test_gross_margin_is_total_profit_over_revenue(
    quantity: NDArray[np.int64], retail: NDArray[np.int64], cost: NDArray[np.int64]
) -> None:
    margin = gross_margin(quantity, retail, cost)
    revenue = float((quantity * retail).sum())
    if revenue == 0:
        assert math.isnan(margin)
        return
    assert margin <= 1
    assert margin * revenue == pytest.approx(float(gross_profit(quantity, retail, cost).sum()))


# --------------------------------------------------------------------------- segments


def test_stockout_segment_worked_example() -> None:
    labels = stockout_segment([4, 2, 1, 0], 7)
    assert labels.tolist() == ["A", "B", "C", "D"]
    assert labels.dtype == np.dtype("<U1")


def test_stockout_segment_bounds_are_inclusive() -> None:
    # 5/10 = 0.5 is A, 2/10 = 0.2 is B, 1/10 is C
    assert stockout_segment([5, 4, 2, 1, 0], 10).tolist() == ["A", "B", "B", "C", "D"]
    assert stockout_segment(7, 7) == "A"
    assert isinstance(stockout_segment(7, 7), np.str_)


def test_stockout_segment_custom_thresholds_and_broadcast() -> None:
    labels = stockout_segment([[3], [1]], [7, 30], thresholds=(0.8, 0.4, 0.1))
    # 3/7 = 0.43 -> B, 3/30 = 0.1 is not > 0.1 -> D, 1/7 = 0.14 -> C, 1/30 -> D
    assert labels.tolist() == [["B", "D"], ["C", "D"]]
    # thresholds as a numpy array work too
    assert stockout_segment(3, 7, thresholds=np.array([0.8, 0.4, 0.1])) == "B"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("thresholds", "message"),
    [
        ((0.2, 0.5, 0.0), r"strictly decreasing \(A > B > C\): \(0.2, 0.5, 0.0\)"),
        ((0.5, 0.5, 0.0), "strictly decreasing"),
        ((0.5, 0.2, 0.2), "strictly decreasing"),
        ((1.5, 0.2, 0.0), r"'thresholds' must be in \[0, 1\]: 1.5"),
        ((0.5, 0.2, -0.1), r"'thresholds' must be in \[0, 1\]: -0.1"),
        ((0.5, 0.2), "three shares"),
        ((0.5, math.nan, 0.0), "'thresholds' must be finite"),
    ],
)
def test_stockout_segment_bad_thresholds(thresholds: Any, message: str) -> None:
    with pytest.raises(InvalidValueError, match=message):
        stockout_segment(1, 7, thresholds=thresholds)


@pytest.mark.parametrize("thresholds", [0.5, "ABC", (0.5, "0.2", 0.0), (0.5, True, 0.0)])
def test_stockout_segment_threshold_types(thresholds: Any) -> None:
    with pytest.raises(TypeError, match="'thresholds' must be"):
        stockout_segment(1, 7, thresholds=thresholds)


@pytest.mark.parametrize(
    ("stockout", "days", "message"),
    [
        ([1, 8], 7, r"'stockout_days' must be <= 'days': 8 at index 1"),
        (0, 0, "'days' must be > 0: 0"),
        ([1, -1], 7, "'stockout_days' must be >= 0: -1 at index 1"),
        (1.5, 7, "'stockout_days' must be whole numbers of days: 1.5"),
        (1, 6.5, "'days' must be whole numbers of days: 6.5"),
    ],
)
def test_stockout_segment_bad_days(stockout: Any, days: Any, message: str) -> None:
    with pytest.raises(InvalidValueError, match=message):
        stockout_segment(stockout, days)


def test_stockout_segment_shape_mismatch() -> None:
    with pytest.raises(ShapeMismatchError, match="'stockout_days' \\(2,\\), 'days' \\(3,\\)"):
        stockout_segment([1, 2], [7, 7, 7])


@st.composite
def thresholds_strategy(draw: st.DrawFn) -> tuple[float, float, float]:
    values = draw(
        st.lists(
            st.floats(min_value=0, max_value=1, allow_subnormal=False),
            min_size=3,
            max_size=3,
            unique=True,
        )
    )
    high, middle, low = sorted(values, reverse=True)
    return high, middle, low


@given(
    st.integers(min_value=1, max_value=60),
    st.data(),
    thresholds_strategy(),
)
def test_stockout_segment_is_monotone_in_the_share(
    days: int, data: st.DataObject, thresholds: tuple[float, float, float]
) -> None:
    stockout = np.arange(days + 1)
    labels = stockout_segment(stockout, days, thresholds=thresholds)
    # more stockout days never give a later letter: the labels are non-increasing
    assert all(a >= b for a, b in itertools.pairwise(labels))
    assert labels[0] == "D"  # no stockout day is never A, B or C
    share = stockout / days
    assert ((labels == "A") == (share >= thresholds[0])).all()
    one = data.draw(st.integers(min_value=0, max_value=days))
    assert stockout_segment(one, days, thresholds=thresholds) == labels[one]


# --------------------------------------------------------------------------- target customers

VOLUME = [120, 80, 60, 300, 90, 150, 40, 500, 800, 650]
SHARE = [0.9, 0.2, 0.1, 0.3, 0.4, 0.2, 0.1, 0.5, 0.8, 0.7]


def test_target_customers_worked_example() -> None:
    # volume cut: 0.7-quantile = 300 + 0.3 * 200 = 360 -> stores 7, 8, 9
    # share cut: 0.5 + 0.3 * 0.2 = 0.56 -> stores 0, 8, 9
    target = target_customers(VOLUME, SHARE)
    assert target.dtype == np.bool_
    assert np.flatnonzero(target).tolist() == [8, 9]
    loose = target_customers(VOLUME, SHARE, volume_quantile=0.5, share_quantile=0.5)
    # volume >= 135 (stores 3, 5, 7, 8, 9), share >= 0.35 (stores 0, 4, 7, 8, 9)
    assert np.flatnonzero(loose).tolist() == [7, 8, 9]


def test_target_customers_ties_at_the_cut_are_all_in() -> None:
    target = target_customers([10, 10, 10, 10], [0.5, 0.5, 0.5, 0.5])
    assert target.all()


def test_target_customers_nan_share_is_never_a_target() -> None:
    share = list(SHARE)
    share[8] = math.nan
    target = target_customers(VOLUME, share)
    assert not target[8]
    # the share cut is now taken over the 9 known shares: 0.4 + 0.6 * 0.1 = 0.46
    assert np.flatnonzero(target).tolist() == [7, 9]


def test_target_customers_all_nan_and_empty() -> None:
    assert not target_customers([1, 2, 3], [math.nan] * 3).any()
    assert target_customers(np.zeros((2, 0)), np.zeros((2, 0))).shape == (2, 0)


def test_target_customers_per_district() -> None:
    volume = np.array([VOLUME, VOLUME[::-1]])
    share = np.array([SHARE, SHARE[::-1]])
    target = target_customers(volume, share)
    assert np.flatnonzero(target[0]).tolist() == [8, 9]
    assert np.flatnonzero(target[1]).tolist() == [0, 1]
    np.testing.assert_array_equal(target_customers(volume.T, share.T, axis=0), target.T)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"volume_quantile": 1.5}, InvalidValueError, r"'volume_quantile' must be in \[0, 1\]"),
        ({"share_quantile": -0.1}, InvalidValueError, r"'share_quantile' must be in \[0, 1\]"),
        ({"share_quantile": True}, TypeError, "'share_quantile' must be a real number"),
    ],
)
def test_target_customers_bad_quantiles(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        target_customers(VOLUME, SHARE, **kwargs)


def test_target_customers_bad_inputs() -> None:
    with pytest.raises(
        InvalidValueError, match=r"'share_iii_plus' must be in \[0, 1\] or NaN: 1.2"
    ):
        target_customers([1, 2], [0.5, 1.2])
    with pytest.raises(InvalidValueError, match="'volume' must be >= 0"):
        target_customers([1, -2], [0.5, 0.2])
    with pytest.raises(ShapeMismatchError, match="'volume' and 'share_iii_plus' must have"):
        target_customers([1, 2, 3], [0.5, 0.2])
    with pytest.raises(ShapeMismatchError, match="at least one dimension"):
        target_customers(1, 0.5)


@given(
    hnp.arrays(np.int64, st.integers(1, 12), elements=st.integers(min_value=0, max_value=1000)),
    st.data(),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_target_customers_laws(
    volume: NDArray[np.int64], data: st.DataObject, vq: float, sq: float
) -> None:
    share = data.draw(
        hnp.arrays(
            np.float64,
            volume.shape,
            elements=st.one_of(st.just(math.nan), st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0])),
        )
    )
    target = target_customers(volume, share, volume_quantile=vq, share_quantile=sq)
    assert not target[np.isnan(share)].any()
    # relabelling the stores relabels the targets
    order = data.draw(st.permutations(range(volume.size)))
    np.testing.assert_array_equal(
        target_customers(volume[order], share[order], volume_quantile=vq, share_quantile=sq),
        target[order],
    )
    # the store with the largest volume and the best known share is always in at level 1
    known = ~np.isnan(share)
    best = target_customers(volume, share, volume_quantile=1.0, share_quantile=1.0)
    if best.any():
        assert (volume[best] == volume.max()).all()
        assert (share[best] == np.nanmax(share)).all()
    # level 0 keeps every store whose share is known
    np.testing.assert_array_equal(
        target_customers(volume, share, volume_quantile=0.0, share_quantile=0.0), known
    )
    if target.any():  # a target's volume reaches the volume quantile
        assert volume[target].min() >= np.quantile(volume, vq)


# --------------------------------------------------------------------------- new brands


def test_new_brand_sell_through_worked_example() -> None:
    result = new_brand_sell_through([2, 1, 0, 4], [2, 0, 0, 1])
    np.testing.assert_array_equal(result, [1.0, 0.0, np.nan, 0.25])
    assert isinstance(new_brand_sell_through(4, 1), np.float64)


def test_new_brand_sell_through_oversold_is_inconsistent() -> None:
    with pytest.raises(
        InconsistentLedgerError,
        match=r"2 position\(s\): index 1 \(sold 3 of 2 purchased\), index 2 \(sold 1 of 0",
    ):
        new_brand_sell_through([2, 2, 0], [1, 3, 1])


def test_new_brand_sell_through_bad_inputs() -> None:
    with pytest.raises(InvalidValueError, match="'purchases' must be >= 0"):
        new_brand_sell_through([-1], [0])
    with pytest.raises(ShapeMismatchError):
        new_brand_sell_through([1, 2], [1, 1, 1])


def test_sell_through_speed_worked_example() -> None:
    labels = sell_through_speed([2, 4, 0, 4], [2, 1, 0, 2])
    assert labels.tolist() == ["fast", "slow", "not ordered", "fast"]
    assert sell_through_speed([4, 4], [1, 2], fast_at=0.25).tolist() == ["fast", "fast"]
    assert sell_through_speed(4, 1) == "slow"
    assert isinstance(sell_through_speed(4, 1), np.str_)


@pytest.mark.parametrize(
    ("fast_at", "error", "message"),
    [
        (0.0, InvalidValueError, r"'fast_at' must be in \(0, 1\]: 0.0"),
        (1.2, InvalidValueError, r"'fast_at' must be in \(0, 1\]"),
        (math.nan, InvalidValueError, "'fast_at' must be finite"),
        ("0.5", TypeError, "'fast_at' must be a real number"),
    ],
)
def test_sell_through_speed_bad_threshold(
    fast_at: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        sell_through_speed([1], [1], fast_at=fast_at)


@given(
    hnp.arrays(np.int64, (6,), elements=st.integers(min_value=0, max_value=50)),
    st.data(),
    st.floats(min_value=0.01, max_value=1),
)
def test_sell_through_laws(
    purchases: NDArray[np.int64], data: st.DataObject, fast_at: float
) -> None:
    fraction = data.draw(hnp.arrays(np.float64, (6,), elements=st.floats(0, 1)))
    sales = np.floor(purchases * fraction).astype(np.int64)
    through = new_brand_sell_through(purchases, sales)
    ordered = purchases > 0
    assert np.isnan(through[~ordered]).all()
    assert ((through[ordered] >= 0) & (through[ordered] <= 1)).all()
    labels = sell_through_speed(purchases, sales, fast_at=fast_at)
    assert np.all(labels[~ordered] == "not ordered")
    assert np.all((labels[ordered] == "fast") == (through[ordered] >= fast_at))
    # selling everything is always fast
    assert np.all(sell_through_speed(purchases, purchases, fast_at=fast_at)[ordered] == "fast")
    # selling one carton more never turns fast into slow
    more = sell_through_speed(purchases, np.minimum(sales + 1, purchases), fast_at=fast_at)
    assert not np.any((labels == "fast") & (more == "slow"))


# --------------------------------------------------------------------------- 0.2 renames


def test_ledger_sales_old_keywords_still_work_with_a_warning() -> None:
    with pytest.warns(DeprecationWarning, match="'closing' is deprecated, use 'inventory'"):
        old = ledger_sales(12, 50, closing=20)  # type: ignore[call-arg]
    assert old == ledger_sales(12, 50, inventory=20) == 42.0
    with pytest.warns(DeprecationWarning, match="'opening' is deprecated, use 'opening_inventory'"):
        old = ledger_sales(opening=12, purchases=50, inventory=20)  # type: ignore[call-arg]
    assert old == 42.0
    with pytest.raises(TypeError, match=r"got both 'closing' .* and 'inventory'"):
        ledger_sales(12, 50, inventory=20, closing=20)  # type: ignore[call-arg]


def test_ledger_sales_names_the_closing_stock_inventory() -> None:
    import inspect

    assert list(inspect.signature(ledger_sales).parameters) == [
        "opening_inventory",
        "purchases",
        "inventory",
    ]
    with pytest.raises(InvalidValueError, match="'inventory' must be >= 0"):
        ledger_sales(1, 1, -1)
    with pytest.raises(
        InconsistentLedgerError, match="'inventory' exceeds 'opening_inventory' \\+ 'purchases'"
    ):
        ledger_sales(1, 1, 3)


# ---------------------------------------------------------- labelled inputs (issue 14)


def test_labelled_inputs_are_paired_by_label_not_position() -> None:
    pd = pytest.importorskip("pandas")
    quantity = pd.Series([10, 0], index=["a", "b"])
    price_class = pd.Series([1, 5], index=["b", "a"])  # a is class V: no share at or above III
    assert tm.share_at_or_above(quantity, price_class) == 0.0
    assert tm.share_at_or_above(quantity.to_numpy(), price_class.to_numpy()) == 1.0  # positional
    table = pd.DataFrame([[10, 0], [5, 0]], columns=["a", "b"])
    assert tm.share_at_or_above(table, price_class).tolist() == [0.0, 0.0]
    assert tm.share_at_or_above(table.T, price_class, axis=0).tolist() == [0.0, 0.0]
    assert tm.assortment_width(table > 0, price_class, at_least=1).tolist() == [0, 0]
    assert tm.class_shares(table, price_class)[:, 4].tolist() == [1.0, 1.0]
    change = tm.structure_change(table, table[["b", "a"]], price_class)
    assert change.share_before.tolist() == change.share_after.tolist() == [0.0, 0.0]
    with pytest.raises(ShapeMismatchError, match="'price_class' and 'quantity' carry different"):
        tm.share_at_or_above(quantity, pd.Series([1, 5], index=["x", "a"]))


def test_labelled_ledger_and_segment_inputs_are_paired_by_label() -> None:
    pd = pytest.importorskip("pandas")
    amount = pd.Series([100.0, 30.0], index=["a", "b"])
    cartons = pd.Series([3, 10], index=["b", "a"])
    assert tm.average_price_per_carton(amount, cartons) == 130.0 / 13
    assert tm.gross_profit(
        pd.Series([2, 1], index=["a", "b"]),
        pd.Series([20.0, 10.0], index=["b", "a"]),
        pd.Series([8.0, 5.0], index=["b", "a"]),
    ).tolist() == [10.0, 12.0]
    assert tm.ledger_sales(
        pd.Series([5, 1], index=["a", "b"]),
        pd.Series([0, 2], index=["b", "a"]),
        pd.Series([1, 1], index=["a", "b"]),
    ).tolist() == [6.0, 0.0]
    assert tm.new_brand_sell_through(
        pd.Series([4, 2], index=["a", "b"]), pd.Series([2, 1], index=["b", "a"])
    ).tolist() == [0.25, 1.0]
    segment = tm.stockout_segment(
        pd.Series([0, 6], index=["a", "b"]), pd.Series([7, 10], index=["b", "a"])
    )
    assert segment.tolist() == ["D", "A"]
    with pytest.raises(ShapeMismatchError, match="carry different labels"):
        tm.stockout_segment(pd.Series([1], index=["a"]), pd.Series([7], index=["z"]))


@given(
    st.lists(st.integers(1, 1000), min_size=2, max_size=6),
    st.lists(st.integers(1, 50_000), min_size=6, max_size=6),
    st.booleans(),
)
def test_average_price_lies_between_the_prices_exactly(
    cartons: list[int], cents: list[int], one_price: bool
) -> None:
    # Decimal prices (whole cents) and tenths of cartons: the ratio of the rounded sums
    # stepped an ulp past them (three brands all at 338.61 averaged 338.61000000000007).
    sold = np.array(cartons, dtype=np.float64) / 10
    prices = np.array(cents[: len(cartons)], dtype=np.float64) / 100
    if one_price:
        prices[:] = prices[0]
    amount = sold * prices
    average = average_price_per_carton(amount, sold)
    assert (amount / sold).min() <= average <= (amount / sold).max()
    assert average_price_per_case(amount, sold) == average * tm.CARTONS_PER_CASE


def test_average_price_of_float32_prices_past_float32_is_finite() -> None:
    # 3.4e38 yuan for half a carton: the price, 6.8e38, is past float32 but not float64.
    # The bound of the clip was computed in float32 (inf), and the average with it.
    amount = np.array([3.4e38, 1.0], dtype=np.float32)
    cartons = np.array([0.5, 1.0], dtype=np.float32)
    average = average_price_per_carton(amount, cartons)
    expected = (float(amount[0]) + 1.0) / 1.5
    assert average == pytest.approx(expected, rel=1e-12)
    assert average_price_per_carton(amount[:1], cartons[:1]) == float(amount[0]) / 0.5


def test_average_price_of_one_price_is_that_price() -> None:
    cartons = np.array([42.0, 40.0, 3.0])
    assert average_price_per_carton(cartons * 338.61, cartons) == 338.61

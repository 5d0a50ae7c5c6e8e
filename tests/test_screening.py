"""Distortion flags and volatile customers: worked examples and laws."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

import tobacco_metrics as tm
from tobacco_metrics import (
    EmptyInputError,
    InvalidValueError,
    ShapeMismatchError,
    distortion_flags,
    volatile_customers,
)

NAN = math.nan

# --------------------------------------------------------------------------- worked examples


def test_token_hold_raised_and_its_clean_twin() -> None:
    # Days 1, 2, 4: no sale, one carton on the shelf; day 3 a delivery and sales.
    crafted = ([3, 0, 0, 5, 0, 2], [1, 1, 1, 8, 1, 6])
    twin = ([3, 1, 1, 5, 1, 2], [6, 5, 4, 8, 7, 5])  # the same store, properly stocked
    flags = distortion_flags([crafted[0], twin[0]], [crafted[1], twin[1]])
    assert flags.token_hold.tolist() == [True, False]
    assert flags.days("token_hold", 0) == (1, 2, 4)
    assert flags.days("token_hold", 1) == ()
    assert not flags.flagged[1]


def test_token_hold_needs_min_days() -> None:
    sales, stock = [0, 0, 4, 2], [1, 1, 9, 7]  # two token days only
    assert not distortion_flags(sales, stock).token_hold
    assert distortion_flags(sales, stock, min_days=2).token_hold
    assert distortion_flags(sales, stock, min_days=2).days("token_hold") == (0, 1)
    # token 0 turns the check off; a token of 0.5 does not reach one carton
    assert not distortion_flags(sales, stock, min_days=1, token=0).token_hold
    assert not distortion_flags(sales, stock, min_days=1, token=0.5).token_hold


def test_token_hold_per_series_token() -> None:
    sales = [[0, 0, 0], [0, 0, 0]]
    stock = [[2, 2, 2], [2, 2, 2]]
    flags = distortion_flags(sales, stock, token=[[2], [1]])
    assert flags.token_hold.tolist() == [True, False]


def test_zeroed_before_order_and_twin() -> None:
    crafted = ([4, 3, 0, 2, 2], [9, 6, 0, 12, 10])  # 6 cartons vanish on day 2 without a sale
    twin = ([4, 3, 6, 2, 2], [9, 6, 0, 12, 10])  # the 6 cartons were sold: an honest sell-out
    stockout = ([4, 6, 0, 2, 2], [6, 0, 0, 12, 10])  # out on day 2 after selling out on day 1
    flags = distortion_flags(
        [crafted[0], twin[0], stockout[0]], [crafted[1], twin[1], stockout[1]], min_days=1
    )
    assert flags.zeroed_before_order.tolist() == [True, False, False]
    assert flags.days("zeroed_before_order", 0) == (2,)
    # the honest stockout day is not a token hold either (no stock at all)
    assert flags.token_hold.tolist() == [False, False, False]


def test_zeroed_needs_a_delivery_after() -> None:
    # stock vanishes and stays at 0 to the end: no delivery seen, nothing to say yet
    assert not distortion_flags([1, 0, 0], [5, 0, 0]).zeroed_before_order
    # first and last days cannot be judged
    assert not distortion_flags([0, 1], [0, 4]).zeroed_before_order


def test_missing_upload_inside_span_only() -> None:
    sales = [[NAN, 2, NAN, 2, NAN], [NAN, 2, 2, 2, NAN], [1, 2, 2, NAN, 3]]
    stock = [[NAN, 8, NAN, 6, NAN], [NAN, 8, 6, 4, NAN], [9.0, 7, 5, 5, 2]]
    flags = distortion_flags(sales, stock)
    assert flags.missing_upload.tolist() == [True, False, True]
    assert flags.days("missing_upload", 0) == (2,)
    assert flags.days("missing_upload", 2) == (3,)  # sales missing, stock known: still a hole
    # a missing value never raises another flag by itself
    assert not flags.token_hold.any()
    assert not flags.zeroed_before_order.any()


def test_all_missing_series_is_not_flagged() -> None:
    flags = distortion_flags([NAN, NAN], [NAN, NAN])
    assert not flags.flagged


def test_ledger_mismatch_and_twin() -> None:
    stock = [10, 8, 14, 11]
    purchases = [0, 0, 8, 0]
    honest = [1, 2, 2, 3]  # 10 + 0 − 8 = 2, 8 + 8 − 14 = 2, 14 − 11 = 3
    diverted = [1, 2, 2, 1]  # day 3 reports 1 while 3 left the shelf (调拨 / 代卖)
    flags = distortion_flags(
        [honest, honest],
        [stock, stock],
        purchases=[purchases, purchases],
        reported_sales=[honest, diverted],
    )
    assert flags.ledger_checked
    assert flags.ledger_mismatch.tolist() == [False, True]
    assert flags.days("ledger_mismatch", 1) == (3,)


def test_ledger_tolerance_and_packs() -> None:
    # pack-level quantities (0.1 carton) do not add up exactly in floats
    stock = [0.3, 0.2, 0.6]
    flags = distortion_flags([0.1, 0.1, 0.1], stock, purchases=[0.0, 0.0, 0.5])
    assert not flags.ledger_mismatch
    loose = distortion_flags([0, 0], [5, 4], purchases=[0, 0], tolerance=1)
    assert not loose.ledger_mismatch
    assert distortion_flags([0, 0], [5, 4], purchases=[0, 0]).ledger_mismatch


def test_ledger_not_checked_without_purchases() -> None:
    flags = distortion_flags([1, 1], [5, 9])
    assert not flags.ledger_checked
    assert not flags.ledger_mismatch


def test_reasons_and_frame() -> None:
    flags = distortion_flags([[0, 0, 0, 1], [2, 2, 2, 2]], [[1, 1, 1, 5], [9, 7, 5, 3]])
    assert flags.reasons(0)[0].startswith("token_hold: ")
    assert flags.reasons(0)[0].endswith("days 0, 1, 2")
    assert flags.reasons(1) == ()
    frame = flags.to_frame(labels=[["C1", "C2"]])
    assert list(frame.index) == ["C1", "C2"]
    assert frame.index.name == "series"
    assert frame.loc["C1", "token_hold"]
    assert frame.loc["C1", "token_hold_days"] == (0, 1, 2)
    assert frame["flagged"].tolist() == [True, False]
    two = distortion_flags(np.zeros((2, 3, 4)), np.full((2, 3, 4), 5.0))
    frame2 = two.to_frame(labels=[["S1", "S2"], ["B1", "B2", "B3"]])
    assert frame2.index.names == ["store", "brand"]
    assert len(frame2) == 6
    one = distortion_flags([1, 1], [4, 3]).to_frame()
    assert len(one) == 1


def test_distortion_errors() -> None:
    with pytest.raises(InvalidValueError, match="'sales' must be >= 0"):
        distortion_flags([-1, 0], [1, 1])
    with pytest.raises(InvalidValueError, match="'inventory' must be finite or NaN"):
        distortion_flags([1, 0], [1, math.inf])
    with pytest.raises(ShapeMismatchError, match="same shape"):
        distortion_flags([1, 0], [1, 1, 1])
    with pytest.raises(InvalidValueError, match="'min_days' must be >= 1: 0"):
        distortion_flags([1], [1], min_days=0)
    with pytest.raises(TypeError, match="'min_days' must be an int"):
        distortion_flags([1], [1], min_days=2.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="without 'purchases'"):
        distortion_flags([1], [1], reported_sales=[1])
    with pytest.raises(EmptyInputError, match="no days"):
        distortion_flags(np.zeros((2, 0)), np.zeros((2, 0)))
    with pytest.raises(ShapeMismatchError, match="at least one dimension"):
        distortion_flags(1, 1)
    with pytest.raises(ShapeMismatchError, match="'purchases' and 'sales'"):
        distortion_flags([1, 1], [1, 1], purchases=[1])
    with pytest.raises(InvalidValueError, match="'kind' must be one of"):
        distortion_flags([1, 1], [1, 1]).days("bogus")  # type: ignore[arg-type]
    with pytest.raises(ShapeMismatchError, match="'labels' for axis 0"):
        distortion_flags([[1], [1]], [[1], [1]]).to_frame(labels=[["only one"]])


@pytest.mark.parametrize(
    ("labels", "names", "error", "message"),
    [
        (None, "ab", TypeError, "'names' must be an iterable of names"),
        (None, ["store"], ShapeMismatchError, "'names' must name each of the 2 axes"),
        (None, [["store"], "brand"], TypeError, "'names' must hold hashable names"),
        ([["a", "b"], "xyz"], None, TypeError, "'labels' for axis 1 must be an iterable"),
        ([["a", "a"], [1, 2, 3]], None, tm.DuplicateEntryError, "'a' at positions 0 and 1"),
        ([["a", "b"]], None, ShapeMismatchError, "one label sequence per series axis \\(2\\)"),
    ],
)
def test_to_frame_refuses_labels_and_names_that_do_not_label_the_rows(
    labels: object, names: object, error: type[Exception], message: str
) -> None:
    """A string was read as one name per character, and a label twice made rows alike."""
    flags = distortion_flags(np.ones((2, 3, 5)), np.ones((2, 3, 5)))
    with pytest.raises(error, match=message):
        flags.to_frame(labels, names)  # type: ignore[arg-type]
    if labels is None:
        metrics = tm.cycle_metrics(np.ones((2, 3, 7)), np.ones((2, 3, 7)))
        with pytest.raises(error, match=message):
            metrics.to_frame(names)  # type: ignore[arg-type]


def test_inputs_untouched() -> None:
    sales = np.array([0.0, NAN, 0.0, 0.0])
    stock = np.array([1.0, NAN, 1.0, 1.0])
    before = sales.copy(), stock.copy()
    flags = distortion_flags(sales, stock)
    np.testing.assert_array_equal(sales, before[0])
    np.testing.assert_array_equal(stock, before[1])
    assert not flags.token_hold_days.flags.writeable


# --------------------------------------------------------------------------- laws


@st.composite
def clean_series(draw: st.DrawFn, days: int) -> tuple[NDArray[np.int64], ...]:
    """A normally stocked series: stock never at or below the token of 1, a balanced ledger."""
    sales = np.array(draw(st.lists(st.integers(0, 6), min_size=days, max_size=days)))
    purchases = np.array(draw(st.lists(st.integers(0, 10), min_size=days, max_size=days)))
    opening = draw(st.integers(2, 20))
    stock = np.empty(days, dtype=np.int64)
    level = opening
    for day in range(days):
        level = level + purchases[day] - sales[day]
        if level < 2:  # the store is restocked before it runs down
            purchases[day] += 2 - level
            level = 2
        stock[day] = level
    return sales, stock, purchases


@st.composite
def any_series(draw: st.DrawFn, days: int) -> tuple[NDArray[np.float64], ...]:
    """Any series, holes and all."""
    values = st.one_of(st.integers(0, 4).map(float), st.just(NAN))
    sales = np.array(draw(st.lists(values, min_size=days, max_size=days)))
    stock = np.array(draw(st.lists(values, min_size=days, max_size=days)))
    purchases = np.array(draw(st.lists(values, min_size=days, max_size=days)))
    return sales, stock, purchases


DAYS = st.integers(1, 12)


def _flag_table(flags: tm.DistortionFlags) -> NDArray[np.bool_]:
    return np.stack([np.asarray(getattr(flags, k)) for k in tm.DISTORTION_KINDS], axis=-1)


def _day_table(flags: tm.DistortionFlags) -> NDArray[np.bool_]:
    return np.stack([np.asarray(getattr(flags, f"{k}_days")) for k in tm.DISTORTION_KINDS])


@given(DAYS.flatmap(lambda n: st.lists(clean_series(n), min_size=1, max_size=4)))
def test_clean_series_raise_no_flag(series: list[tuple[NDArray[np.int64], ...]]) -> None:
    sales, stock, purchases = (np.stack(parts) for parts in zip(*series, strict=True))
    flags = tm.distortion_flags(sales, stock, purchases=purchases)
    assert not np.asarray(flags.flagged).any()


@given(
    DAYS.flatmap(
        lambda n: st.tuples(st.lists(any_series(n), min_size=1, max_size=4), clean_series(n))
    ),
    st.data(),
)
def test_adding_a_clean_series_changes_no_other_flag(
    drawn: tuple[list[tuple[NDArray[np.float64], ...]], tuple[NDArray[np.int64], ...]],
    data: st.DataObject,
) -> None:
    series, clean = drawn
    sales, stock, purchases = (np.stack(parts) for parts in zip(*series, strict=True))
    before = tm.distortion_flags(sales, stock, purchases=purchases)
    at = data.draw(st.integers(0, len(series)))
    after = tm.distortion_flags(
        np.insert(sales, at, clean[0], axis=0),
        np.insert(stock, at, clean[1], axis=0),
        purchases=np.insert(purchases, at, clean[2], axis=0),
    )
    table = _flag_table(after)
    assert not table[at].any()
    np.testing.assert_array_equal(np.delete(table, at, axis=0), _flag_table(before))
    np.testing.assert_array_equal(np.delete(_day_table(after), at, axis=1), _day_table(before))


@given(DAYS.flatmap(lambda n: st.lists(any_series(n), min_size=1, max_size=4)))
def test_flags_are_per_series(series: list[tuple[NDArray[np.float64], ...]]) -> None:
    sales, stock, purchases = (np.stack(parts) for parts in zip(*series, strict=True))
    together = tm.distortion_flags(sales, stock, purchases=purchases)
    for index, (s, q, p) in enumerate(series):
        alone = tm.distortion_flags(s, q, purchases=p)
        np.testing.assert_array_equal(_flag_table(alone), _flag_table(together)[index])
        np.testing.assert_array_equal(_day_table(alone), _day_table(together)[:, index])
    # a flag is raised exactly where some day raised it
    for kind in tm.DISTORTION_KINDS:
        days = np.asarray(getattr(together, f"{kind}_days"))
        np.testing.assert_array_equal(np.asarray(getattr(together, kind)), days.any(axis=-1))


# --------------------------------------------------------------------------- volatility


def test_volatile_worked_example() -> None:
    # C1 sells 10 a week; C2 alternates 4 and 16 (mean 10, std 6); C3 sells 20, 20, 20, 0.
    week = np.zeros(7)
    c1 = np.concatenate([week + 10 / 7] * 4)
    c2 = np.concatenate([np.r_[4, 0, 0, 0, 0, 0, 0], np.r_[16, 0, 0, 0, 0, 0, 0]] * 2)
    c3 = np.concatenate([np.r_[20, 0, 0, 0, 0, 0, 0]] * 3 + [week])
    result = volatile_customers(np.stack([c1, c2, c3]), stores=["C1", "C2", "C3"])
    assert result.cycle_sales[1].tolist() == [4, 16, 4, 16]
    assert result.mean.tolist() == pytest.approx([10, 10, 15])
    assert result.std.tolist() == pytest.approx([0, 6, math.sqrt(75)])
    assert result.cv.tolist() == pytest.approx([0, 0.6, math.sqrt(75) / 15])
    assert result.ranked == ("C2", "C3", "C1")  # 0.6 > 0.577 > 0
    frame = result.to_frame()
    assert list(frame.index) == ["C2", "C3", "C1"]
    assert frame["rank"].tolist() == [1, 2, 3]
    assert volatile_customers(np.stack([c1, c2, c3]), top=2).order.tolist() == [1, 2]


def test_volatile_pools_brands() -> None:
    # two brands swinging in opposite directions: the store's total is steady
    brand_a = [3] * 7 + [1] * 7
    brand_b = [1] * 7 + [3] * 7
    result = volatile_customers([[brand_a, brand_b], [brand_a, brand_a]])
    assert result.cv[0] == 0
    assert result.cv[1] == pytest.approx(0.5)


def test_volatile_partial_cycles() -> None:
    sales = [[1] * 17]
    with pytest.raises(InvalidValueError, match="17 days, not a whole number of 7-day cycles"):
        volatile_customers(sales)
    result = volatile_customers(sales, partial="drop")
    assert result.left_out_days == 3
    assert result.cycle_sales.shape == (1, 2)


def test_volatile_errors() -> None:
    with pytest.raises(EmptyInputError, match="at least two whole 7-day cycles"):
        volatile_customers([[1] * 7])
    with pytest.raises(ShapeMismatchError, match="shaped"):
        volatile_customers([1] * 14)
    with pytest.raises(ShapeMismatchError, match="one label per store"):
        volatile_customers([[1] * 14], stores=["a", "b"])
    with pytest.raises(InvalidValueError, match="'top' must be >= 1"):
        volatile_customers([[1] * 14], top=0)
    with pytest.raises(InvalidValueError, match="'cycle_days' must be >= 1"):
        volatile_customers([[1] * 14], cycle_days=0)
    with pytest.raises(InvalidValueError, match="'partial'"):
        volatile_customers([[1] * 14], partial="pad")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'sales' must be finite"):
        volatile_customers([[NAN] * 14])
    with pytest.raises(EmptyInputError, match="no store"):
        volatile_customers(np.zeros((0, 14)))


SALES_CUBES = st.integers(1, 5).flatmap(
    lambda stores: st.integers(1, 4).flatmap(
        lambda brands: st.integers(2, 4).flatmap(
            lambda cycles: st.lists(
                st.integers(0, 9),
                min_size=stores * brands * cycles * 2,
                max_size=stores * brands * cycles * 2,
            ).map(lambda flat: np.array(flat).reshape(stores, brands, cycles * 2))
        )
    )
)


@given(SALES_CUBES, st.data())
def test_volatile_invariant_to_brand_order(cube: NDArray[np.int64], data: st.DataObject) -> None:
    permutation = data.draw(st.permutations(range(cube.shape[1])))
    plain = tm.volatile_customers(cube, cycle_days=2)
    shuffled = tm.volatile_customers(cube[:, list(permutation)], cycle_days=2)
    np.testing.assert_array_equal(plain.cv, shuffled.cv)
    np.testing.assert_array_equal(plain.order, shuffled.order)


@given(SALES_CUBES, st.integers(1, 50))
def test_volatile_laws(cube: NDArray[np.int64], factor: int) -> None:
    result = tm.volatile_customers(cube, cycle_days=2)
    cv = np.asarray(result.cv)
    assert np.all(np.isnan(cv) | (cv >= 0))
    # NaN exactly where the store sold nothing
    np.testing.assert_array_equal(np.isnan(cv), cube.sum(axis=(1, 2)) == 0)
    # ranked by descending cv, NaN last
    ranked = cv[np.asarray(result.order)]
    known = ranked[~np.isnan(ranked)]
    assert np.all(np.diff(known) <= 0)
    assert not np.isnan(ranked[: known.size]).any()
    # scale-free
    scaled = tm.volatile_customers(cube * factor, cycle_days=2)
    np.testing.assert_allclose(scaled.cv, cv, rtol=1e-12, equal_nan=True)
    # cycle sales add up to the total
    assert np.asarray(result.cycle_sales).sum() == cube.sum()


def test_distortion_flags_pair_labelled_inputs_by_label() -> None:
    pd = pytest.importorskip("pandas")
    sales = pd.Series([0, 0, 0, 2], index=["d1", "d2", "d3", "d4"])
    stock = pd.Series([5, 1, 1, 1], index=["d4", "d1", "d2", "d3"])  # 1 on d1…d3, 5 on d4
    flags = distortion_flags(sales, stock, token=1)
    plain = distortion_flags([0, 0, 0, 2], [1, 1, 1, 5], token=1)
    assert flags.days("token_hold") == plain.days("token_hold") == (0, 1, 2)
    with pytest.raises(ShapeMismatchError, match="carry different labels"):
        distortion_flags(sales, stock.rename({"d4": "x"}))


# --------------------------------------------------------------------------- adversarial sweep


@pytest.mark.parametrize("unit", [1e-320, 1e-300, 1e-10, 1.0, 1e10, 1e300, 1e306])
def test_volatile_cv_at_any_scale(unit: float) -> None:
    """cv of cycles (7u, 0) is 1 and of (7u, 21u) is 0.5, from subnormal to 1e306 cartons.

    The squares of the deviations used to underflow to 0 (cv 0 for tiny sales)
    or overflow (a RuntimeWarning turned into an error for huge ones).
    """
    result = volatile_customers(np.array([[unit] * 7 + [0.0] * 7, [unit] * 7 + [3 * unit] * 7]))
    np.testing.assert_allclose(result.cv, [1.0, 0.5], rtol=1e-12)
    np.testing.assert_allclose(result.mean, [3.5 * unit, 14 * unit], rtol=1e-12)
    assert result.order.tolist() == [0, 1]


def test_volatile_cv_of_whole_cartons_is_exact() -> None:
    """Cycles 4 and 12: cv exactly 0.5 (a scaling by the largest cycle gave 0.5000000000000001)."""
    result = volatile_customers([[2, 2, 6, 6], [3, 3, 3, 3]], cycle_days=2)
    assert result.cv.tolist() == [0.5, 0.0]
    assert result.mean.tolist() == [8.0, 6.0]
    assert result.std.tolist() == [4.0, 0.0]


def test_volatile_store_labels_distinct_and_not_a_string() -> None:
    with pytest.raises(InvalidValueError, match="'stores' must name each store once: 'a'"):
        volatile_customers([[1] * 14, [2] * 14], stores=["a", "a"])
    with pytest.raises(TypeError, match="pass \\['ab'\\] for one store"):
        volatile_customers([[1] * 14, [2] * 14], stores="ab")
    with pytest.raises(TypeError, match="hashable"):
        volatile_customers([[1] * 14], stores=[["a"]])  # type: ignore[list-item]


@given(SALES_CUBES, st.integers(1, 50), st.data())
@settings(max_examples=30)
def test_volatile_scale_and_store_order_change_no_bit(
    cube: NDArray[np.int64], factor: int, data: st.DataObject
) -> None:
    """Sales scaled by 2**k: the same cv to the last bit; stores permuted: permuted."""
    result = tm.volatile_customers(cube, cycle_days=2)
    for scale in (2.0**factor, 2.0**-factor, 2.0**1000, 2.0**-1000):
        scaled = tm.volatile_customers(cube * scale, cycle_days=2)
        np.testing.assert_array_equal(scaled.cv, result.cv)
        np.testing.assert_array_equal(scaled.order, result.order)
    order = list(data.draw(st.permutations(range(cube.shape[0]))))
    shuffled = tm.volatile_customers(cube[order], cycle_days=2, stores=order)
    np.testing.assert_array_equal(shuffled.cv, np.asarray(result.cv)[order])
    ranked_cv = np.asarray(result.cv)[[int(store) for store in shuffled.ranked]]  # type: ignore[call-overload]
    np.testing.assert_array_equal(ranked_cv, np.asarray(result.cv)[result.order])


def test_ledger_of_whole_cartons_is_exact_and_refused_past_2_53() -> None:
    """Opening 2**53 − 1, 2 bought, 2 sold, closing 2**53 − 1: balanced (float64 said 1 ≠ 2)."""
    big = 2**53 - 1
    flags = distortion_flags(np.array([0, 2]), np.array([big, big]), purchases=np.array([0, 2]))
    assert not flags.ledger_mismatch
    unbalanced = distortion_flags(
        np.array([0, 1]), np.array([big, big]), purchases=np.array([0, 2])
    )
    assert unbalanced.days("ledger_mismatch") == (1,)
    for inventory in (np.array([10**17, 10**17 - 1]), np.array([1e17, 1e17])):
        with pytest.raises(InvalidValueError, match="'inventory' must be <= 2\\*\\*53"):
            distortion_flags([0, 1], inventory, purchases=[0, 0])
    # without purchases the ledger is not read, so large stock is fine
    assert not distortion_flags([0, 1], np.array([10**17, 10**17 - 1])).flagged


@pytest.mark.parametrize("index", [5, -3, (0, 1), True, 1.0, [0]])
def test_days_and_reasons_refuse_a_bad_series_index(index: object) -> None:
    """An out-of-range position was a raw IndexError, a float a raw TypeError, True was 1."""
    flags = distortion_flags(np.ones((2, 3)), np.ones((2, 3)))
    wrong_type = not isinstance(index, (int, tuple)) or isinstance(index, bool)
    error, match = (
        (TypeError, "'index' must be an int or a tuple of ints")
        if wrong_type
        else (InvalidValueError, "'index' must name one series of the shape")
    )
    with pytest.raises(error, match=match):
        flags.reasons(index)  # type: ignore[arg-type]
    assert flags.days("token_hold", -2) == flags.days("token_hold", np.int64(0)) == ()

"""Tests of price classes (tobacco_metrics.pricing)."""

from __future__ import annotations

import math
from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tobacco_metrics as tm
from tobacco_metrics import InvalidValueError, PriceClass, PriceClassThresholds, price_class


def test_default_thresholds_with_inclusive_lower_bounds() -> None:
    prices = [250.0, 100.0, 99.99, 70.0, 69.9, 30.0, 29.99, 16.5, 16.49, 5.0]
    assert price_class(prices).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_result_dtype_and_scalar_result() -> None:
    assert price_class([45.0]).dtype == np.int8
    scalar = price_class(45.0)
    assert isinstance(scalar, np.int8)
    assert PriceClass(int(scalar)) is PriceClass.III


def test_custom_thresholds() -> None:
    thresholds = PriceClassThresholds(class_i=130, class_ii=90, class_iii=50, class_iv=20)
    assert price_class([120.0, 60.0, 19.0], thresholds).tolist() == [2, 3, 5]


def test_labels_are_the_chinese_names() -> None:
    assert [c.label for c in PriceClass] == ["一类", "二类", "三类", "四类", "五类"]


@pytest.mark.parametrize("bad", [0.0, -5.0, math.nan, math.inf])
def test_non_positive_or_non_finite_prices_are_refused(bad: float) -> None:
    with pytest.raises(InvalidValueError, match="'allocation_price' must be"):
        price_class([50.0, bad])


def test_wrong_types_are_refused() -> None:
    with pytest.raises(TypeError, match="'allocation_price'"):
        price_class("50")
    with pytest.raises(TypeError, match="'thresholds' must be a PriceClassThresholds"):
        price_class(50.0, (100, 70, 30, 16.5))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"class_i": 70.0},
        {"class_iii": 10.0},
        {"class_ii": 100.0},
    ],
)
def test_thresholds_must_be_strictly_decreasing(kwargs: dict[str, float]) -> None:
    with pytest.raises(InvalidValueError, match="strictly decreasing"):
        PriceClassThresholds(**kwargs)


@pytest.mark.parametrize("bad", [0, -1, math.nan])
def test_thresholds_must_be_positive_prices(bad: float) -> None:
    with pytest.raises(InvalidValueError, match="'class_iv' must be a finite price > 0"):
        PriceClassThresholds(class_iv=bad)


def test_thresholds_round_trip_through_a_dict() -> None:
    thresholds = PriceClassThresholds(class_i=120.0)
    assert PriceClassThresholds.from_dict(thresholds.to_dict()) == thresholds


prices = hnp.arrays(np.float64, st.integers(1, 20), elements=st.floats(0.01, 1000))


@given(prices)
def test_a_higher_price_never_has_a_lower_class(values: Any) -> None:
    order = np.argsort(values)
    classes = price_class(values[order])
    assert (np.diff(classes.astype(int)) <= 0).all()
    assert ((classes >= 1) & (classes <= 5)).all()


@given(prices)
def test_matches_the_threshold_definition(values: Any) -> None:
    bounds = PriceClassThresholds().as_tuple()
    expected = [1 + sum(v < bound for bound in bounds) for v in values.tolist()]
    assert price_class(values).tolist() == expected


def test_a_narrow_float_price_on_a_bound_is_in_the_higher_class() -> None:
    # float32(16.3) < 16.3 in float64: compared there it fell to class V.
    bounds = tm.PriceClassThresholds(100, 70, 30, 16.3)
    prices = np.array([16.3, 16.29, 70.1, 100.0], dtype=np.float32)
    assert tm.price_class(prices, bounds).tolist() == [4, 5, 2, 1]
    assert tm.price_class(np.longdouble("16.3"), bounds) == 4
    assert tm.Brand("c", "n", np.float32(16.3)).price_class_under(bounds) is tm.PriceClass.IV
    # A bound beyond float16's range is out of reach, without an overflow warning.
    far = tm.PriceClassThresholds(1e6, 1e5, 3e4, 16.5)
    assert tm.price_class(np.float16(60000), far) == 3


def test_thresholds_from_dict_names_an_unknown_key() -> None:
    with pytest.raises(InvalidValueError, match=r"unknown field.*class_v.*expected some of"):
        PriceClassThresholds.from_dict({"class_i": 120, "class_v": 10})
    with pytest.raises(TypeError, match="needs a dict"):
        PriceClassThresholds.from_dict(None)  # type: ignore[arg-type]
    assert PriceClassThresholds.from_dict({"class_i": "130"}).class_i == 130.0


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("x", InvalidValueError, "^'class_ii' must be a number: 'x'$"),
        (None, TypeError, "^'class_ii' must be a number, got NoneType$"),
        (True, TypeError, "^'class_ii' must be a number, got bool$"),
        (10**400, InvalidValueError, "^'class_ii' must be a finite price > 0: it is too large$"),
    ],
)
def test_a_threshold_that_is_not_a_price_is_refused_by_name(
    value: object, error: type[Exception], message: str
) -> None:
    """The converter's messages named no field ('a price class threshold must be …')."""
    with pytest.raises(error, match=message):
        PriceClassThresholds(class_ii=value)

"""Tests of the unit conversions (tobacco_metrics.units)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tobacco_metrics as tm
from tobacco_metrics import (
    CARTONS_PER_CASE,
    PACKS_PER_CARTON,
    STICKS_PER_CARTON,
    STICKS_PER_PACK,
    cartons_to_cases,
    cartons_to_packs,
    cartons_to_sticks,
    cases_to_cartons,
    packs_to_cartons,
    sticks_to_cartons,
)

CONVERSIONS = [
    cartons_to_cases,
    cases_to_cartons,
    packs_to_cartons,
    cartons_to_packs,
    sticks_to_cartons,
    cartons_to_sticks,
]


def test_constants_are_the_industry_units() -> None:
    assert CARTONS_PER_CASE == 250
    assert PACKS_PER_CARTON == 10
    assert STICKS_PER_PACK == 20
    assert STICKS_PER_CARTON == 200
    # a standard case (标准箱) is 50,000 sticks
    assert CARTONS_PER_CASE * STICKS_PER_CARTON == 50_000


def test_names_are_public() -> None:
    for name in ("CARTONS_PER_CASE", "cartons_to_cases", "packs_to_cartons", "sticks_to_cartons"):
        assert name in tm.__all__


def test_worked_values() -> None:
    assert cartons_to_cases(500) == 2.0
    assert cartons_to_cases([125, 250, 1000]).tolist() == [0.5, 1.0, 4.0]
    assert cases_to_cartons(0.5) == 125.0
    assert packs_to_cartons(25) == 2.5
    assert cartons_to_packs(2.5) == 25.0
    assert sticks_to_cartons(50_000) == 250.0
    assert cartons_to_sticks([1, 250]).tolist() == [200.0, 50_000.0]


@pytest.mark.parametrize("convert", CONVERSIONS)
def test_scalar_in_numpy_scalar_out(convert: Callable[..., Any]) -> None:
    result = convert(3)
    assert isinstance(result, np.float64)


@pytest.mark.parametrize("convert", CONVERSIONS)
def test_shape_and_dtype_kept(convert: Callable[..., Any]) -> None:
    data = np.arange(6, dtype=np.int32).reshape(2, 3)
    result = convert(data)
    assert result.shape == (2, 3)
    assert result.dtype == np.float64
    assert data.dtype == np.int32  # the input is untouched


def test_sign_and_nan_pass_through() -> None:
    result = cartons_to_cases([-250.0, math.nan])
    assert result[0] == -1.0
    assert math.isnan(result[1])


def test_pandas_series() -> None:
    pd = pytest.importorskip("pandas")
    assert packs_to_cartons(pd.Series([10, 20])).tolist() == [1.0, 2.0]


@pytest.mark.parametrize("bad", ["250", True, [1 + 2j]])
def test_non_numbers_are_type_errors(bad: object) -> None:
    with pytest.raises(TypeError, match="'cartons' must"):
        cartons_to_cases(bad)  # type: ignore[arg-type]


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_round_trips_are_exact_for_whole_cartons(cartons: int) -> None:
    # x / 250 is not exact in binary, so the case round trip is exact only to rounding
    assert math.isclose(float(cases_to_cartons(cartons_to_cases(cartons))), cartons, rel_tol=1e-15)
    assert packs_to_cartons(cartons_to_packs(cartons)) == cartons
    assert sticks_to_cartons(cartons_to_sticks(cartons)) == cartons


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_subnormal=False))
def test_conversions_are_linear_and_consistent(cartons: float) -> None:
    assert math.isclose(float(cartons_to_sticks(cartons)), cartons * 200, rel_tol=1e-15)
    # sticks -> packs -> cartons agrees with sticks -> cartons
    sticks = float(cartons_to_sticks(cartons))
    via_packs = float(packs_to_cartons(sticks / STICKS_PER_PACK))
    assert math.isclose(via_packs, float(sticks_to_cartons(sticks)), rel_tol=1e-12, abs_tol=1e-9)
    assert math.isclose(
        float(cartons_to_cases(cartons)) * 250, cartons, rel_tol=1e-12, abs_tol=1e-9
    )


@pytest.mark.parametrize(
    ("values", "position"),
    [
        ([True, 2], "index 0"),
        ([[1, 2], [3, False]], r"index \(1, 1\)"),
        ((1.5, np.True_), "index 1"),
    ],
)
def test_a_flag_among_numbers_is_refused_where_it_stands(values: Any, position: str) -> None:
    """numpy reads True among ints as 1: [True, 2] was 200 and 400 sticks."""
    with pytest.raises(TypeError, match=f"not True or False: the item at {position} is a flag"):
        tm.cartons_to_sticks(values)
    with pytest.raises(TypeError, match="not True or False"):
        tm.cycle_metrics(values, np.ones(np.shape(values)))

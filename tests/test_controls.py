"""Brand supply status and category on Brand; control caps."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tobacco_metrics as tm
from tobacco_metrics import (
    Brand,
    BrandCategory,
    InvalidValueError,
    ShapeMismatchError,
    SupplyStatus,
    control_caps,
)

NAN = math.nan


def test_brand_carries_status_and_category() -> None:
    brand = Brand(
        "6901028000000",
        "兰州(硬珍品)",
        180.0,
        supply_status="controlled",
        category=BrandCategory.ASSESSED,
    )
    assert brand.supply_status is SupplyStatus.CONTROLLED
    assert brand.supply_status.label == "控量"
    assert brand.category is BrandCategory.ASSESSED
    data = brand.to_dict()
    assert data["supply_status"] == "CONTROLLED"
    assert data["category"] == "ASSESSED"
    assert Brand.from_dict(data) == brand
    plain = Brand("X", "x", 20.0)
    assert plain.supply_status is None
    assert plain.category is None
    assert Brand.from_dict(plain.to_dict()) == plain
    with pytest.raises(InvalidValueError, match="'supply_status' must be one of"):
        Brand("X", "x", 20.0, supply_status="rare")
    with pytest.raises(InvalidValueError, match="'category' must be one of"):
        Brand("X", "x", 20.0, category="premium")
    assert [c.label for c in BrandCategory] == ["常规", "重点", "控制", "考核"]
    assert [s.label for s in SupplyStatus] == ["紧俏", "顺销", "控量", "控点控量"]


def test_control_caps_worked_example() -> None:
    status = [SupplyStatus.SCARCE, "smooth", "CONTROLLED", "point_controlled", None]
    caps = control_caps(status, [math.nan, math.nan, 5, 3, math.nan])
    np.testing.assert_array_equal(caps, [NAN, NAN, 5.0, 3.0, NAN])
    points = np.array([[True] * 5, [True, True, True, False, True]])
    caps = control_caps(status, [0, 0, 5, 3, 0], points=points)
    np.testing.assert_array_equal(caps, [[NAN, NAN, 5, 3, NAN], [NAN, NAN, 5, 0, NAN]])
    # scarce brands capped too when asked
    caps = control_caps(status, [8, 0, 5, 3, 0], capped={"scarce", SupplyStatus.CONTROLLED})
    np.testing.assert_array_equal(caps, [8.0, NAN, 5.0, NAN, NAN])
    assert control_caps("controlled", 12) == 12.0


def test_control_caps_errors() -> None:
    with pytest.raises(InvalidValueError, match="must be a number where the status is capped"):
        control_caps(["controlled"], [math.nan])
    with pytest.raises(InvalidValueError, match="'control_level' must be >= 0"):
        control_caps(["controlled"], [-1])
    with pytest.raises(InvalidValueError, match="'status' must be one of"):
        control_caps(["rare"], [1])
    with pytest.raises(ShapeMismatchError, match="do not broadcast"):
        control_caps(["controlled", "smooth"], [1, 2, 3])
    with pytest.raises(TypeError, match="'points' must be a boolean mask"):
        control_caps(["controlled"], [1], points=[1])
    with pytest.raises(TypeError, match="'capped' must be a collection"):
        control_caps(["controlled"], [1], capped="controlled")


STATUSES = st.sampled_from([*SupplyStatus, None])


@given(
    st.lists(st.tuples(STATUSES, st.integers(0, 50), st.booleans()), min_size=1, max_size=8),
    st.lists(st.integers(0, 80), min_size=1, max_size=8),
)
def test_a_cap_never_raises_a_quota(
    rows: list[tuple[SupplyStatus | None, int, bool]], quotas: list[int]
) -> None:
    status = [row[0] for row in rows]
    level = np.array([row[1] for row in rows])
    points = np.array([row[2] for row in rows])
    caps = tm.control_caps(status, level, points=points)
    quota = np.resize(np.array(quotas), len(rows))
    capped = np.fmin(quota, caps)
    assert np.all(capped <= quota)
    controlled = np.array([s in tm.DEFAULT_CAPPED_STATUSES for s in status])
    assert np.all(capped[controlled] <= level[controlled])
    assert np.all(np.isnan(caps[~controlled]))
    outside = np.array([s is SupplyStatus.POINT_CONTROLLED for s in status]) & ~points
    assert np.all(caps[outside] == 0)


def test_quota_review_takes_the_caps() -> None:
    # Three brands out two days a week at a quota of 70: a raise to 91 is due (max_change 0.3).
    sales = [[14, 14, 14, 14, 14, 0, 0] * 4] * 3
    stock = [[56, 42, 28, 14, 0, 0, 0] * 4] * 3
    caps = control_caps(
        ["smooth", "controlled", "point_controlled"], [NAN, 75, 60], points=[True, True, False]
    )
    review = tm.quota_review(70, sales, stock, max_quota=caps)
    assert review.proposed.tolist() == [91, 75, 0]  # smooth: raised; 控量: to 75; not a point: 0
    assert review.reasons.capped.tolist() == [True, True, True]


@given(
    st.lists(st.sampled_from([*SupplyStatus, None]), min_size=3, max_size=3),
    st.lists(st.integers(0, 120), min_size=3, max_size=3),
    st.integers(40, 100),
)
def test_a_reviewed_controlled_quota_never_exceeds_its_level(
    status: list[SupplyStatus | None], level: list[int], quota: int
) -> None:
    sales = [[14, 14, 14, 14, 14, 0, 0] * 2] * 3
    stock = [[56, 42, 28, 14, 0, 0, 0] * 2] * 3
    caps = tm.control_caps(status, level)
    proposed = np.asarray(tm.quota_review(quota, sales, stock, max_quota=caps).proposed)
    controlled = ~np.isnan(caps)
    assert np.all(proposed[controlled] <= np.asarray(level)[controlled])


def test_a_fractional_control_level_is_refused_where_capped() -> None:
    # A cap goes to quota_review's max_quota, whole cartons: 5.5 used to pass here and
    # fail there ("'max_quota' must be whole cartons").
    with pytest.raises(
        InvalidValueError,
        match=r"'control_level' must be whole cartons where the status is capped: 5\.5 at index 1",
    ):
        control_caps(["smooth", "controlled"], [2.5, 5.5])
    # an unused level (a status not capped) may be anything >= 0
    caps = control_caps(["smooth", "controlled"], [2.5, 5.0])
    np.testing.assert_array_equal(caps, [NAN, 5.0])
    assert tm.quota_review(4, [1] * 7, [0] * 7, max_quota=caps[1]).proposed <= 5

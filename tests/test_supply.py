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

INF = math.inf


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
    assert caps.tolist() == [INF, INF, 5.0, 3.0, INF]
    points = np.array([[True] * 5, [True, True, True, False, True]])
    caps = control_caps(status, [0, 0, 5, 3, 0], points=points)
    assert caps.tolist() == [[INF, INF, 5.0, 3.0, INF], [INF, INF, 5.0, 0.0, INF]]
    # scarce brands capped too when asked
    caps = control_caps(status, [8, 0, 5, 3, 0], capped={"scarce", SupplyStatus.CONTROLLED})
    assert caps.tolist() == [8.0, INF, 5.0, INF, INF]
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
    capped = np.minimum(quota, caps)
    assert np.all(capped <= quota)
    controlled = np.array([s in tm.DEFAULT_CAPPED_STATUSES for s in status])
    assert np.all(capped[controlled] <= level[controlled])
    assert np.all(caps[~controlled] == INF)
    outside = np.array([s is SupplyStatus.POINT_CONTROLLED for s in status]) & ~points
    assert np.all(caps[outside] == 0)

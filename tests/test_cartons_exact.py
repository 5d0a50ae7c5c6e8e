"""The vectorised exact scaling of float weights equals the Python as_integer_ratio path."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tobacco_metrics import _cartons


def _python_path(weights: Any) -> list[int]:
    ratios = [value.as_integer_ratio() for value in weights.ravel().tolist()]
    denominator = max(den for _, den in ratios)
    return [num * (denominator // den) for num, den in ratios]


weights_lists = st.lists(
    st.one_of(
        st.floats(0, 1e6, allow_nan=False, allow_infinity=False),
        st.sampled_from([0.0, 0.1, 0.2, 0.7, 1 / 3, 5e-324, 2.0**-60, 1e300, 3.0]),
    ),
    min_size=1,
    max_size=12,
)


@given(weights_lists)
def test_vectorised_scaling_is_the_python_path(values: list[float]) -> None:
    weights = np.array(values, dtype=np.float64)
    fast = _cartons._scaled_to_integers(weights)
    if fast is None:  # too wide for int64: the Python path is taken
        return
    assert fast.tolist() == _python_path(weights)


@given(weights_lists, st.integers(0, 10**6))
def test_split_with_float_weights_is_unchanged(values: list[float], total: int) -> None:
    weights = np.array(values, dtype=np.float64)
    if not weights.any():
        return
    got = _cartons.split(np.asarray(total), weights)
    with patch.object(_cartons, "_scaled_to_integers", lambda _weights: None):
        expected = _cartons.split(np.asarray(total), weights)  # the Python path
    assert np.asarray(got).tolist() == np.asarray(expected).tolist()


def test_by_hand() -> None:
    # 0.25 = 1/4, 0.5 = 2/4, 1.75 = 7/4: scaled by 4
    scaled = _cartons._scaled_to_integers(np.array([0.25, 0.5, 1.75, 0.0]))
    assert scaled is not None
    assert scaled.tolist() == [1, 2, 7, 0]
    assert _cartons._scaled_to_integers(np.array([1e300, 2.0**-60])) is None

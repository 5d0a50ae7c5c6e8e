"""The quota review's sums over cycles (tobacco_metrics._review): numpy's, bit for bit."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tobacco_metrics import _review

# Terms of very different sizes: a sum in another order than numpy's differs in the last bit.
_TERMS = st.floats(0, 1e6, allow_nan=False, width=64) | st.sampled_from([0.0, -0.0, 1e-9, 3e15])


@given(
    st.integers(1, 300).flatmap(
        lambda n: hnp.arrays(np.float64, st.tuples(st.integers(0, 5), st.just(n)), elements=_TERMS)
    ),
    st.sampled_from(["C", "F", "transposed"]),
)
def test_row_sums_are_numpys_sums(values: Any, layout: str) -> None:
    """Every run length (under 8, up to 128, split beyond) and memory layout."""
    expected = np.sum(values, axis=-1)  # a C-ordered array: each row pairwise
    if layout == "F":
        values = np.asfortranarray(values)
    elif layout == "transposed":
        values = np.ascontiguousarray(values.T).T
    got = _review.row_sums(values)
    assert got.dtype == np.float64
    assert got.shape == expected.shape
    assert np.array_equal(got.view(np.uint64), expected.view(np.uint64))


def test_row_sums_known_orders() -> None:
    """A sum whose order shows: 1e16 and nine 1s is 1e16 one by one, 1e16 + 8 in pairs."""
    row = np.array([[1e16] + [1.0] * 9])
    assert _review.row_sums(row)[0] == np.sum(row) == 1e16 + 8.0
    assert _review.row_sums(row[:, :3])[0] == 1e16  # under 8 terms: one by one
    assert _review.row_sums(np.array([-0.0, -0.0])) == 0.0
    assert not np.signbit(_review.row_sums(np.array([-0.0, -0.0])))


@given(
    st.tuples(st.integers(0, 6), st.integers(1, 14)).flatmap(
        lambda shape: st.tuples(
            hnp.arrays(np.float64, shape, elements=_TERMS),
            hnp.arrays(np.float64, shape, elements=_TERMS),
            hnp.arrays(np.float64, shape, elements=_TERMS | st.just(np.inf)),
            hnp.arrays(np.int64, shape, elements=st.integers(0, 7)),
            st.none() | hnp.arrays(np.bool_, shape),
        )
    )
)
def test_evidence_is_the_reviews_rule(arrays: tuple[Any, ...]) -> None:
    """ΣA and ΣP over the unrationed cycles, the mean cover, stockouts anywhere and unrationed."""
    actual, projected, cover, stockouts, unrationed = arrays
    mask = np.ones(actual.shape, dtype=bool) if unrationed is None else unrationed
    found = _review.evidence(actual, projected, cover, stockouts, unrationed)
    expected = (
        np.sum(np.where(mask, actual, 0.0), axis=-1),
        np.sum(np.where(mask, projected, 0.0), axis=-1),
        np.mean(cover, axis=-1),
        np.sum(stockouts, axis=-1) > 0,
        np.any((stockouts > 0) & mask, axis=-1),
    )
    for got, want in zip(found, expected, strict=True):
        assert np.asarray(got).dtype == want.dtype
        assert np.array_equal(np.asarray(got), want, equal_nan=want.dtype.kind == "f")
        if want.dtype.kind == "f":
            assert np.array_equal(np.signbit(got), np.signbit(want))


def test_count_true_counts_past_uint8() -> None:
    flags = np.ones((2, 300), dtype=bool)
    flags[1, ::2] = False
    assert _review.count_true(flags).tolist() == [300, 150]
    assert _review.count_true(flags[:, :10]).tolist() == [10, 5]

"""A store's weekday effect, shared by its brands, in the censored-demand model (private).

When the series are stores × brands, each brand's weekday shape k is a
random effect around the district's shape h plus its store's effect s::

    k[i, w] = h[w] + s[store(i), w] + u[i, w],   s ~ N(0, τ_s²[w]),   u ~ N(0, τ_k²)

An office store quiet at weekends tells each of its brands so, even a brand
whose own weekends are always out of stock. The functions work on the shape
measurements of :mod:`tobacco_metrics._censored` (per series × weekday, with
their noise), so they stay free of its state.
"""

from __future__ import annotations

import numpy as np

from tobacco_metrics._typing import BoolArray, FloatArray, IntArray


def stores_of(stores: IntArray) -> IntArray | None:
    """The stores of some series numbered 0 .. G − 1; None unless a store has two of them.

    >>> stores_of(np.array([4, 4, 9]))
    array([0, 0, 1])
    >>> stores_of(np.array([4, 9])) is None
    True
    """
    if stores.size == 0:
        return None
    _, group = np.unique(stores, return_inverse=True)
    result: IntArray = group.astype(np.int64).reshape(-1)
    return None if int(result.max()) + 1 == stores.size else result


def _store_sums(group: IntArray, values: FloatArray) -> FloatArray:
    """(G, 7) sums of (n, 7) values over the series of each store."""
    stores = int(group.max()) + 1 if group.size else 0
    result: FloatArray = np.zeros((stores, values.shape[1]))
    np.add.at(result, group, values)
    return result


def store_effect(
    group: IntArray,
    spread_store: FloatArray,
    spread_series: float,
    residual: FloatArray,
    noise: FloatArray,
    informed: BoolArray,
) -> tuple[FloatArray, FloatArray]:
    """(mean, variance) per series × weekday of its store's effect, from the store's *other* brands.

    ``residual`` is each brand's shape measurement less the district's shape,
    z − h ~ N(s, τ_k² + its noise) (``spread_series`` τ_k², ``spread_store``
    τ_s² per weekday). The result is the posterior of s given the other
    brands of the series' store (leave one out: the series' own days are not
    counted twice); the series' prior is then h + that mean, with variance
    τ_k² + that variance.

    >>> group = np.array([0, 0, 1])
    >>> residual = np.array([[-1.0] * 7, [-1.0] * 7, [0.5] * 7])
    >>> mean, variance = store_effect(
    ...     group, np.full(7, 1.0), 0.01, residual, np.full((3, 7), 0.01), np.ones((3, 7), bool)
    ... )
    >>> float(mean[0, 0].round(3)), float(mean[2, 0])  # store 1's only brand has no other
    (-0.98, 0.0)
    """
    tau = np.maximum(spread_store, 1e-12)[None, :]
    a = np.where(informed, 1.0 / (spread_series + noise), 0.0)
    ar = a * np.where(informed, residual, 0.0)
    sum_a = _store_sums(group, a)[group] - a
    sum_ar = _store_sums(group, ar)[group] - ar
    precision = np.maximum(sum_a, 0.0) + 1.0 / tau
    mean: FloatArray = sum_ar / precision
    variance: FloatArray = 1.0 / precision
    return mean, variance


def store_spread(group: IntArray, residual: FloatArray, informed: BoolArray) -> FloatArray:
    """τ_s² per weekday from the products of two brands' shape residuals in one store.

    Two brands of a store share its effect and nothing else, so the mean
    product of their residuals (each around the district's shape) is τ_s²
    whatever their noise: per weekday, Σ_stores ((Σ r)² − Σ r²) over the
    count of ordered pairs, floored at 0. Every pair counts alike: weights by
    the noise would favour the busy weekdays, and a store effect is often
    largest on the quiet ones (an office store's weekend). Per weekday, since
    a store's effect need not be as large on every day.

    >>> group = np.array([0, 0, 1, 1])
    >>> residual = np.array([[0.5] * 7, [0.5] * 7, [-0.5] * 7, [-0.5] * 7])
    >>> store_spread(group, residual, np.ones((4, 7), bool))[0]
    np.float64(0.25)
    """
    r = np.where(informed, residual, 0.0)
    count = informed.astype(np.float64)
    pairs = (_store_sums(group, r) ** 2 - _store_sums(group, r * r)).sum(axis=0)
    number = (_store_sums(group, count) ** 2 - _store_sums(group, count)).sum(axis=0)
    safe = np.where(number > 0, number, 1.0)
    result: FloatArray = np.where(number > 0, np.maximum(pairs / safe, 0.0), 0.0)
    return result

"""Negative-binomial size and zero inflation per volume class (private).

The dispersion of the censored-demand model (:mod:`tobacco_metrics._censored`):
each volume class of the series' mean demand has its own size r, profiled on
a grid, and its own share π of days without demand, each pulled toward the
pooled value.  And the service quota's one size by moments
(:func:`moment_dispersion`).
"""

from __future__ import annotations

import math
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from tobacco_metrics._censored_model import (
    CLASS_EDGES,
    Data,
    State,
    log_mu,
    volume_classes,
)
from tobacco_metrics._negbin import gammaln, log_nb_pmf, tail_moments
from tobacco_metrics._typing import FloatArray, IntArray

_MIN_SIZE: Final = 0.05
_MAX_INFLATION: Final = 0.95  # largest share of days without demand
_INFLATION_TEST: Final = 2.71  # ½χ²₀ + ½χ²₁ at 5%: the evidence π > 0 needs
_CLASS_PSEUDO: Final = 0.2  # weight of the pooled likelihood in a class, in share of its days
_PROFILE_SERIES: Final = 200  # series per class the dispersion is profiled on
_INVERSE_SIZES: Final = np.geomspace(1e-4, 20.0, 18)
MIN_MOMENT_SIZE: Final = 0.5  # the smallest size the moment estimate may return


def _profile_cells(data: Data, rows: IntArray, classes: IntArray) -> IntArray:
    """At most :data:`_PROFILE_SERIES` series per volume class, evenly spread."""
    chosen = []
    for label in np.unique(classes):
        members = np.flatnonzero(classes == label)
        step = max(1, members.size // _PROFILE_SERIES)
        chosen.append(members[::step][:_PROFILE_SERIES])
    return np.concatenate(chosen) if chosen else np.zeros(0, np.int64)


def update_size(data: Data, rows: IntArray, state: State, inflate: bool = True) -> None:
    """Negative-binomial size per volume class by profile likelihood on a grid.

    The likelihood of the class's days (observed: pmf; censored: tail;
    sell-out share known: pmf of the morning) is evaluated for each inverse
    size on :data:`_INVERSE_SIZES` plus the pooled one with weight
    :data:`_CLASS_PSEUDO`, and the best refined by a parabola in log.
    """
    classes = volume_classes(state)
    chosen = _profile_cells(data, rows, classes)
    if chosen.size == 0:
        return
    sales = data.sales[rows[chosen]].astype(np.float64)
    censored = data.censored[rows[chosen]]
    counted = data.counted[rows[chosen]]
    mu = np.exp(log_mu(state, chosen))
    label = np.broadcast_to(classes[chosen][:, None, None], mu.shape)
    observed = counted & ~censored
    if data.share is not None:
        share = data.share[rows[chosen]]
        known = censored & np.isfinite(share)
        mu = np.where(known, mu * np.where(known, share, 1.0), mu)
        observed = observed | known
        tail = censored & (sales > 0) & ~known
    else:
        tail = censored & (sales > 0)
    y_obs, mu_obs, c_obs = sales[observed], mu[observed], label[observed]
    counts = y_obs.astype(np.int64) if data.whole else np.zeros(y_obs.shape, np.int64)
    top = int(counts.max()) if counts.size else 0
    log_mu_obs = np.log(np.maximum(mu_obs, 1e-300))
    base = -gammaln(y_obs + 1.0) + y_obs * log_mu_obs
    s_tail, mu_tail, c_tail = sales[tail], mu[tail], label[tail]
    zero_obs = y_obs == 0
    inflate = inflate and bool(zero_obs.any())
    bins = CLASS_EDGES.size + 1
    c_zero = c_obs[zero_obs]
    n_positive = (
        np.bincount(c_obs[~zero_obs], minlength=bins) + np.bincount(c_tail, minlength=bins)
    ).astype(np.float64)
    grid = _INVERSE_SIZES
    table = np.empty((grid.size, bins))
    table_tail_pi = np.zeros((grid.size, bins))  # log(1 − π̂) per class, for the tail days
    for index, inverse in enumerate(grid):
        size = 1.0 / inverse
        # log Γ(y + r) − log Γ(r) = Σ_{k < y} log(r + k), tabulated over y.
        table_y = np.concatenate([[0.0], np.cumsum(np.log(size + np.arange(top)))])
        log_pmf = (
            base + table_y[counts] - size * np.log1p(mu_obs / size) - y_obs * np.log(mu_obs + size)
        )
        if not data.whole:
            log_pmf = log_nb_pmf(y_obs, mu_obs, np.full(y_obs.shape, size))
        if inflate:
            # Zero inflation profiled out with the size: π̂(r) per class, a zero's
            # likelihood π + (1 − π) p0, every day that sold (or sold out) 1 − π.
            p0 = np.exp(log_pmf[zero_obs])
            pi = _inflation_mle(p0, c_zero, n_positive)
            log_pmf = log_pmf.copy()
            log_pmf[zero_obs] = np.log(pi[c_zero] + (1.0 - pi[c_zero]) * p0)
            log_pmf = log_pmf + np.where(zero_obs, 0.0, np.log1p(-pi[c_obs]))
            table_tail_pi[index] = np.log1p(-pi)
        total = np.bincount(c_obs, weights=log_pmf, minlength=bins)
        table[index] = total
    if s_tail.size:
        sizes = np.repeat(1.0 / grid, s_tail.size)
        log_tail, _, _ = tail_moments(
            np.tile(s_tail, grid.size), np.tile(mu_tail, grid.size), sizes
        )
        by_grid = log_tail.reshape(grid.size, s_tail.size)
        for index in range(grid.size):
            table[index] += np.bincount(c_tail, weights=by_grid[index], minlength=bins)
            table[index] += table_tail_pi[index] * np.bincount(c_tail, minlength=bins)
    cells = np.bincount(c_obs, minlength=bins) + np.bincount(c_tail, minlength=bins)
    pooled = table.sum(axis=1)
    share_of_pool = _CLASS_PSEUDO * cells / max(float(cells.sum()), 1.0)
    # A weakly informative prior on the inverse size α = 1/r (the squared coefficient
    # of variation of the gamma mixing): √α ~ half-normal(0, 1), log density −α/2 (the
    # usual default for a negative binomial's overdispersion). Where a class's days
    # cannot tell a heavy tail from zero inflation (a few sparse days) π and r would
    # otherwise trade freely and the tail of a sold-out day run away; on a class with
    # many days the likelihood dominates it.
    scores = table + pooled[:, None] * share_of_pool[None, :] - (0.5 * grid)[:, None]
    best = np.argmax(scores, axis=0)
    log_grid = np.log(grid)
    inverse_size = np.empty(bins)
    for label_index in range(bins):
        k = int(best[label_index])
        if 0 < k < grid.size - 1:
            y0, y1, y2 = scores[k - 1 : k + 2, label_index]
            curvature = y0 - 2 * y1 + y2
            offset = 0.5 * (y0 - y2) / curvature if curvature < 0 else 0.0
            step = log_grid[k + 1] - log_grid[k]
            inverse_size[label_index] = math.exp(log_grid[k] + float(np.clip(offset, -1, 1)) * step)
        else:
            inverse_size[label_index] = grid[k]
    # A class without a day in the profile takes the pooled dispersion.
    empty = cells == 0
    if empty.any():
        inverse_size[empty] = grid[int(np.argmax(pooled))]
    state.class_size = 1.0 / inverse_size
    state.size = state.class_size[classes]


def update_inflation(data: Data, rows: IntArray, state: State) -> None:
    """Zero inflation π per volume class: its maximum likelihood given the levels and sizes.

    The class's observed zeros (likelihood π + (1 − π) p0, p0 = NB(0; μ, r))
    and its days with sales (observed, or sold out after selling s >= 1:
    1 − π each) give a log-likelihood concave in π; its root is found by
    bisection, each class's likelihood pulled toward the pooled one by
    :data:`_CLASS_PSEUDO` as for the size. π = 0 exactly when the slope at 0
    is not positive: for negative-binomial days E[Σ_zeros (1 − p0)/p0] equals
    the expected count of days with sales, so without inflation π is 0 or
    within sampling noise of it. Days out all day say nothing of π.
    """
    classes = volume_classes(state)
    chosen = _profile_cells(data, rows, classes)
    if chosen.size == 0:
        return
    sales = data.sales[rows[chosen]]
    censored = data.censored[rows[chosen]]
    counted = data.counted[rows[chosen]]
    observed = counted & ~censored
    zero = observed & (sales == 0)
    positive = counted & (sales > 0)
    if not zero.any():
        state.class_inflation = None
        state.inflation = None
        return
    bins = CLASS_EDGES.size + 1
    label = np.broadcast_to(classes[chosen][:, None, None], sales.shape)
    mu = np.exp(log_mu(state, chosen))
    r = np.broadcast_to(state.size[chosen][:, None, None], mu.shape)
    p0 = np.exp(-r[zero] * np.log1p(mu[zero] / r[zero]))
    n_positive = np.bincount(label[positive], minlength=bins).astype(np.float64)
    state.class_inflation = _inflation_mle(p0, label[zero], n_positive)
    state.inflation = state.class_inflation[classes]


def _inflation_mle(p0: FloatArray, c_zero: IntArray, n_positive: FloatArray) -> FloatArray:
    """π per class maximising Σ_zeros log(π + (1 − π) p0) + n_positive log(1 − π).

    Each class's log-likelihood is pulled toward the pooled one by
    :data:`_CLASS_PSEUDO` (its share of the days); 0 where the slope at π = 0
    is not positive, else the root of the slope by bisection.
    """
    bins = n_positive.size
    odds = (1.0 - p0) / np.maximum(p0, 1e-300)  # (1 − p0) / p0 per zero
    cells = np.bincount(c_zero, minlength=bins) + n_positive
    pool = _CLASS_PSEUDO * cells / max(float(cells.sum()), 1.0)

    def slope(pi: FloatArray) -> FloatArray:
        # d/dπ of the class's log-likelihood plus its share of the pooled one.
        per_zero = (1.0 - p0) / (pi[c_zero] + (1.0 - pi[c_zero]) * p0)
        own = np.bincount(c_zero, weights=per_zero, minlength=bins) - n_positive / (1.0 - pi)
        pooled_zero = np.zeros(bins)
        for label_index in np.flatnonzero(pool > 0):
            value = pi[label_index]
            pooled_zero[label_index] = float(((1.0 - p0) / (value + (1.0 - value) * p0)).sum())
        pooled = pooled_zero - n_positive.sum() / (1.0 - pi)
        result: FloatArray = own + pool * pooled
        return result

    at_zero = np.bincount(c_zero, weights=odds, minlength=bins) - n_positive
    at_zero = at_zero + pool * (float(odds.sum()) - n_positive.sum())
    low = np.zeros(bins)
    high = np.full(bins, _MAX_INFLATION)
    inflated = (at_zero > 0) & (cells > 0)
    if inflated.any():
        for _ in range(30):
            middle = (low + high) / 2
            up = slope(middle) > 0
            low = np.where(up, middle, low)
            high = np.where(up, high, middle)
    result: FloatArray = np.where(inflated, (low + high) / 2, 0.0)
    # π > 0 only where the class's own days favour it over π = 0 by a likelihood-ratio
    # test (π = 0 on the boundary: the statistic is ½χ²₀ + ½χ²₁, 5% critical value
    # 2.71). On a few days a zero is as well explained by a lower level as by π, and a
    # level whose days with sales all sold out is then unbounded.
    pi = result[c_zero]
    gain = np.bincount(
        c_zero,
        weights=np.log(pi + (1.0 - pi) * p0) - np.log(np.maximum(p0, 1e-300)),
        minlength=bins,
    ) + n_positive * np.log1p(-result)
    tested: FloatArray = np.where(2.0 * gain > _INFLATION_TEST, result, 0.0)
    return tested


def moment_dispersion(
    sales: NDArray[Any],
    inventory: NDArray[Any],
    token: NDArray[Any],
    excluded: NDArray[np.bool_] | None = None,
) -> float:
    """One negative-binomial size r for the call, by moments on the days demand was seen.

    A day that closed above token stock, and is not ``excluded``, sold its whole demand. Per series
    with n >= 2 such days, mean ȳ and unbiased variance s²; then
    ``r = Σ n ȳ² / Σ n (s² − ȳ)``, +inf (Poisson) when the days show no
    overdispersion, and at least 0.5.
    """
    seen = inventory > token
    if excluded is not None:
        seen &= ~excluded
    values = np.where(seen, sales, 0.0).astype(np.float64)
    count = np.count_nonzero(seen, axis=-1)
    usable = count >= 2
    if not usable.any():
        return math.inf
    n = count[usable].astype(np.float64)
    values = values[usable]
    mask = seen[usable]
    mean = values.sum(axis=-1) / n
    squares = np.sum(np.where(mask, (values - mean[..., np.newaxis]) ** 2, 0.0), axis=-1)
    variance = squares / (n - 1.0)
    excess = float(np.sum(n * (variance - mean)))
    if excess <= 0:
        return math.inf
    return max(float(np.sum(n * mean**2)) / excess, MIN_MOMENT_SIZE)

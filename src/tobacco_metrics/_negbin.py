"""Negative-binomial tails in closed form: the regularised incomplete beta, vectorised.

For demand D ~ NB(mean μ, size r) (variance μ + μ²/r) and x = μ / (μ + r):

- P(D >= s) = I_x(s, r), the regularised incomplete beta function;
- E[D 1{D >= s}] = μ I_x(s − 1, r + 1);
- E[D (D − 1) 1{D >= s}] = μ² (r + 1) / r · I_x(s − 2, r + 2);

and the three are one continued fraction apart: with
``base = x^(s−1) (1 − x)^r / (r B(s, r))``,
``I_x(s − 1, r + 1) = I_x(s, r) + base`` and
``I_x(s − 2, r + 2) = I_x(s − 1, r + 1) + base (1 − x)/x · (s − 1)/(r + 1)``
(all terms positive: no cancellation). The continued fraction (modified
Lentz) runs on whole arrays and drops the cells that have converged, so its
cost per cell does not grow with the carton count of a day the way a sum
over carton counts does. Poisson demand is the limit r → ∞; a size above
:data:`MAX_SIZE` is computed as :data:`MAX_SIZE`.

:func:`fill_rate_quota` sums the tail of a cycle's demand exactly, carton
by carton, for :func:`tobacco_metrics.service_quota`.

Private: the censored demand estimator (:mod:`tobacco_metrics._censored`),
the service-level quota and the accuracy study use it.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np

from tobacco_metrics._typing import FloatArray

__all__ = ["MAX_SIZE", "fill_rate_quota", "gammaln", "log_nb_pmf", "tail_moments"]

MAX_SIZE: Final = 1e7
"""Largest negative-binomial size used; larger sizes (and Poisson) are computed as this."""

_LANCZOS_G: Final = 7.0
_LANCZOS: Final = np.array(
    [
        0.99999999999980993,
        676.5203681218851,
        -1259.1392167224028,
        771.32342877765313,
        -176.61502916214059,
        12.507343278686905,
        -0.13857109526572012,
        9.9843695780195716e-6,
        1.5056327351493116e-7,
    ]
)
_TINY: Final = 1e-300
_EPS: Final = 1e-10
_MAX_TERMS: Final = 2000
_CHECK_EVERY: Final = 4


def gammaln(x: FloatArray) -> FloatArray:
    """log Γ(x) for x > 0 (Lanczos, g = 7; relative error about 1e-15)."""
    x = np.asarray(x, dtype=np.float64)
    small = x < 0.5
    z = np.where(small, x + 1.0, x) - 1.0
    series = np.full(z.shape, _LANCZOS[0])
    for i in range(1, _LANCZOS.size):
        series += _LANCZOS[i] / (z + i)
    t = z + _LANCZOS_G + 0.5
    result: FloatArray = 0.5 * math.log(2 * math.pi) + (z + 0.5) * np.log(t) - t + np.log(series)
    if small.any():
        result = result - np.log(np.where(small, x, 1.0))
    return result


def _lbeta(a: FloatArray, b: FloatArray) -> FloatArray:
    result: FloatArray = gammaln(a) + gammaln(b) - gammaln(a + b)
    return result


def log_nb_pmf(y: FloatArray, mu: FloatArray, size: FloatArray) -> FloatArray:
    """log P(D = y) for D ~ NB(mu, size), whole y >= 0 (size capped at MAX_SIZE)."""
    r = np.minimum(size, MAX_SIZE)
    m = np.maximum(mu, _TINY)
    result: FloatArray = (
        gammaln(y + r)
        - gammaln(r)
        - gammaln(y + 1.0)
        - r * np.log1p(m / r)
        + y * (np.log(m) - np.log(m + r))
    )
    return result


def _continued_fraction(a: FloatArray, b: FloatArray, x: FloatArray) -> FloatArray:
    """The continued fraction of I_x(a, b) (converges fast for x < (a + 1)/(a + b + 2))."""
    qab = a + b
    qap = a + 1.0
    qam = a - 1.0
    c = np.ones(a.shape)
    d = 1.0 - qab * x / qap
    d = 1.0 / np.where(np.abs(d) < _TINY, _TINY, d)
    h = d.copy()
    out = np.empty(a.shape)
    active = np.arange(a.size)
    for m in range(1, _MAX_TERMS + 1):
        m2 = 2.0 * m
        numerator = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + numerator * d
        d = 1.0 / np.where(np.abs(d) < _TINY, _TINY, d)
        c = 1.0 + numerator / c
        c = np.where(np.abs(c) < _TINY, _TINY, c)
        h *= d * c
        numerator = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + numerator * d
        d = 1.0 / np.where(np.abs(d) < _TINY, _TINY, d)
        c = 1.0 + numerator / c
        c = np.where(np.abs(c) < _TINY, _TINY, c)
        delta = d * c
        h *= delta
        if m % _CHECK_EVERY == 0 or m == _MAX_TERMS:
            done = np.abs(delta - 1.0) < _EPS
            if done.all() or m == _MAX_TERMS:
                out[active] = h
                return out
            if done.any():
                out[active[done]] = h[done]
                keep = ~done
                active = active[keep]
                a, b, x = a[keep], b[keep], x[keep]
                qab, qap, qam = qab[keep], qap[keep], qam[keep]
                c, d, h = c[keep], d[keep], h[keep]
    return out  # pragma: no cover - the loop returns


def _log_tail(s: FloatArray, r: FloatArray, x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(log I_x(s, r), log of the front factor x^s (1 − x)^r / B(s, r)), for s >= 1."""
    log_front = s * np.log(x) + r * np.log1p(-x) - _lbeta(s, r)
    direct = x * (s + r + 2.0) < s + 1.0
    log_tail = np.empty(s.shape)
    if direct.any():
        cf = _continued_fraction(s[direct], r[direct], x[direct])
        log_tail[direct] = log_front[direct] + np.log(cf) - np.log(s[direct])
    flip = ~direct
    if flip.any():
        cf = _continued_fraction(r[flip], s[flip], 1.0 - x[flip])
        complement = np.exp(log_front[flip] + np.log(cf) - np.log(r[flip]))
        log_tail[flip] = np.log1p(-np.minimum(complement, 1.0 - 1e-16))
    return log_tail, log_front


def tail_moments(
    bound: FloatArray, mu: FloatArray, size: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(log P(D >= s), E[D | D >= s], Var[D | D >= s]) for D ~ NB(mu, size), 1-D arrays.

    ``bound`` s holds whole numbers >= 0 (s = 0: the unconditional moments);
    ``size`` r > 0 (``inf`` for Poisson, computed as :data:`MAX_SIZE`).
    """
    s = np.asarray(bound, dtype=np.float64)
    m = np.maximum(np.asarray(mu, dtype=np.float64), _TINY)
    r = np.minimum(np.broadcast_to(np.asarray(size, dtype=np.float64), s.shape), MAX_SIZE)
    log_tail = np.zeros(s.shape)
    first = m.copy()  # E[D | D >= s]
    second = m * m * (r + 1.0) / r + m  # E[D^2 | D >= s]
    bounded = s >= 1
    if bounded.any():
        sb, rb, mb = s[bounded], r[bounded], m[bounded]
        x = mb / (mb + rb)
        lt, log_front = _log_tail(sb, rb, x)
        # base / I_x(s, r) with base = front / (r x): in log space (the tail may underflow).
        base_ratio = np.exp(np.minimum(log_front - np.log(rb) - np.log(x) - lt, 700.0))
        ratio_1 = 1.0 + base_ratio  # I_x(s−1, r+1) / I_x(s, r)
        ratio_2 = ratio_1 + base_ratio * (1.0 - x) / x * (sb - 1.0) / (rb + 1.0)
        e1 = np.maximum(mb * ratio_1, sb)
        e2 = np.maximum(mb * mb * (rb + 1.0) / rb * ratio_2 + e1, e1 * e1)
        log_tail[bounded] = lt
        first[bounded] = e1
        second[bounded] = e2
    variance = np.maximum(second - first * first, 0.0)
    return log_tail, first, variance


# --------------------------------------------------------------------------- fill rate

_FILL_TOLERANCE: Final = 1e-12  # relative slack when comparing E[min(D, Q)] with the target
_TAIL_EXHAUSTED: Final = 1e-15  # P(D > k) below this: the target cannot be reached further
_FIRST_BLOCK: Final = 64  # carton counts summed per series in the first round of the exact sum
_MAX_BLOCK: Final = 1 << 20  # cells (series × counts) summed at most per round
_TINY_NEED: Final = float(np.finfo(np.float64).smallest_subnormal)


def fill_rate_quota(mean: FloatArray, size: float, fill: FloatArray) -> FloatArray:
    """Smallest whole Q with E[min(D, Q)] >= fill × E[D], D ~ NB(mean, size) (Poisson if inf).

    ``mean``, ``fill`` 1-D and finite. Uses E[min(D, Q)] = Σ_{k<Q} P(D > k).
    Below ``k0 = mean − 10 sd − 10`` (at least 0) P(D > k) is 1 to within
    1e-20, so the sum starts there at k0; from k0 on the pmf follows its
    recursion in log space (no underflow), vectorised over the series and
    over blocks of carton counts (a cumulative sum per block, the block
    doubling each round up to ``_MAX_BLOCK`` cells), until every series has
    its Q: a heavy tail far beyond the mean costs a few dozen array calls,
    not one per carton.
    """
    # a positive fill of a positive mean needs a carton even where the product
    # underflows (5e-324 × 0.07 is 0.0 in float64)
    need = np.where((fill > 0) & (mean > 0), np.maximum(fill * mean, _TINY_NEED), 0.0)
    result = np.zeros(mean.shape)
    poisson = math.isinf(size)
    variance = mean if poisson else mean + mean**2 / size
    start = np.maximum(np.floor(mean - 10.0 * np.sqrt(variance) - 10.0), 0.0)
    easy = need <= start  # D > Q almost surely, so E[min(D, Q)] = Q
    # the least whole Q >= need, with the slack of the sum below (no snap: a need of
    # 1e-30 cartons is 1 carton, not 0, or Q >= fill × mean would fail)
    result[easy] = np.ceil(need[easy] * (1.0 - _FILL_TOLERANCE))
    active = np.flatnonzero(~easy)
    m = mean[active]
    k0 = start[active]
    target = need[active] * (1.0 - _FILL_TOLERANCE)
    if poisson:
        log_pmf = k0 * np.log(m) - m - gammaln(k0 + 1.0)
        log_step = np.log(m)
    else:
        log_pmf = (
            gammaln(k0 + size)
            - math.lgamma(size)
            - gammaln(k0 + 1.0)
            - size * np.log1p(m / size)
            + k0 * (np.log(m) - np.log(m + size))
        )
        log_step = np.log(m) - np.log(m + size)
    cdf = np.zeros(m.shape)
    expected = k0.copy()
    k = k0.copy()  # the carton count whose pmf log_pmf holds
    block = _FIRST_BLOCK
    while active.size:
        width = max(1, min(block, _MAX_BLOCK // active.size))
        # counts k … k + width − 1; the pmf of k + j from that of k + j − 1
        later = k[:, np.newaxis] + np.arange(1.0, width)
        shift = -np.log(later) if poisson else np.log((later - 1.0 + size) / later)
        steps = np.cumsum(log_step[:, np.newaxis] + shift, axis=1)
        log_pmfs = np.concatenate([log_pmf[:, np.newaxis], log_pmf[:, np.newaxis] + steps], axis=1)
        cdfs = cdf[:, np.newaxis] + np.cumsum(np.exp(log_pmfs), axis=1)
        tails = np.maximum(1.0 - cdfs, 0.0)
        expecteds = expected[:, np.newaxis] + np.cumsum(tails, axis=1)
        reached = (expecteds >= target[:, np.newaxis]) | (tails < _TAIL_EXHAUSTED)
        finished = reached.any(axis=1)
        result[active[finished]] = k[finished] + 1.0 + np.argmax(reached[finished], axis=1)
        keep = ~finished
        last = k[keep] + width  # the next count to sum
        following = -np.log(last) if poisson else np.log((last - 1.0 + size) / last)
        log_pmf = log_pmfs[keep, -1] + log_step[keep] + following
        active, k, target, log_step = active[keep], last, target[keep], log_step[keep]
        cdf, expected = cdfs[keep, -1], expecteds[keep, -1]
        block *= 2
    return result

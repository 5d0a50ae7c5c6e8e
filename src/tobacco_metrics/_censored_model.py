"""The censored-demand model's data, state and per-day measurements (private).

Shared by :mod:`tobacco_metrics._censored` (the fit) and
:mod:`tobacco_metrics._dispersion` (the negative-binomial size and the zero
inflation per volume class); the model itself is described in
:mod:`tobacco_metrics._censored`.
"""

from __future__ import annotations

from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from tobacco_metrics._negbin import tail_moments
from tobacco_metrics._typing import BoolArray, FloatArray, IntArray

BLOCK_CELLS: Final = 1 << 15  # cells per block of series in the E-step
_HALF: Final = 0.5
# Defaults the variances are pulled toward (their weight: the fit's pseudo-pairs).
SHOCK_VARIANCE: Final = 0.02  # σ_e²: series-period shocks, sd 0.14
STEP_VARIANCE: Final = 0.002  # σ_w²: random-walk step, sd 0.045 a week
SHAPE_VARIANCE: Final = 0.02  # τ_k²
DAY_VARIANCE: Final = 0.001  # τ_d²: the district's day effects, sd 0.03
DIFFUSE: Final = 100.0
# Anderson acceleration of the fit once its variances are fixed (see Anderson).
ANDERSON_MEMORY: Final = 5  # past steps mixed
ANDERSON_START: Final = 1e-2  # largest step of a log level or shape at which it starts
ANDERSON_SLACK: Final = 1.5  # a mixed point's residual may be this times the last one's
# Volume classes of series mean demand [cartons/day] for the dispersion.
CLASS_EDGES: Final = np.array([0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 512.0])


@attrs.frozen
class Data:
    """Inputs in calendar-week layout (N, C, 7): position j of a week is weekday j."""

    sales: NDArray[Any]  # integer or float, cast to float64 per block of series
    censored: BoolArray  # counted days that closed at or below the sell-down stock
    counted: BoolArray
    share: FloatArray | None  # sell-out share F on censored days, NaN where unknown
    whole: bool = True  # every sale a whole number (the dispersion profile tabulates log Γ)
    stock: FloatArray | None = None  # (N,) log of the largest stock a series held
    # (N,) the store of each series (its brands share a store's weekday shape); None: none.
    group: IntArray | None = None

    @property
    def series(self) -> int:
        return int(self.sales.shape[0])

    @property
    def periods(self) -> int:
        return int(self.sales.shape[1])


@attrs.define
class State:
    level: FloatArray  # (N, C) ℓ
    shape: FloatArray  # (N, 7) k, by position in the period (j = t mod 7)
    size: FloatArray  # (N,) r
    level_var: FloatArray  # (N, C) posterior variance of ℓ
    shape_var: FloatArray  # (N, 7)
    period: FloatArray  # (C,) g
    shock: float = SHOCK_VARIANCE
    step: float = STEP_VARIANCE
    shape_spread: float = SHAPE_VARIANCE
    mean_level: float = 0.0
    level_spread: float = DIFFUSE
    period_spread: float = 0.05
    district: FloatArray = attrs.field(factory=lambda: np.zeros(7))  # h, the district's shape
    class_size: FloatArray | None = None  # r per volume class (once profiled)
    # (N,) how many series of the call each series stands for (a stratified sample's
    # inverse sampling rates, mean 1); None: each stands for itself.
    design: FloatArray | None = None
    covariate: FloatArray | None = None  # (N,) centred log of the largest stock held
    slope: float = 0.0  # of the series levels' prior mean on the covariate
    group: IntArray | None = None  # (N,) store of each series, 0 .. G − 1
    # (7,) τ_s² per weekday, the variance of a store's weekday effect (0: none)
    store_spread: FloatArray = attrs.field(factory=lambda: np.zeros(7))
    shock_moment: FloatArray | None = None  # (N, C) E[e² | data] at the last smoothing
    # (N, C) each period's share of a shock's information the data hold, (σ_e² / (σ_e² + noise))²
    shock_information: FloatArray | None = None
    anchor: FloatArray | None = None  # (N,) own level prior's mean when too few series
    inflation: FloatArray | None = None  # (N,) π, share of days without demand (None: 0)
    class_inflation: FloatArray | None = None  # π per volume class (once estimated)
    # (C, 7) d, the district's effect of each day (a festival's eve, a pay day), centred
    # over the weeks and the weekdays; None: not used (a call of few series).
    day: FloatArray | None = None
    day_spread: float = DAY_VARIANCE


@attrs.frozen
class Sums:
    level_score: FloatArray  # (n, C)
    level_info: FloatArray
    shape_score: FloatArray  # (n, 7)
    shape_info: FloatArray
    # Σ score² of the days (the empirical noise of a score), when the variances need it.
    level_square: FloatArray | None = None  # (n, C)
    shape_square: FloatArray | None = None  # (n, 7)
    # (n, 7) the weekday has a counted day that can inform it (observed, or sold out
    # after selling): the set a shape is centred over, fixed by the data.
    shape_seen: BoolArray | None = None
    # (C, 7) Σ over the series (design-weighted) of each day's score, information and
    # score², when the state has day effects.
    day_score: FloatArray | None = None
    day_info: FloatArray | None = None
    day_square: FloatArray | None = None


def cells(
    sales: FloatArray,
    censored: BoolArray,
    counted: BoolArray,
    share: FloatArray | None,
    log_mu: FloatArray,
    size: FloatArray,
    inflation: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per cell: score and (observed) information in log μ, and expected lost sales.

    With zero inflation π (per series) μ is the mean of the days with demand:
    a day's demand is 0 with probability π, else NB(μ, r). An observed zero
    then weighs with q, the probability that it came from the negative
    binomial (EM: its score and information times q); a day that sold s >= 1
    had demand (the tail of NB(μ, r)); a day out all day is worth (1 − π)μ.
    """
    mu = np.exp(log_mu)
    r = np.broadcast_to(size[:, None, None], mu.shape)
    observed = counted & ~censored
    ratio = r / (mu + r)
    score = np.where(observed, ratio * (sales - mu), 0.0)
    info = np.where(observed, ratio * mu, 0.0)
    if inflation is not None and inflation.any():
        pi = np.broadcast_to(inflation[:, None, None], mu.shape)
        days = observed & (pi > 0)
        if days.any():
            # Fisher scoring, as for the negative binomial: the information of a day
            # is its expectation, (1 − π)(I − p0 s0² (1 − q)), I = rμ/(μ + r) and s0
            # the score of a zero, whatever the day sold (not the EM's q·I, which
            # depends on the day being a zero: a week's information would then move
            # with its sales, and the noise of its measurement be under-stated).
            m, rr, p = mu[days], r[days], pi[days]
            p0 = np.exp(-rr * np.log1p(m / rr))
            q = (1.0 - p) * p0 / (p + (1.0 - p) * p0)
            s0 = -rr * m / (m + rr)
            zero = sales[days] == 0
            score[days] = np.where(zero, q * s0, score[days])
            info[days] = (1.0 - p) * (info[days] - p0 * s0 * s0 * (1.0 - q))
        lost = np.where(censored, (1.0 - pi) * mu, 0.0)
    else:
        lost = np.where(censored, mu, 0.0)
    if share is not None:
        known = censored & np.isfinite(share)
        if known.any():
            f = share[known]
            m, s, rr = mu[known], sales[known], r[known]
            mf = m * f
            score[known] = rr * (s - mf) / (mf + rr)
            info[known] = mf * rr / (mf + rr)
            lost[known] = m * (1.0 - f) * (rr + s) / (rr + mf)
        tail = censored & (sales > 0) & ~np.isfinite(share)
    else:
        tail = censored & (sales > 0)
    if tail.any():
        s, m, rr = sales[tail], mu[tail], r[tail]
        _, first, variance = tail_moments(s, m, rr)
        score[tail] = rr * (first - m) / (m + rr)
        observed_info = (rr * m * (first + rr) - rr * rr * variance) / (m + rr) ** 2
        info[tail] = np.maximum(observed_info, 0.0)
        lost[tail] = first - s
    return score, info, lost


def log_mu(state: State, rows: slice | IntArray) -> FloatArray:
    result: FloatArray = state.level[rows][:, :, None] + state.shape[rows][:, None, :]
    if state.day is not None:
        result = result + state.day[None, :, :]
    return result


def e_step(
    data: Data, fit_rows: IntArray, state: State, squares: bool = False, days: bool = False
) -> Sums:
    """Scores and informations per series × period and series × weekday (and Σ score²).

    ``days``: also their sums over the series per day (the state has day effects).
    """
    n = fit_rows.size
    periods = data.periods
    days = days and state.day is not None
    sums = Sums(
        level_score=np.zeros((n, periods)),
        level_info=np.zeros((n, periods)),
        shape_score=np.zeros((n, 7)),
        shape_info=np.zeros((n, 7)),
        shape_seen=np.zeros((n, 7), dtype=np.bool_),
        level_square=np.zeros((n, periods)) if squares else None,
        shape_square=np.zeros((n, 7)) if squares else None,
        day_score=np.zeros((periods, 7)) if days else None,
        day_info=np.zeros((periods, 7)) if days else None,
        day_square=np.zeros((periods, 7)) if days else None,
    )
    block = max(1, BLOCK_CELLS // (periods * 7))
    for begin in range(0, n, block):
        local = slice(begin, min(begin + block, n))
        rows = fit_rows[local]
        score, info, _ = cells(
            data.sales[rows].astype(np.float64),
            data.censored[rows],
            data.counted[rows],
            None if data.share is None else data.share[rows],
            log_mu(state, local),
            state.size[local],
            None if state.inflation is None else state.inflation[local],
        )
        sums.level_score[local] = score.sum(axis=2)
        sums.level_info[local] = info.sum(axis=2)
        sums.shape_score[local] = score.sum(axis=1)
        sums.shape_info[local] = info.sum(axis=1)
        if sums.shape_seen is not None:
            counted, censored = data.counted[rows], data.censored[rows]
            seen = counted & (~censored | (data.sales[rows] > 0))
            sums.shape_seen[local] = seen.any(axis=1)
        if sums.level_square is not None and sums.shape_square is not None:
            square = score * score
            sums.level_square[local] = square.sum(axis=2)
            sums.shape_square[local] = square.sum(axis=1)
        if sums.day_score is not None and sums.day_info is not None:
            assert sums.day_square is not None
            weight = (np.ones(n) if state.design is None else state.design)[local, None, None]
            sums.day_score[...] += (weight * score).sum(axis=0)
            sums.day_info[...] += (weight * info).sum(axis=0)
            sums.day_square[...] += (weight * score * score).sum(axis=0)
    return sums


def log_step(score: FloatArray, info: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(step, precision) of a log level toward its data: log(1 + u), u = S / (P + c), c = 1/2.

    For Poisson days S / P is (Σ sales − Σ μ) / Σ μ, so the step lands on
    log((Σ sales + c) / (Σ μ + c)): the maximum-likelihood level, kept finite
    for a week without sales (Anscombe's half). The measurement is treated as
    normal with the *secant* precision S / log(1 + u) (P + c as u → 0: the
    information at the level stepped to), so that the force it exerts on the
    smoothed levels, precision × step, is the score S itself. At a fixed point
    of the iteration the scores then balance the priors exactly — the
    posterior mode — however far the steps of single weeks are from 0 (a
    sparse week's log step is not small, and with the precision P the fixed
    point would sit below the mode: E[log((y + c)/(μ + c))] < 0 for small μ).
    """
    u = np.maximum(score / (info + _HALF), -0.99)
    step: FloatArray = np.log1p(u)
    small = np.abs(u) < 1e-6
    ratio = np.where(small, 1.0 + u / 2, u / np.where(small, 1.0, step))
    precision: FloatArray = (info + _HALF) * ratio
    return step, precision


def linear_measurement(
    value: FloatArray,
    score: FloatArray,
    info: FloatArray,
    square: FloatArray | None,
    informed: BoolArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(value + S / P, Σ s² / P², 1 / P): a Newton measurement of a log level and its noise.

    The measurement the variances are estimated from. Its noise is read from
    the days' own scores (Σ s² / P², s the score of a day): the scores of
    independent days have mean 0, so E[S²] = E[Σ s²] whatever the days are.
    The information P alone would not do: a day that sold out has a large
    score and a small observed information (its likelihood, P(D >= sales),
    is nearly flat), and a sparse week's noise would be under-counted as
    variance of the levels. The third value, the model's noise 1 / P, is for
    weights (it does not move with the score).
    """
    safe = np.where(informed, info, 1.0)
    measurement: FloatArray = np.where(informed, value + score / safe, 0.0)
    model: FloatArray = np.where(informed, 1.0 / safe, 1e12)
    empirical = model if square is None else np.where(informed, square / (safe * safe), 1e12)
    return measurement, empirical, model


def design_weights(state: State, n: int) -> FloatArray:
    """Each series' design weight (1 when the fit is not on a sample), shaped (n, 1)."""
    weight = np.ones(n) if state.design is None else state.design
    result: FloatArray = weight[:, None]
    return result


def volume_classes(state: State) -> IntArray:
    mean_demand = np.exp(state.level).mean(axis=1) * np.exp(state.shape).mean(axis=1)
    result: IntArray = np.searchsorted(CLASS_EDGES, mean_demand)
    return result


# Gauss-Hermite rule (physicists'), for the integrals of a period's shock.
_NODES, _NODE_WEIGHTS = np.polynomial.hermite.hermgauss(12)


def shock_moment(
    a: FloatArray,
    b: FloatArray,
    offset: FloatArray,
    centre: FloatArray,
    spread: FloatArray,
    shock: float,
) -> FloatArray:
    """E[e² | data] of each period's shock e under its Poisson-form likelihood.

    A period's log-likelihood in its log level, taken ``offset`` + e from the
    level its sums were computed at, is approximated by a·(offset + e) −
    b·exp(offset + e), with a = S + P and b = P (S, P its score and
    information there): exact for Poisson days (a the sales, b the expected
    sales), and matching the score and the information of any other day.
    With the prior e ~ N(0, σ_e²), E[e²] is integrated by adaptive
    Gauss-Hermite quadrature around the normal measurement's posterior
    (``centre``, ``spread``). The normal measurement alone misstates a sparse
    week: the log step of a week expected to sell 0.7 cartons has a variance
    of 0.51 where its noise says 0.96, and every such week pulls σ_e² down.
    """
    scale = np.sqrt(2.0 * np.maximum(spread, 1e-12))
    e = centre[..., None] + scale[..., None] * _NODES
    delta = offset[..., None] + e
    a_ = np.maximum(a, 0.0)[..., None]
    log_f = a_ * delta - b[..., None] * np.exp(np.minimum(delta, 50.0)) - e * e / (2.0 * shock)
    log_f = log_f + _NODES**2
    log_f = log_f - log_f.max(axis=-1, keepdims=True)
    weight = _NODE_WEIGHTS * np.exp(log_f)
    result: FloatArray = (weight * e * e).sum(axis=-1) / weight.sum(axis=-1)
    return result


def variogram(
    d: FloatArray, noise: FloatArray, model_noise: FloatArray, state: State, prior_count: float
) -> tuple[float, float]:
    """(σ_e², σ_w²) from squared differences of the period measurements, noise removed.

    ``noise`` is removed from each square; ``model_noise`` (which does not
    move with the measurement) sets the weights; ``prior_count`` pairs at the
    defaults (lags 1 and 2) hold the estimate where the data say little.
    """
    periods = d.shape[1]
    lags = range(1, min(4, periods - 1) + 1)
    rows: list[tuple[float, float, float]] = []  # (lag, mean unbiased square, weight)
    for lag in lags:
        a, b = d[:, lag:], d[:, :-lag]
        na, nb = noise[:, lag:], noise[:, :-lag]
        ma, mb = model_noise[:, lag:], model_noise[:, :-lag]
        ok = (ma < 1e6) & (mb < 1e6)
        if not ok.any():
            continue
        expected = ma + mb + 2 * state.shock + lag * state.step
        weight = np.where(
            ok, design_weights(state, d.shape[0]) / np.where(ok, expected, 1.0) ** 2, 0.0
        )
        value = np.where(ok, (a - b) ** 2 - (na + nb), 0.0)
        total = float(weight.sum())
        pairs = float((ok * design_weights(state, d.shape[0])).sum())
        rows.append((float(lag), float((weight * value).sum() / total), pairs))
    for prior_lag in (1.0, 2.0):
        rows.append((prior_lag, 2 * SHOCK_VARIANCE + prior_lag * STEP_VARIANCE, prior_count / 2))
    lag_values = np.array([row[0] for row in rows])
    gamma = np.array([row[1] for row in rows])
    count = np.array([row[2] for row in rows])
    design = np.stack([np.full(lag_values.size, 2.0), lag_values], axis=1)
    weighted = design * count[:, None]
    try:
        solution = np.linalg.solve(design.T @ weighted, weighted.T @ gamma)
    except np.linalg.LinAlgError:
        solution = np.array([SHOCK_VARIANCE, STEP_VARIANCE])
    shock, step = float(solution[0]), float(solution[1])
    if step < 0:
        step = 0.0
        shock = float((count * gamma).sum() / (2 * count.sum()))
    if shock < 0:
        shock = 0.0
        step = max(float((count * gamma * lag_values).sum() / (count * lag_values**2).sum()), 0.0)
    return max(shock, 1e-4), max(step, 1e-5)


@attrs.define
class Anderson:
    """Anderson acceleration of the fixed-point iteration of the log levels and shapes.

    Once the variances and the dispersions are fixed, an iteration of the fit
    is a map θ → G(θ) of the series' log levels ℓ and shapes k, and where
    the data leave a direction flat it converges linearly and slowly. A
    weekday whose days all sold nothing while the series sells thousands is
    explained by the zero inflation whatever its factor: its likelihood is
    flat (score 0) but its expected information is that of thousands of
    cartons, so the priors move it (and, through the district's shape, the
    same weekday of every series) by a fraction of a per cent of their pull
    an iteration; at 200 iterations it was still 6 % from the fixed point.

    Anderson's mixing (type II) takes, instead of G(θₖ), the combination
    of the last :data:`ANDERSON_MEMORY` + 1 images whose residuals
    f = G(θ) − θ combine to the least norm:
    θₖ₊₁ = G(θₖ) − ΔG γ, γ = argmin ‖fₖ − ΔF γ‖ (ΔF, ΔG the differences
    of successive residuals and images). For a linear map it is a Krylov
    method (GMRES on the fixed-point equation); its fixed points are the
    map's, so the fit converges to the same posterior mode, only sooner.
    Safeguards: it starts only once every step is below
    :data:`ANDERSON_START` (the linear regime), a residual above that starts
    it over, and a mixed point whose residual is more than
    :data:`ANDERSON_SLACK` times the last one's is replaced by the plain
    image it came from, followed by :data:`ANDERSON_MEMORY` plain steps.
    """

    residuals: list[FloatArray] = attrs.field(factory=list)
    images: list[FloatArray] = attrs.field(factory=list)
    pending: tuple[FloatArray, float] | None = None  # (the plain image, its residual's norm)
    cooldown: int = 0

    def restart(self) -> None:
        """Forget the history (the map changed: variances, sizes or zero inflation moved)."""
        self.residuals = []
        self.images = []
        self.pending = None

    def step(
        self, state: State, before_level: FloatArray, before_shape: FloatArray, floor: float
    ) -> None:
        """Mix the image ``state`` of ``before`` with the history; levels kept >= ``floor``."""
        n, periods = state.level.shape
        image = np.concatenate([state.level, state.shape], axis=1).ravel()
        residual = image - np.concatenate([before_level, before_shape], axis=1).ravel()
        norm = float(np.sqrt(residual @ residual))
        if self.pending is not None:
            plain, previous = self.pending
            self.pending = None
            if norm > ANDERSON_SLACK * previous:
                self.restart()
                self.cooldown = ANDERSON_MEMORY
                _set(state, plain.reshape(n, periods + 7), periods)
                return
        if float(np.abs(residual).max(initial=0.0)) > ANDERSON_START:
            self.restart()
            return
        self.residuals.append(residual)
        self.images.append(image)
        if len(self.residuals) > ANDERSON_MEMORY + 1:
            del self.residuals[0], self.images[0]
        if self.cooldown > 0:
            self.cooldown -= 1
            return
        if len(self.residuals) < 2:
            return
        d_residual = np.diff(np.stack(self.residuals, axis=1), axis=1)
        d_image = np.diff(np.stack(self.images, axis=1), axis=1)
        gamma = np.linalg.lstsq(d_residual, residual, rcond=1e-10)[0]
        mixed = (image - d_image @ gamma).reshape(n, periods + 7)
        mixed[:, :periods] = np.maximum(mixed[:, :periods], floor)
        _set(state, mixed, periods)
        self.pending = (image, norm)


def _set(state: State, theta: FloatArray, periods: int) -> None:
    state.level = theta[:, :periods].copy()
    state.shape = theta[:, periods:].copy()

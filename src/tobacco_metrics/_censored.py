"""The censored-demand estimator behind ``method="censored"`` (private).

Model, for series i and day t of 7-day period c(t) (counted from the first
day) and weekday w(t)::

    D[i, t] ~ NB(mean μ[i, t], size r[i]),   log μ[i, t] = ℓ[i, c(t)] + k[i, w(t)] + d[t]
    ℓ[i, c] = g[c] + x[i, c] + e[i, c]

- ``k[i, ·]`` the series' weekday shape (mean 0 over the week), a normal
  random effect (variance τ_k²) around the district's shape ``h`` plus, when
  the series are stores × brands, its store's weekday effect ``s`` (shared by
  the store's brands, variance τ_s² per weekday:
  :mod:`tobacco_metrics._store_shape`);
- ``g[c]`` a district period effect (a holiday week), used from
  :data:`_MIN_SERIES_FOR_PERIODS` series on, shrunk toward 0;
- ``d[t]`` a district day effect (a festival's eve, a pay day: a day that
  departs from its week's level and its weekday in every series), centred
  over the weeks and the weekdays, shrunk toward 0 by a spread estimated
  from the call (:mod:`tobacco_metrics._day_effect`), used from
  :data:`_MIN_SERIES_FOR_PERIODS` series on;
- ``x[i, ·]`` the series' local level, a random walk (step variance σ_w²)
  starting from a normal series level around the district's (variance τ_a²:
  the series-level random effect) — per-series drift;
- ``e[i, c]`` a series-period shock (variance σ_e²);
- r per volume class (classes of the series' mean demand, each pulled
  toward the pooled value).

Data: a day that closed above the stock a store sells down to is observed
(D = sales); a day that closed at or below it is right-censored (D >= sales;
no information when it sold nothing); a censored day whose sell-out share F
(the share of its expected demand that comes before it sold out) is known
is an observation of the morning's demand, NB(μF, r).

Fit: the posterior mode of the log levels and shapes given the variances,
by Newton steps on the observed-data likelihood (the score of a censored day
is the complete-data score at E[D | D >= s], its information the observed
one), each step combined with the priors by a Kalman smoother over the
periods; the variances are re-estimated between steps (empirical Bayes,
pulled toward defaults by a few pseudo-observations: σ_e² by Fisher
scoring on its marginal likelihood from five series on, σ_w² and the
shape spread from moments of the Newton measurements corrected for their
noise; a lone series scores σ_e² on its own weeks held by one
pseudo-period, keeps the default of σ_w², and has a level prior around its
own start and a fixed weak shape prior around a flat week). The size and
the zero inflation per volume class are in :mod:`tobacco_metrics._dispersion`
(zero inflation from five series on).
The negative-binomial tails are closed-form (:mod:`tobacco_metrics._negbin`).
Work is done per block of series, so the memory beyond the inputs is a few
bytes per cell. A series whose steps
swing (its level and shape read off the same few days) takes damped steps
(:class:`_Damping`); once the variances are fixed the joint iteration is
accelerated (:class:`~tobacco_metrics._censored_model.Anderson`). Beyond
:data:`_HYPER_SERIES` series the district's effects, the variances and
the dispersions come from a stratified sample and every series is then
fitted alone under them, each until it has converged (:func:`_fit_series`).
"""

from __future__ import annotations

import math
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from tobacco_metrics._censored_model import (
    BLOCK_CELLS,
    CLASS_EDGES,
    DIFFUSE,
    SHAPE_VARIANCE,
    SHOCK_VARIANCE,
    Anderson,
    State,
    Sums,
    cells,
    design_weights,
    e_step,
    linear_measurement,
    log_mu,
    log_step,
    shock_moment,
    variogram,
    volume_classes,
)
from tobacco_metrics._censored_model import Data as Data  # the fit's input, re-exported
from tobacco_metrics._day_effect import update_day
from tobacco_metrics._dispersion import update_inflation, update_size
from tobacco_metrics._store_shape import store_effect, store_spread, stores_of
from tobacco_metrics._typing import BoolArray, FloatArray, IntArray

MAX_ITERATIONS: Final = 200
TOLERANCE: Final = 1e-4  # on log levels and shapes (a relative change of demand)
_MIN_SERIES_FOR_PERIODS: Final = 20
_MIN_SERIES_FOR_LEVELS: Final = 5
_MAX_STEP: Final = 1.5  # largest change of a log level in one iteration
_LOG_FLOOR: Final = math.log(1e-8)
_PSEUDO_PAIRS: Final = 12.0
_FINAL_PROFILES: Final = 3
_VARIANCE_ITERATIONS: Final = 40
_FLAT_WEEK_VARIANCE: Final = 0.25  # prior of the district's log weekday factors around 0
_LONE_LEVEL_VARIANCE: Final = 1.0  # a lone series' level prior around its start: sd e×
# A lone series' weekday factors around a flat week: sd 0.32 (×0.73 … ×1.37), fixed.
_LONE_SHAPE_VARIANCE: Final = 0.1
_LONE_PSEUDO_PERIODS: Final = 1.0  # a lone series' σ_e²: one pseudo-period at the default
_INITIAL_SIZE: Final = 5.0
_PROFILE_AT: Final = frozenset({1, 4, 12, 30, 80})
# Beyond this many series the district's effects and variances are fitted on a sample.
_HYPER_SERIES: Final = 1500
_HYPER_PER_CLASS: Final = 60
_SERIES_CHUNK: Final = 2048  # series stepped together once the district's effects are fixed
_RECLASS_ITERATIONS: Final = 3
_OSCILLATION: Final = 0.8  # a reversed step at least this share of the last one: damp
_MIN_DAMPING: Final = 1.0 / 16
_RECOVERY: Final = 1.25  # a damped series that stops swinging lengthens its steps again


def period_layout(daily: NDArray[Any], fill: float | bool, offset: int) -> NDArray[Any]:
    """(N, T) → (N, C, 7) calendar weeks: day t goes to position offset + t, padded with ``fill``.

    ``offset`` is the weekday of the first day (Monday 0), so position j of a
    period is weekday j.
    """
    n, t = daily.shape
    periods = -(-(t + offset) // 7)
    if offset == 0 and periods * 7 == t:
        return daily.reshape(n, periods, 7)
    padded = np.full((n, periods * 7), fill, dtype=daily.dtype)
    padded[:, offset : offset + t] = daily
    return padded.reshape(n, periods, 7)


@attrs.frozen
class Report:
    """How the fit ended."""

    iterations: int
    converged: bool
    change: float  # the last iteration's largest change of a log level or shape


@attrs.frozen
class Fit:
    """The fitted model of the identified series (``rows`` of the input)."""

    rows: IntArray  # identified series with demand (row numbers of the input)
    zero: IntArray  # identified series that never sold: demand 0
    state: State
    report: Report


def _update_shape(state: State, sums: Sums, variances: bool = True, fixed: bool = False) -> None:
    """One step of the shapes; ``fixed``: the district's shape is ``state.district``."""
    informed = sums.shape_info > 1e-9
    safe_info = np.where(informed, sums.shape_info, 1.0)
    step, step_precision = log_step(sums.shape_score, safe_info)
    noise = np.where(informed, 1.0 / step_precision, 1e12)
    z = np.where(informed, state.shape + step, 0.0)
    n = z.shape[0]
    spread = state.shape_spread
    grouped = state.group is not None and not fixed
    lone = n == 1
    if fixed:
        district = state.district
    elif lone:
        # A lone series has no district's shape to borrow: its shape is shrunk toward a
        # flat week by a fixed weak prior. A weekday seen only on sold-out days has no
        # upper bound in its likelihood; without a prior its own measurement would set
        # it at the edge (+51 % on a sparse series). The spread is not read from its own
        # seven weekdays: that estimate sits near their noise and shrank the busy days,
        # the ones that sell out, toward the week's mean (-15 % on a 6-a-day series).
        district = np.zeros(7)
        state.district = district
        spread = _LONE_SHAPE_VARIANCE
    else:
        outer = spread + (state.store_spread[None, :] if grouped else 0.0)
        weight = np.where(informed, design_weights(state, n) / (noise + outer), 0.0)
        total = weight.sum(axis=0)
        # The district's shape, itself shrunk toward a flat week (a weekday seen only on
        # censored days stays bounded).
        district = (weight * z).sum(axis=0) / (total + 1.0 / _FLAT_WEEK_VARIANCE)
        seen = total > 0
        if seen.any():
            district[seen] -= district[seen].mean()
        state.district = district
    prior_mean = np.broadcast_to(district, z.shape)
    prior_var = np.full(z.shape, spread)
    if grouped:
        assert state.group is not None
        store_mean, store_var = store_effect(
            state.group, state.store_spread, state.shape_spread, z - district, noise, informed
        )
        prior_mean = prior_mean + store_mean
        prior_var = prior_var + store_var
    prior_precision = 1.0 / prior_var
    precision = np.where(informed, 1.0 / noise, 0.0) + prior_precision
    safe = np.maximum(precision, 1e-12)
    posterior = np.where(
        precision > 0,
        (np.where(informed, z / noise, 0.0) + prior_precision * prior_mean) / safe,
        prior_mean,
    )
    posterior_var = np.where(precision > 0, 1.0 / safe, prior_var)
    # Keep each series' shape at mean 0 over the weekdays its data can inform (fixed by
    # the data: a sold-out day's information can fall to 0 and back, and a centring set
    # that followed it would move the shape by jumps); the level takes the rest.
    centred = informed if sums.shape_seen is None else sums.shape_seen | informed
    any_informed = centred.any(axis=1)
    count = np.maximum(centred.sum(axis=1), 1)
    centre = np.where(any_informed, np.where(centred, posterior, 0.0).sum(axis=1) / count, 0.0)
    posterior = posterior - centre[:, None]
    change = np.clip(posterior - state.shape, -_MAX_STEP, _MAX_STEP)
    before = state.shape
    state.shape = state.shape + change
    state.shape_var = posterior_var
    if n >= 2 and variances and not fixed:
        # Moments of the measurements around the district's shape, their noise removed:
        # the log step, its noise read from the days' own scores (Σ s² / precision²).
        _linear, moment_noise, model_noise = linear_measurement(
            before, sums.shape_score, sums.shape_info, sums.shape_square, informed
        )
        linear = np.where(informed, before + step, 0.0)
        if sums.shape_square is not None:
            moment_noise = np.where(informed, sums.shape_square / step_precision**2, 1e12)
        total_spread = spread + (state.store_spread[None, :] if grouped else 0.0)
        weight = np.where(
            informed, design_weights(state, n) / (model_noise + total_spread) ** 2, 0.0
        )
        value = np.where(informed, (linear - district[None, :]) ** 2 - moment_noise, 0.0)
        total_weight = float(weight.sum())
        previous = spread + (float(state.store_spread.mean()) if grouped else 0.0)
        estimate = float((weight * value).sum() / total_weight) if total_weight > 0 else previous
        cells = float(informed.sum())
        overall = (estimate * cells + _PSEUDO_PAIRS * SHAPE_VARIANCE) / (cells + _PSEUDO_PAIRS)
        if grouped:
            # τ_s² on its own (unweighted pairs); the brand's own spread τ_k² the rest.
            residual = np.where(informed, linear - district[None, :], 0.0)
            assert state.group is not None
            state.store_spread = store_spread(state.group, residual, informed)
            overall -= float(state.store_spread.mean())
        state.shape_spread = max(overall, 1e-4)


def _smooth(
    d: FloatArray,
    noise: FloatArray,
    state: State,
    initial_mean: FloatArray,
    initial_var: float,
    week: tuple[FloatArray, FloatArray, FloatArray] | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Kalman filter + RTS smoother of x under d = x + e + noise; returns (ℓ − g, variance).

    ``week``: (a, b, base) of each period's Poisson-form likelihood (see
    ``shock_moment`` in :mod:`tobacco_metrics._censored_model`); with it
    E[e² | data] is integrated, not read off the normal measurement.
    """
    n, periods = d.shape
    shock, step = state.shock, state.step
    obs_var = shock + noise
    x_filtered = np.empty((n, periods))
    v_filtered = np.empty((n, periods))
    v_predicted = np.empty((n, periods))
    x_pred = initial_mean.copy()
    v_pred = np.full(n, initial_var)
    for c in range(periods):
        v_predicted[:, c] = v_pred
        gain = v_pred / (v_pred + obs_var[:, c])
        x_pred = x_pred + gain * (d[:, c] - x_pred)
        v_pred = v_pred * (1.0 - gain)
        x_filtered[:, c] = x_pred
        v_filtered[:, c] = v_pred
        v_pred = v_pred + step
    x_smooth = x_filtered.copy()
    v_smooth = v_filtered.copy()
    for c in range(periods - 2, -1, -1):
        back = v_filtered[:, c] / np.maximum(v_filtered[:, c] + step, 1e-300)
        x_smooth[:, c] = x_filtered[:, c] + back * (x_smooth[:, c + 1] - x_filtered[:, c])
        v_smooth[:, c] = v_filtered[:, c] + back**2 * (v_smooth[:, c + 1] - v_predicted[:, c + 1])
    shock_share = shock / (shock + noise)
    level = x_smooth + shock_share * (d - x_smooth)
    variance = (1.0 - shock_share) ** 2 * v_smooth + shock_share * noise
    # E[e²| data] per period for the update of σ_e²: ê = level − x, and its posterior
    # variance (the shock given x, plus x's own uncertainty carried through); and the
    # share of a shock's information the period holds, (σ_e² / (σ_e² + noise))².
    state.shock_information = shock_share**2
    if week is None:
        state.shock_moment = (
            (level - x_smooth) ** 2 + shock * (1.0 - shock_share) + (shock_share**2) * v_smooth
        )
    else:
        a, b, base = week
        state.shock_moment = (
            shock_moment(
                a, b, x_smooth - base, level - x_smooth, shock * (1.0 - shock_share), shock
            )
            + (shock_share**2) * v_smooth
        )
    return level, np.maximum(variance, 1e-12)


def _update_shock(state: State, informed: BoolArray, pseudo: float = _PSEUDO_PAIRS) -> float:
    """σ_e² by a Fisher-scoring step on its marginal likelihood.

    Each period with data gives E[e² | data] (``shock_moment``) and the
    share w = (σ_e² / (σ_e² + noise))² of a shock's information it holds.
    The EM update of σ_e² is the mean of E[e² | data]; its fixed point is the
    (approximate) marginal-likelihood estimate, but it moves by the share of
    the information the data hold: a sparse week holds a few per cent, and
    EM moved σ_e² by 0.0001 an iteration (0.02 after 40 iterations where the
    truth was 0.09). The scoring step divides the EM step by that share,
    Σ (E[e² | data] − σ_e²) / Σ w (for normal measurements exactly the
    scoring step of the marginal likelihood), with ``pseudo`` (default
    :data:`_PSEUDO_PAIRS`) pseudo-periods of full information at the default; a step at most
    doubles or halves σ_e². Unlike moments of measurements taken at each
    period's own fitted level (which move with that period's data), it does
    not grow where the data cannot tell a shock from noise.
    """
    moment = state.shock_moment
    if moment is None or state.shock_information is None:
        return state.shock
    weight = np.where(informed, design_weights(state, informed.shape[0]), 0.0)
    gain = float((weight * (moment - state.shock)).sum()) + pseudo * (SHOCK_VARIANCE - state.shock)
    information = float((weight * state.shock_information).sum()) + pseudo
    step = gain / information
    return float(min(max(state.shock + step, 0.5 * state.shock, 1e-4), 2.0 * state.shock))


def _level_prior(state: State, n: int, fixed: bool) -> tuple[FloatArray, float]:
    """The prior of each series' first level (its mean and variance)."""
    if fixed or n >= _MIN_SERIES_FOR_LEVELS:
        # A random effect around the district's level (and its slope on the stock).
        mean = np.full(n, state.mean_level)
        if state.covariate is not None:
            mean = mean + state.slope * state.covariate
        return mean, state.level_spread + state.step
    if state.anchor is not None:
        # Too few series for a district: each series' level prior is its own moment
        # start with a weak spread (a series whose positive days all sold out would
        # otherwise have no upper bound).
        return state.anchor, _LONE_LEVEL_VARIANCE + state.step
    return np.zeros(n), DIFFUSE


def _period_effects(
    state: State, residual: FloatArray, noise: FloatArray, informed: BoolArray
) -> FloatArray:
    """The calendar weeks' district effects: precision-weighted residuals, shrunk toward 0."""
    weight = np.where(
        informed, design_weights(state, residual.shape[0]) / (noise + state.shock), 0.0
    )
    total = weight.sum(axis=0)
    period: FloatArray = (weight * residual).sum(axis=0) / (total + 1.0 / state.period_spread)
    seen = total > 0
    if seen.any():
        period = period - period[seen].mean()
    return np.where(seen, period, 0.0)


def _update_level(
    state: State,
    sums: Sums,
    variances: bool = True,
    fixed: bool = False,
) -> None:
    """One step of the levels; ``fixed``: the district's effects and variances as they are."""
    informed = sums.level_info > 1e-9
    safe_info = np.where(informed, sums.level_info, 1.0)
    step, step_precision = log_step(sums.level_score, safe_info)
    noise = np.where(informed, 1.0 / step_precision, 1e12)
    before = state.level
    z = before + np.where(informed, step, 0.0)
    n, _periods = z.shape
    use_periods = n >= _MIN_SERIES_FOR_PERIODS and not fixed
    period = state.period
    initial_mean, initial_var = _level_prior(state, n, fixed)
    level = state.level
    variance = state.level_var
    passes = 2 if use_periods else 1
    # The shocks' moments by quadrature where σ_e² is updated from them (the last pass).
    scored = (n >= _MIN_SERIES_FOR_LEVELS or n == 1) and variances and not fixed
    for index in range(passes):
        week = None
        if scored and index == passes - 1:
            week = (
                sums.level_score + sums.level_info,
                sums.level_info,
                state.level - period[None, :],
            )
        level, variance = _smooth(
            z - period[None, :], noise, state, initial_mean, initial_var, week
        )
        if use_periods:
            period = _period_effects(state, z - level, noise, informed)
    new_level = level + period[None, :]
    change = np.clip(new_level - state.level, -_MAX_STEP, _MAX_STEP)
    state.level = np.maximum(state.level + change, _LOG_FLOOR)
    state.level_var = variance
    state.period = period
    if variances and not fixed:
        _update_level_variances(state, sums, informed, before, level, use_periods)


def _update_level_variances(
    state: State,
    sums: Sums,
    informed: BoolArray,
    before: FloatArray,
    level: FloatArray,
    use_periods: bool,
) -> None:
    """σ_e², σ_w², the weeks' spread and the series-level prior, for the next step.

    ``before``: the levels the step's sums were taken at; ``level``: the smoothed
    levels of the step, without the weeks' effects.
    """
    n = level.shape[0]
    period = state.period
    linear, moment_noise, model_noise = linear_measurement(
        before, sums.level_score, sums.level_info, sums.level_square, informed
    )
    # σ_w² from the variogram of the period measurements; σ_e² by scoring from a
    # district's series (see _update_shock), from the variogram for a few series (where
    # the pseudo-periods would hold σ_e² near its default and a real shock of one week
    # be smoothed away). A lone series scores σ_e² on its own weeks, held by one
    # pseudo-period (with the default its weeks shrank to a flat year: -26 % with
    # shocks of sd 0.3), and keeps σ_w²'s default: the variogram of its weeks measured
    # at its own fitted levels feeds back (0.02 → 0.4 on a sparse series).
    if n >= 2:
        shock, state.step = variogram(
            linear - period[None, :], moment_noise, model_noise, state, _PSEUDO_PAIRS
        )
        state.shock = _update_shock(state, informed) if n >= _MIN_SERIES_FOR_LEVELS else shock
    else:
        state.shock = _update_shock(state, informed, _LONE_PSEUDO_PERIODS)
    if use_periods:
        seen = (informed.sum(axis=0)) > 0
        count = float(seen.sum())
        state.period_spread = float(
            ((period[seen] ** 2).sum() + 2 * 0.01) / (count + 2) if count else 0.01
        )
        state.period_spread = max(state.period_spread, 1e-4)
    if n >= _MIN_SERIES_FOR_LEVELS:
        series_mean = (level * informed).sum(axis=1) / np.maximum(informed.sum(axis=1), 1)
        _update_level_prior(state, sums, series_mean, informed)


def _update_level_prior(
    state: State, sums: Sums, series_mean: FloatArray, informed: BoolArray
) -> None:
    """The district's mean (and slope on the stock) and spread of the series levels.

    Each series' level is measured by a Newton step from its estimate (not
    the estimate, which is shrunk): y = x + S / P, model noise 1 / P and
    empirical noise Σ s² / P². The mean, the slope and the spread τ_a² are
    then the marginal-likelihood estimates of y ~ N(m + b·c, τ_a² + 1/P)
    (a few fixed-point rounds of the weighted moment equations), each series
    counted with its design weight. The slope b on the covariate c (the
    centred log of the largest stock the series held) is used from
    :data:`_MIN_SERIES_FOR_PERIODS` series on: a distributor's quota is set
    from expected demand, so the stock a series holds tells about its level,
    and shrinking a series that is often out toward the district's mean would
    over-state it; where the stock says nothing the slope comes out near 0.
    """
    n = series_mean.size
    design = design_weights(state, n)[:, 0]
    information = np.where(informed, sums.level_info, 0.0).sum(axis=1)
    has = information > 1e-9
    if int(has.sum()) < 2:
        state.mean_level = float(np.average(series_mean, weights=design))
        spread = float(np.average((series_mean - state.mean_level) ** 2, weights=design))
        state.level_spread = max(spread, 1e-3)
        return
    score = np.where(informed, sums.level_score, 0.0).sum(axis=1)
    y = series_mean[has] + score[has] / information[has]
    noise = 1.0 / information[has]
    if sums.level_square is None:
        empirical = noise
    else:
        square = np.where(informed, sums.level_square, 0.0).sum(axis=1)[has]
        empirical = square / information[has] ** 2
    weight_of = design[has]
    use_slope = state.covariate is not None and n >= _MIN_SERIES_FOR_PERIODS
    c = state.covariate[has] if (state.covariate is not None and use_slope) else np.zeros(y.size)
    spread = state.level_spread
    mean, slope = state.mean_level, 0.0
    for _ in range(3):
        w = weight_of / (spread + noise)
        if use_slope:
            x = np.stack([np.ones_like(c), c], axis=1)
            normal = x.T @ (w[:, None] * x)
            normal[1, 1] += 1e-9
            mean, slope = (float(v) for v in np.linalg.solve(normal, x.T @ (w * y)))
        else:
            mean = float((w * y).sum() / w.sum())
        value = (y - mean - slope * c) ** 2 - empirical
        spread = max(float((w * w / weight_of * value).sum() / (w * w / weight_of).sum()), 1e-3)
    state.mean_level = mean
    state.slope = slope
    state.level_spread = spread


def _start(data: Data, rows: IntArray, observed: BoolArray) -> FloatArray:
    """Log of each series' mean sales on the days that closed with stock (the moment start)."""
    days = np.maximum(observed.sum(axis=(1, 2))[rows], 1)
    totals: FloatArray = np.sum(data.sales, axis=(1, 2), where=observed, dtype=np.float64)
    observed_sales = totals[rows]
    result: FloatArray = np.log(observed_sales / days + 0.05)
    return result


def _initial(start: FloatArray, periods: int) -> State:
    n = start.size
    return State(
        level=np.repeat(start[:, None], periods, axis=1),
        shape=np.zeros((n, 7)),
        size=np.full(n, _INITIAL_SIZE),
        level_var=np.full((n, periods), 0.01),
        shape_var=np.full((n, 7), 0.01),
        period=np.zeros(periods),
    )


@attrs.define
class _Damping:
    """Per-series step control of the fixed-point iteration.

    A series whose level and shape are read off the same few days (a week
    with one day in it, a weekday seen once) can swing between them: each
    takes the full step, together they overshoot. A series whose step
    reverses without shrinking below :data:`_OSCILLATION` of the last one
    halves its steps (down to :data:`_MIN_DAMPING`), and lengthens them by
    :data:`_RECOVERY` while it does not; a series that converges does not
    notice. The fixed point is unchanged.
    """

    previous: FloatArray  # (n, C + 7) the last step taken
    factor: FloatArray  # (n,)

    @classmethod
    def start(cls, n: int, periods: int) -> _Damping:
        return cls(np.zeros((n, periods + 7)), np.ones(n))

    def apply(
        self,
        state: State,
        before_level: FloatArray,
        before_shape: FloatArray,
        which: slice | IntArray,
    ) -> FloatArray:
        """Take the damped step from ``before``; returns each series' undamped change."""
        periods = before_level.shape[1]
        proposed = np.concatenate([state.level - before_level, state.shape - before_shape], axis=1)
        last = self.previous[which]
        swinging = ((proposed * last).sum(axis=1) < 0) & (
            (proposed * proposed).sum(axis=1) >= _OSCILLATION**2 * (last * last).sum(axis=1)
        )
        factor = self.factor[which]
        factor = np.where(
            swinging, np.maximum(factor * 0.5, _MIN_DAMPING), np.minimum(factor * _RECOVERY, 1.0)
        )
        self.factor[which] = factor
        step = proposed * factor[:, None]
        self.previous[which] = step
        state.level = np.maximum(before_level + step[:, :periods], _LOG_FLOOR)
        state.shape = before_shape + step[:, periods:]
        result: FloatArray = np.abs(proposed).max(axis=1)
        return result


def _fit_joint(
    data: Data,
    rows: IntArray,
    start: FloatArray,
    max_iterations: int,
    design: FloatArray | None = None,
    covariate: FloatArray | None = None,
    group: IntArray | None = None,
) -> Fit:
    """All series together, the district's effects and the variances re-estimated as it goes.

    ``design``: the series are a sample, each standing for that many series
    of the call (the district's effects and the variances are the call's).
    ``covariate``: (n,) the centred log stock of the series' level prior.
    """
    n = rows.size
    state = _initial(start, data.periods)
    state.design = design
    state.covariate = covariate
    state.group = group
    if n >= _MIN_SERIES_FOR_PERIODS:
        state.day = np.zeros((data.periods, 7))
    if n >= _MIN_SERIES_FOR_LEVELS:
        weight = np.ones(n) if design is None else design
        state.mean_level = float(np.average(start, weights=weight))
        state.level_spread = max(
            float(np.average((start - state.mean_level) ** 2, weights=weight)), 1e-3
        )
    else:
        state.anchor = start
    change = math.inf
    iterations = 0
    converged = n == 0
    final_profiles = 0
    damping = _Damping.start(n, data.periods)
    accelerate = Anderson()
    # Zero inflation from a district's series only: within a few series a zero is
    # explained as well by π as by a lower level, and a level whose selling days all
    # sold out is then bounded by nothing but its priors.
    inflate = n >= _MIN_SERIES_FOR_LEVELS
    while not converged and iterations < max_iterations:
        iterations += 1
        before_level, before_shape, before_size = state.level, state.shape, state.size
        # The variances are re-estimated for the first iterations only: then the
        # fit is the posterior mode under fixed variances, which converges fast.
        variances = iterations <= _VARIANCE_ITERATIONS
        sums = e_step(data, rows, state, squares=variances and n >= 2, days=True)
        _update_shape(state, sums, variances)
        _update_level(state, sums, variances)
        day_change = 0.0 if state.day is None else update_day(state, sums, variances)
        moved = damping.apply(state, before_level, before_shape, slice(None))
        if iterations in _PROFILE_AT:
            update_size(data, rows, state, inflate)
        if inflate and (variances or iterations in _PROFILE_AT):
            update_inflation(data, rows, state)
        fixed_map = not variances and iterations not in _PROFILE_AT
        change = max(
            float(moved.max(initial=0.0)),
            day_change,
            float(np.max(np.abs(np.log(state.size / before_size)), initial=0.0)) * 0.1,
        )
        converged = change < TOLERANCE
        # From a district's series only: the profile of a few series' days is flat, and
        # re-profiled at each converged fit its maximum can flip between far sizes.
        if converged and inflate and final_profiles < _FINAL_PROFILES:
            # The dispersion is re-profiled at the levels it converged to; a few rounds.
            final_profiles += 1
            update_size(data, rows, state, inflate)
            if inflate:
                update_inflation(data, rows, state)
            converged = float(np.max(np.abs(np.log(state.size / before_size)))) < 0.05
            fixed_map = False
        # Under fixed variances and dispersions the iteration is one map: its slow
        # directions (a weekday explained by the zero inflation) are accelerated.
        if converged or not fixed_map:
            accelerate.restart()
        else:
            accelerate.step(state, before_level, before_shape, _LOG_FLOOR)
    return Fit(
        rows=rows,
        zero=np.zeros(0, np.int64),
        state=state,
        report=Report(iterations=iterations, converged=converged, change=change),
    )


def _sample(start: FloatArray, stockout_rate: FloatArray) -> tuple[IntArray, FloatArray]:
    """At most about :data:`_HYPER_SERIES` series, stratified by volume class and stockout rate.

    Each volume class (of the moment start) gives its share of the sample, at
    least :data:`_HYPER_PER_CLASS` series (all if fewer): its series sorted by
    stockout rate are cut into that many equal runs and the middle series of
    each run is taken (centred systematic sampling). Taking the first and the
    last series instead (evenly spread end to end) gives the two extremes of
    every class, where the series the stock covariate explains worst are, a
    run's weight each: the spread of the series levels came out 1.3-1.8x the
    call's. Returns the sample (sorted) and each
    sampled series' design weight: the series of its class it stands for,
    scaled to mean 1, so that the district's effects and the spread of the
    series levels estimated on the sample are the call's, not those of a
    sample in which the rare classes are over-represented.
    """
    n = start.size
    classes = np.searchsorted(CLASS_EDGES, np.exp(start))
    chosen = []
    weights = []
    for label in np.unique(classes):
        members = np.flatnonzero(classes == label)
        members = members[np.argsort(stockout_rate[members], kind="stable")]
        quota = max(min(members.size, _HYPER_PER_CLASS), round(members.size * _HYPER_SERIES / n))
        picks = np.unique(((np.arange(quota) + 0.5) * members.size / quota).astype(np.int64))
        chosen.append(members[picks])
        weights.append(np.full(picks.size, members.size / picks.size))
    sample = np.concatenate(chosen)
    design = np.concatenate(weights)
    order = np.argsort(sample)
    return sample[order], design[order] / design.mean()


def _subset(state: State, active: IntArray) -> State:
    return attrs.evolve(
        state,
        covariate=None if state.covariate is None else state.covariate[active],
        group=None,
        inflation=None if state.inflation is None else state.inflation[active],
        level=state.level[active],
        shape=state.shape[active],
        size=state.size[active],
        level_var=state.level_var[active],
        shape_var=state.shape_var[active],
    )


def _fit_series(
    data: Data,
    rows: IntArray,
    start: FloatArray,
    hyper: State,
    max_iterations: int,
    covariate: FloatArray | None = None,
) -> tuple[State, Report]:
    """Every series' posterior mode under the district's effects and variances of ``hyper``.

    With those fixed the series are independent: each is stepped until its
    own change is below :data:`TOLERANCE` and then left alone (an active set),
    so the cost is a few passes over the cells, not one per iteration.
    """
    state = _initial(start, data.periods)
    state = attrs.evolve(
        hyper,
        level=state.level,
        shape=np.repeat(hyper.district[None, :], start.size, axis=0),
        size=state.size,
        level_var=state.level_var,
        shape_var=state.shape_var,
        design=None,
        covariate=covariate,
        group=None,
        inflation=None if hyper.class_inflation is None else np.zeros(start.size),
    )
    if state.class_size is None:
        state.class_size = np.full(1, _INITIAL_SIZE)
    most = 0
    change = 0.0
    converged = True
    # Chunks of series bound the memory of the per-series work (the smoother's arrays).
    for begin in range(0, start.size, _SERIES_CHUNK):
        active = np.arange(begin, min(begin + _SERIES_CHUNK, start.size))
        iterations, last = _step_series(data, rows, state, active, max_iterations)
        most = max(most, iterations)
        change = max(change, last)
        converged = converged and last < TOLERANCE
    return state, Report(iterations=most, converged=converged, change=change)


def _step_series(
    data: Data, rows: IntArray, state: State, active: IntArray, max_iterations: int
) -> tuple[int, float]:
    """Newton steps of the ``active`` series until each has converged: (iterations, last change).

    Each series takes the size (and zero inflation) of its volume class from
    the district's ``state.class_size`` (and ``state.class_inflation``).
    """
    class_size, class_inflation = state.class_size, state.class_inflation
    assert class_size is not None
    iterations = 0
    change = 0.0
    damping = _Damping.start(active.size, data.periods)
    first = int(active[0]) if active.size else 0
    while active.size and iterations < max_iterations:
        iterations += 1
        sub = _subset(state, active)
        if iterations <= _RECLASS_ITERATIONS:
            # A series' volume class from its first levels, then kept: a series on a
            # class edge would otherwise flip between two dispersions.
            label = np.minimum(volume_classes(sub), class_size.size - 1)
            sub.size = class_size[label]
            if class_inflation is not None:
                sub.inflation = class_inflation[np.minimum(label, class_inflation.size - 1)]
        before_level, before_shape = sub.level, sub.shape
        sums = e_step(data, rows[active], sub)
        _update_shape(sub, sums, fixed=True)
        _update_level(sub, sums, fixed=True)
        moved = damping.apply(sub, before_level, before_shape, active - first)
        change = float(moved.max())
        state.level[active] = sub.level
        state.shape[active] = sub.shape
        state.size[active] = sub.size
        if state.inflation is not None and sub.inflation is not None:
            state.inflation[active] = sub.inflation
        state.level_var[active] = sub.level_var
        state.shape_var[active] = sub.shape_var
        active = active[moved >= TOLERANCE]
    return iterations, change


def fit(data: Data, *, max_iterations: int | None = None) -> Fit:
    """Fit the model to the series that have a day to learn from (cap: MAX_ITERATIONS).

    Up to :data:`_HYPER_SERIES` series are fitted jointly. Beyond, the
    district's effects, the variances and the dispersions are estimated
    jointly on a stratified sample of that size, and every series is then
    fitted on its own under them (:func:`_fit_series`).
    """
    if max_iterations is None:
        max_iterations = MAX_ITERATIONS
    observed = data.counted & ~data.censored
    identified = observed.any(axis=(1, 2))
    counted_sales = np.sum(data.sales, axis=(1, 2), where=data.counted, dtype=np.float64)
    zero = np.flatnonzero(identified & (counted_sales == 0))
    rows = np.flatnonzero(identified & (counted_sales > 0))
    start = _start(data, rows, observed)
    covariate = None
    if data.stock is not None and rows.size:
        raw = data.stock[rows]
        ok = np.isfinite(raw)
        centre = float(raw[ok].mean()) if ok.any() else 0.0
        covariate = np.where(ok, raw - centre, 0.0)
    group = None if data.group is None else stores_of(data.group[rows])
    if rows.size <= _HYPER_SERIES:
        joint = _fit_joint(data, rows, start, max_iterations, covariate=covariate, group=group)
        return attrs.evolve(joint, zero=zero)
    censored_days = data.censored.sum(axis=(1, 2))[rows]
    counted_days = np.maximum(data.counted.sum(axis=(1, 2))[rows], 1)
    sample, design = _sample(start, censored_days / counted_days)
    sample_group = None if group is None else stores_of(group[sample])
    hyper = _fit_joint(
        data,
        rows[sample],
        start[sample],
        max_iterations,
        design,
        None if covariate is None else covariate[sample],
        sample_group,
    )
    state, report = _fit_series(data, rows, start, hyper.state, max_iterations, covariate)
    return Fit(
        rows=rows,
        zero=zero,
        state=state,
        report=Report(
            iterations=hyper.report.iterations + report.iterations,
            converged=hyper.report.converged and report.converged,
            change=max(hyper.report.change, report.change),
        ),
    )


def daily(data: Data, result: Fit) -> tuple[FloatArray, FloatArray]:
    """(expected demand, expected lost sales) per cell in period layout; NaN if unknown.

    Series without a day to learn from: NaN demand, NaN lost on censored
    days (0 elsewhere). Series that never sold: 0 and 0.
    """
    shape = data.sales.shape
    mean = np.full(shape, np.nan)
    lost = np.where(data.censored, np.nan, 0.0)
    mean[result.zero] = 0.0
    lost[result.zero] = 0.0
    rows = result.rows
    n = rows.size
    inflation = result.state.inflation
    block = max(1, BLOCK_CELLS // (shape[1] * 7))
    for begin in range(0, n, block):
        local = slice(begin, min(begin + block, n))
        these = rows[local]
        # exp(posterior mode of log μ): for Poisson counts under a flat prior on
        # log μ this is the posterior mean of μ (Σ sales / Σ exposure).
        block_log_mu = log_mu(result.state, local)
        _, _, block_lost = cells(
            data.sales[these].astype(np.float64),
            data.censored[these],
            data.counted[these],
            None if data.share is None else data.share[these],
            block_log_mu,
            result.state.size[local],
            None if inflation is None else inflation[local],
        )
        mean[these] = np.exp(block_log_mu) * (
            1.0 if inflation is None else 1.0 - inflation[local, None, None]
        )
        lost[these] = block_lost
    return mean, lost

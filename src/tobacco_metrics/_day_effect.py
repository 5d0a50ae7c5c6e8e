"""The censored-demand model's district day effects (private).

A day that departs from its week's level and its weekday in every series of a
call (the days before the Spring Festival and the festival itself, a pay day
at the start of a month) is one effect ``d[c, w]`` in ``log μ`` of every
series (:mod:`tobacco_metrics._censored`). It is read from the day's scores
pooled over the series, so from the series that had stock that day.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from tobacco_metrics._censored_model import DAY_VARIANCE, State, Sums, log_step
from tobacco_metrics._typing import BoolArray, FloatArray

_DAY_PSEUDO: Final = 12.0  # pseudo-days at DAY_VARIANCE in τ_d²
_DAY_FLOOR: Final = 1e-5
_CENTRE_PASSES: Final = 3


def _double_centre(values: FloatArray, seen: BoolArray) -> FloatArray:
    """``values`` less their means over the weeks and over the weekdays (on ``seen`` cells)."""
    result = np.where(seen, values, 0.0)
    rows = np.maximum(seen.sum(axis=1), 1)
    columns = np.maximum(seen.sum(axis=0), 1)
    for _ in range(_CENTRE_PASSES):
        result = np.where(seen, result - (result.sum(axis=1) / rows)[:, None], 0.0)
        result = np.where(seen, result - (result.sum(axis=0) / columns)[None, :], 0.0)
    return result


def update_day(state: State, sums: Sums, variances: bool) -> float:
    """One step of the district's day effects d; returns their largest change.

    Each day's Newton measurement pools the day's scores over the series (a
    day's effect is read from the series in stock that day, and bounded by
    those that sold out after selling); it is centred over the weeks (the
    period effects and the levels take a week's mean) and over the weekdays
    (the shapes take a weekday's), and shrunk toward 0 by the spread τ_d²,
    whose moment estimate (the measurements' square less their empirical
    noise) is pulled toward :data:`DAY_VARIANCE` by :data:`_DAY_PSEUDO` days.
    """
    assert state.day is not None
    assert sums.day_score is not None
    assert sums.day_info is not None
    assert sums.day_square is not None
    informed = sums.day_info > 1e-9
    safe = np.where(informed, sums.day_info, 1.0)
    step, precision = log_step(sums.day_score, safe)
    noise = np.where(informed, 1.0 / precision, 1e12)
    z = _double_centre(state.day + step, informed)
    if variances:
        empirical = np.where(informed, sums.day_square / (safe * safe), 0.0)
        moment = float(np.where(informed, z * z - empirical, 0.0).sum())
        count = float(informed.sum())
        # Without evidence of days departing from their weeks (the measurements' spread
        # within their noise) there are no day effects: 0, not a shrunk noise.
        state.day_spread = (
            max((moment + _DAY_PSEUDO * DAY_VARIANCE) / (count + _DAY_PSEUDO), _DAY_FLOOR)
            if moment > 0
            else 0.0
        )
    if state.day_spread > 0:
        day = _double_centre(z * state.day_spread / (state.day_spread + noise), informed)
    else:
        day = np.zeros_like(z)
    change = float(np.abs(day - state.day).max(initial=0.0))
    state.day = day
    return change

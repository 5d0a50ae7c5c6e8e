"""Brand supply status (《金叶信息》) turned into quota caps.

Each month the distributor announces which brands are scarce (紧俏), which
sell smoothly (顺销), which are volume-controlled (控量) and which are
controlled by points and volume (控点控量); source 篇7: "通过《金叶信息》、
《动销台账》,让零售清楚知道下月的紧俏品牌有哪些、顺销品牌有哪些,哪些卷烟控量、
哪些烟控点控量".  A controlled brand's quota is never raised above its control
level, whatever a store's stockouts say; :func:`control_caps` gives that cap
per series, for a quota review's ``max_quota``.

The statuses are :class:`~tobacco_metrics.SupplyStatus`, carried by
:class:`~tobacco_metrics.Brand` as ``supply_status``.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from tobacco_metrics import _convert as cv
from tobacco_metrics._labelled import keeps_labels
from tobacco_metrics._results import as_result
from tobacco_metrics._typing import FloatResult
from tobacco_metrics._validation import (
    bool_mask,
    broadcast_arrays,
    quantities_or_nan,
    refuse_where,
)
from tobacco_metrics.domain import SupplyStatus

__all__ = ["DEFAULT_CAPPED_STATUSES", "control_caps"]

DEFAULT_CAPPED_STATUSES: frozenset[SupplyStatus] = frozenset(
    {SupplyStatus.CONTROLLED, SupplyStatus.POINT_CONTROLLED}
)
"""The statuses whose quota is capped at the control level by default: 控量 and 控点控量."""


def _status(value: Any) -> SupplyStatus | None:
    return None if value is None else cv.enum_member(SupplyStatus, value, "status")


def _statuses(status: Any) -> np.ndarray[Any, np.dtype[np.int8]]:
    """Status codes: -1 for None (no status announced), else the member's position."""
    members = list(SupplyStatus)
    array = np.asarray(status, dtype=object)
    codes = np.empty(array.shape, dtype=np.int8)
    for position, value in np.ndenumerate(array):
        member = _status(value)
        codes[position] = -1 if member is None else members.index(member)
    return codes


@keeps_labels
def control_caps(
    status: Any,
    control_level: ArrayLike,
    *,
    points: ArrayLike | None = None,
    capped: Collection[SupplyStatus | str] = DEFAULT_CAPPED_STATUSES,
) -> FloatResult:
    """The most a quota may be, per series, from the brands' supply status (控量: no raise above).

    Parameters
    ----------
    status : SupplyStatus, str, None or array_like of them
        Each brand's supply status (紧俏 / 顺销 / 控量 / 控点控量), as members,
        values (``"controlled"``) or names (``"CONTROLLED"``); None for a brand
        without an announced status.  Usually one per brand, shaped (brands,).
    control_level : array_like
        The control level (控量标准) per cycle [cartons]; >= 0, NaN allowed
        where the status is not capped; broadcast against ``status``.
    points : array_like of bool, optional
        True where the store is one of a 控点控量 brand's designated points,
        e.g. shaped (stores, brands); broadcast against the others.  A
        point-controlled brand is capped at 0 at a store that is not a point.
        Default: every store is a point.
    capped : collection of SupplyStatus
        The statuses capped at ``control_level``; default 控量 and 控点控量
        (the library's choice: 紧俏 brands are rationed by the supply ratio,
        :func:`~tobacco_metrics.allocate_supply`, not capped per store).

    Returns
    -------
    numpy.float64 or ndarray of float64
        The cap [cartons per cycle], the inputs broadcast together: the
        control level for a capped status, 0 for a point-controlled brand at
        a store that is not a point, NaN (no cap) otherwise — the convention
        of :func:`~tobacco_metrics.quota_review`'s ``max_quota``.

    Raises
    ------
    InvalidValueError
        An unknown status; a negative or infinite control level, or a NaN or
        fractional one where the status is capped (a quota is whole cartons).
    ShapeMismatchError
        Inputs that do not broadcast together.

    Notes
    -----
    ``cap = control_level`` if status ∈ ``capped`` (and, for 控点控量, the
    store is a point); ``cap = 0`` for 控点控量 outside the points; else NaN
    (no cap).  Pass it as ``quota_review(..., max_quota=cap)``, or apply it
    to quotas with ``numpy.fmin(quota, cap)`` (which ignores NaN).  Law: a
    quota review given ``max_quota=cap`` never proposes more than the cap,
    and capping never raises a quota.

    Examples
    --------
    Four brands: scarce, smooth, volume-controlled at 5, point-controlled at 3;
    two stores, the second not a point of the fourth brand.

    >>> status = ["scarce", "smooth", "controlled", SupplyStatus.POINT_CONTROLLED]
    >>> control_caps(status, [float("nan"), float("nan"), 5, 3]).tolist()
    [nan, nan, 5.0, 3.0]
    >>> points = [[True, True, True, True], [True, True, True, False]]
    >>> control_caps(status, [0, 0, 5, 3], points=points).tolist()
    [[nan, nan, 5.0, 3.0], [nan, nan, 5.0, 0.0]]
    >>> control_caps("controlled", 12)
    np.float64(12.0)
    """
    codes = _statuses(status)
    level = quantities_or_nan(control_level, "control_level")
    if isinstance(capped, (str, bytes)) or not isinstance(capped, Collection):
        raise TypeError(
            f"'capped' must be a collection of SupplyStatus, got {type(capped).__name__}"
        )
    members = list(SupplyStatus)
    capped_codes = [members.index(cv.enum_member(SupplyStatus, item, "capped")) for item in capped]
    point_code = members.index(SupplyStatus.POINT_CONTROLLED)
    arrays: list[tuple[str, np.ndarray[Any, Any]]] = [("status", codes), ("control_level", level)]
    if points is not None:
        arrays.append(("points", bool_mask(points, "points")))
    broadcast = broadcast_arrays(*arrays)
    codes_b, level_b = broadcast[0], broadcast[1]
    is_capped = np.isin(codes_b, capped_codes)
    unknown_level = is_capped & np.isnan(level_b)
    refuse_where(
        unknown_level, level_b, "'control_level' must be a number where the status is capped"
    )
    # A cap bounds a quota, whole cartons: a fractional one would make the review refuse it.
    fractional = is_capped & ~unknown_level & (level_b != np.floor(level_b))
    refuse_where(
        fractional, level_b, "'control_level' must be whole cartons where the status is capped"
    )
    caps = np.full(codes_b.shape, np.nan, dtype=np.float64)
    np.copyto(caps, level_b, where=is_capped)
    if points is not None:
        outside = (codes_b == point_code) & ~broadcast[2]
        caps[outside] = 0.0
    return as_result(caps)

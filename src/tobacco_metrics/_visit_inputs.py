"""Checks of visit lists shared by the visit and agreement modules (private)."""

from __future__ import annotations

from collections.abc import Iterable

from tobacco_metrics.domain import Visit
from tobacco_metrics.errors import InvalidValueError


def visit_tuple(visits: Iterable[Visit]) -> tuple[Visit, ...]:
    """The visits as a tuple; TypeError for anything that is not a collection of Visit."""
    if isinstance(visits, (str, bytes, Visit)):
        raise TypeError(f"'visits' must be a collection of Visit, got {type(visits).__name__}")
    records = tuple(visits)
    for index, visit in enumerate(records):
        if not isinstance(visit, Visit):
            raise TypeError(
                f"'visits' must hold Visit objects, got {type(visit).__name__} at index {index}"
            )
    return records


def require_one_kind(visits: tuple[Visit, ...]) -> None:
    """Raise InvalidValueError when naive and timezone-aware visits are mixed."""
    naive = [index for index, visit in enumerate(visits) if visit.start.tzinfo is None]
    if naive and len(naive) != len(visits):
        aware = next(index for index, visit in enumerate(visits) if visit.start.tzinfo is not None)
        raise InvalidValueError(
            "'visits' must be all naive or all timezone-aware, not mixed: "
            f"visit {naive[0]} ({visits[naive[0]].store_id}) is naive, "
            f"visit {aware} ({visits[aware].store_id}) is aware"
        )

"""A month's order cycles: their spans, weights and split, and the fields of the weekly-limit
classes (private).

What :func:`~tobacco_metrics.weekly_limits` and :func:`~tobacco_metrics.class_limits` share
(:func:`split_over_order_days`, the one path from a month to its cycles' limits) and the
converters and checks of :class:`~tobacco_metrics.CycleLimit` and
:class:`~tobacco_metrics.WeeklyLimits` (order days, spans, limits and the holidays the
order days were moved from).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from typing import Any, Literal, NamedTuple, TypeAlias

import numpy as np
from dateutil import relativedelta as rd
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics._calendar import month_order_days
from tobacco_metrics._cartons import split
from tobacco_metrics._results import frozen_array
from tobacco_metrics._typing import IntArray
from tobacco_metrics._validation import (
    as_date,
    integer,
    items,
    quantities,
    whole_quantities,
)
from tobacco_metrics.errors import EmptyInputError, InvalidValueError, ShapeMismatchError

WeekdayLike: TypeAlias = int | rd.weekday
"""An order weekday: Monday = 0 … Sunday = 6, or dateutil's ``MO`` … ``SU``."""

CycleWeights: TypeAlias = Literal["days", "equal"] | Sequence[float] | ArrayLike


class MonthCycles(NamedTuple):
    """A month's order days, the holidays they were moved from, their spans and limits."""

    days: list[dt.date]
    moved: list[dt.date | None]
    spans: list[int]
    limits: IntArray


# --------------------------------------------------------------------------- fields


def to_order_day(value: Any) -> dt.date:
    """Converter: the order day of a cycle."""
    return as_date(value, "order_day")


def to_moved_from(value: Any, name: str = "moved_from") -> dt.date | None:
    """Converter: the holiday an order day was moved from, or None (not moved)."""
    return None if value is None else as_date(value, name)


def check_moved(day: dt.date, moved: dt.date | None, name: str = "moved_from") -> None:
    """An order day is not moved from itself."""
    if moved == day:
        raise InvalidValueError(
            f"{name!r} must differ from 'order_day' (None when the order was not moved): "
            f"{day.isoformat()}"
        )


def day_tuple(values: Iterable[Any]) -> tuple[dt.date, ...]:
    """Converter: the order days of :class:`~tobacco_metrics.WeeklyLimits`."""
    return tuple(
        as_date(day, f"order_days[{i}]")
        for i, day in enumerate(items(values, "order_days", "dates"))
    )


def to_moved_tuple(values: Iterable[Any]) -> tuple[dt.date | None, ...]:
    """Converter: one moved-from date or None per order day."""
    return tuple(
        to_moved_from(day, f"moved_from[{i}]")
        for i, day in enumerate(items(values, "moved_from", "dates or None"))
    )


def check_moved_tuple(days: tuple[dt.date, ...], moved: tuple[dt.date | None, ...]) -> None:
    """One moved-from entry per order day, none the order day itself."""
    if len(moved) != len(days):
        raise ShapeMismatchError(
            f"'moved_from' must have one entry per order day ({len(days)}): {len(moved)}"
        )
    for i, (day, source) in enumerate(zip(days, moved, strict=True)):
        check_moved(day, source, f"moved_from[{i}]")


def int_tuple(values: Iterable[Any]) -> tuple[int, ...]:
    """Converter: the cycle spans of :class:`~tobacco_metrics.WeeklyLimits`."""
    return tuple(
        integer(value, f"days_covered[{i}]", 1)
        for i, value in enumerate(items(values, "days_covered", "ints"))
    )


def limit_array(value: Any) -> IntArray:
    """Whole cartons >= 0 as a read-only int64 array."""
    limits: IntArray = frozen_array(whole_quantities(value, "limits"))
    return limits


# --------------------------------------------------------------------------- the split


def cycle_spans(days: list[dt.date], following: int) -> list[int]:
    """Whole cycles: to the next order day, the last one to ``following`` (the ordinal of
    the next month's first order)."""
    # Ordinals, not dates: the day after 9999-12-31 is not a date.
    ordinals = [day.toordinal() for day in days]
    following_days = [*ordinals[1:], following] if ordinals else []
    return [after - day for day, after in zip(ordinals, following_days, strict=True)]


def cycle_weights(weights: CycleWeights, spans: list[int]) -> NDArray[Any]:
    """The weight of each cycle: its days, 1, or the caller's (one per order day)."""
    if isinstance(weights, str):
        if weights == "days":
            return np.asarray(spans, dtype=np.int64)
        if weights == "equal":
            return np.ones(len(spans), dtype=np.int64)
        raise InvalidValueError(
            f"'weights' must be 'days', 'equal' or one weight per order day: {weights!r}"
        )
    weight_array = quantities(weights, "weights")
    if weight_array.shape != (len(spans),):
        raise ShapeMismatchError(
            f"'weights' must hold one weight per order day ({len(spans)}): "
            f"shape {weight_array.shape}"
        )
    return weight_array


def split_over_order_days(
    totals: IntArray,
    name: str,
    year: int,
    month: int,
    order_weekday: WeekdayLike,
    weights: CycleWeights,
    holidays: Collection[dt.date | str],
    makeup_workdays: Collection[dt.date | str],
) -> MonthCycles:
    """The month's order days, the holidays they were moved from, their cycle spans, and
    ``totals`` split over them by ``weights``.

    The one path of :func:`~tobacco_metrics.weekly_limits` and
    :func:`~tobacco_metrics.class_limits`: every total (``name`` in messages) gets one
    part per order day, by the largest-remainder splitter.
    """
    days, moved, following, day_of_week = month_order_days(
        year, month, order_weekday, "order_weekday", holidays, makeup_workdays
    )
    spans = cycle_spans(days, following)
    weight_array = cycle_weights(weights, spans)
    if not days and np.any(totals > 0):
        raise EmptyInputError(
            f"{int(year):04d}-{int(month):02d} has no order day for weekday {day_of_week} "
            f"(every one falls on a holiday in a week without a working day): '{name}' "
            "has no cycle to go to"
        )
    limits = split(
        totals, np.broadcast_to(weight_array, (*totals.shape, len(days))), (name, "weights")
    )
    return MonthCycles(days, moved, spans, limits)

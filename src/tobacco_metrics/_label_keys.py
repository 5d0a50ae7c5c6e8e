"""When two labels are the same label (private): days, flags, index levels.

:func:`~tobacco_metrics._validation.aligned` and the other label checks pair
labelled inputs by label, never by position.  This module says which labels
are the same one, where Python's ``==`` would say otherwise or say too much:

- a day is a day whatever type labels it: ``datetime.date``,
  ``datetime.datetime`` and ``pandas.Timestamp`` (a time of day is read as its
  day, on the clock of its own time zone), ``numpy.datetime64`` and a daily
  ``pandas.Period``; so two labels on one day in one input are a repeated
  label.  Text is not a date: ``'2026-03-02'`` pairs only with that text;
- True and False are flags: they never pair with the numbers 1 and 0, which
  numpy and pandas take them for;
- the levels of two pandas ``MultiIndex`` axes are paired by name
  (:func:`by_level_name`): put in the reference's order when every level of
  both is named and the names are the same, refused with what to do when the
  levels would pair only in another order without those names.

The rules are stated for users in ``docs/guarantees.md`` ("How labels are paired").
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from tobacco_metrics._validation import quoted
from tobacco_metrics.errors import ShapeMismatchError

_DAY = object()  # the tag of a day's key: no label given by a user can hold it
_FLAG = object()  # the tag of True's and False's keys
_EPOCH = dt.date(1970, 1, 1).toordinal()
_MAX_LEVELS_TRIED = 4  # level orders tried when looking for a pairing (4! = 24)


def day_number(label: object) -> int | None:
    """Days since 1970-01-01 of a label that names a day, None for any other label."""
    if label != label:  # NaT and NaN name no day (and pandas.NaT is a datetime)
        return None
    if isinstance(label, dt.datetime):  # (and pandas.Timestamp): the day on its own clock
        return label.date().toordinal() - _EPOCH
    if isinstance(label, dt.date):
        return label.toordinal() - _EPOCH
    if isinstance(label, np.datetime64):
        return None if np.isnat(label) else int(label.astype("datetime64[D]").astype(np.int64))
    if type(label).__name__ == "Period" and getattr(label, "freqstr", None) == "D":
        return int(label.ordinal)  # type: ignore[attr-defined]  # a daily Period: days since 1970
    return None


def coordinate_labels(coordinate: Any) -> tuple[Any, ...]:
    """The labels of an xarray coordinate as Python objects.

    ``tolist()`` turns datetime64 of a unit finer than microseconds (xarray's
    nanoseconds) into integers: those are read in microseconds, as datetimes.
    """
    values = np.asarray(coordinate)
    if values.dtype.kind == "M" and np.datetime_data(values.dtype)[0] in ("ns", "ps", "fs", "as"):
        values = values.astype("datetime64[us]")
    return tuple(values.tolist())


def label_key(label: Any) -> Hashable:
    """What a label is compared by: its day, its flag, itself (a tuple: item by item)."""
    if isinstance(label, (bool, np.bool_)):
        return (_FLAG, bool(label))
    if isinstance(label, tuple):
        return tuple(label_key(item) for item in label)
    day = day_number(label)
    return label if day is None else (_DAY, day)


def label_keys(labels: Sequence[Any]) -> tuple[Hashable, ...]:
    return tuple(map(label_key, labels))


def _plain(labels: Sequence[Any]) -> bool:
    """Whether every label (every item of a tuple label) is compared by ``==`` alone.

    Flags, days and tuples mixed with other labels are not: their keys are
    needed.  One pass in C (a set of types), so long axes of store codes stay fast.
    """
    kinds = set(map(type, labels))
    if kinds == {tuple}:  # the rows of a MultiIndex: the kinds of their items
        kinds = set(map(type, itertools.chain.from_iterable(labels)))
    return not any(
        issubclass(kind, (bool, np.bool_, dt.date, np.datetime64, tuple))
        or kind.__name__ == "Period"
        for kind in kinds
    )


def label_order(own: Sequence[Any], wanted: Sequence[Any]) -> Sequence[int] | None:
    """Where each of ``wanted``'s labels is in ``own``; None when they do not pair one to one.

    A ``range`` when they are already in order (nothing to move).  Labels that
    repeat pair only where both sides are the very same labels in the same
    order (two labels on one day are never paired by their position).
    """
    if len(own) != len(wanted):
        return None
    own, wanted = tuple(own), tuple(wanted)
    plain = _plain(own) and _plain(wanted)
    if plain and own == wanted:
        return range(len(own))  # (the common case: one pass in C)
    keys, wanted_keys = (own, wanted) if plain else (label_keys(own), label_keys(wanted))
    unique = _each_once(keys, wanted_keys)
    if keys == wanted_keys and (unique or own == wanted):
        return range(len(own))
    return _positions(keys, wanted_keys) if unique else None


def _each_once(keys: tuple[Any, ...], wanted_keys: tuple[Any, ...]) -> bool:
    """Whether each key of both (equally long) tuples is there once; False for an
    unhashable key (only the very same labels pair)."""
    try:
        return len(set(keys)) == len(keys) == len(set(wanted_keys))
    except TypeError:  # an unhashable label: only the very same labels pair
        return False


def _positions(keys: tuple[Any, ...], wanted_keys: tuple[Any, ...]) -> list[int] | None:
    """Where each of ``wanted_keys`` is in ``keys`` (unique keys); None when one is not."""
    position = {key: index for index, key in enumerate(keys)}
    try:
        return [position[key] for key in wanted_keys]
    except KeyError:
        return None


def same_label_set(own: Sequence[Any] | None, wanted: Sequence[Any] | None) -> bool:
    """Whether two axes hold the same labels, in any order, each once."""
    return own is not None and wanted is not None and label_order(own, wanted) is not None


def _family(label: Any) -> str:
    """ "flag", "day", "number" or the type's name: labels of one family can pair."""
    key = label_key(label)
    if isinstance(key, tuple) and key and key[0] is _FLAG:
        return "flag"
    if isinstance(key, tuple) and key and key[0] is _DAY:
        return "day"
    return "number" if isinstance(label, (int, float, np.number)) else type(label).__name__


def mismatch_reason(own: Sequence[Any], wanted: Sequence[Any]) -> str:
    """Why two label tuples that look alike do not pair ("" when nothing more to say)."""
    return _type_reason(own, wanted) or _same_day_reason(own, wanted) or _repeat_reason(own, wanted)


def _type_reason(own: Sequence[Any], wanted: Sequence[Any]) -> str:
    """Why labels of different families (flags, days, numbers, ...) do not pair ("": they
    are of one family)."""
    families = {_family(label) for label in own}
    ref_families = {_family(label) for label in wanted}
    if {"flag", "number"} <= families | ref_families and families != ref_families:
        return (
            "; True/False labels against the numbers 1/0, which numpy and pandas take for "
            "equal: a flag is not a number, so they are never paired; give both sides "
            "labels of one kind (e.g. .astype(int) on the flags)"
        )
    if own and wanted and families != ref_families:
        kinds = sorted({type(label).__name__ for label in own})
        ref_kinds = sorted({type(label).__name__ for label in wanted})
        return (
            f"; the labels are of different types, {' and '.join(kinds)} against "
            f"{' and '.join(ref_kinds)}, which never compare equal: convert one side's "
            "labels to the other's type (e.g. pandas.to_datetime)"
        )
    return ""


def _same_day_reason(own: Sequence[Any], wanted: Sequence[Any]) -> str:
    """Why labels two of which fall on one day do not pair ("": none do)."""
    for labels in (own, wanted):
        twice = _same_day_twice(labels)
        if twice:
            return (
                f"; two labels on one day ({twice[0]} and {twice[1]}): a time of day is read as "
                "its day, so each day must be labelled once; add up each day's rows first"
            )
    return ""


def _repeat_reason(own: Sequence[Any], wanted: Sequence[Any]) -> str:
    """Why labels that repeat do not pair ("": none repeats, or they are unhashable)."""
    try:
        repeated = len(set(own)) != len(own) or len(set(wanted)) != len(wanted)
    except TypeError:
        repeated = False
    return "; the labels repeat, so they cannot be paired one to one" if repeated else ""


def _same_day_twice(labels: Sequence[Any]) -> tuple[Any, Any] | None:
    """Two different labels of ``labels`` on the same day, if any."""
    seen: dict[int, Any] = {}
    for label in labels:
        day = day_number(label)
        if day is None:
            continue
        if day in seen and seen[day] != label:
            return seen[day], label
        seen.setdefault(day, label)
    return None


# --------------------------------------------------------------------------- index levels


def _pandas_axes(value: Any) -> list[Any]:
    """The pandas Index of each axis of a Series or DataFrame ([] for anything else)."""
    if type(value).__module__.split(".", 1)[0] != "pandas" or not hasattr(value, "index"):
        return []
    if getattr(value, "ndim", None) == 1:
        return [value.index]
    return [value.index, value.columns] if hasattr(value, "columns") else []


def by_level_name(value: Any, name: str, reference: Any, ref_name: str, trailing: int = 0) -> Any:
    """``value`` with the levels of each MultiIndex axis in the order of ``reference``'s names.

    Axes are matched as numpy broadcasting matches them (from the last, less
    the reference's last ``trailing`` axes).  Where both axes are MultiIndexes
    of the same number of levels, every level named on both, with the same
    names: the value's levels are put in the reference's order.  Otherwise
    nothing moves; but labels that would pair only in another level order are
    refused, saying to name the levels (or that their names differ).
    """
    axes, ref_axes = _pandas_axes(value), _pandas_axes(reference)
    ref_axes = ref_axes[: len(ref_axes) - trailing]
    offset = len(ref_axes) - len(axes)
    for axis, index in enumerate(axes):
        if not 0 <= axis + offset < len(ref_axes):
            continue
        wanted = ref_axes[axis + offset]
        if getattr(index, "nlevels", 1) < 2 or getattr(wanted, "nlevels", 1) != index.nlevels:
            continue
        order = _level_order(index, wanted, (name, ref_name))
        if order is not None:
            value = value.reorder_levels(order, axis=axis) if axis else value.reorder_levels(order)
    return value


def _level_order(index: Any, wanted: Any, names: tuple[str, str]) -> list[int] | None:
    """The order to put ``index``'s levels in to pair with ``wanted``'s (None: as they are)."""
    own, ref = list(index.names), list(wanted.names)
    if own == ref:
        return None
    named = None not in own and None not in ref and len(set(own)) == len(own)
    if named and set(own) == set(ref):
        return [own.index(level) for level in ref]
    if same_label_set(tuple(index), tuple(wanted)) or index.nlevels > _MAX_LEVELS_TRIED:
        return None  # they pair by level position (or too many levels to try others)
    _refuse_other_level_order(index, wanted, names, named)
    return None


def _refuse_other_level_order(index: Any, wanted: Any, names: tuple[str, str], named: bool) -> None:
    """ShapeMismatchError when ``index``'s labels would pair with ``wanted``'s in another
    order of its levels; the fix it gives depends on whether all levels are ``named``."""
    own, ref = list(index.names), list(wanted.names)
    rows = tuple(index)
    for order in itertools.permutations(range(index.nlevels)):
        moved = tuple(tuple(row[k] for k in order) for row in rows)
        if same_label_set(moved, tuple(wanted)):
            name, ref_name = names
            fix = (
                f"the level names {tuple(own)} against {tuple(ref)} differ: rename them "
                "(rename_axis) to the same names"
                if named
                else "name every level on both sides (rename_axis) with the same names"
            )
            raise ShapeMismatchError(
                f"{quoted(name)} and {quoted(ref_name)} have index levels that pair only in "
                f"another order (levels of {quoted(name)} in the order {list(order)}); index "
                "levels are "
                f"paired by name, never by position: {fix}"
            )

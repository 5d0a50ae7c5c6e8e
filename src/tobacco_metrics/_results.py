"""Typed result helpers and the result classes' read-only rule (private).

:func:`as_result` is :func:`tobacco_metrics._validation.unwrap` with a
precise type: a 0-d result comes back as a numpy scalar, anything else as the
array itself, and the static type stays ``NDArray[T]`` (a numpy scalar has
the read-only interface of a 0-d array; see ``tobacco_metrics._typing``).
It replaces a ``# type: ignore[no-any-return]`` at every ``return unwrap(...)``.

An array a result keeps is made read-only by :func:`frozen_array` (a converter:
copies unless nothing can write to it) or :func:`seal` (for an array just created).
A result class holding arrays derives from :class:`ReadOnlyCopies` and is declared
``@attrs.frozen(eq=False, field_transformer=read_only_fields)`` (or gives its array
fields converters of its own that make them read-only): its arrays are read-only, in
every copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar, cast

import attrs
import numpy as np
from numpy.typing import NDArray

from tobacco_metrics._typing import StrResult
from tobacco_metrics._validation import unwrap

_G = TypeVar("_G", bound=np.generic)


def _writeable_somewhere(array: NDArray[Any]) -> bool:
    """Whether ``array`` or any array (or buffer) it views can still be written to."""
    base: Any = array
    while isinstance(base, np.ndarray):
        if base.flags.writeable:
            return True
        base = base.base
    if base is None:
        return False
    try:
        return not memoryview(base).readonly
    except TypeError:  # not a buffer (an mmap closed, an exotic owner): trust its flags
        return False


def frozen_array(value: Any) -> Any:
    """Converter: an ndarray as a read-only array nobody can change, anything else as is.

    A read-only view is kept (as a new read-only view) only when nothing can
    write to its memory any more: neither the array nor any array or buffer
    it views is writeable.  Otherwise it is copied, so that a caller's later
    writes (through the array or its base) cannot change the value.
    """
    if not isinstance(value, np.ndarray):
        return value
    if _writeable_somewhere(value):
        copy = value.copy()
        copy.flags.writeable = False
        return copy
    view = value.view()
    view.flags.writeable = False
    return view


def seal(array: NDArray[_G]) -> NDArray[_G]:
    """Make an array the caller has just created read-only (and return it).

    For arrays nobody else holds (fresh results): :func:`frozen_array` then
    keeps them without a copy.  ``array.base`` must be None or sealed too.
    """
    base: Any = array
    while isinstance(base, np.ndarray):
        base.flags.writeable = False
        base = base.base
    return array


def as_result(array: NDArray[_G]) -> NDArray[_G]:
    """A numpy scalar for a 0-d ``array``, the array itself otherwise (typed as the array)."""
    return cast("NDArray[_G]", unwrap(array))


def as_labels(array: NDArray[np.str_]) -> StrResult:
    """Labels as a numpy str scalar (0-d) or the array itself."""
    return cast("StrResult", unwrap(array))


_REPR_ITEMS = 20  # items of a tuple, list or set a result's repr shows before "…"


def bounded_repr(value: Any) -> str:
    """``repr`` of a result's field, a long tuple, list or set cut after its first items.

    An attrs ``repr=`` hook: a result over 10,000 stores keeps a repr of a few
    lines (numpy already cuts long arrays), ``(... 'C19', … (10000 in all))``.
    """
    if isinstance(value, (tuple, list, set, frozenset)) and len(value) > _REPR_ITEMS:
        items = list(value)[:_REPR_ITEMS]
        return f"({', '.join(map(repr, items))}, … ({len(value)} in all))"
    return repr(value)


def read_only_fields(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """attrs field transformer of the result classes: read-only arrays, a bounded repr.

    ``@attrs.frozen(field_transformer=read_only_fields)`` gives each field
    that has no converter of its own :func:`frozen_array` (a read-only view,
    or a read-only copy when the caller could still write the memory), so that the rule
    "a result's arrays cannot be written" is stated once per class, not once
    per field; values that are not ndarrays pass through unchanged.  Each
    shown field gets :func:`bounded_repr`, so long label tuples are cut.
    """
    return [
        (field if field.converter else field.evolve(converter=frozen_array)).evolve(
            repr=bounded_repr if field.repr is True else field.repr
        )
        for field in fields
    ]


def rebuild_record(cls: type[Any], values: dict[str, Any]) -> Any:
    """Unpickle (or deep-copy) a result: its arrays, new, made read-only, then the constructor."""
    for value in values.values():
        if isinstance(value, np.ndarray) and value.base is None:
            value.flags.writeable = False  # its own memory: read-only in place, no copy
    return cls(**values)


def same_value(first: Any, second: Any) -> bool:
    """Whether two field values are equal: arrays in shape, dtype and every value (NaN
    equal to NaN in the same place), sequences item by item, anything else by ``==``."""
    if isinstance(first, (np.ndarray, np.generic)) or isinstance(second, (np.ndarray, np.generic)):
        return _same_array(np.asarray(first), np.asarray(second))
    if isinstance(first, (tuple, list)) and isinstance(second, (tuple, list)):
        return _same_items(first, second)
    if isinstance(first, float) and isinstance(second, float):
        return first == second or (first != first and second != second)  # NaN is NaN
    return bool(first == second)


def _same_array(first: NDArray[Any], second: NDArray[Any]) -> bool:
    if first.shape != second.shape or first.dtype != second.dtype:
        return False
    return bool(np.array_equal(first, second, equal_nan=first.dtype.kind in "fc"))


def _same_items(first: Sequence[Any], second: Sequence[Any]) -> bool:
    if type(first) is not type(second) or len(first) != len(second):
        return False
    return all(same_value(a, b) for a, b in zip(first, second, strict=True))


def same_fields(first: Any, second: Any, names: Iterable[str]) -> bool:
    """Whether ``first`` and ``second`` (one attrs class) agree on each field of ``names``."""
    return all(same_value(getattr(first, name), getattr(second, name)) for name in names)


class ReadOnlyCopies:
    """Base of the result classes: read-only arrays in every copy, equality by value.

    attrs restores a slotted instance without its converters, so an unpickled
    or deep-copied result would hold writeable arrays; these go through the
    constructor instead (:func:`rebuild_record`), whose converters
    (:func:`read_only_fields`) make every array read-only again.  Two results
    are equal when they are of one class and every field is equal
    (:func:`same_value`: arrays by shape, dtype and values, NaN equal to NaN);
    a result holds arrays, so it is not hashable.
    """

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]  # equal by value, holding arrays

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        record: Any = type(self)  # an attrs class (the subclass)
        return same_fields(self, other, (field.name for field in attrs.fields(record) if field.eq))

    def __reduce__(self) -> tuple[Any, ...]:
        record: Any = type(self)  # an attrs class (the subclass)
        values = {field.alias: getattr(self, field.name) for field in attrs.fields(record)}
        return rebuild_record, (record, values)

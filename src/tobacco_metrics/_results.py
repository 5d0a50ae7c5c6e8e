"""Typed result helpers and the result classes' read-only rule (private).

:func:`as_result` is :func:`tobacco_metrics._validation.unwrap` with a
precise type: a 0-d result comes back as a numpy scalar, anything else as the
array itself, and the static type stays ``NDArray[T]`` (a numpy scalar has
the read-only interface of a 0-d array; see ``tobacco_metrics._typing``).
It replaces a ``# type: ignore[no-any-return]`` at every ``return unwrap(...)``.

A result class holding arrays derives from :class:`ReadOnlyCopies` and is declared
``@attrs.frozen(eq=False, field_transformer=read_only_fields)`` (or gives its array
fields converters of its own that make them read-only): its arrays are read-only, in
every copy.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

import attrs
import numpy as np
from numpy.typing import NDArray

from tobacco_metrics._typing import StrResult
from tobacco_metrics._validation import frozen_array, unwrap

_G = TypeVar("_G", bound=np.generic)


def as_result(array: NDArray[_G]) -> NDArray[_G]:
    """A numpy scalar for a 0-d ``array``, the array itself otherwise (typed as the array)."""
    return cast("NDArray[_G]", unwrap(array))


def as_labels(array: NDArray[np.str_]) -> StrResult:
    """Labels as a numpy str scalar (0-d) or the array itself."""
    return cast("StrResult", unwrap(array))


def read_only_fields(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """attrs field transformer of the result classes: every array they hold is read-only.

    ``@attrs.frozen(field_transformer=read_only_fields)`` gives each field
    that has no converter of its own :func:`frozen_array` (a read-only view,
    or a read-only copy when the caller could still write the memory), so that the rule
    "a result's arrays cannot be written" is stated once per class, not once
    per field; values that are not ndarrays pass through unchanged.
    """
    return [field if field.converter else field.evolve(converter=frozen_array) for field in fields]


def rebuild_record(cls: type[Any], values: dict[str, Any]) -> Any:
    """Unpickle (or deep-copy) a result: its arrays, new, made read-only, then the constructor."""
    for value in values.values():
        if isinstance(value, np.ndarray) and value.base is None:
            value.flags.writeable = False  # its own memory: read-only in place, no copy
    return cls(**values)


class ReadOnlyCopies:
    """Base of the result classes: a pickled or copied result keeps read-only arrays.

    attrs restores a slotted instance without its converters, so an unpickled
    or deep-copied result would hold writeable arrays; these go through the
    constructor instead (:func:`rebuild_record`), whose converters
    (:func:`read_only_fields`) make every array read-only again.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, ...]:
        record: Any = type(self)  # an attrs class (the subclass)
        values = {field.alias: getattr(self, field.name) for field in attrs.fields(record)}
        return rebuild_record, (record, values)

"""Typed result helpers for the formulas (private).

:func:`as_result` is :func:`tobacco_metrics._validation.unwrap` with a
precise type: a 0-d result comes back as a numpy scalar, anything else as the
array itself, and the static type stays ``NDArray[T]`` (a numpy scalar has
the read-only interface of a 0-d array; see ``tobacco_metrics._typing``).
It replaces a ``# type: ignore[no-any-return]`` at every ``return unwrap(...)``.
"""

from __future__ import annotations

from typing import TypeVar, cast

import numpy as np
from numpy.typing import NDArray

from tobacco_metrics._typing import StrResult
from tobacco_metrics._validation import unwrap

_G = TypeVar("_G", bound=np.generic)


def as_result(array: NDArray[_G]) -> NDArray[_G]:
    """A numpy scalar for a 0-d ``array``, the array itself otherwise (typed as the array)."""
    return cast("NDArray[_G]", unwrap(array))


def as_labels(array: NDArray[np.str_]) -> StrResult:
    """Labels as a numpy str scalar (0-d) or the array itself."""
    return cast("StrResult", unwrap(array))

"""Labels and positions of series (private): each label once, a position among the
series, the row index of a result table.

A label names one series (or store, or brand) and so is hashable and given once
(:func:`unique_labels`, the rule of ``Panel`` labels and of table indexes); a
position names one series by an int per series axis (:func:`series_position`). A
result over series axes (stores × brands, …) becomes a table of one row per
series. Its rows are labelled by position unless the caller gives labels for
each axis; the levels are named by ``names``. Both are checked as every other
argument is: a bare string is not a sequence of names or labels (it was read as
one name per character), the labels of an axis are hashable and each once (two
rows labelled alike cannot be told apart), and there is one name and one label
sequence per axis.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from tobacco_metrics._validation import items, quoted
from tobacco_metrics.errors import DuplicateEntryError, InvalidValueError, ShapeMismatchError

if TYPE_CHECKING:
    import pandas as pd


def unique_labels(name: str, labels: Sequence[Any]) -> None:
    """Hashable labels, each once: TypeError or DuplicateEntryError naming the positions."""
    first: dict[Any, int] = {}
    for position, label in enumerate(labels):
        try:
            earlier = first.setdefault(label, position)
        except TypeError:
            raise TypeError(
                f"{quoted(name)} labels must be hashable: {label!r} at position {position}"
            ) from None
        if earlier != position:
            raise DuplicateEntryError(
                f"{quoted(name)} must be unique: {label!r} at positions {earlier} and {position}"
            )


def series_position(index: object, shape: tuple[int, ...]) -> tuple[int, ...]:
    """``index`` (an int, or a tuple of one int per axis of ``shape``) as a position in it.

    TypeError for anything but ints (a bool is not a position); InvalidValueError
    for the wrong number of ints or one out of range (negative ones count from
    the end, as in numpy).
    """
    position = index if isinstance(index, tuple) else (index,)
    if not all(
        isinstance(i, (int, np.integer)) and not isinstance(i, (bool, np.bool_)) for i in position
    ):
        raise TypeError(f"'index' must be an int or a tuple of ints, got {index!r}")
    if len(position) != len(shape) or not all(
        -size <= i < size for i, size in zip(position, shape, strict=True)
    ):
        raise InvalidValueError(
            f"'index' must name one series of the shape {shape} "
            f"({len(shape)} integer positions in range): {index!r}"
        )
    return tuple(int(i) for i in position)


def axis_names(names: object, n_axes: int) -> list[Hashable]:
    """``names`` as a list of one hashable name per axis; TypeError or ShapeMismatchError."""
    listed = items(names, "names", "names (one per axis)")
    for position, name in enumerate(listed):
        if not isinstance(name, Hashable):
            raise TypeError(f"'names' must hold hashable names: {name!r} at position {position}")
    if len(listed) != n_axes:
        raise ShapeMismatchError(f"'names' must name each of the {n_axes} axes, got {len(listed)}")
    return listed


def axis_labels(labels: object, shape: tuple[int, ...]) -> list[list[Any]]:
    """``labels`` as one list of distinct hashable labels per axis, each of its axis' size."""
    per_axis = items(labels, "labels", "label sequences (one per axis)")
    if len(per_axis) != len(shape):
        raise ShapeMismatchError(
            f"'labels' must give one label sequence per series axis ({len(shape)}), "
            f"got {len(per_axis)}"
        )
    checked = []
    for axis, (along, size) in enumerate(zip(per_axis, shape, strict=True)):
        name = f"'labels' for axis {axis}"
        listed = items(along, name, "labels")
        if len(listed) != size:
            raise ShapeMismatchError(f"{name} must have {size} entries: got {len(listed)}")
        unique_labels(name, listed)
        checked.append(listed)
    return checked


def series_index(
    shape: tuple[int, ...], labels: object, names: Sequence[Hashable]
) -> pd.Index[Any]:
    """The index of one row per series of ``shape`` (C order), by position or ``labels``."""
    import pandas as pd

    along = [list(range(size)) for size in shape] if labels is None else axis_labels(labels, shape)
    index: pd.Index[Any]
    if len(shape) == 1:
        index = pd.Index(along[0], name=names[0], tupleize_cols=False)
    else:
        index = pd.MultiIndex.from_product(along, names=list(names))
    return index

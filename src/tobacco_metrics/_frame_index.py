"""The row index of a result table (private): the labels and names a ``to_frame`` takes.

A result over series axes (stores × brands, …) becomes a table of one row per
series.  Its rows are labelled by position unless the caller gives labels
for each axis; the levels are named by ``names``.  Both are checked as every
other argument is: a bare string is not a sequence of names or labels (it
was read as one name per character), the labels of an axis are hashable and
each once (two rows labelled alike cannot be told apart), and there is one
name and one label sequence per axis.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

from tobacco_metrics._validation import items, unique_labels
from tobacco_metrics.errors import ShapeMismatchError

if TYPE_CHECKING:
    import pandas as pd


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

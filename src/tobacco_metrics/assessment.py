"""Assessment (考核): roll the stock metrics up by manager, route or area.

The source's district assesses its customer managers on 销售满足度,
脱销天数 and 存销比 — "这几项指标要占考核总分的40%左右" (about 40 % of the
total score). :func:`scorecard` pools the per-series metrics of a
:class:`~tobacco_metrics.CycleMetrics` or
:class:`~tobacco_metrics.PanelMetrics` over any grouping (manager, route,
area) into those three figures and a 0–100 score with weights you choose.
Pooling sums quantities first and divides once: it never averages ratios.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics._html import notebook_table, scorecard_html
from tobacco_metrics._results import ReadOnlyCopies, read_only_fields
from tobacco_metrics._typing import FloatArray, IntArray
from tobacco_metrics._validation import (
    aligned_to_axes,
    axis_labels,
    bool_mask,
    broadcast_to_shape,
    non_negative_scalar,
)
from tobacco_metrics.decisions import cover_status
from tobacco_metrics.errors import InvalidValueError, MissingDataError, ShapeMismatchError
from tobacco_metrics.panel import PanelMetrics
from tobacco_metrics.stock import CycleMetrics, fulfilment_ratio

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DEFAULT_SCORE_WEIGHTS", "Scorecard", "scorecard"]

DEFAULT_SCORE_WEIGHTS: Final[Mapping[str, float]] = {
    "fulfilment": 1.0,
    "stockout_rate": 1.0,
    "in_range_share": 1.0,
}
"""Equal weights of the three figures in :func:`scorecard`'s score (the library's choice)."""


@attrs.frozen(eq=False, field_transformer=read_only_fields)
class Scorecard(ReadOnlyCopies):
    """Stock metrics pooled per group (manager, route, area), as :func:`scorecard` returns them.

    Every array is read-only and runs over the sorted groups.

    Attributes
    ----------
    groups : ndarray
        The group labels, sorted.
    series : ndarray of int64
        Series counted in each group (carried series only).
    days, stockout_days : ndarray of int64
        Σ counted days D and Σ stockout days S (脱销天数) [series-days].
    actual_sales, projected_stockout_sales : ndarray of float64
        ΣA (实际销售) and ΣP (预计脱销销售) [cartons]; ΣP is NaN if any P is.
    fulfilment : ndarray of float64
        Pooled fulfilment ratio ΣA / (ΣA + ΣP) (销售满足度); 1.0 when ΣP == 0.
    stockout_rate : ndarray of float64
        ΣS / ΣD, the share of series-days out of stock.
    in_range_share : ndarray of float64
        Share of the group's series whose days of cover (存销比) are inside
        the range.
    score : ndarray of float64
        The weighted score, 0–100.

    A group with no counted series has ``series == 0`` and NaN figures.
    """

    groups: NDArray[Any]
    series: IntArray
    days: IntArray
    stockout_days: IntArray
    actual_sales: FloatArray
    projected_stockout_sales: FloatArray
    fulfilment: FloatArray
    stockout_rate: FloatArray
    in_range_share: FloatArray
    score: FloatArray

    _repr_html_ = notebook_table(scorecard_html)

    def to_frame(self) -> pd.DataFrame:
        """The scorecard as a pandas DataFrame indexed by group (needs pandas)."""
        import pandas as pd

        names = [field.name for field in attrs.fields(Scorecard)][1:]
        frame: pd.DataFrame = pd.DataFrame(
            {name: np.asarray(getattr(self, name)) for name in names},
            index=pd.Index(np.asarray(self.groups).tolist(), name="group"),
        )
        return frame


def _weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    if weights is None:
        return dict(DEFAULT_SCORE_WEIGHTS)
    if not isinstance(weights, Mapping):
        raise TypeError(
            f"'weights' must be a mapping of {sorted(DEFAULT_SCORE_WEIGHTS)} to numbers, "
            f"got {type(weights).__name__}"
        )
    unknown = sorted(str(key) for key in weights if key not in DEFAULT_SCORE_WEIGHTS)
    if unknown:
        raise InvalidValueError(
            f"'weights' has unknown keys {unknown}: the keys are {sorted(DEFAULT_SCORE_WEIGHTS)}"
        )
    chosen = {
        key: non_negative_scalar(weights.get(key, 0.0), f"weights[{key}]")
        for key in DEFAULT_SCORE_WEIGHTS
    }
    if sum(chosen.values()) <= 0:
        raise InvalidValueError(f"'weights' must have a positive sum: {dict(weights)}")
    return chosen


def _series_arrays(metrics: object) -> dict[str, NDArray[Any]]:
    if not isinstance(metrics, (CycleMetrics, PanelMetrics)):
        raise TypeError(
            f"'metrics' must be a CycleMetrics or a PanelMetrics, got {type(metrics).__name__}"
        )
    names = ("days", "stockout_days", "actual_sales", "projected_stockout_sales")
    arrays = {name: np.asarray(getattr(metrics, name)) for name in names}
    arrays["cover"] = np.asarray(metrics.stock_to_sales_ratio, dtype=np.float64)
    shape = np.broadcast_shapes(*(array.shape for array in arrays.values()))
    return {name: np.broadcast_to(array, shape) for name, array in arrays.items()}


def _by_label(by: object, metrics: PanelMetrics) -> object:
    """A pandas Series of groups indexed by store (or by brand), paired by label, not position.

    Indexed by the panel's stores it is read as the mapping store → group;
    indexed by its brands it is put in the panel's brand order. A Series
    without an index of its own (0 … n-1) is an array like any other.
    """
    labels = axis_labels(by)
    if labels is None or len(labels) != 1 or labels[0] is None:
        return by
    index = labels[0]
    if _default_index(by, index):
        return by
    values = np.asarray(by).tolist()
    if set(index) == set(metrics.stores) and len(index) == len(metrics.stores):
        return dict(zip(index, values, strict=True))
    if set(index) == set(metrics.brands) and len(index) == len(metrics.brands):
        return _in_label_order(dict(zip(index, values, strict=True)), metrics.brands)
    raise ShapeMismatchError(
        "'by' is a Series whose index is neither the panel's stores nor its brands: "
        "labelled groups are paired by label, never by position; index it by store or brand"
    )


def _default_index(by: object, index: tuple[Any, ...]) -> bool:
    """Whether ``by`` is a pandas object built without an index (its default 0 … n-1)."""
    default = type(getattr(by, "index", None)).__name__ == "RangeIndex"
    return default and index == tuple(range(len(index)))


def _in_label_order(group: Mapping[Any, Any], labels: tuple[Any, ...]) -> NDArray[Any]:
    """The group of each of ``labels``, in their order, as an object array."""
    column = np.empty(len(labels), dtype=object)
    column[:] = [group[label] for label in labels]
    return column


def _labels(by: object, metrics: object, shape: tuple[int, ...]) -> NDArray[Any]:
    """The group label of each series, broadcast to ``shape``, from ``by`` as the caller
    gave it (a mapping store → group, labels paired by label, or an array)."""
    if isinstance(metrics, PanelMetrics):
        by = _by_label(by, metrics)
    if isinstance(by, Mapping):
        if not isinstance(metrics, PanelMetrics):
            raise TypeError(
                "'by' may be a mapping (store → group) only with a PanelMetrics; "
                "give an array of labels for a CycleMetrics"
            )
        return _store_groups(by, metrics, shape)
    return _array_groups(by, shape)


def _store_groups(
    by: Mapping[Any, Any], metrics: PanelMetrics, shape: tuple[int, ...]
) -> NDArray[Any]:
    """The group of each store of the panel by the mapping ``by``, broadcast over its brands
    (``shape``); MissingDataError for a store it does not map."""
    missing = [store for store in metrics.stores if store not in by]
    if missing:
        raise MissingDataError(
            f"'by' has no group for {len(missing)} store(s), first {missing[0]!r}: "
            "map every store of the panel to a group"
        )
    per_store = _in_label_order(by, metrics.stores)
    return np.broadcast_to(per_store[:, np.newaxis], shape)


def _array_groups(by: object, shape: tuple[int, ...]) -> NDArray[Any]:
    """Group labels given as an array (str, numbers or objects) broadcast to ``shape``."""
    labels = np.asarray(by)
    if labels.dtype.kind in "US" and not isinstance(by, np.ndarray):
        _no_stringified_numbers(by)
    if labels.dtype == object or labels.dtype.kind in "USiubf":
        try:
            return broadcast_to_shape(labels, shape, "by")
        except ShapeMismatchError:
            raise ShapeMismatchError(
                f"'by' with shape {labels.shape} does not broadcast to the series' shape "
                f"{shape}; for one label per store of a (stores, brands) panel pass shape "
                "(stores, 1) or a mapping store → group"
            ) from None
    raise TypeError(f"'by' must hold group labels (str or numbers), got dtype {labels.dtype}")


def _no_stringified_numbers(by: object) -> None:
    """Refuse a list mixing str and other labels, which numpy would turn into str.

    ``np.asarray([1, "a"])`` is ``["1", "a"]``: the group 1 would become the
    group ``"1"``, merged with a store labelled ``"1"``.
    """
    labels = np.asarray(by, dtype=object).reshape(-1).tolist()
    text = str if any(isinstance(label, str) for label in labels) else bytes
    others = {type(label) for label in labels if not isinstance(label, text)}
    if others:
        names = ", ".join(sorted(kind.__name__ for kind in others))
        raise TypeError(
            f"'by' mixes {text.__name__} labels with {names} labels: give labels of one "
            "kind (all str or all numbers), e.g. str(label) for each"
        )


def _missing_label(label: object) -> bool:
    """NaN, NaT, pandas' NA: a label that is not a group."""
    try:
        return bool(label != label)
    except (TypeError, ValueError):  # pandas.NA: its truth value is ambiguous
        return True


def _group(labels: NDArray[Any]) -> tuple[NDArray[Any], IntArray]:
    flat = labels.reshape(-1)
    if flat.dtype.kind == "f" and np.isnan(flat).any():
        raise InvalidValueError("'by' must not hold NaN labels: give every series a group")
    if flat.dtype == object:
        for position, label in enumerate(flat.tolist()):
            if label is None or not isinstance(label, Hashable):
                raise TypeError(
                    f"'by' labels must be hashable group names, not None: {label!r} at "
                    f"series {position} (C order)"
                )
            if _missing_label(label):
                raise InvalidValueError(
                    f"'by' must not hold missing labels (NaN, NaT, NA): {label!r} at series "
                    f"{position} (C order); give every series a group"
                )
    try:
        groups, inverse = np.unique(flat, return_inverse=True)
    except TypeError:
        raise TypeError(
            "'by' labels must be sortable against each other (all str or all numbers), and not None"
        ) from None
    return groups, np.asarray(inverse, dtype=np.int64).reshape(-1)


def _ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    result = np.full(numerator.shape, np.nan)
    np.divide(numerator, denominator, out=result, where=denominator > 0)
    return result


def scorecard(
    metrics: CycleMetrics | PanelMetrics,
    by: ArrayLike | Mapping[Any, Any],
    *,
    cover_range: tuple[float, float] = (2.0, 7.0),
    weights: Mapping[str, float] | None = None,
    carried: ArrayLike | None = None,
) -> Scorecard:
    """Score the stock metrics of groups of series (考核): by manager, route or area.

    Parameters
    ----------
    metrics : CycleMetrics or PanelMetrics
        Metrics per series (a store × brand over one period), e.g. from
        :func:`~tobacco_metrics.cycle_metrics` or
        :meth:`Panel.metrics() <tobacco_metrics.Panel.metrics>`.
    by : array_like or mapping
        One group label per series, broadcast to the metrics' shape (for a
        (stores, brands) panel, per-store labels have shape (stores, 1)); or,
        with a PanelMetrics, a mapping from each store label to its group, or
        a pandas Series indexed by the panel's stores or brands (paired by
        label, in any order).
    cover_range : (float, float), optional
        Days of cover counted as in range, as in
        :func:`~tobacco_metrics.cover_status`. Default (2, 7).
    weights : mapping, optional
        Weights of ``"fulfilment"``, ``"stockout_rate"`` and
        ``"in_range_share"`` in the score, >= 0 with a positive sum; a key
        left out weighs 0. Default :data:`DEFAULT_SCORE_WEIGHTS` (equal: the
        library's choice; the source gives these three about 40 % of a
        manager's score and no split).
    carried : array_like of bool, optional
        True for the series the store carries, broadcast to the metrics'
        shape; the others are not counted.  With a PanelMetrics, a pandas
        or xarray mask is paired with its stores and brands by label. Default: the metrics' own
        ``carried`` mask if they have one, else every series.

    Returns
    -------
    Scorecard
        Pooled figures per sorted group.

    Raises
    ------
    TypeError
        ``metrics`` of another type, ``carried`` not boolean, unsortable labels,
        a list mixing str and number labels.
    ShapeMismatchError
        ``by`` or ``carried`` does not broadcast to the metrics.
    MissingDataError
        A mapping ``by`` misses a store.
    InvalidValueError
        Missing labels (NaN, NaT, pandas' NA), bad weights or cover range.

    Notes
    -----
    Over the counted series of a group: ``fulfilment = ΣA / (ΣA + ΣP)`` (1.0
    when ΣP == 0, NaN if any P is NaN), ``stockout_rate = ΣS / ΣD``,
    ``in_range_share`` = series with cover in ``cover_range`` / series, and

    ``score = 100 × (w_F F + w_S (1 − stockout_rate) + w_C in_range_share) / (w_F + w_S + w_C)``

    over the weights > 0 (a figure weighted 0 does not enter, even if NaN);
    only their proportions matter (they are divided by the largest first, so
    1e-320 or 1e308 weigh as 1).  Labels are all str or all numbers: a list
    mixing them is refused, as numpy would turn ``[1, "1"]`` into one group
    ``"1"``.  Each group's sums run in ascending order of the values.
    Laws: with one group the pooled figures equal the panel-wide ones;
    permuting the series changes no figure, to the last bit.

    Examples
    --------
    Two managers: Li has stores 1 and 2, Wang store 3, one cycle each.

    >>> from tobacco_metrics import cycle_metrics
    >>> m = cycle_metrics(
    ...     [[6, 8, 0, 5, 0, 7, 4], [10] * 7, [5, 5, 5, 5, 0, 0, 0]],
    ...     [[20, 12, 0, 25, 0, 18, 14], [50] * 7, [15, 10, 5, 0, 0, 0, 0]],
    ... )
    >>> card = scorecard(m, ["Li", "Li", "Wang"])
    >>> card.groups.tolist(), card.series.tolist()
    (['Li', 'Wang'], [2, 1])
    >>> card.fulfilment.round(4).tolist()  # 100 / 112 and 20 / 35
    [0.8929, 0.5714]
    >>> card.stockout_rate.round(4).tolist()  # 2 / 14 and 3 / 7
    [0.1429, 0.4286]
    >>> card.in_range_share.tolist(), card.score.round(2).tolist()
    ([1.0, 0.0], [91.67, 38.1])
    """
    chosen = _weights(weights)
    arrays = _series_arrays(metrics)
    shape = arrays["days"].shape
    labels = _labels(by, metrics, shape)
    if carried is None:
        carried = getattr(metrics, "carried", None)
    elif isinstance(metrics, PanelMetrics):  # a labelled mask: paired by store and brand
        axes = (tuple(metrics.stores), tuple(metrics.brands))
        carried = aligned_to_axes(carried, "carried", axes, "metrics")
    counted = (
        np.ones(shape, dtype=np.bool_)
        if carried is None
        else broadcast_to_shape(bool_mask(carried, "carried"), shape, "carried")
    ).reshape(-1)
    groups, inverse = _group(labels)
    size = groups.size
    in_range = (np.asarray(cover_status(arrays["cover"], cover_range)) == "ok").reshape(-1)

    def total(values: NDArray[Any]) -> FloatArray:
        # Each group's values summed in ascending order: the same sum, to the last bit,
        # whatever the order of the series (a permutation of stores changes nothing).
        weights_ = np.where(counted, values.reshape(-1).astype(np.float64), 0.0)
        order = np.lexsort((weights_, inverse))
        summed = np.bincount(inverse[order], weights=weights_[order], minlength=size)
        return np.asarray(summed, dtype=np.float64)

    series = total(np.ones(shape))
    days = total(arrays["days"])
    stockouts = total(arrays["stockout_days"])
    actual = total(arrays["actual_sales"])
    projected = total(arrays["projected_stockout_sales"])
    empty = series == 0
    fulfilment = np.where(empty, np.nan, np.asarray(fulfilment_ratio(actual, projected)))
    stockout_rate = _ratio(stockouts, days)
    share = _ratio(total(in_range), series)
    figures = {
        "fulfilment": fulfilment,
        "stockout_rate": 1.0 - stockout_rate,
        "in_range_share": share,
    }
    # Relative weights (each / the largest): 1e308 weights neither overflow nor 1e-320 ones
    # lose their digits (subnormal), and only their proportions matter.
    largest = max(chosen.values())
    used = {key: weight / largest for key, weight in chosen.items() if weight > 0}
    score = (
        100.0
        * sum(weight * figures[key] for key, weight in used.items())
        / math.fsum(used.values())
    )
    return Scorecard(
        groups=groups,
        series=series.astype(np.int64),
        days=days.astype(np.int64),
        stockout_days=stockouts.astype(np.int64),
        actual_sales=actual,
        projected_stockout_sales=projected,
        fulfilment=np.asarray(fulfilment, dtype=np.float64),
        stockout_rate=stockout_rate,
        in_range_share=share,
        score=np.asarray(score, dtype=np.float64),
    )

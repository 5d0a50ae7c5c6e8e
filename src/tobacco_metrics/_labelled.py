"""Labelled views of panels and metrics: xarray, pandas and polars (each imported when used).

Functions over the public objects (:class:`~tobacco_metrics.Panel`,
:class:`~tobacco_metrics.PanelMetrics`, :class:`~tobacco_metrics.PooledMetrics`,
:class:`~tobacco_metrics.CycleMetrics`); the classes expose them as methods.
Also the decorator that keeps the array functions from dropping xarray
coordinates silently (:func:`keeps_labels`).

Names used in every labelled output: the dimensions / index levels
``store``, ``brand``, ``date`` (daily data) and ``cycle`` (the first day of a
delivery cycle); the data variables / columns are the attribute names.
Pooled day counts are sums over series, so their columns say so:
``store_product_days`` and ``stockout_store_product_days``
[store × product days].
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import inspect
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Literal, ParamSpec, TypeVar, overload

import attrs
import numpy as np
from numpy.typing import NDArray

from tobacco_metrics._series_labels import axis_names
from tobacco_metrics.errors import InvalidValueError, ShapeMismatchError

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import xarray as xr

    from tobacco_metrics.panel import Panel, PanelMetrics, PooledMetrics
    from tobacco_metrics.stock import CycleMetrics

_DIMS = ("store", "brand", "date")
_QUANTITY_UNITS = {"sales": "cartons", "inventory": "cartons"}
# Units of each metric field (the attrs field names of CycleMetrics / PanelMetrics).
_METRIC_UNITS = {
    "days": "days",
    "stockout_days": "days",
    "effective_days": "days",
    "actual_sales": "cartons",
    "projected_stockout_sales": "cartons",
    "fulfilment_ratio": "1",
    "stock_to_sales_ratio": "days",
    "closing_inventory": "cartons",
    "average_daily_sales": "cartons/day",
}
# Pooled day counts are sums of days over the pooled series.
_POOLED_NAMES = {
    "days": "store_product_days",
    "stockout_days": "stockout_store_product_days",
    "effective_days": "effective_store_product_days",
}


def _need(name: str, extra: str) -> None:
    """Raise a helpful ImportError when an optional dependency is not installed."""
    if importlib.util.find_spec(name) is None:
        raise ImportError(f"this needs {name}: pip install -e '.[{extra}]' (or pip install {name})")


def _object_index(labels: Sequence[Any]) -> NDArray[Any]:
    array = np.empty(len(labels), dtype=object)
    array[:] = list(labels)
    return array


def _date_coord(start: dt.date, n_days: int) -> NDArray[np.datetime64]:
    first = np.datetime64(start, "D")
    return np.arange(first, first + n_days, dtype="datetime64[D]")


def _metric_fields(metrics: Any) -> list[str]:
    """The metric fields of a result, in CycleMetrics order, plus computed E and A / D."""
    names = [field.name for field in attrs.fields(type(metrics)) if field.name in _METRIC_UNITS]
    for extra in ("effective_days", "average_daily_sales"):
        if extra not in names and hasattr(metrics, extra):
            names.insert(2 if extra == "effective_days" else len(names), extra)
    return names


# --------------------------------------------------------------------------- xarray


def panel_to_xarray(panel: Panel) -> xr.Dataset:
    """The panel as an xarray Dataset: ``sales`` and ``inventory`` over (store, brand, date).

    The ``date`` coordinate is datetime64 (one value per day from
    ``panel.start``); ``store`` and ``brand`` hold the labels as given.  The
    arrays are the panel's own (read-only) data, not copies; each variable
    has ``attrs["units"] = "cartons"``.

    Examples
    --------
    >>> import tobacco_metrics as tm
    >>> panel = tm.Panel(["C001"], ["B1", "B2"], "2026-03-02",
    ...                  [[[1, 0], [2, 2]]], [[[3, 3], [0, 1]]])
    >>> ds = panel_to_xarray(panel)
    >>> dict(ds.sizes), ds["sales"].sel(brand="B2").values.tolist()
    ({'store': 1, 'brand': 2, 'date': 2}, [[2, 2]])
    >>> str(ds["date"].values[1])[:10]
    '2026-03-03'
    """
    _need("xarray", "xarray")
    import xarray as xr

    coords = {
        "store": _object_index(panel.stores),
        "brand": _object_index(panel.brands),
        "date": _date_coord(panel.start, panel.sales.shape[-1]),
    }
    data = {
        name: xr.Variable(_DIMS, getattr(panel, name), attrs={"units": unit})
        for name, unit in _QUANTITY_UNITS.items()
    }
    carried = getattr(panel, "carried", None)  # series with rows, where Panel records them
    if carried is not None:
        data["carried"] = xr.Variable(("store", "brand"), carried)
    dataset: xr.Dataset = xr.Dataset(data, coords=coords)
    return dataset


def panel_from_xarray(dataset: Any, panel_class: type[Panel] | None = None) -> Panel:
    """Build a panel from a Dataset with ``sales`` and ``inventory`` over store, brand, date.

    The dimensions are matched by name, in any order; the dates are sorted
    and must be whole days, one after the other (a missing day is an error:
    reindex the Dataset to fill it first).  The labels are the ``store`` and
    ``brand`` coordinates (positions 0, 1, … when a dimension has none).

    Raises
    ------
    TypeError
        Not an xarray Dataset.
    ShapeMismatchError
        ``sales`` or ``inventory`` missing, or other dimensions than store,
        brand and date.
    InvalidValueError
        Dates with a time of day, repeated or not consecutive.

    Examples
    --------
    >>> import tobacco_metrics as tm
    >>> panel = tm.Panel(["C001"], ["B1"], "2026-03-02", [[[1, 0]]], [[[3, 3]]])
    >>> back = panel_from_xarray(panel_to_xarray(panel).transpose("date", "brand", "store"))
    >>> back.stores, back.start, back.sales.tolist()
    (('C001',), datetime.date(2026, 3, 2), [[[1, 0]]])
    """
    _need("xarray", "xarray")
    import xarray as xr

    if panel_class is None:
        from tobacco_metrics.panel import Panel

        panel_class = Panel
    if not isinstance(dataset, xr.Dataset):
        raise TypeError(f"expected an xarray.Dataset, got {type(dataset).__name__}")
    missing = [name for name in _QUANTITY_UNITS if name not in dataset.data_vars]
    if missing:
        raise ShapeMismatchError(
            f"the Dataset needs data variables 'sales' and 'inventory': {missing[0]!r} is missing"
        )
    for name in _QUANTITY_UNITS:
        dims = set(dataset[name].dims)
        if dims != set(_DIMS):
            raise ShapeMismatchError(
                f"{name!r} must have the dimensions store, brand and date, got "
                f"{', '.join(map(str, dataset[name].dims))}"
            )
    if "date" not in dataset.coords:
        raise InvalidValueError("the Dataset has no 'date' coordinate: the days are unknown")
    data = dataset[list(_QUANTITY_UNITS)].sortby("date").transpose(*_DIMS)
    dates = _check_daily(np.asarray(data["date"].values))
    stores = _coord_labels(data, "store")
    brands = _coord_labels(data, "brand")
    options: dict[str, Any] = {}
    if "carried" in dataset.data_vars:  # written by panel_to_xarray where Panel has it
        # Sorting by date leaves the store and brand order as it is.
        options["carried"] = np.asarray(dataset["carried"].transpose("store", "brand").values)
    return panel_class(
        stores,
        brands,
        dates[0].item(),
        np.asarray(data["sales"].values),
        np.asarray(data["inventory"].values),
        **options,
    )


def _coord_labels(data: Any, dim: str) -> list[Any]:
    if dim in data.coords:
        return list(data[dim].values.tolist())
    return list(range(data.sizes[dim]))


def _check_daily(values: NDArray[Any]) -> NDArray[np.datetime64]:
    if values.dtype.kind != "M":
        try:
            values = values.astype("datetime64[D]")
        except (TypeError, ValueError):
            raise InvalidValueError(f"'date' must hold dates, got dtype {values.dtype}") from None
    if np.isnat(values).any():
        raise InvalidValueError("'date' is missing (NaT) at some position")
    days = values.astype("datetime64[D]")
    if (days != values).any():
        position = int(np.flatnonzero(days != values)[0])
        raise InvalidValueError(
            f"'date' must be whole days: {values[position]} at position {position} has a time"
        )
    steps = np.diff(days.astype(np.int64))
    if (steps != 1).any():
        position = int(np.flatnonzero(steps != 1)[0])
        what = "repeated" if steps[position] == 0 else "not followed by the next day"
        raise InvalidValueError(
            f"'date' must be consecutive days: {days[position]} is {what} "
            f"(next: {days[position + 1]})"
        )
    return days


def metrics_to_xarray(metrics: PanelMetrics) -> xr.Dataset:
    """A PanelMetrics as an xarray Dataset: one variable per metric over (store, brand).

    The variables are the metric fields with ``attrs["units"]`` ("days",
    "cartons", "cartons/day", "1" for the ratio); the period is in
    ``ds.attrs["start"]`` and ``ds.attrs["end"]`` (ISO dates).

    Examples
    --------
    >>> import tobacco_metrics as tm
    >>> panel = tm.Panel(["C001"], ["B"], "2026-03-02", [[[3, 0]]], [[[2, 0]]])
    >>> ds = metrics_to_xarray(panel.metrics())
    >>> float(ds["fulfilment_ratio"].sel(store="C001", brand="B")), ds.attrs["end"]
    (0.5, '2026-03-03')
    """
    _need("xarray", "xarray")
    import xarray as xr

    coords = {"store": _object_index(metrics.stores), "brand": _object_index(metrics.brands)}
    data = {
        name: xr.Variable(
            ("store", "brand"),
            np.broadcast_to(getattr(metrics, name), (len(metrics.stores), len(metrics.brands))),
            attrs={"units": _METRIC_UNITS[name]},
        )
        for name in _metric_fields(metrics)
    }
    attributes = {"start": metrics.start.isoformat(), "end": metrics.end.isoformat()}
    dataset: xr.Dataset = xr.Dataset(data, coords=coords, attrs=attributes)
    return dataset


def on_panel_axes(panel: Panel, **named: Any) -> list[Any]:
    """Options of ``Panel.metrics`` put on the panel's (stores, brands, days) labels.

    A pandas or xarray option (a per-brand token stock, a stores × brands
    fallback rate, an exclusion mask over dates) is paired with the panel by
    label, never by position: the same labels in another order are aligned,
    others refused.  ``fallback_daily_rate`` lies on (stores, brands), the
    others on (stores, brands, days); days are labelled by their dates.  A
    table is laid on the panel's axes whose labels its rows and columns hold
    (:func:`_on_panel_table`: a stores × brands token stock is one per series).
    """
    from tobacco_metrics._validation import aligned_to_axes

    first = dt.datetime.combine(panel.start, dt.time())
    days = tuple(first + dt.timedelta(days=k) for k in range(panel.sales.shape[-1]))
    axes = (tuple(panel.stores), tuple(panel.brands), days)
    out = []
    for name, value in named.items():
        wanted = axes[:2] if name == "fallback_daily_rate" else axes
        out.append(aligned_to_axes(_on_panel_table(value, name, wanted), name, wanted, "panel"))
    return out


_PANEL_AXES = ("store", "brand", "date")  # the dimension / index level names of a panel
_AXIS_WORDS = ("stores", "brands", "days")


def _on_panel_table(value: Any, name: str, axes: tuple[tuple[Any, ...], ...]) -> Any:
    """An option over two of the panel's axes laid on them by label (others: unchanged).

    - a DataArray over some of the dimensions ``store``, ``brand``, ``date``:
      put in the panel's dimension order (length 1 where it has none);
    - a pandas Series indexed by (``store``, ``brand``) levels: one value per
      series, each of the panel's series once;
    - a DataFrame whose rows hold the labels of one panel axis and whose columns
      those of a later one: laid on those two axes (a stores × brands token
      stock); one the other way round is refused, saying to transpose it.
    """
    from tobacco_metrics._dataframes import by_dimension_name, dimension_names
    from tobacco_metrics._validation import library_of

    dims = dimension_names(value)
    if dims is not None and set(dims) <= set(_PANEL_AXES[: len(axes)]):
        return by_dimension_name(value, name, _PANEL_AXES[: len(axes)], "panel")
    if library_of(value) != "pandas" or getattr(value, "ndim", 0) not in (1, 2):
        return value
    if value.ndim == 1:
        if getattr(value.index, "nlevels", 1) != 2:
            return value
        return _per_series(value, name, axes)
    return _table_on_axes(value, name, axes)


def _table_on_axes(value: Any, name: str, axes: tuple[tuple[Any, ...], ...]) -> Any:
    """A labelled DataFrame laid on the two panel axes its rows and columns hold the labels
    of (length 1 on the other); unchanged when unlabelled, on no two axes or on the last two."""
    from tobacco_metrics._validation import aligned_to_axes, given_labels

    rows, columns = given_labels(value) or (None, None)
    if rows is None or columns is None:
        return value
    laid = _table_axes(value, name, (rows, columns), axes)
    if laid is None or laid == (len(axes) - 2, len(axes) - 1):
        return value  # on the last two axes, as numpy broadcasting lays it
    array = aligned_to_axes(value, name, (axes[laid[0]], axes[laid[1]]), "panel")
    missing = [axis for axis in range(len(axes)) if axis not in laid]
    return np.expand_dims(np.asarray(array), missing)


def _table_axes(
    value: Any,
    name: str,
    labels: tuple[tuple[Any, ...], tuple[Any, ...]],
    axes: tuple[tuple[Any, ...], ...],
) -> tuple[int, int] | None:
    """The two panel axes (in order) a table's rows and columns hold the labels of."""
    from tobacco_metrics._label_keys import same_label_set

    rows, columns = labels
    pairs = [(i, j) for i in range(len(axes)) for j in range(len(axes)) if i != j]
    found = [
        (i, j)
        for i, j in pairs
        if same_label_set(rows, axes[i]) and same_label_set(columns, axes[j])
    ]
    if len(found) > 1:  # labels shared by two axes (stores and brands both 1, 2, 3): names say
        found = _named_pair(found, (value.index.name, value.columns.name), name)
    if not found:
        return None
    i, j = found[0]
    if i > j:
        raise ShapeMismatchError(
            f"{name!r} has the {_AXIS_WORDS[i]} on its rows and the {_AXIS_WORDS[j]} on its "
            f"columns, while the panel's options are laid ({', '.join(_AXIS_WORDS[: len(axes)])}):"
            f" pass {name}.T ({_AXIS_WORDS[j]} × {_AXIS_WORDS[i]})"
        )
    return i, j


def _named_pair(
    found: list[tuple[int, int]], named: tuple[Any, Any], name: str
) -> list[tuple[int, int]]:
    """The one pair of panel axes of ``found`` that a table's axis names ``named`` (rows,
    columns) say; ShapeMismatchError unless exactly one is named so."""
    found = [(i, j) for i, j in found if named == (_PANEL_AXES[i], _PANEL_AXES[j])]
    if len(found) != 1:
        raise ShapeMismatchError(
            f"{name!r} is a table whose rows and columns could be more than one pair of the "
            "panel's stores, brands and days (the same labels): name its axes, e.g. "
            "rename_axis(index='store', columns='brand')"
        )
    return found


def _per_series(value: Any, name: str, axes: tuple[tuple[Any, ...], ...]) -> NDArray[Any]:
    """A Series indexed by (store, brand) levels as a stores × brands array (× 1 day)."""
    import itertools

    from tobacco_metrics._label_keys import label_order

    levels = list(value.index.names)
    if set(levels) != {"store", "brand"}:
        raise ShapeMismatchError(
            f"{name!r} is indexed by two levels {tuple(levels)}; to give one value per series, "
            "name them 'store' and 'brand' (rename_axis(['store', 'brand']))"
        )
    series = value.reorder_levels(["store", "brand"])
    wanted = tuple(itertools.product(axes[0], axes[1]))
    order = label_order(tuple(series.index), wanted)
    if order is None:
        have = set(series.index)
        lacking = [pair for pair in wanted if pair not in have]
        problem = (
            f"no value for store {lacking[0][0]!r}, brand {lacking[0][1]!r}"
            if lacking
            else "labels the panel does not have, or a series twice"
        )
        raise ShapeMismatchError(
            f"{name!r} has one value per (store, brand) but {problem}: it must give each of "
            f"the panel's {len(wanted):,} series once (fill the missing ones, e.g. reindex)"
        )
    array = np.asarray(series.to_numpy())[list(order)].reshape(len(axes[0]), len(axes[1]))
    return array[..., None] if len(axes) == 3 else array


# --------------------------------------------------------------------------- frames


@overload
def panel_to_long_frame(panel: Panel, frame: Literal["pandas"] = ...) -> pd.DataFrame: ...
@overload
def panel_to_long_frame(panel: Panel, frame: Literal["polars"]) -> pl.DataFrame: ...
def panel_to_long_frame(
    panel: Panel, frame: Literal["pandas", "polars"] = "pandas"
) -> pd.DataFrame | pl.DataFrame:
    """The panel as a long table: one row per store, brand and day, sorted.

    Columns ``store``, ``brand``, ``date`` (datetime64 in pandas, ``Date`` in
    polars), ``sales`` and ``inventory`` (the panel's dtype).
    ``Panel.from_long(*(frame[c] for c in ("store", "brand", "date", "sales",
    "inventory")))`` gives the panel back.

    Examples
    --------
    >>> import tobacco_metrics as tm
    >>> panel = tm.Panel(["C001"], ["B"], "2026-03-02", [[[1, 0]]], [[[3, 3]]])
    >>> panel_to_long_frame(panel)
      store brand       date  sales  inventory
    0  C001     B 2026-03-02      1          3
    1  C001     B 2026-03-03      0          3
    """
    columns = panel.to_long()
    if frame == "pandas":
        _need("pandas", "pandas")
        import pandas as pd

        data: dict[str, Any] = dict(columns)
        data["store"] = pd.array(list(columns["store"]), dtype=object)
        data["brand"] = pd.array(list(columns["brand"]), dtype=object)
        data["date"] = columns["date"].astype("datetime64[s]")
        table: pd.DataFrame = pd.DataFrame(data)
        return table
    if frame == "polars":
        _need("polars", "polars")
        import polars as pl

        polars_table: pl.DataFrame = pl.DataFrame(
            {
                "store": columns["store"].tolist(),
                "brand": columns["brand"].tolist(),
                "date": pl.Series("date", columns["date"], dtype=pl.Date),
                "sales": columns["sales"],
                "inventory": columns["inventory"],
            }
        )
        return polars_table
    raise InvalidValueError(f"'frame' must be 'pandas' or 'polars', got {frame!r}")


def cycle_metrics_to_frame(
    metrics: CycleMetrics, *, names: Sequence[str] | None = None
) -> pd.DataFrame:
    """A CycleMetrics as a pandas DataFrame: one row per cycle, one column per metric.

    One cycle gives one row.  Many cycles (arrays over leading axes) give one
    row per cycle, indexed by its position on each axis; ``names`` names the
    axes (default ``axis_0``, ``axis_1``, …; e.g. ``("store", "brand")``).

    Examples
    --------
    >>> import tobacco_metrics as tm
    >>> m = tm.cycle_metrics([[3, 0], [1, 1]], [[2, 0], [5, 4]])
    >>> cycle_metrics_to_frame(m, names=["store"])[["stockout_days", "fulfilment_ratio"]]
           stockout_days  fulfilment_ratio
    store
    0                  1               0.5
    1                  0               1.0
    """
    _need("pandas", "pandas")
    import pandas as pd

    fields = _metric_fields(metrics)
    arrays = [np.asarray(getattr(metrics, name)) for name in fields]
    shape = np.broadcast_shapes(*(array.shape for array in arrays))
    level_names = (
        [f"axis_{i}" for i in range(len(shape))] if names is None else axis_names(names, len(shape))
    )
    columns = {
        name: np.broadcast_to(array, shape).reshape(-1)
        for name, array in zip(fields, arrays, strict=True)
    }
    if not shape:
        table: pd.DataFrame = pd.DataFrame(columns, index=pd.RangeIndex(1))
        return table
    index = pd.MultiIndex.from_product([range(n) for n in shape], names=level_names)
    if len(shape) == 1:
        index = index.get_level_values(0)
    table = pd.DataFrame(columns, index=index)
    return table  # noqa: RET504 (typed above)


def pooled_metrics_to_frame(pooled: PooledMetrics) -> pd.DataFrame:
    """A PooledMetrics as a frame whose day columns say they count store × product days.

    Pooled ``days`` and ``stockout_days`` are sums over the pooled series
    (a store's 30 products over 60 days count 1,800), so their columns are
    ``store_product_days``, ``stockout_store_product_days`` and
    ``effective_store_product_days``; the other columns keep their names.
    Indexed by store (or brand); the period is in ``frame.attrs``.

    Examples
    --------
    >>> import tobacco_metrics as tm
    >>> panel = tm.Panel(["C001"], ["B1", "B2"], "2026-03-02",
    ...                  [[[1, 0], [2, 2]]], [[[3, 0], [0, 1]]])
    >>> frame = pooled_metrics_to_frame(panel.metrics().by_store())
    >>> frame.iloc[0, :3].to_dict()
    {'store_product_days': 4, 'stockout_store_product_days': 1, 'effective_store_product_days': 3}
    """
    _need("pandas", "pandas")
    import pandas as pd

    fields = _metric_fields(pooled)
    columns = {_POOLED_NAMES.get(name, name): np.asarray(getattr(pooled, name)) for name in fields}
    index = pd.Index(list(pooled.labels), name=pooled.by, tupleize_cols=False)
    table: pd.DataFrame = pd.DataFrame(columns, index=index)
    table.attrs.update(start=pooled.start, end=pooled.end, days="store × product days")
    return table


def cycles_to_frame(cycles: Sequence[PanelMetrics]) -> pd.DataFrame:
    """The metrics of many cycles as one frame indexed by (cycle, store, brand).

    ``cycle`` is the first day of each cycle (``metrics.start``); one column
    per metric.  Pass ``[part.metrics() for part in panel.cycles(7)]``.

    Examples
    --------
    >>> import tobacco_metrics as tm
    >>> panel = tm.Panel(["C001"], ["B"], "2026-03-02", [[[3, 0, 1, 1]]], [[[2, 0, 5, 4]]])
    >>> frame = cycles_to_frame([part.metrics() for part in panel.cycles(2)])
    >>> frame["fulfilment_ratio"].tolist(), list(frame.index.names)
    ([0.5, 1.0], ['cycle', 'store', 'brand'])
    """
    _need("pandas", "pandas")
    import pandas as pd

    parts = list(cycles)
    if not parts:
        raise ShapeMismatchError("'cycles' is empty: nothing to tabulate")
    frames = []
    for part in parts:
        fields = _metric_fields(part)
        n_stores, n_brands = len(part.stores), len(part.brands)
        index = pd.MultiIndex.from_arrays(
            [
                np.full(n_stores * n_brands, np.datetime64(part.start, "s")),
                np.repeat(_object_index(part.stores), n_brands),
                np.tile(_object_index(part.brands), n_stores),
            ],
            names=["cycle", "store", "brand"],
        )
        columns = {
            name: np.broadcast_to(getattr(part, name), (n_stores, n_brands)).reshape(-1)
            for name in fields
        }
        frames.append(pd.DataFrame(columns, index=index))
    table: pd.DataFrame = pd.concat(frames)
    return table


# --------------------------------------------------------------------------- labelled results

_P = ParamSpec("_P")
_R = TypeVar("_R")
# Set while a labelled call runs: the functions it calls get plain arrays back.
_LABELLING: ContextVar[bool] = ContextVar("tobacco_metrics_labelling", default=False)


def is_xarray(value: object) -> bool:
    """Whether ``value`` is an xarray DataArray or Dataset (without importing xarray)."""
    module = type(value).__module__
    return module.startswith("xarray.") and type(value).__name__ in ("DataArray", "Dataset")


_FROM_XARRAY: dict[type, bool] = {}  # per argument type: whether it comes from xarray


def _any_xarray(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """Whether an argument comes from xarray (the cheap test; :func:`is_xarray` says which)."""
    known = _FROM_XARRAY
    for value in (*args, *kwargs.values()):
        kind = type(value)
        found = known.get(kind)
        if found is None:
            found = known[kind] = str(getattr(kind, "__module__", "")).startswith("xarray.")
        if found:
            return True
    return False


@overload
def keeps_labels(func: Callable[_P, _R], /) -> Callable[_P, _R]: ...
@overload
def keeps_labels(
    *, day_dim: str | None = ..., new_dim: tuple[str, Sequence[Any]] | None = ...
) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]: ...
def keeps_labels(
    func: Callable[_P, _R] | None = None,
    /,
    *,
    day_dim: str | None = None,
    new_dim: tuple[str, Sequence[Any]] | None = None,
) -> Callable[_P, _R] | Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Decorate an array function so xarray inputs give labelled results (or a clear error).

    On anything but xarray objects the function runs as it is (one type
    check per argument).  When an argument is an xarray ``DataArray``:

    - the *reference* is the DataArray argument with the most dimensions
      (the first such in the signature); every other DataArray with the same
      dimensions is put in its dimension order and label order (by name;
      different labels are refused by the function's own label check, never
      paired by position);
    - ``day_dim`` (day-axis functions): when the caller gives no ``axis=``
      and the reference has a dimension of that name (``"date"``), it is the
      day axis;
    - the function runs on the DataArrays as before, and its result is
      labelled from the reference: an array of the reference's shape keeps
      every dimension and coordinate; one with the ``axis`` dimension (or the
      one dimension whose removal gives its shape) removed drops that
      dimension and its coordinates; a 0-d result is a 0-d DataArray.  A
      result record (an attrs class of arrays such as CycleMetrics) becomes
      an ``xarray.Dataset``, one variable per array field, the other fields
      in ``Dataset.attrs``.
    - ``new_dim=(name, labels)``: the result's last axis is a new dimension
      (such as the five price classes of ``class_shares``), labelled so; the
      other axes are labelled as above.

    A result the reference cannot label (a new axis, a table of records) and
    a ``Dataset`` argument raise :class:`TypeError` saying to pass
    ``.values``: coordinates are never dropped silently.
    """

    def decorate(function: Callable[_P, _R]) -> Callable[_P, _R]:
        signature = inspect.signature(function)

        @functools.wraps(function)
        def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            if not _any_xarray(args, kwargs) or _LABELLING.get():
                return function(*args, **kwargs)
            token = _LABELLING.set(True)
            try:
                result: _R = _labelled_call(function, signature, (day_dim, new_dim), args, kwargs)
            finally:
                _LABELLING.reset(token)
            return result

        return wrapper

    return decorate if func is None else decorate(func)


def _labelled_call(
    func: Callable[..., Any],
    signature: inspect.Signature,
    dims: tuple[str | None, tuple[str, Sequence[Any]] | None],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> Any:
    """``func`` called with its DataArray arguments paired by dimension name, its result
    labelled by the largest one's dimensions (``dims``: the day dimension and the new
    last dimension of the result, if any)."""
    _need("xarray", "xarray")
    name = getattr(func, "__name__", "this function")
    day_dim, new_dim = dims
    bound = signature.bind(*args, **kwargs)
    arguments = bound.arguments
    labelled = _data_arrays(arguments, name)
    reference_key = max(labelled, key=lambda key: labelled[key].ndim)
    reference = labelled[reference_key]
    for key, value in labelled.items():
        _refuse_foreign_dims(value, key, reference, reference_key, name)
        if key != reference_key and set(value.dims) == set(reference.dims):
            arguments[key] = _in_order_of(value.transpose(*reference.dims), reference)
    if (
        day_dim is not None
        and "axis" in signature.parameters
        and "axis" not in arguments
        and day_dim in reference.dims
    ):
        arguments["axis"] = reference.dims.index(day_dim)
    result = func(*bound.args, **bound.kwargs)
    label = _result_labeller(signature, arguments, reference, new_dim, name)
    if attrs.has(type(result)):
        return _labelled_record(result, label, name)
    return label(result, what="the result")


def _result_labeller(
    signature: inspect.Signature,
    arguments: Mapping[str, Any],
    reference: Any,
    new_dim: tuple[str, Sequence[Any]] | None,
    name: str,
) -> Callable[..., Any]:
    """The function labelling one array of a result by ``reference``'s dimensions (those
    the call's ``axis`` left), and by ``new_dim`` on its last axis when given."""
    parameter = signature.parameters.get("axis")
    axis = arguments.get("axis", None if parameter is None else parameter.default)
    label = functools.partial(_label, reference=reference, axis=axis, name=name)
    if new_dim is not None:
        label = functools.partial(_label_with_new_dim, label=label, new_dim=new_dim, name=name)
    return label


def _data_arrays(arguments: Mapping[str, Any], name: str) -> dict[str, Any]:
    """The xarray arguments by name; TypeError for one that is not a DataArray."""
    import xarray as xr

    labelled = {key: value for key, value in arguments.items() if is_xarray(value)}
    for key, value in labelled.items():
        if not isinstance(value, xr.DataArray):
            raise TypeError(
                f"{name}: {key!r} is an xarray {type(value).__name__}; pass a DataArray "
                f"(ds[name]) or plain arrays (.values)"
            )
    return labelled


def _refuse_foreign_dims(
    value: Any, key: str, reference: Any, reference_key: str, name: str
) -> None:
    """ShapeMismatchError when the DataArray ``value`` has a dimension ``reference`` lacks."""
    foreign = [dim for dim in value.dims if dim not in reference.dims]
    if foreign:
        raise ShapeMismatchError(
            f"{name}: {key!r} has the dimension {foreign[0]!r}, which {reference_key!r} "
            f"(dimensions {', '.join(map(str, reference.dims))}) does not have: DataArrays "
            "are paired by dimension name, never by position; rename the dimension or "
            "pass plain arrays (.values)"
        )


def _in_order_of(value: Any, reference: Any) -> Any:
    """``value`` in ``reference``'s label order on each dimension with the same label set."""
    order = {}
    for dim in value.dims:
        if dim in value.coords and dim in reference.coords:
            wanted = reference.indexes.get(dim)
            if _same_labels_reordered(value.indexes.get(dim), wanted):
                order[dim] = wanted
    return value.sel(order) if order else value


def _same_labels_reordered(own: Any, wanted: Any) -> bool:
    """Whether the pandas index ``own`` holds the labels of ``wanted``, each once, in another
    order (either may be None: no index)."""
    return (
        own is not None
        and wanted is not None
        and not own.equals(wanted)
        and own.is_unique
        and len(own) == len(wanted)
        and set(own) == set(wanted)
    )


def _label(values: Any, *, reference: Any, axis: Any, name: str, what: str) -> Any:
    """``values`` as a DataArray over ``reference``'s dimensions, or TypeError."""
    import xarray as xr

    array = values.values if isinstance(values, xr.DataArray) else np.asarray(values)
    shape, dims = array.shape, tuple(reference.dims)
    if shape == reference.shape:
        return xr.DataArray(array, dims=dims, coords=reference.coords)
    if array.ndim == 0:
        return xr.DataArray(array)
    kept = _kept_dims(shape, reference.shape, axis)
    if kept is None:
        raise TypeError(
            f"{name}: {what} has shape {shape}, which the labelled input's dimensions "
            f"{dims} (shape {reference.shape}) cannot label; pass plain arrays (.values) "
            "and label the result yourself"
        )
    out_dims = tuple(dims[k] for k in kept)
    coords = {
        key: coord for key, coord in reference.coords.items() if set(coord.dims) <= set(out_dims)
    }
    return xr.DataArray(array, dims=out_dims, coords=coords)


def _label_with_new_dim(
    values: Any,
    *,
    label: Callable[..., Any],
    new_dim: tuple[str, Sequence[Any]],
    name: str,
    what: str,
) -> Any:
    """``values`` labelled on its leading axes by ``label`` and on its last by ``new_dim``."""
    import xarray as xr

    array = np.asarray(values)
    dim, labels = new_dim
    if array.ndim == 0 or array.shape[-1] != len(labels):
        raise TypeError(f"{name}: {what} has no last axis of the {len(labels)} {dim!r} labels")
    leading = label(np.zeros(array.shape[:-1], dtype=np.int8), what=what)
    coords = dict(leading.coords.items())
    coords[dim] = np.asarray(labels)
    return xr.DataArray(array, dims=(*leading.dims, dim), coords=coords)


def _kept_dims(shape: tuple[int, ...], full: tuple[int, ...], axis: Any) -> list[int] | None:
    """The reference axes a reduction over one of them leaves, or None when unclear."""
    if len(shape) != len(full) - 1:
        return None
    candidates = [k for k in range(len(full)) if full[:k] + full[k + 1 :] == shape]
    candidates = _reduced_by(axis, candidates, len(full))
    if len(candidates) != 1:
        return None
    return [k for k in range(len(full)) if k != candidates[0]]


def _reduced_by(axis: Any, candidates: list[int], ndim: int) -> list[int]:
    """Those of the ``candidates`` (axes whose removal leaves the result's shape) that a
    reduction over ``axis`` removes: that one for an integer ``axis``, the last for
    None when several could be, all of them otherwise."""
    if isinstance(axis, (int, np.integer)) and not isinstance(axis, bool):
        wanted = int(axis) % ndim
        return [k for k in candidates if k == wanted]
    if axis is None and len(candidates) > 1:
        return [k for k in candidates if k == ndim - 1]  # the default last axis
    return candidates


def _labelled_record(result: Any, label: Callable[..., Any], name: str) -> Any:
    """A result record as a Dataset: array fields as variables, the rest as attrs."""
    import xarray as xr

    variables: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for field in attrs.fields(type(result)):
        value = getattr(result, field.name)
        if value is None or isinstance(value, (str, bool, int, float, dt.date)):
            extra[field.name] = value
        elif isinstance(value, (np.ndarray, np.generic)):
            variables[field.name] = label(value, what=f"field {field.name!r}")
        else:
            raise TypeError(
                f"{name}: the result's field {field.name!r} ({type(value).__name__}) cannot "
                "carry the labelled input's coordinates; pass plain arrays (.values)"
            )
    dataset: xr.Dataset = xr.Dataset(variables, attrs=extra)
    return dataset

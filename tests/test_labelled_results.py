"""Every public array function keeps xarray coordinates, or refuses them with a message.

For each function of the robustness catalogue that takes arrays, and each of its array
arguments, a valid call has that argument replaced by a ``DataArray`` over named,
labelled dimensions.  The call must either give an xarray result whose values are the
plain call's and whose dimensions carry the argument's coordinates, or raise TypeError
saying to pass ``.values``: a plain ndarray back (coordinates dropped) fails.
"""

from __future__ import annotations

import inspect
import pickle
import warnings
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tobacco_metrics as tm
from _robustness_cases import CASES
from _robustness_kinds import Kwargs
from test_robustness_inputs import ARRAY_CASES, array_arguments, ignore_documented_deprecation

xr = pytest.importorskip("xarray")

FUNCTIONS = [name for name in ARRAY_CASES if inspect.isfunction(getattr(tm, name, None))]


def labelled_form(value: Any) -> Any:
    """``value`` as a DataArray over dimensions x0, x1, … with labels on each; None for 0-d."""
    array = np.asarray(value)
    if array.ndim == 0 or array.dtype == object:
        return None
    dims = [f"x{k}" for k in range(array.ndim)]
    coords = {dim: [f"{dim}_{i}" for i in range(array.shape[k])] for k, dim in enumerate(dims)}
    return xr.DataArray(array, dims=dims, coords=coords)


def plain_call(name: str, kwargs: Kwargs) -> Any:
    with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
        warnings.simplefilter("error")
        ignore_documented_deprecation()
        return CASES[name].call(**kwargs)


def assert_labelled_like(result: Any, plain: Any, argument: Any) -> None:
    """An xarray result with ``argument``'s coordinates on its dimensions and ``plain``'s values."""
    if isinstance(result, xr.Dataset):
        assert attrs.has(type(plain)), "a Dataset stands for a result record"
        for name, variable in result.data_vars.items():
            assert_labelled_like(variable, getattr(plain, str(name)), argument)
        return
    assert isinstance(result, xr.DataArray), f"coordinates dropped: got {type(result).__name__}"
    np.testing.assert_array_equal(result.values, np.asarray(plain))
    for dim in result.dims:
        if dim in argument.dims:
            assert result[dim].values.tolist() == argument[dim].values.tolist(), dim


@pytest.mark.parametrize("name", FUNCTIONS)
@given(data=st.data())
@settings(
    settings.default,
    max_examples=3,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_coordinates_are_kept_or_refused(name: str, data: st.DataObject) -> None:
    case = CASES[name]
    kwargs = dict(data.draw(case.valid, label="valid call"))
    try:
        plain = plain_call(name, kwargs)
    except (tm.TobaccoMetricsError, TypeError):
        return  # a call the function refuses anyway
    for argument in array_arguments(case, kwargs):
        value = labelled_form(kwargs[argument])
        if value is None:
            continue
        refusal = ""
        try:
            result = plain_call(name, {**kwargs, argument: value})
        except TypeError as error:
            refusal, wanted = str(error), "(.values)"
        except tm.ShapeMismatchError as error:  # a labelled input the function cannot orient
            refusal, wanted = str(error), "axis"
        if refusal:
            assert wanted in refusal, f"{name}({argument}=DataArray): {refusal}"
        else:
            assert_labelled_like(result, plain, value)


def test_the_sweep_covers_the_day_and_brand_functions() -> None:
    """The catalogue enumerates the functions of every array module (a missing one is untested)."""
    modules = {getattr(tm, name).__module__.rsplit(".", 1)[-1] for name in FUNCTIONS}
    assert {"stock", "demand", "quota", "supply", "structure", "ledger", "units"} <= modules
    assert "stockout_days" in FUNCTIONS
    assert "class_shares" in FUNCTIONS


def test_every_catalogued_function_is_decorated() -> None:
    """A function without the decorator would drop the coordinates of a DataArray."""
    plain = [name for name in FUNCTIONS if not hasattr(getattr(tm, name), "__wrapped__")]
    assert not plain, plain


def test_a_labelled_result_pickles() -> None:
    sales = xr.DataArray([[0, 1]], dims=("store", "date"), coords={"store": ["C1"]})
    result = tm.stockout_days(sales, sales * 0)
    assert pickle.loads(pickle.dumps(result)).sel(store="C1").item() == 1

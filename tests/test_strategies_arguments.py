"""Arguments of the Hypothesis strategies at their edges: huge ints, Fractions, drawn values.

Each case here raised a raw Python error (OverflowError, TypeError,
ValueError, AttributeError) or drew data that broke a documented bound
before; each must now raise :class:`hypothesis.errors.InvalidArgument`
naming the argument, or draw valid data.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from numpy.typing import NDArray

import tobacco_metrics as tm
from test_strategies import draw_once
from tobacco_metrics.strategies import (
    allocation_prices,
    daily_sales,
    panels,
    promotion_tiers,
    sales_and_stock,
)

HUGE = 10**400  # an int no float holds


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda: allocation_prices(min_value=HUGE), "min_value"),  # was OverflowError
        (lambda: allocation_prices(max_value=1e300), "max_value"),  # drew prices off the cent
        (lambda: allocation_prices(min_value="1"), "min_value"),  # type: ignore[arg-type]
        (lambda: promotion_tiers(max_threshold=float("nan")), "max_threshold"),
        (lambda: promotion_tiers(min_threshold=[1]), "min_threshold"),  # type: ignore[arg-type]
        (lambda: sales_and_stock(token_stock=np.bool_(True)), "token_stock"),  # type: ignore[arg-type]
        (lambda: sales_and_stock(token_stock=__import__("decimal").Decimal(1)), "token_stock"),
    ],
)
def test_bad_numbers_raise_invalid_argument_naming_them(make: Any, name: str) -> None:
    with pytest.raises(InvalidArgument, match=name):
        make()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        # A huge int token stock or scale raised OverflowError (math.isfinite, float()).
        (lambda: sales_and_stock(token_stock=HUGE), "token_stock"),
        (lambda: daily_sales(scales=st.just(HUGE)), "scale"),
        (lambda: daily_sales(dtypes=st.just(np.dtype(np.float64)), scales=st.just(HUGE)), "scale"),
        # A scale beyond the dtype drew all-zero data instead of refusing.
        (
            lambda: daily_sales(dtypes=st.just(np.dtype(np.int32)), scales=st.just(2**40)),
            "too large",
        ),
        (
            lambda: daily_sales(
                dtypes=st.just(np.dtype(np.float64)), scales=st.just(Fraction(1, 3))
            ),
            "1/3|0.333",
        ),
        (lambda: daily_sales(scales=st.just("1")), "scales drew '1'"),  # type: ignore[arg-type]
        # Drawn values of the wrong kind raised numpy's ValueError, TypeError, AttributeError.
        (lambda: sales_and_stock(series_shapes=st.just((-1,))), "series_shapes"),
        (lambda: sales_and_stock(series_shapes=st.just(3)), "series_shapes"),  # type: ignore[arg-type]
        (lambda: panels(starts=st.just("2026-03-02")), "starts"),  # type: ignore[arg-type]
        (lambda: panels(starts=st.just(dt.datetime(2026, 3, 2))), "starts"),
        (lambda: panels(stores=st.just([1])), "not hashable"),  # type: ignore[arg-type]
    ],
)
def test_bad_draws_raise_invalid_argument(make: Any, message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        draw_once(make())


def test_numpy_numbers_and_fractions_are_real_numbers() -> None:
    # np.int64 bounds were refused as "not a number" where np.float64 passed.
    price = draw_once(
        allocation_prices(
            price_classes=st.just(tm.PriceClass.IV), min_value=np.int64(20), max_value=np.int64(20)
        )
    )
    assert price == 20.0
    tier = draw_once(promotion_tiers(min_threshold=np.int64(3), max_threshold=Fraction(7, 2)))
    assert tier.threshold == 3
    sales, inventory = draw_once(
        sales_and_stock(
            dtypes=st.just(np.dtype(np.float64)),
            scales=st.just(Fraction(1, 4)),
            token_stock=Fraction(1, 2),
            stockouts="token_only",
        )
    )
    assert ((sales * 4) % 1 == 0).all()
    assert (inventory > 0).all()


@settings(max_examples=50, deadline=None, database=None)
@given(
    panels(
        dtypes=st.sampled_from([np.dtype(np.int32), np.dtype(np.float32)]),
        scales=st.sampled_from([1, 2**20]),
        stockouts="never",
    )
)
def test_scales_and_dtypes_are_honoured_together(panel: tm.Panel) -> None:
    assert panel.sales.dtype in (np.dtype(np.int32), np.dtype(np.float32))
    values: NDArray[Any] = np.concatenate([panel.sales.ravel(), panel.inventory.ravel()])
    assert (values.astype(np.float64) % 1 == 0).all()  # whole multiples of a whole scale
    assert (np.asarray(panel.metrics().stockout_days) == 0).all()


def test_panels_shrink_to_one_store_one_brand_one_day() -> None:
    panel = find(panels(), lambda panel: True, settings=settings(database=None))
    assert panel.sales.shape == (1, 1, 1)
    assert int(panel.sales.sum()) == 0
    assert int(panel.inventory.sum()) == 0
    assert panel.start == dt.date(2000, 1, 1)

"""The sales ledger (动销台账) and new-brand sell-through (新品动销).

A store's book of stock movements gives its sales (opening + purchases −
closing), its gross profit and margin; for a new brand, which has no opening
stock, the share of what each store bought that it has sold shows whether
the brand is taking off:

- 动销台账 (sales ledger): :func:`ledger_sales`, :func:`gross_profit`,
  :func:`gross_margin`;
- 新品跟踪 (new-brand follow-up): :func:`new_brand_sell_through`,
  :func:`sell_through_speed`.

Quantities are cartons (条), prices yuan per carton.  Every function is pure:
inputs are never modified, sums accumulate in float64, a ledger that does not
balance raises :class:`~tobacco_metrics.InconsistentLedgerError` (never
clipped), and no numpy RuntimeWarning escapes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics._deprecation import renamed_parameters
from tobacco_metrics._labelled import keeps_labels
from tobacco_metrics._ratios import pooled_sum, ratio_or_nan
from tobacco_metrics._results import as_labels, as_result
from tobacco_metrics._typing import FloatArray, FloatResult, StrResult
from tobacco_metrics._validation import (
    format_position,
    overflow_guard,
    paired_quantities,
    positive_fraction,
)
from tobacco_metrics.errors import InconsistentLedgerError

__all__ = [
    "gross_margin",
    "gross_profit",
    "ledger_sales",
    "new_brand_sell_through",
    "sell_through_speed",
]

_LISTED: Final = 5  # offending positions spelled out in an error message


def _listed_positions(bad: NDArray[np.bool_], describe: Callable[[tuple[int, ...]], str]) -> str:
    """Describe the first offending positions: 'index 1 (…), index (2, 0) (…) and 3 more'."""
    if bad.ndim == 0:
        return describe(())
    positions = np.argwhere(bad)
    parts = [
        f"index {format_position(tuple(int(i) for i in row))} ({describe(tuple(row))})"
        for row in positions[:_LISTED]
    ]
    text = ", ".join(parts)
    if len(positions) > _LISTED:
        text += f" and {len(positions) - _LISTED} more"
    return text


def _number(value: Any) -> str:
    return f"{float(value):g}"


def _sell_through(purchases: ArrayLike, sales: ArrayLike) -> tuple[NDArray[Any], FloatArray]:
    bought, sold = paired_quantities(("purchases", purchases), ("sales", sales))
    oversold = np.asarray(sold > bought)
    if oversold.any():
        count = int(np.count_nonzero(oversold))
        listed = _listed_positions(
            oversold, lambda i: f"sold {_number(sold[i])} of {_number(bought[i])} purchased"
        )
        raise InconsistentLedgerError(
            f"'sales' of a new brand must not exceed its 'purchases' (there is no opening "
            f"stock), {count} position(s): {listed}"
        )
    return bought, ratio_or_nan(sold, bought)


# --------------------------------------------------------------------------- ledger


@keeps_labels
@renamed_parameters(opening="opening_inventory", closing="inventory")
@overflow_guard
def ledger_sales(
    opening_inventory: ArrayLike, purchases: ArrayLike, inventory: ArrayLike
) -> FloatResult:
    """Sales read from a sales ledger (动销台账): opening + purchases − closing.

    Parameters
    ----------
    opening_inventory : array_like
        Stock at the start of the period [cartons]; finite, >= 0.  Renamed
        from ``opening`` in 0.2 (the old keyword works until 0.3, with a
        DeprecationWarning).
    purchases : array_like
        Quantity bought in the period (进货量) [cartons]; finite, >= 0.
    inventory : array_like
        Closing stock at the end of the period (库存量) [cartons]; finite,
        >= 0.  Renamed from ``closing`` in 0.2 (the old keyword works until
        0.3, with a DeprecationWarning).

    Returns
    -------
    numpy.float64 or ndarray of float64
        Sales in the period (月实销量) [cartons], >= 0; the inputs broadcast
        together (a scalar for one store × brand).

    Raises
    ------
    InconsistentLedgerError
        Somewhere the closing stock (``inventory``) exceeds opening + purchases: the ledger
        does not balance (a missed purchase, a miscount).  The message lists
        the first offending positions and how many there are.  The result is
        never clipped to 0.
    InvalidValueError
        A negative or non-finite input.
    ShapeMismatchError
        The inputs do not broadcast together.

    Notes
    -----
    ``sales = opening_inventory + purchases − inventory``, computed in
    float64 and checked exactly (round quantities to the pack before
    comparing floats).  Law (round trip):
    ``inventory = opening_inventory + purchases − ledger_sales``.

    Examples
    --------
    >>> ledger_sales(12, 50, 20)
    np.float64(42.0)
    >>> ledger_sales([12, 5], [50, 0], [20, 5]).tolist()
    [42.0, 0.0]
    >>> ledger_sales([12, 5], [50, 0], [20, 7])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tobacco_metrics.errors.InconsistentLedgerError: the sales ledger does not balance: ...
    """
    start, bought, end = paired_quantities(
        ("opening_inventory", opening_inventory), ("purchases", purchases), ("inventory", inventory)
    )
    sales = start.astype(np.float64) + bought - end
    negative = np.asarray(sales < 0)
    if negative.any():
        count = int(np.count_nonzero(negative))
        listed = _listed_positions(
            negative,
            lambda i: (
                f"{_number(start[i])} + {_number(bought[i])} − {_number(end[i])}"
                f" = {_number(sales[i])}"
            ),
        )
        where = f" at {count} position(s): " if negative.ndim else ": "
        raise InconsistentLedgerError(
            "the sales ledger does not balance: 'inventory' exceeds 'opening_inventory' "
            "+ 'purchases'"
            f"{where}{listed}; sales cannot be negative: check the stock count and look for "
            "a missing purchase"
        )
    return as_result(sales)


def _priced(
    quantity: ArrayLike, retail_price: ArrayLike, purchase_price: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Quantity and the two prices, paired by label, checked, broadcast, as float64."""
    arrays = paired_quantities(
        ("quantity", quantity), ("retail_price", retail_price), ("purchase_price", purchase_price)
    )
    sold, retail, cost = (np.asarray(array, dtype=np.float64) for array in arrays)
    return sold, retail, cost


@keeps_labels
@overflow_guard
def gross_profit(
    quantity: ArrayLike, retail_price: ArrayLike, purchase_price: ArrayLike
) -> FloatResult:
    """Gross profit of the quantity sold (经营利润): quantity × (retail − purchase price).

    Parameters
    ----------
    quantity : array_like
        Quantity sold [cartons], for example from :func:`ledger_sales`;
        finite, >= 0.
    retail_price : array_like
        Retail (selling) price [yuan/carton]; finite, >= 0.
    purchase_price : array_like
        Purchase (wholesale) price paid by the store [yuan/carton]; finite, >= 0.

    Returns
    -------
    numpy.float64 or ndarray of float64
        Profit [yuan], elementwise over the broadcast inputs; negative where a
        store sold below its purchase price.

    Raises
    ------
    InvalidValueError
        A negative or non-finite input.
    ShapeMismatchError
        The inputs do not broadcast together.

    Notes
    -----
    ``profit = quantity × (retail_price − purchase_price)``; sum it over
    brands with ``np.sum(..., axis=-1)`` for a store's profit.

    Examples
    --------
    >>> gross_profit(42, 230, 200)
    np.float64(1260.0)
    >>> gross_profit([42, 10], [230, 95], [200, 100]).tolist()
    [1260.0, -50.0]
    """
    sold, retail, cost = _priced(quantity, retail_price, purchase_price)
    profit = sold * (retail - cost)
    return as_result(profit)


@keeps_labels
@overflow_guard
def gross_margin(
    quantity: ArrayLike,
    retail_price: ArrayLike,
    purchase_price: ArrayLike,
    *,
    axis: int | None = -1,
) -> FloatResult:
    """Gross margin (毛利率): gross profit over sales revenue, pooled over brands.

    Parameters
    ----------
    quantity : array_like
        Quantity sold [cartons]; finite, >= 0.
    retail_price : array_like
        Retail price [yuan/carton]; finite, >= 0.
    purchase_price : array_like
        Purchase price [yuan/carton]; finite, >= 0.
    axis : int or None, optional
        The brand axis, pooled. Default -1; None pools everything.  Scalar
        inputs are one line.

    Returns
    -------
    numpy.float64 or ndarray of float64
        ``Σ profit / Σ revenue``, a fraction <= 1 (negative when selling at a
        loss); the broadcast shape without ``axis``; NaN where the revenue is
        0 (nothing sold, or sold at price 0).

    Raises
    ------
    InvalidValueError
        A negative or non-finite input.
    ShapeMismatchError
        The inputs do not broadcast together.

    Notes
    -----
    ``margin = Σ q (retail − purchase) / Σ q retail``: a ratio of sums, so
    a brand's weight is its revenue.

    Examples
    --------
    >>> round(float(gross_margin(42, 230, 200)), 4)
    0.1304
    >>> round(float(gross_margin([42, 10], [230, 95], [200, 100])), 4)
    0.114
    >>> gross_margin(0, 230, 200)
    np.float64(nan)
    """
    sold, retail, cost = _priced(quantity, retail_price, purchase_price)
    revenue = sold * retail
    profit = revenue - sold * cost
    return as_result(ratio_or_nan(pooled_sum(profit, axis), pooled_sum(revenue, axis)))


# --------------------------------------------------------------------------- new brands


@keeps_labels
def new_brand_sell_through(purchases: ArrayLike, sales: ArrayLike) -> FloatResult:
    """Share of a new brand's purchased cartons already sold, per store (新品动销).

    Parameters
    ----------
    purchases : array_like
        Cartons of the new brand each store bought since its introduction
        [cartons]; finite, >= 0.
    sales : array_like
        Cartons of it sold over the same window [cartons]; finite, >= 0,
        <= ``purchases``; broadcast against ``purchases``.

    Returns
    -------
    numpy.float64 or ndarray of float64
        ``sales / purchases`` in [0, 1]; NaN where the store bought none
        (it did not order the brand: nothing to follow up).

    Raises
    ------
    InconsistentLedgerError
        Sales above purchases somewhere (a new brand has no opening stock);
        the message lists the positions.
    InvalidValueError
        A negative or non-finite input.
    ShapeMismatchError
        The inputs do not broadcast together.

    Notes
    -----
    ``sell_through = sales / purchases``.  Compare stores over windows of
    the same length after delivery (for example one order cycle): the
    source follows the stock of the stores that ordered the new brand
    (跟踪分析订货客户卷烟库存情况).

    Examples
    --------
    >>> new_brand_sell_through([2, 1, 0, 4], [2, 0, 0, 1]).tolist()
    [1.0, 0.0, nan, 0.25]
    """
    _, through = _sell_through(purchases, sales)
    return as_result(through)


@keeps_labels
def sell_through_speed(
    purchases: ArrayLike, sales: ArrayLike, *, fast_at: float = 0.5
) -> StrResult:
    """Classify each store's new-brand sell-through as fast or slow (动销快 / 动销慢).

    Parameters
    ----------
    purchases, sales : array_like
        As for :func:`new_brand_sell_through` [cartons].
    fast_at : float, optional
        Sell-through at or above which a store sells the brand fast, in
        (0, 1]. Default 0.5: half of what the store bought is gone within
        the window.  The source gives no number; set your company's rule.

    Returns
    -------
    numpy.str_ or ndarray of str
        ``'fast'`` (sell-through >= ``fast_at``), ``'slow'`` (below), or
        ``'not ordered'`` (no purchases); the broadcast shape.

    Raises
    ------
    InconsistentLedgerError
        Sales above purchases somewhere.
    InvalidValueError
        A negative or non-finite input; ``fast_at`` outside (0, 1].
    ShapeMismatchError
        The inputs do not broadcast together.

    Notes
    -----
    Source 篇2 §3: 卷烟动销较快,说明新品卷烟在很快地成长 … 卷烟动销慢的,说明新品卷烟
    出现了一定的问题 — ask the fast stores what works and pass it on; help the
    slow ones.  Law: more sales at the same purchases never turn fast into slow.

    Examples
    --------
    >>> sell_through_speed([2, 4, 0, 4], [2, 1, 0, 2]).tolist()
    ['fast', 'slow', 'not ordered', 'fast']
    """
    level = positive_fraction(fast_at, "fast_at")
    bought, through = _sell_through(purchases, sales)
    labels = np.select(
        [bought == 0, through >= level],
        [np.str_("not ordered"), np.str_("fast")],
        default=np.str_("slow"),
    )
    return as_labels(labels)

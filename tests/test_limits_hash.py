"""WeeklyLimits and ClassLimits are frozen values: equal ones compare and hash alike."""

from __future__ import annotations

import copy
import pickle

import tobacco_metrics as tm


def test_weekly_limits_hash_and_compare_by_value() -> None:
    # hash() raised "unhashable type: 'Comparable'" (attrs' wrapper of the array field).
    limits = tm.weekly_limits([124, 62], 2026, 3, order_weekday=1)
    same = tm.weekly_limits([124, 62], 2026, 3, order_weekday=1)
    other = tm.weekly_limits([124, 63], 2026, 3, order_weekday=1)
    assert limits == same
    assert hash(limits) == hash(same) == hash(pickle.loads(pickle.dumps(limits)))
    assert limits != other
    assert len({limits, same, other, copy.deepcopy(limits)}) == 2


def test_class_limits_hash() -> None:
    limits = tm.class_limits([5, 10, 40, 62, 20], 2026, 3, order_weekday=1)
    assert hash(limits) == hash(copy.copy(limits))
    assert limits == copy.deepcopy(limits)

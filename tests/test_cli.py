"""Tests of the command line's demo (tobacco_metrics.cli, tobacco_metrics.demo)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from tobacco_metrics import cycle_metrics
from tobacco_metrics.cli import demo_report, main
from tobacco_metrics.demo import demo_district


def test_demo_district_is_deterministic_and_consistent() -> None:
    first, second = demo_district(7), demo_district(7)
    assert np.array_equal(first.sales, second.sales)
    assert np.array_equal(first.inventory, second.inventory)
    assert not np.array_equal(first.sales, demo_district(8).sales)
    assert first.sales.shape == (len(first.stores), len(first.brands), 7)
    assert not first.sales.flags.writeable
    assert (first.sales >= 0).all()
    assert (first.inventory >= 0).all()


def test_demo_district_has_stockouts_to_find() -> None:
    district = demo_district()
    token = np.asarray(district.token_stock)[:, None, None]
    m = cycle_metrics(district.sales, district.inventory, token_stock=token)
    assert int(np.sum(m.stockout_days)) > 0
    assert len(district.cycles()) == len(district.stores) * len(district.brands)


def test_demo_report_lists_every_store_and_a_pooled_line() -> None:
    district = demo_district()
    report = demo_report(district)
    for store in district.stores:
        assert store.id in report
    assert "pooled" in report
    assert "销售满足度" in report


def test_main_prints_the_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    assert "Cycle report" in capsys.readouterr().out


def test_python_dash_m_runs_the_demo() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tobacco_metrics", "demo"],
        capture_output=True,
        text=True,
        check=True,
        encoding="utf-8",
    )
    assert "Cycle report" in result.stdout


def test_unknown_command_exits_with_usage() -> None:
    with pytest.raises(SystemExit) as excinfo:
        main(["nonsense"])
    assert excinfo.value.code == 2

"""A property-based fuzz of ``python -m tobacco_metrics cycle`` on generated CSV bytes.

Each example is an export built from known daily figures, written in a random
encoding, delimiter and quoting, with random but valid variations (date
formats, padded labels, identical repeated rows, series not carried, long
labels) and at most one defect (a negative or non-numeric quantity, a bad or
ambiguous date, a conflicting duplicate, a missing day, a short row, an
unclosed quote, bytes that do not decode).  The only allowed outcomes are the
correct report (checked against :func:`tobacco_metrics.cycle_metrics` on the
known figures) when there is no defect, and exit status 2 with a one-line
message on stderr when there is one.  Each example runs one engine, drawn.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import math
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tobacco_metrics import cli, cycle_metrics
from tobacco_metrics.stock import CYCLE_METRIC_FIELDS

pytest.importorskip("pyarrow")

START = dt.date(2026, 3, 2)
DEFECTS = (
    "negative",
    "not a number",
    "bad date",
    "ambiguous date",
    "conflict",
    "gap",
    "short row",
    "unclosed quote",
    "undecodable",
)


def date_text(day: dt.date, style: int) -> str:
    return (
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        day.strftime("%Y%m%d"),
        f"{day.isoformat()} 00:00:00",
        str(day.toordinal() - dt.date(1899, 12, 30).toordinal()),  # Excel's day number
    )[style]


@st.composite
def exports(draw: st.DrawFn) -> dict[str, Any]:
    n_stores = draw(st.integers(1, 3))
    n_brands = draw(st.integers(1, 2))
    n_days = draw(st.integers(1, 6))
    shape = (n_stores, n_brands, n_days)
    halves = st.integers(0, 8).map(lambda n: n / 2)
    sales = np.asarray(
        draw(
            st.lists(
                halves, min_size=n_stores * n_brands * n_days, max_size=n_stores * n_brands * n_days
            )
        )
    ).reshape(shape)
    stock = np.asarray(draw(st.lists(halves, min_size=sales.size, max_size=sales.size)))
    stock = stock.reshape(shape)
    carried = np.asarray(
        draw(st.lists(st.booleans(), min_size=n_stores * n_brands, max_size=n_stores * n_brands))
    ).reshape(n_stores, n_brands)
    carried[0, 0] = True
    # every store and brand keeps a row (else it is not in the export at all)
    carried[:, 0] |= ~carried.any(axis=1)
    carried[0, :] |= ~carried.any(axis=0)
    long_label = draw(st.booleans()) and draw(st.booleans())
    stores = [f"店{i}" + ("x" * 2000 if long_label and i == 0 else "") for i in range(n_stores)]
    brands = [f"6901028{j:06d}" for j in range(n_brands)]
    cells = [
        (i, j, d)
        for i in range(n_stores)
        for j in range(n_brands)
        if carried[i, j]
        for d in range(n_days)
    ]
    styles = draw(st.lists(st.integers(0, 4), min_size=len(cells), max_size=len(cells)))
    pads = draw(
        st.lists(st.sampled_from(["", "", " ", "\t"]), min_size=len(cells), max_size=len(cells))
    )
    rows = [
        [
            pad + stores[i] + pad,
            brands[j],
            date_text(START + dt.timedelta(days=d), style),
            f"{sales[i, j, d]:g}",
            f"{stock[i, j, d]:g}",
        ]
        for (i, j, d), style, pad in zip(cells, styles, pads, strict=True)
    ]
    repeats = draw(st.lists(st.integers(0, len(rows) - 1), max_size=2))
    rows += [list(rows[k]) for k in repeats]
    defect = draw(st.none() | st.sampled_from(DEFECTS))
    target = draw(st.integers(0, len(rows) - 1))
    raw_tail = b""
    if defect == "negative":
        rows[target][3] = "-1"
    elif defect == "not a number":
        rows[target][4] = draw(st.sampled_from(["", "two", "nan", "inf", "1,5"]))
    elif defect == "bad date":
        rows[target][2] = draw(st.sampled_from(["2026-02-30", "March 2", "NaT", "", "2026-3"]))
    elif defect == "ambiguous date":
        rows[target][2] = "03/02/2026"
    elif defect == "conflict":
        changed = list(rows[target])
        changed[3] = str(float(changed[3]) + 1)
        rows.append(changed)
    elif defect == "gap":
        if n_days < 2 or rows[target][2] == date_text(START, 0):
            defect = None
        else:
            key = (rows[target][0].strip(), rows[target][1], rows[target][2])
            rows = [row for row in rows if (row[0].strip(), row[1], row[2]) != key]
    elif defect == "short row":
        rows[target] = rows[target][:4]
    elif defect == "unclosed quote":
        raw_tail = b'"C9,' + b"x" * 1000 + b"\n"
    elif defect == "undecodable":
        raw_tail = b"\xff\xfe\xff,B,2026-03-02,1,1\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030"]))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    quoting: Any = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    header = draw(
        st.sampled_from(
            [
                ["store", "brand", "date", "sales", "inventory"],
                ["客户编码", "卷烟编码", "日期", "销量", "库存"],
                ["零售户编码", "商品编码", "业务日期", "销售量", "期末库存"],
            ]
        )
    )
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, quoting=quoting, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = text.getvalue().encode(encoding) + raw_tail
    return {
        "engine": draw(st.sampled_from(["pyarrow", "python"])),
        "data": data,
        "defect": defect,
        "sales": sales,
        "stock": stock,
        "carried": carried,
        "stores": stores,
        "brands": brands,
        "n_days": n_days,
    }


def run(path: Path, out: Path, engine: str, n_days: int) -> tuple[int, str]:
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors):
        status = cli.main(
            ["cycle", str(path), "--out", str(out), "--engine", engine, "--cycle-days", str(n_days)]
        )
    return status, errors.getvalue()


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(export=exports())
def test_a_correct_report_or_a_one_line_refusal(export: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        source = Path(directory) / "export.csv"
        source.write_bytes(export["data"])
        for engine in (export["engine"],):
            out = Path(directory) / f"{engine}.csv"
            status, err = run(source, out, engine, export["n_days"])
            assert "Traceback" not in err
            if export["defect"] is not None:
                assert status == 2, (export["defect"], err)
                lines = [line for line in err.splitlines() if not line.startswith("note: ")]
                assert len(lines) == 1, err
                assert lines[0].startswith("error: ")
                assert not out.exists()
                continue
            assert status == 0, err
            check(out, export)


def check(out: Path, export: dict[str, Any]) -> None:
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    carried = export["carried"]
    assert len(rows) == int(carried.sum())
    metrics = cycle_metrics(export["sales"], export["stock"])
    for row in rows:
        i = export["stores"].index(row["store"])
        j = export["brands"].index(row["brand"])
        assert carried[i, j]
        for name in CYCLE_METRIC_FIELDS:
            value = float(np.asarray(getattr(metrics, name))[i, j])
            if math.isfinite(value):
                assert float(row[name]) == float(np.round(value, 4)), name
            else:
                assert row[name] == "", name

"""``make bench``'s scale benchmark runs end to end: builds, report, history and plot."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))

import bench


def test_scale_benchmark_reports_records_and_plots(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history, plot = tmp_path / "history.json", tmp_path / "scale.png"
    argv = ["--n", "3", "--out", str(tmp_path / "work"), "--history", str(history)]
    assert bench.main([*argv, "--plot", str(plot)]) == 0
    report = capsys.readouterr().out
    for phase in ("clean", "edit", "nochange"):
        assert f"N=3 {phase} broadsheet/plain" in report
    (entry,) = json.loads(history.read_text("utf-8"))
    assert entry["n"] == 3
    for variant in ("plain", "broadsheet"):
        phases = entry["variants"][variant]["phases"]
        assert all(phases[p]["best_s"] > 0 and phases[p]["peak_mb"] > 10 for p in phases)
        assert entry["variants"][variant]["output"]["largest_page_kb"] > 1
    # The edit reached the article in both trees.
    edited = list((tmp_path / "work" / "3" / "src").glob("*/articles/*.md"))
    assert sum("editor's note" in p.read_text("utf-8") for p in edited) == 2
    assert plot.read_bytes().startswith(b"\x89PNG")

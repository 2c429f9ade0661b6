"""The scale benchmark: what a build, and one more edit, cost at N articles.

For each N (``--n``, several allowed) the same generated articles are written into two source
trees (``projects.py``): ``plain`` (myst-parser, sphinx-copybutton and furo, the articles
``orphan`` and out of the toctree) and ``broadsheet`` (``extensions = ["broadsheet"]`` as users
get it: PDFs on, listings, tag and author pages, feeds). Each variant is built three ways, the
variants alternating, ``--repeat`` times (the best time of each is kept):

* ``clean``: empty output and doctree folders;
* ``edit``: one article's text changed (the middle one; its date and tags unchanged);
* ``nochange``: nothing changed since the last build.

Each build is timed wall-clock; its peak memory is the resident set of the ``sphinx`` process
(``wait4``'s ``ru_maxrss``). After the clean build the output is measured: its size on disk
(doctrees apart), the largest HTML page and how many pages are 60 KB or more.

Targets (issue 14), as same-run ratios broadsheet/plain: clean <= 1.5, edit <= 1.5,
nochange <= 1.5, and no Broadsheet HTML page of 60 KB or more.

Every run is added to a history file (``--history``; one entry per N and date) from which a PNG
plot of build time against N is drawn (``--plot``; matplotlib): plain and Broadsheet, clean and
one edit, from the newest entry for each N.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from corpus import Article, generate_articles
from projects import write_project

#: The variants, by source tree: the plain stack and Broadsheet as users get it.
SCALE_VARIANTS = ("plain", "broadsheet")
PHASES = ("clean", "edit", "nochange")
MAX_RATIO = 1.5
MAX_PAGE_KB = 60.0
KB = 1024
MAKE_VARIABLES = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")
EDIT = "\nAn editor's note added after publication: the figures above were checked again.\n"


@dataclass
class Timing:
    """Best wall-clock seconds and peak memory (MB) of one phase of one variant."""

    times_s: list[float] = field(default_factory=list)
    peak_mb: float = 0.0

    @property
    def best_s(self) -> float:
        return min(self.times_s)


@dataclass
class Output:
    """What a clean build wrote."""

    size_mb: float = 0.0
    files: int = 0
    largest_page: str = ""
    largest_page_kb: float = 0.0
    pages_over_limit: int = 0


@dataclass
class Run:
    """Every figure of one variant at one N."""

    phases: dict[str, Timing] = field(default_factory=lambda: {p: Timing() for p in PHASES})
    output: Output = field(default_factory=Output)


class ScaleBuildError(Exception):
    """A build failed; ``output`` holds the tail of what it printed."""

    def __init__(self, message: str, output: str) -> None:
        super().__init__(message)
        self.output = output


def sphinx(src: Path, out: Path, jobs: str) -> tuple[float, float]:
    """Build ``src`` into ``out`` (doctrees beside it); wall seconds and peak RSS in MB."""
    doctrees = out.with_name(f"{out.name}.doctrees")
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", jobs]
    command += ["-d", str(doctrees), str(src), str(out)]
    env = {key: value for key, value in os.environ.items() if key not in MAKE_VARIABLES}
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=log, stderr=log, stdin=subprocess.DEVNULL, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            log.seek(0)
            tail = log.read().decode("utf-8", "replace").splitlines()[-40:]
            raise ScaleBuildError(f"{src.name} exited {proc.returncode}", "\n".join(tail))
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KB on Linux


def clear(out: Path) -> None:
    for path in (out, out.with_name(f"{out.name}.doctrees")):
        if path.exists():
            shutil.rmtree(path)


def measure_output(out: Path) -> Output:
    files = [p for p in out.rglob("*") if p.is_file()]
    pages = [(p.stat().st_size / KB, p) for p in files if p.suffix == ".html"]
    largest_kb, largest = max(pages)
    return Output(
        size_mb=sum(p.stat().st_size for p in files) / KB / KB,
        files=len(files),
        largest_page=str(largest.relative_to(out)),
        largest_page_kb=largest_kb,
        pages_over_limit=sum(1 for size, _p in pages if size >= MAX_PAGE_KB),
    )


def check_pages(out: Path, articles: Sequence[Article]) -> None:
    """Every article has its page: a build that publishes fewer is not the one measured."""
    missing = [a.slug for a in articles if not (out / "articles" / f"{a.slug}.html").is_file()]
    if missing:
        message = f"{out.name}: {len(missing)} of {len(articles)} article pages missing"
        raise ScaleBuildError(message, f"for example articles/{missing[0]}.html")


def edit_article(src: Path, article: Article, round_no: int) -> None:
    """Change the text of ``article`` in the tree ``src`` (a new sentence each round)."""
    path = src / "articles" / f"{article.slug}.md"
    with path.open("a", encoding="utf-8") as text:
        text.write(EDIT.replace("again", f"again ({round_no})"))


def run_scale(root: Path, n: int, seed: int, jobs: str, repeat: int) -> dict[str, Run]:
    """Every phase of both variants at ``n`` articles, alternating, ``repeat`` times."""
    articles = generate_articles(n, seed)
    edited = articles[n // 2]
    sources = {v: write_project(root / str(n), v, articles) for v in SCALE_VARIANTS}
    runs = {v: Run() for v in SCALE_VARIANTS}
    outs = {v: root / str(n) / "build" / v for v in SCALE_VARIANTS}
    for round_no in range(1, repeat + 1):
        for phase in PHASES:
            for variant in SCALE_VARIANTS:
                if phase == "clean":
                    clear(outs[variant])
                elif phase == "edit":
                    edit_article(sources[variant], edited, round_no)
                elapsed, peak = sphinx(sources[variant], outs[variant], jobs)
                timing = runs[variant].phases[phase]
                timing.times_s.append(elapsed)
                timing.peak_mb = max(timing.peak_mb, peak)
                print(
                    f"  N={n} round {round_no}: {variant:<10} {phase:<8} {elapsed:8.2f} s"
                    f"  {peak:7.0f} MB",
                    file=sys.stderr,
                )
                if phase == "clean":
                    check_pages(outs[variant], articles)
                if phase == "clean" and round_no == repeat:
                    runs[variant].output = measure_output(outs[variant])
    return runs


@dataclass(frozen=True)
class Check:
    label: str
    value: float
    limit: float
    unit: str = ""

    @property
    def passed(self) -> bool:
        return self.value <= self.limit if not self.unit else self.value < self.limit

    def line(self) -> str:
        value, limit = f"{self.value:.2f}{self.unit}", f"{self.limit:.2f}{self.unit}"
        relation = "<" if self.unit else "<="
        verdict = "PASS" if self.passed else "FAIL"
        return f"  {self.label:<40} {value:>10}   target {relation} {limit:<10} {verdict}"


def checks(n: int, runs: dict[str, Run]) -> list[Check]:
    plain, ours = runs["plain"].phases, runs["broadsheet"].phases
    found = [
        Check(
            f"N={n} {phase} broadsheet/plain", ours[phase].best_s / plain[phase].best_s, MAX_RATIO
        )
        for phase in PHASES
    ]
    page = runs["broadsheet"].output.largest_page_kb
    found.append(Check(f"N={n} largest broadsheet page", page, MAX_PAGE_KB, " KB"))
    return found


def report(n: int, runs: dict[str, Run], found: list[Check]) -> str:
    lines = [f"Scale benchmark, N={n} articles"]
    for variant, run in runs.items():
        times = "  ".join(
            f"{phase} {run.phases[phase].best_s:7.2f} s ({run.phases[phase].peak_mb:.0f} MB)"
            for phase in PHASES
        )
        out = run.output
        lines.append(f"  {variant:<10} {times}")
        lines.append(
            f"  {'':<10} output {out.size_mb:.1f} MB in {out.files} files; largest page "
            f"{out.largest_page} {out.largest_page_kb:.1f} KB; "
            f"{out.pages_over_limit} page(s) of {MAX_PAGE_KB:.0f} KB or more"
        )
    lines += [check.line() for check in found]
    return "\n".join(lines)


def record(history: Path, n: int, seed: int, runs: dict[str, Run]) -> list[dict[str, object]]:
    """Add this run to the history file; return every entry."""
    entries: list[dict[str, object]] = []
    if history.exists():
        entries = json.loads(history.read_text("utf-8"))
    entries.append(
        {
            "n": n,
            "seed": seed,
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "variants": {
                v: {
                    "phases": {p: {**asdict(t), "best_s": t.best_s} for p, t in r.phases.items()},
                    "output": asdict(r.output),
                }
                for v, r in runs.items()
            },
        }
    )
    history.parent.mkdir(parents=True, exist_ok=True)
    history.write_text(json.dumps(entries, indent=2) + "\n", "utf-8")
    return entries


def plot(entries: Sequence[dict[str, object]], path: Path) -> None:
    """Build time against N, plain and Broadsheet, clean and one edit: the newest entry per N."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter, ScalarFormatter

    newest: dict[int, dict[str, object]] = {}
    for entry in entries:
        newest[int(entry["n"])] = entry  # type: ignore[call-overload]
    ns = sorted(newest)
    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=120)
    styles = {
        "plain": ("#6b7280", "plain Sphinx + MyST + furo"),
        "broadsheet": ("#9b1c1c", "Broadsheet (PDFs on)"),
    }
    for variant, (colour, name) in styles.items():
        for phase, line in (("clean", "-"), ("edit", "--")):
            times = [
                newest[n]["variants"][variant]["phases"][phase]["best_s"]  # type: ignore[index]
                for n in ns
            ]
            label = f"{name}, {'clean build' if phase == 'clean' else 'one article edited'}"
            axes.plot(ns, times, line, marker="o", color=colour, label=label)
    axes.set_xscale("log")
    axes.set_yscale("log")
    for axis in (axes.xaxis, axes.yaxis):
        axis.set_major_formatter(ScalarFormatter())
        axis.set_minor_formatter(NullFormatter())
    axes.set_xticks(ns)
    axes.set_xlabel("articles (N)")
    axes.set_ylabel("build time (s)")
    axes.set_title("Build time against the size of the archive")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)

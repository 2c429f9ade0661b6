"""Benchmark Broadsheet's builds against the Sphinx tools it replaces or builds on.

Scale benchmark (the default; N=100 and 1000, ``--n`` takes several): clean, one-article-edit
and no-change builds of Broadsheet (PDFs on) against the plain Sphinx stack, with peak memory,
output size and the largest page, a history file and a plot; see ``scale.py``.

The script writes one deterministic publication of N generated MyST articles (``corpus.py``)
into a source tree per variant, builds the variants alternately ``--repeat`` times with
``python -m sphinx`` and keeps each one's best wall-clock time. Every timed build starts from
an empty output and doctree directory (Broadsheet keeps its PDF work files with the doctrees).

HTML benchmark (``--html``; N=1000): clean builds only, three variants:

* ``plain``: myst-parser, sphinx-copybutton and furo; articles ``orphan``, out of the toctree.
* ``broadsheet-html``: ``extensions = ["broadsheet"]`` with ``broadsheet_pdf = False``.
* ``broadsheet+pdf``: ``extensions = ["broadsheet"]`` as users get it: the HTML build also
  writes one PDF per article and the edition PDF under ``pdf/``.

Targets: broadsheet-html takes at most 1.30 times as long as plain; the PDFs add less than
half to that ((broadsheet+pdf - broadsheet-html) / broadsheet-html < 0.50); no Broadsheet
article page is 45 KB or larger (1 KB = 1024 bytes).

PDF benchmark (``--pdf``; N=100), two variants on the same articles:

* ``typst``: ``sphinx -b typst`` of the Broadsheet project: every article PDF and the edition.
* ``latex``: ``sphinx -M latexpdf`` (pdflatex, one latexmk run after another) of a
  myst-parser-only project whose ``latex_documents`` hold one ``howto`` per article and one
  ``manual`` for the whole publication, whose root toctree lists every article.

Target: typst takes less than 1/20 of the LaTeX time.

TeX is needed only for ``--pdf``. When ``latexmk`` is not on PATH the script installs (as root,
``apt-get install -y --no-install-recommends``; ``apt-get update`` first if that fails) the
minimal Debian set Sphinx's default pdflatex output needs for these articles, found from the
files pdflatex reads (its ``.fls`` recorder lists):

* ``latexmk``: what ``make all-pdf`` runs; it brings texlive-binaries (pdftex, makeindex),
  texlive-base and texlive-latex-base (hyperref, geometry, babel, amsmath, fancyhdr, ...).
* ``texlive-latex-recommended``: booktabs, cmap, etoolbox, fancyvrb, float, parskip, xcolor.
* ``texlive-latex-extra``: capt-of, fncychap, framed, needspace, tabulary, titlesec, upquote,
  varwidth, wrapfig; it brings texlive-pictures (pict2e, ellipse).
* ``texlive-fonts-recommended``: txtt, Sphinx's monospace font.
* ``tex-gyre``: tgtermes and tgheros, Sphinx's pdflatex text fonts.

With their dependencies that is 27 packages, 338 MiB installed on Debian 12 (the report gives
the figure for the machine it runs on). Sphinx's broader list adds texlive-xetex, xindy and
fonts-freefont-otf, which serve only xelatex/lualatex and the xindy indexer: pdflatex with
``language = "en"`` uses makeindex.

Usage, with the project's virtualenv (``make bench BENCHOPTS="..."``)::

    python tests/benchmarks/bench.py [--html | --pdf] [--n N...] [--jobs 1] [--repeat 1]
                                     [--out DIR] [--seed 2024] [--only VARIANT]... [--json FILE]
                                     [--history FILE] [--plot FILE] [--strict]

Modules: ``corpus.py`` generates the articles, ``projects.py`` writes the source trees and
defines the variants, ``scale.py`` runs the scale benchmark, ``tex.py`` installs TeX; this one
times, reports and parses options.

Exit status: 0; 1 when ``--strict`` is given and a target fails; 2 when a build fails or
leaves outputs missing (the tail of its stderr is printed) or TeX cannot be installed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

# The sibling modules, also when this file is imported from elsewhere.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import Article, generate_articles
from projects import EDITION_PDF, HTML_VARIANTS, PDF_VARIANTS, VARIANTS, Variant, write_project
from scale import ScaleBuildError, checks, plot, record, run_scale
from scale import report as scale_report
from tex import TexError, TexFootprint, ensure_tex, latex_errors

MAX_HTML_RATIO = 1.30
MAX_PDF_COST = 0.50
MAX_ARTICLE_KB = 45.0
MAX_TYPST_RATIO = 1 / 20
KB = 1024
STDERR_TAIL_LINES = 40
MAX_WARNINGS_SHOWN = 3
# Inherited from `make bench`, these would reach the `make all-pdf` that -M latexpdf runs.
MAKE_VARIABLES = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")


@dataclass
class VariantResult:
    """Timings, warning count and output sizes (KB, by name) of one variant."""

    times_s: list[float] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sizes_kb: dict[str, float] = field(default_factory=dict)

    @property
    def best_s(self) -> float:
        return min(self.times_s)


class BuildError(Exception):
    """A build exited with a non-zero status or left expected outputs missing."""

    def __init__(self, variant: str, problem: str, stderr: str) -> None:
        super().__init__(f"{variant} build {problem}")
        self.stderr = stderr


# --------------------------------------------------------------------------- building


def sphinx_command(variant: Variant, src: Path, out: Path, doctrees: Path, jobs: str) -> list[str]:
    sphinx = [sys.executable, "-m", "sphinx"]
    if variant.builder == "latexpdf":
        # Make mode: doctrees in OUT/doctrees, .tex in OUT/latex, then `make all-pdf` there.
        return [*sphinx, "-M", "latexpdf", str(src), str(out), "-q", "-j", jobs]
    return [
        *sphinx,
        "-b",
        variant.builder,
        "-q",
        "-j",
        jobs,
        "-d",
        str(doctrees),
        str(src),
        str(out),
    ]


def build(variant: Variant, src: Path, out: Path, jobs: str) -> tuple[float, list[str], str]:
    """Build ``src`` into a fresh ``out``; return wall-clock seconds, warnings and stderr."""
    doctrees = out.with_name(f"{out.name}.doctrees")
    for path in (out, doctrees):
        if path.exists():
            shutil.rmtree(path)
    env = {key: value for key, value in os.environ.items() if key not in MAKE_VARIABLES}
    command = sphinx_command(variant, src, out, doctrees, jobs)
    start = time.perf_counter()
    proc = subprocess.run(
        command, capture_output=True, text=True, check=False, env=env, stdin=subprocess.DEVNULL
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        errors = latex_errors(out / "latex") if variant.builder == "latexpdf" else ""
        output = "\n".join(part for part in (proc.stderr, proc.stdout, errors) if part)
        raise BuildError(variant.name, f"failed with exit status {proc.returncode}", output)
    warnings = [line for line in proc.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
    return elapsed, warnings, proc.stderr


def check_outputs(variant: Variant, out: Path, articles: Sequence[Article], stderr: str) -> None:
    expected = variant.expected(out, articles)
    missing = [path for path in expected if not path.is_file()]
    if missing:
        problem = f"left {len(missing)} of {len(expected)} outputs missing, e.g. {missing[0]}"
        raise BuildError(variant.name, problem, stderr)


def kb(path: Path) -> float:
    return path.stat().st_size / KB


def measure(variant: Variant, out: Path, articles: Sequence[Article]) -> dict[str, float]:
    """Sizes in KB: article pages (mean, max), front pages, article PDFs, the edition PDF."""
    sizes: dict[str, float] = {}
    if variant.builder == "html":
        pages = [kb(out / "articles" / f"{a.slug}.html") for a in articles]
        sizes |= {"article_page_mean": statistics.fmean(pages), "article_page_max": max(pages)}
        sizes |= {p: kb(out / p) for p in ("index.html", "all-articles.html") if (out / p).exists()}
    if variant.pdf_dir is not None:
        folder = out / variant.pdf_dir
        pdfs = [kb(folder / variant.article_pdf_dir / f"{a.slug}.pdf") for a in articles]
        sizes |= {"article_pdf_mean": statistics.fmean(pdfs), "article_pdf_max": max(pdfs)}
        sizes["edition_pdf"] = kb(folder / EDITION_PDF)
    return sizes


def run_builds(
    variants: Sequence[Variant], root: Path, articles: Sequence[Article], jobs: str, repeat: int
) -> dict[str, VariantResult]:
    """Build the variants alternately ``repeat`` times; measure the last outputs."""
    sources = {v.project: write_project(root, v.project, articles) for v in variants}
    results = {variant.name: VariantResult() for variant in variants}
    for round_no in range(1, repeat + 1):
        for variant in variants:
            out = root / "build" / variant.name
            elapsed, warnings, stderr = build(variant, sources[variant.project], out, jobs)
            check_outputs(variant, out, articles, stderr)
            results[variant.name].times_s.append(elapsed)
            results[variant.name].warnings = warnings
            print(f"  round {round_no}: {variant.name:<16} {elapsed:8.2f} s", file=sys.stderr)
    for variant in variants:
        results[variant.name].sizes_kb = measure(variant, root / "build" / variant.name, articles)
    return results


# --------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    """One benchmark target (``value < limit``, or ``<=`` when ``inclusive``) and its value."""

    name: str
    label: str
    value: float
    limit: float
    inclusive: bool = False
    unit: str = ""

    @property
    def passed(self) -> bool:
        return self.value <= self.limit if self.inclusive else self.value < self.limit

    def line(self) -> str:
        digits = 1 if self.unit else 3 if self.limit < 0.1 else 2
        value = f"{self.value:.{digits}f}{self.unit}"
        limit = f"{self.limit:.{digits}f}{self.unit}"
        target = f"target {'<=' if self.inclusive else '<'} {limit}"
        return f"  {self.label:<44} {value:>9}   {target:<18} {'PASS' if self.passed else 'FAIL'}"


def targets(results: dict[str, VariantResult]) -> list[Target]:
    """The targets that can be judged from the variants that were built."""
    best = {name: result.best_s for name, result in results.items()}
    found: list[Target] = []
    if {"plain", "broadsheet-html"} <= best.keys():
        ratio = best["broadsheet-html"] / best["plain"]
        label = "ratio broadsheet-html/plain"
        found.append(Target("html_ratio", label, ratio, MAX_HTML_RATIO, inclusive=True))
    if {"broadsheet-html", "broadsheet+pdf"} <= best.keys():
        cost = (best["broadsheet+pdf"] - best["broadsheet-html"]) / best["broadsheet-html"]
        label = "PDF cost (broadsheet+pdf - html) / html"
        found.append(Target("pdf_cost", label, cost, MAX_PDF_COST))
    pages = [
        result.sizes_kb["article_page_max"]
        for name, result in results.items()
        if name.startswith("broadsheet") and "article_page_max" in result.sizes_kb
    ]
    if pages:
        label = "broadsheet article page max"
        found.append(Target("article_page_kb", label, max(pages), MAX_ARTICLE_KB, unit=" KB"))
    if {"typst", "latex"} <= best.keys():
        ratio = best["typst"] / best["latex"]
        found.append(Target("typst_latex_ratio", "ratio typst/latex", ratio, MAX_TYPST_RATIO))
    return found


# --------------------------------------------------------------------------- reporting


def human(size_kb: float) -> str:
    return f"{size_kb / KB:.1f} MB" if size_kb >= KB else f"{size_kb:.1f} KB"


def size_lines(sizes: dict[str, float]) -> list[str]:
    lines: list[str] = []
    if "article_page_mean" in sizes:
        pages = [f"article page mean {sizes['article_page_mean']:.1f} KB"]
        pages[0] += f", max {sizes['article_page_max']:.1f} KB"
        pages += [
            f"{p} {sizes[p]:.1f} KB" for p in ("index.html", "all-articles.html") if p in sizes
        ]
        lines.append("HTML: " + "; ".join(pages))
    if "edition_pdf" in sizes:
        lines.append(
            f"PDF: article mean {sizes['article_pdf_mean']:.1f} KB, "
            f"max {sizes['article_pdf_max']:.1f} KB; edition {human(sizes['edition_pdf'])}"
        )
    return lines


def report(
    args: argparse.Namespace,
    results: dict[str, VariantResult],
    met: list[Target],
    tex: TexFootprint | None,
) -> str:
    kind = "PDF (typst vs LaTeX)" if args.pdf else "HTML"
    lines = [f"Broadsheet {kind} benchmark: N={args.n} articles, jobs={args.jobs}, "]
    lines[0] += f"best of {args.repeat}"
    for name, result in results.items():
        count = len(result.warnings)
        lines.append(f"  {name:<16} build {result.best_s:8.2f} s   warnings {count}")
        lines += [f"  {'':<16} {line}" for line in size_lines(result.sizes_kb)]
        lines += [f"  {'':<16} {line}" for line in result.warnings[:MAX_WARNINGS_SHOWN]]
    lines += [target.line() for target in met]
    if tex is not None:
        lines.append(f"  TeX: {tex.describe()}")
    return "\n".join(lines)


def summary(
    args: argparse.Namespace,
    results: dict[str, VariantResult],
    met: list[Target],
    tex: TexFootprint | None,
) -> dict[str, object]:
    """Every figure, as a JSON-ready dict."""
    return {
        "benchmark": "pdf" if args.pdf else "html",
        **{key: getattr(args, key) for key in ("n", "jobs", "repeat", "seed")},
        "variants": {
            name: {**asdict(result), "best_s": result.best_s} for name, result in results.items()
        },
        "targets": {t.name: {**asdict(t), "passed": t.passed} for t in met},
        "tex": None if tex is None else asdict(tex),
    }


# --------------------------------------------------------------------------- command line


def jobs_arg(value: str) -> str:
    """``-j`` value: a positive integer or ``auto``."""
    if value == "auto" or (value.isdigit() and int(value) > 0):
        return value
    raise argparse.ArgumentTypeError("expected a positive integer or 'auto'")


def positive_int(value: str) -> int:
    if value.isdigit() and int(value) > 0:
        return int(value)
    raise argparse.ArgumentTypeError("expected a positive integer")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time Broadsheet's HTML and PDF builds against plain Sphinx and LaTeX."
    )
    add = parser.add_argument
    add("--html", action="store_true", help="clean HTML builds: PDFs off and on, vs plain")
    add("--pdf", action="store_true", help="time the typst builder against LaTeX instead")
    add(
        "--n",
        type=positive_int,
        nargs="+",
        help="articles (default: 100 1000 for the scale benchmark; 1000 with --html, 100 with"
        " --pdf, which take one N)",
    )
    add(
        "--history",
        type=Path,
        default=Path("_build/bench/history.json"),
        help="scale benchmark: the file every run is added to",
    )
    add(
        "--plot",
        type=Path,
        default=Path("_build/bench/scale.png"),
        help="scale benchmark: the PNG plot of build time against N, from the history",
    )
    add("--jobs", type=jobs_arg, default="1", help="sphinx -j value (default 1)")
    add("--repeat", type=positive_int, default=1, help="rounds; the best time is kept")
    add("--out", type=Path, help="work directory to keep (default: a removed temp dir)")
    add("--seed", type=int, default=2024, help="random seed (default 2024)")
    add("--only", action="append", choices=VARIANTS, help="build only this variant (repeatable)")
    add("--json", type=Path, metavar="FILE", help="also write every figure as JSON")
    add("--strict", action="store_true", help="exit 1 if a target fails")
    args = parser.parse_args(argv)
    if args.html and args.pdf:
        parser.error("--html and --pdf are two benchmarks: run them one at a time")
    args.scale = not (args.html or args.pdf)
    if args.scale:
        args.sizes = args.n or [100, 1000]
        args.variants = []
        return args
    if args.n is not None and len(args.n) > 1:
        parser.error("--html and --pdf take one N")
    args.n = args.n[0] if args.n else 100 if args.pdf else 1000
    names = PDF_VARIANTS if args.pdf else HTML_VARIANTS
    wrong = [name for name in args.only or () if name not in names]
    if wrong:
        parser.error(f"--only {wrong[0]}: {'--pdf' if args.pdf else 'HTML'} variants are {names}")
    args.variants = [VARIANTS[name] for name in names if not args.only or name in args.only]
    return args


def with_workdir(out: Path | None, action: Callable[[Path], int]) -> int:
    """Run ``action`` in ``out`` (created, kept) or in a temporary directory (removed)."""
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        return action(out.resolve())
    with tempfile.TemporaryDirectory(prefix="broadsheet-bench-") as tmp:
        return action(Path(tmp))


def main_scale(args: argparse.Namespace, root: Path) -> int:
    """The scale benchmark at every N asked for: report, history, plot."""
    passed = True
    for n in args.sizes:
        print(f"generating {n} articles in {root / str(n)}", file=sys.stderr)
        try:
            runs = run_scale(root, n, args.seed, args.jobs, args.repeat)
        except ScaleBuildError as error:
            print(f"error: {error}; last lines of its output:\n{error.output}", file=sys.stderr)
            return 2
        met = checks(n, runs)
        passed = passed and all(check.passed for check in met)
        print(scale_report(n, runs, met), flush=True)
        entries = record(args.history, n, args.seed, runs)
        plot(entries, args.plot)
        print(f"  added to {args.history}; plot {args.plot}", flush=True)
    return 1 if args.strict and not passed else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.scale:
        return with_workdir(args.out, lambda root: main_scale(args, root))

    def run(root: Path) -> int:
        names = [variant.name for variant in args.variants]
        try:
            tex = ensure_tex() if "latex" in names else None
            print(f"generating {args.n} articles in {root}", file=sys.stderr)
            articles = generate_articles(args.n, args.seed)
            results = run_builds(args.variants, root, articles, args.jobs, args.repeat)
        except TexError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        except BuildError as error:
            tail = error.stderr.splitlines()[-STDERR_TAIL_LINES:]
            print(f"error: {error}; last lines of its output:", file=sys.stderr)
            print("\n".join(tail), file=sys.stderr)
            return 2
        met = targets(results)
        print(report(args, results, met, tex))
        if args.json is not None:
            text = json.dumps(summary(args, results, met, tex), indent=2)
            args.json.write_text(text + "\n", encoding="utf-8")
        return 1 if args.strict and not all(target.passed for target in met) else 0

    return with_workdir(args.out, run)


if __name__ == "__main__":
    sys.exit(main())

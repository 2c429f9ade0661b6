"""Benchmark Broadsheet against the plain Sphinx stack it builds on.

The script generates a deterministic publication of N MyST Markdown articles, builds it twice
in one run -- once as a ``plain`` project (myst-parser, sphinx-copybutton and furo, articles
marked ``orphan`` and kept out of the toctree) and once as a ``broadsheet`` project (the
extension with its front page and all-articles listings) -- and reports the best wall-clock
build time of each, their ratio and the size of the generated pages.

Targets: the broadsheet build takes at most 1.30 times as long as the plain one, and no
Broadsheet article page is 45 KB or larger (1 KB = 1024 bytes).

Run it with the project's virtualenv, e.g. ``make bench BENCHOPTS="--n 200 --repeat 3"``::

    python tests/benchmarks/bench.py [--n 1000] [--jobs 1] [--repeat 1] [--out DIR]
                                     [--seed 2024] [--only plain|broadsheet]
                                     [--json FILE] [--strict]

Exit status: 0, or 1 when ``--strict`` is given and a target fails, or 2 when a build fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

VARIANTS = ("plain", "broadsheet")
MAX_RATIO = 1.30
MAX_ARTICLE_KB = 45.0
KB = 1024
STDERR_TAIL_LINES = 40

# --------------------------------------------------------------------------- vocabulary

SUBJECTS = (
    "the city council",
    "the regional transit authority",
    "the port operator",
    "the growers' association",
    "the university hospital",
    "the school board",
    "the publishers' guild",
    "the water utility",
    "the grocers' federation",
    "the housing cooperative",
    "the district court",
    "the county archive",
    "the fire service",
    "the farmers' market",
    "the chamber of commerce",
    "the public library",
    "the tram drivers' union",
    "the energy co-op",
    "the planning office",
    "the harbour board",
)
OBJECTS = (
    "the riverside tram line",
    "winter heating subsidies",
    "the old grain terminal",
    "school meal contracts",
    "the flood barrier",
    "weekend bus services",
    "rent controls on older flats",
    "the new cycle network",
    "overnight ambulance cover",
    "the municipal broadband project",
    "the market square renovation",
    "street lighting upgrades",
    "the recycling depot",
    "cross-border freight",
    "apprenticeship schemes",
    "the harbour dredging programme",
    "community health clinics",
    "the district heating plant",
    "late-night library hours",
    "the ring road extension",
)
HEADLINE_VERBS = (
    "delays a decision on",
    "backs",
    "rethinks",
    "doubles spending on",
    "puts a price on",
    "opens talks on",
    "scraps plans for",
    "bets on",
    "asks for patience on",
    "takes a second look at",
)
PAST_VERBS = (
    "approved a revised budget for",
    "delayed a decision on",
    "published new figures on",
    "opened a consultation about",
    "quietly scrapped plans for",
    "doubled its spending on",
    "asked residents to weigh in on",
    "found a shortfall in",
    "commissioned a review of",
    "signed a new contract for",
)
ADJECTIVES = (
    "modest",
    "sharp",
    "unexpected",
    "long-awaited",
    "gradual",
    "contested",
    "costly",
    "overdue",
    "cautious",
    "ambitious",
)
PEOPLE = (
    "a retired engineer",
    "a bakery owner near the station",
    "a second-year nursing student",
    "a logistics manager at the port",
    "the deputy mayor",
    "a bus driver of twenty years",
    "a primary school head teacher",
    "a volunteer at the food bank",
    "a structural engineer",
    "a councillor from the opposition benches",
)
SOURCES = (
    "the regional statistics office",
    "the council's own audit",
    "a university study",
    "the ombudsman's annual report",
    "the open data portal",
    "an internal memo seen by this paper",
    "the national audit office",
    "a survey of local businesses",
)
QUOTES = (
    "We have been asking for this for years",
    "Nobody told us the timetable had changed",
    "It is the right idea at the wrong price",
    "The numbers simply do not add up",
    "We will believe it when we see the first spade in the ground",
    "People here are tired of pilot projects",
    "Nobody asked the people who actually use it",
    "It works, but only on paper",
)
CITIES = ("Tartu", "Gdańsk", "Lyon", "Porto", "Ghent", "Malmö", "Bologna", "Leipzig", "Turku")
DISTRICTS = ("Northern", "Old Town", "Riverside", "Station", "Eastern", "Harbour", "Hillside")
PLACES = ("riverbank", "ring road", "old harbour", "main square", "industrial estate")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
DATASETS = ("transit_ridership", "budget_lines", "permits_2024", "air_quality", "rent_index")
AUTHORS = (
    "Anna Kowalska",
    "Tomas Berg",
    "Lena Fischer",
    "Marco Bianchi",
    "Sofia Almeida",
    "Jonas Petersen",
    "Elif Yilmaz",
    "Pieter de Vries",
    "Maria Nilsson",
    "David Okafor",
    "Ines Moreau",
    "Kasper Lind",
    "Olga Ivanova",
    "Rui Santos",
    "Hannah Weber",
)
TAGS = (
    "transport",
    "housing",
    "budget",
    "health",
    "education",
    "environment",
    "energy",
    "courts",
    "business",
    "culture",
    "data",
    "infrastructure",
    "elections",
    "labour",
    "agriculture",
    "port",
    "technology",
    "history",
    "water",
    "investigations",
)
H2_HEADINGS = (
    "Background",
    "What changed this year",
    "The numbers behind it",
    "Who pays",
    "A view from the ground",
    "What comes next",
    "The long road here",
    "Counting the cost",
    "Voices from the market",
    "How it works",
    "The case against",
    "Lessons from elsewhere",
    "What residents say",
    "Open questions",
)
H3_HEADINGS = (
    "In the short term",
    "The regional picture",
    "A note on the data",
    "Timelines",
    "Funding",
    "The legal side",
    "On the ground",
    "Risks",
    "Alternatives considered",
    "What the council says",
    "The fine print",
    "Earlier attempts",
)
LEAD_INS = (
    "Cost",
    "Timeline",
    "Who is affected",
    "What is at stake",
    "The alternative",
    "Next step",
    "Funding",
    "Risk",
)
SENTENCES = (
    "{Subject} {past} {object} on {weekday}, after {small} months of {adj} negotiation.",
    "According to {source}, the cost of {object} rose by {pct} percent between {y1} and {y2}.",
    '"{quote}," said {person}, who has followed the issue since {y1}.',
    "Critics argue that {object} was never properly costed, and that {subject} underestimated "
    "the demand.",
    "The figures suggest a {adj} shift: {pct} percent of households now rely on {object}.",
    "For {person}, the change is less abstract than it sounds.",
    "In practice, {object} depends on decisions made far from the {place}.",
    "{Subject} has promised a full review by the end of {y2}, though few expect it to arrive "
    "on time.",
    "Similar schemes in {city} and {city2} took years to show results.",
    "Nobody disputes that {object} needs attention; the argument is about who should pay for it.",
    "A spokesperson for {subject} declined to comment on the {adj} timetable.",
    "The {adj} plan would affect roughly {big} residents, most of them in the {district} district.",
    "Records held by {source} show that the question first came up in {y1}.",
    "That leaves {subject} with a {adj} choice between {object} and {object2}.",
    "Some of the most useful evidence comes from {source}, which has tracked {object} for over "
    "a decade.",
    "By {month}, the first results should be visible along the {place}.",
    "Those numbers are *{adj}*, but they hide large differences between neighbourhoods.",
    "Even supporters concede that {object} will not solve the problem on its own.",
    "The budget line for {object} stands at {money} this year, up from {money2} in {y1}.",
    "Residents who spoke to this paper were divided, with many more worried about {object2}.",
    "It is a familiar pattern: announcements are quick, delivery is slow, and the details "
    "arrive last.",
    "{Person} put it more bluntly at a public meeting in {month}.",
    "The consultation, which closes in {month}, has so far drawn {big} responses.",
    "Engineers estimate that the work on {object} could take {small} years to complete.",
    "The analysis relies on the `{dataset}` tables that {source} publishes every quarter.",
    "When {subject} last tried something similar, in {y1}, the project was shelved within a year.",
)
TITLES = (
    "{Subject} {headline} {object}",
    "Why {object} matters to {subject}",
    "How {subject} learned to live with {object}",
    "What {object} will really cost the {district} district",
    "Inside the fight over {object} in {city}",
    "{Subject} and the long wait for {object}",
)
SUBTITLES = (
    "A {adj} debate about {object2}",
    "What the latest figures say about {object2}",
    "Residents, officials and a {adj} budget",
    "Notes from {small} months of reporting in the {district} district",
    "The view from {city}, {city2} and closer to home",
)
SUMMARIES = (
    "{Subject} {past} {object}; we look at what it means for {object2}.",
    "After {small} months of debate, {subject} faces a {adj} choice over {object}.",
    "The numbers behind {object}, and the people who will live with the result.",
)
CODE_INTROS = (
    "The calculation is simple enough to check yourself:",
    "For readers who want to reproduce the figures, this is the script we used:",
    "The arithmetic behind the headline number fits in a few lines of Python:",
)
BULLET_INTROS = (
    "The main points, at a glance:",
    "What we know so far:",
    "Four things to watch:",
    "In short:",
)

# --------------------------------------------------------------------------- data model


@dataclass(frozen=True)
class Article:
    """One generated article: its front matter fields and its Markdown body."""

    slug: str
    title: str
    subtitle: str
    authors: list[str]
    date: dt.date
    tags: list[str]
    summary: str
    body: str


@dataclass
class Sizes:
    """Sizes in KB of the HTML pages of one built variant."""

    article_mean_kb: float
    article_max_kb: float
    pages_kb: dict[str, float] = field(default_factory=dict)


@dataclass
class VariantResult:
    """Timings, warning count and page sizes of one variant."""

    times_s: list[float] = field(default_factory=list)
    warnings: int = 0
    sizes: Sizes | None = None

    @property
    def best_s(self) -> float:
        return min(self.times_s)


class BuildError(Exception):
    """A Sphinx build exited with a non-zero status."""

    def __init__(self, variant: str, returncode: int, stderr: str) -> None:
        super().__init__(f"{variant} build failed with exit status {returncode}")
        self.variant = variant
        self.returncode = returncode
        self.stderr = stderr


# --------------------------------------------------------------------------- text generation


def _slots(rng: random.Random) -> dict[str, str]:
    """Draw one value for every placeholder the templates use."""
    subject, subject2 = rng.sample(SUBJECTS, 2)
    obj, obj2 = rng.sample(OBJECTS, 2)
    city, city2 = rng.sample(CITIES, 2)
    y1 = rng.randint(2008, 2019)
    person = rng.choice(PEOPLE)
    return {
        "subject": subject,
        "Subject": subject[0].upper() + subject[1:],
        "subject2": subject2,
        "object": obj,
        "object2": obj2,
        "past": rng.choice(PAST_VERBS),
        "headline": rng.choice(HEADLINE_VERBS),
        "adj": rng.choice(ADJECTIVES),
        "person": person,
        "Person": person[0].upper() + person[1:],
        "source": rng.choice(SOURCES),
        "quote": rng.choice(QUOTES),
        "city": city,
        "city2": city2,
        "district": rng.choice(DISTRICTS),
        "place": rng.choice(PLACES),
        "month": rng.choice(MONTHS),
        "weekday": rng.choice(WEEKDAYS),
        "dataset": rng.choice(DATASETS),
        "small": str(rng.randint(2, 18)),
        "pct": str(rng.randint(3, 64)),
        "big": f"{rng.randint(1, 90) * 100 + rng.randint(0, 99):,}",
        "money": f"€{rng.randint(2, 95)}.{rng.randint(0, 9)} million",
        "money2": f"€{rng.randint(1, 60)}.{rng.randint(0, 9)} million",
        "y1": str(y1),
        "y2": str(rng.randint(y1 + 2, 2026)),
    }


def fill(rng: random.Random, templates: Sequence[str]) -> str:
    """Fill a randomly chosen template with random slot values."""
    return rng.choice(templates).format(**_slots(rng))


def paragraph(rng: random.Random, words: int) -> str:
    """About `words` words of generated sentences (at least two, no template twice)."""
    sentences: list[str] = []
    count = 0
    for template in rng.sample(SENTENCES, len(SENTENCES)):
        if len(sentences) >= 2 and count >= words - 8:
            break
        sentences.append(template.format(**_slots(rng)))
        count += word_count(sentences[-1])
    return " ".join(sentences)


def capitalise(text: str) -> str:
    return text[0].upper() + text[1:]


def word_count(text: str) -> int:
    return len(text.split())


def slugify(title: str, max_words: int = 12) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", ascii_title.lower()).split()
    return "-".join(words[:max_words])


def code_block(rng: random.Random) -> str:
    """A small, plausible Python snippet fenced for MyST."""
    choice = rng.randrange(3)
    if choice == 0:
        values = ", ".join(f"{rng.uniform(5, 40):.1f}" for _ in range(rng.randint(5, 9)))
        code = (
            "import statistics\n\n"
            f"waiting_days = [{values}]\n"
            'print(f"median wait: {statistics.median(waiting_days):.1f} days")\n'
        )
    elif choice == 1:
        counts = {topic: rng.randint(10, 400) for topic in ("noise", "parking", "lighting")}
        code = (
            "from collections import Counter\n\n"
            f"complaints = Counter({counts!r})\n"
            "for topic, count in complaints.most_common(2):\n"
            "    print(f'{topic:>10}: {count}')\n"
        )
    else:
        budget = rng.randint(2, 90) * 1_000_000
        households = rng.randint(20, 300) * 1000
        code = (
            "def cost_per_household(budget: float, households: int) -> float:\n"
            '    """Spread a budget line evenly across households."""\n'
            "    return budget / households\n\n\n"
            f"print(round(cost_per_household({budget:_}, {households:_}), 2))\n"
        )
    return f"```python\n{code}```"


def bullet_list(rng: random.Random) -> str:
    lead_ins = rng.sample(LEAD_INS, rng.randint(3, 5))
    items = [f"- **{lead_in}:** {fill(rng, SENTENCES)}" for lead_in in lead_ins]
    return "\n".join([rng.choice(BULLET_INTROS), "", *items])


@dataclass
class _Slot:
    """Placeholder for a prose paragraph, filled once the word budget is known."""

    weight: float


def _outline(rng: random.Random, title: str, with_code: bool) -> list[str | _Slot]:
    """The article's blocks, with prose paragraphs left as weighted placeholders."""

    def slot() -> _Slot:
        return _Slot(rng.uniform(0.7, 1.3))

    blocks: list[str | _Slot] = [f"# {title}"]
    blocks += [slot() for _ in range(rng.randint(2, 3))]
    headings = rng.sample(H2_HEADINGS, rng.randint(4, 5))
    subheadings = iter(rng.sample(H3_HEADINGS, 2 * len(headings)))
    list_at, code_at = rng.randrange(len(headings)), rng.randrange(len(headings))
    for index, heading in enumerate(headings):
        blocks += [f"## {heading}", *(slot() for _ in range(rng.randint(1, 2)))]
        if index == list_at:
            blocks.append(bullet_list(rng))
        if with_code and index == code_at:
            blocks += [rng.choice(CODE_INTROS), code_block(rng)]
        for _ in range(rng.randint(0, 2)):
            blocks += [f"### {next(subheadings)}", slot()]
    return blocks


def article_body(rng: random.Random, title: str, with_code: bool) -> str:
    """Markdown body of roughly 900-1300 words: H1, intro, sections, a list, maybe code."""
    target = rng.randint(960, 1250)
    blocks = _outline(rng, title, with_code)
    fixed = sum(word_count(block) for block in blocks if isinstance(block, str))
    slots = [block for block in blocks if isinstance(block, _Slot)]
    total_weight = sum(s.weight for s in slots)
    budget = max(target - fixed, 40 * len(slots))
    parts = [
        block
        if isinstance(block, str)
        else paragraph(rng, round(budget * block.weight / total_weight))
        for block in blocks
    ]
    return "\n\n".join(parts) + "\n"


def make_article(rng: random.Random, start: dt.date, span_days: int) -> Article:
    title = capitalise(fill(rng, TITLES))
    with_code = rng.random() < 1 / 3
    return Article(
        slug=slugify(title),
        title=title,
        subtitle=fill(rng, SUBTITLES),
        authors=rng.sample(AUTHORS, rng.randint(1, 2)),
        date=start + dt.timedelta(days=rng.randrange(span_days)),
        tags=rng.sample(TAGS, rng.randint(1, 3)),
        summary=fill(rng, SUMMARIES),
        body=article_body(rng, title, with_code),
    )


def generate_articles(n: int, seed: int) -> list[Article]:
    """N deterministic articles dated 2020-2026, with unique slugs."""
    rng = random.Random(seed)
    start, end = dt.date(2020, 1, 1), dt.date(2026, 12, 31)
    span_days = (end - start).days + 1
    articles: list[Article] = []
    seen: dict[str, int] = {}
    for _ in range(n):
        article = make_article(rng, start, span_days)
        seen[article.slug] = seen.get(article.slug, 0) + 1
        if seen[article.slug] > 1:
            article = replace(article, slug=f"{article.slug}-{seen[article.slug]}")
        articles.append(article)
    return articles


# --------------------------------------------------------------------------- projects


def front_matter(article: Article, orphan: bool) -> str:
    """YAML front matter; strings and lists are written as JSON, which is valid YAML."""

    def q(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = [
        "---",
        f"title: {q(article.title)}",
        f"subtitle: {q(article.subtitle)}",
        f"authors: {q(article.authors)}",
        f"date: {article.date.isoformat()}",
        f"tags: {q(article.tags)}",
        f"summary: {q(article.summary)}",
    ]
    if orphan:
        lines.append("orphan: true")
    return "\n".join([*lines, "---", ""])


def conf_py(extensions: list[str]) -> str:
    return (
        '"""Generated by tests/benchmarks/bench.py."""\n\n'
        'project = "The Benchmark Gazette"\n'
        'author = "The Benchmark Gazette editors"\n'
        'copyright = "2020-2026, The Benchmark Gazette editors"\n'
        'language = "en"\n'
        f"extensions = {extensions!r}\n"
        'html_theme = "furo"\n'
        'html_title = "The Benchmark Gazette"\n'
    )


INTRO = (
    "The Benchmark Gazette is a generated publication used to time Sphinx builds. "
    "Its articles are synthetic but shaped like the real thing.\n"
)
ABOUT = (
    "# About\n\nThis publication is generated by `tests/benchmarks/bench.py` from a fixed "
    "random seed, so every run builds exactly the same pages.\n"
)


def toctree(entries: Sequence[str], options: Sequence[str] = ()) -> str:
    return "\n".join(["```{toctree}", *options, "", *entries, "```", ""])


def project_pages(variant: str) -> dict[str, str]:
    """The non-article source files of one variant, by relative path."""
    if variant == "plain":
        index = "\n".join(
            ["# The Benchmark Gazette", "", INTRO, toctree(["about"], [":maxdepth: 1"])]
        )
        return {
            "conf.py": conf_py(["myst_parser", "sphinx_copybutton"]),
            "index.md": index,
            "about.md": ABOUT,
        }
    index = "\n".join(
        [
            "# The Benchmark Gazette",
            "",
            INTRO,
            toctree(["all-articles", "about"], [":hidden:"]),
            "## Latest",
            "",
            "```{article-list}\n:limit: 10\n```\n",
        ]
    )
    all_articles = "# All articles\n\n```{article-list}\n:group-by: year\n```\n"
    return {
        "conf.py": conf_py(["broadsheet"]),
        "index.md": index,
        "all-articles.md": all_articles,
        "about.md": ABOUT,
    }


def write_project(root: Path, variant: str, articles: Sequence[Article]) -> Path:
    """Write one variant's source directory under `root` and return it."""
    src = root / variant
    if src.exists():
        shutil.rmtree(src)
    (src / "articles").mkdir(parents=True)
    for name, text in project_pages(variant).items():
        (src / name).write_text(text, encoding="utf-8")
    orphan = variant == "plain"
    for article in articles:
        text = front_matter(article, orphan) + "\n" + article.body
        (src / "articles" / f"{article.slug}.md").write_text(text, encoding="utf-8")
    return src


# --------------------------------------------------------------------------- building


def build(variant: str, src: Path, out: Path, jobs: str) -> tuple[float, int]:
    """Build `src` into a fresh `out`; return wall-clock seconds and the warning count."""
    if out.exists():
        shutil.rmtree(out)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", jobs, str(src), str(out)]
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise BuildError(variant, proc.returncode, proc.stderr)
    warnings = sum(1 for line in proc.stderr.splitlines() if "WARNING" in line or "ERROR" in line)
    return elapsed, warnings


def kb(path: Path) -> float:
    return path.stat().st_size / KB


def page_sizes(html: Path, articles: Sequence[Article], pages: Sequence[str]) -> Sizes:
    sizes = [kb(html / "articles" / f"{a.slug}.html") for a in articles]
    return Sizes(
        article_mean_kb=statistics.fmean(sizes),
        article_max_kb=max(sizes),
        pages_kb={page: kb(html / page) for page in pages if (html / page).exists()},
    )


def run_builds(
    sources: dict[str, Path], root: Path, jobs: str, repeat: int
) -> dict[str, VariantResult]:
    """Build the variants alternately `repeat` times."""
    results = {variant: VariantResult() for variant in sources}
    for round_no in range(1, repeat + 1):
        for variant, src in sources.items():
            elapsed, warnings = build(variant, src, root / f"{variant}-html", jobs)
            results[variant].times_s.append(elapsed)
            results[variant].warnings = warnings
            print(f"  round {round_no}: {variant:<10} {elapsed:7.2f} s", file=sys.stderr)
    return results


# --------------------------------------------------------------------------- reporting


@dataclass(frozen=True)
class Target:
    """One benchmark target and whether this run met it."""

    name: str
    limit: float
    value: float
    passed: bool


def targets(results: dict[str, VariantResult]) -> list[Target]:
    """The targets that can be judged from the variants that were built."""
    found: list[Target] = []
    if "plain" in results and "broadsheet" in results:
        ratio = results["broadsheet"].best_s / results["plain"].best_s
        found.append(Target("ratio", MAX_RATIO, ratio, ratio <= MAX_RATIO))
    sizes = results["broadsheet"].sizes if "broadsheet" in results else None
    if sizes is not None:
        size = sizes.article_max_kb
        found.append(Target("article_page_kb", MAX_ARTICLE_KB, size, size < MAX_ARTICLE_KB))
    return found


def summary(
    args: argparse.Namespace, results: dict[str, VariantResult], met: list[Target]
) -> dict[str, object]:
    """The figures as a JSON-ready dict."""
    return {
        "n": args.n,
        "jobs": args.jobs,
        "repeat": args.repeat,
        "seed": args.seed,
        "variants": {
            name: {**asdict(result), "best_s": result.best_s} for name, result in results.items()
        },
        "targets": {target.name: asdict(target) for target in met},
    }


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def variant_line(name: str, result: VariantResult) -> str:
    line = f"  {name:<10}  build {result.best_s:7.2f} s   warnings {result.warnings}"
    if result.sizes is not None:
        sizes = result.sizes
        line += f"   article page mean {sizes.article_mean_kb:.1f} KB"
        line += f", max {sizes.article_max_kb:.1f} KB"
    return line


def target_line(target: Target) -> str:
    if target.name == "ratio":
        text = f"ratio broadsheet/plain  {target.value:.2f}   target <= {target.limit:.2f}"
    else:
        text = f"broadsheet article page max {target.value:.1f} KB   target < {target.limit:.0f} KB"
    return f"  {text}   {verdict(target.passed)}"


def report(args: argparse.Namespace, results: dict[str, VariantResult], met: list[Target]) -> str:
    lines = [f"Broadsheet benchmark: N={args.n} articles, jobs={args.jobs}, best of {args.repeat}"]
    lines += [variant_line(name, result) for name, result in results.items()]
    lines += [target_line(target) for target in met]
    sizes = results["broadsheet"].sizes if "broadsheet" in results else None
    if sizes is not None and sizes.pages_kb:
        pages = ", ".join(f"{page} {size:.1f} KB" for page, size in sizes.pages_kb.items())
        lines.append(f"  broadsheet pages  {pages}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- command line


def jobs_arg(value: str) -> str:
    """`-j` value: a positive integer or ``auto``."""
    if value == "auto" or (value.isdigit() and int(value) > 0):
        return value
    raise argparse.ArgumentTypeError("expected a positive integer or 'auto'")


def positive_int(value: str) -> int:
    if value.isdigit() and int(value) > 0:
        return int(value)
    raise argparse.ArgumentTypeError("expected a positive integer")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time a Broadsheet build against the plain Sphinx stack on generated articles."
    )
    parser.add_argument("--n", type=positive_int, default=1000, help="articles (default 1000)")
    parser.add_argument("--jobs", type=jobs_arg, default="1", help="sphinx -j value (default 1)")
    parser.add_argument("--repeat", type=positive_int, default=1, help="rounds; best is kept")
    parser.add_argument("--out", type=Path, help="work directory to keep (default: a temp dir)")
    parser.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")
    parser.add_argument("--only", choices=VARIANTS, help="build only one variant")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write figures as JSON")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target fails")
    return parser.parse_args(argv)


def benchmark(args: argparse.Namespace, root: Path) -> dict[str, VariantResult]:
    variants = (args.only,) if args.only else VARIANTS
    print(f"generating {args.n} articles in {root}", file=sys.stderr)
    articles = generate_articles(args.n, args.seed)
    sources = {variant: write_project(root, variant, articles) for variant in variants}
    results = run_builds(sources, root, args.jobs, args.repeat)
    for variant, result in results.items():
        pages = ("index.html", "all-articles.html") if variant == "broadsheet" else ()
        result.sizes = page_sizes(root / f"{variant}-html", articles, pages)
    return results


def with_workdir(out: Path | None, action: Callable[[Path], int]) -> int:
    """Run `action` in `out` (created, kept) or in a temporary directory (removed)."""
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        return action(out.resolve())
    with tempfile.TemporaryDirectory(prefix="broadsheet-bench-") as tmp:
        return action(Path(tmp))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)

    def run(root: Path) -> int:
        try:
            results = benchmark(args, root)
        except BuildError as error:
            tail = error.stderr.splitlines()[-STDERR_TAIL_LINES:]
            print(f"error: {error}; last lines of its stderr:", file=sys.stderr)
            print("\n".join(tail), file=sys.stderr)
            return 2
        met = targets(results)
        print(report(args, results, met))
        if args.json is not None:
            text = json.dumps(summary(args, results, met), indent=2)
            args.json.write_text(text + "\n", encoding="utf-8")
        return 1 if args.strict and not all(target.passed for target in met) else 0

    return with_workdir(args.out, run)


if __name__ == "__main__":
    sys.exit(main())

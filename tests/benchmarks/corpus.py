"""Deterministic synthetic articles for the Broadsheet benchmarks.

``generate_articles(n, seed)`` returns N news-style articles of roughly 900-1300 words each:
an H1 headline, an introduction, four or five H2 sections with some H3 subsections, one bullet
list and, in about a third of them, a fenced Python block. ``front_matter`` renders the YAML
front matter Broadsheet reads (title, subtitle, authors, date, tags, summary). The same seed
always gives the same articles, so every run builds exactly the same pages.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace


def items(text: str) -> tuple[str, ...]:
    """The ``|``-separated entries of ``text``, stripped: keeps the word lists compact."""
    return tuple(item.strip() for item in text.split("|"))


# --------------------------------------------------------------------------- vocabulary

SUBJECTS = items(
    "the city council | the regional transit authority | the port operator | "
    "the growers' association | the university hospital | the school board | "
    "the publishers' guild | the water utility | the grocers' federation | "
    "the housing cooperative | the district court | the county archive | the fire service | "
    "the farmers' market | the chamber of commerce | the public library | "
    "the tram drivers' union | the energy co-op | the planning office | the harbour board"
)
OBJECTS = items(
    "the riverside tram line | winter heating subsidies | the old grain terminal | "
    "school meal contracts | the flood barrier | weekend bus services | "
    "rent controls on older flats | the new cycle network | overnight ambulance cover | "
    "the municipal broadband project | the market square renovation | "
    "street lighting upgrades | the recycling depot | cross-border freight | "
    "apprenticeship schemes | the harbour dredging programme | community health clinics | "
    "the district heating plant | late-night library hours | the ring road extension"
)
HEADLINE_VERBS = items(
    "delays a decision on | backs | rethinks | doubles spending on | puts a price on | "
    "opens talks on | scraps plans for | bets on | asks for patience on | "
    "takes a second look at"
)
PAST_VERBS = items(
    "approved a revised budget for | delayed a decision on | published new figures on | "
    "opened a consultation about | quietly scrapped plans for | doubled its spending on | "
    "asked residents to weigh in on | found a shortfall in | commissioned a review of | "
    "signed a new contract for"
)
ADJECTIVES = items(
    "modest | sharp | unexpected | long-awaited | gradual | contested | costly | overdue | "
    "cautious | ambitious"
)
PEOPLE = items(
    "a retired engineer | a bakery owner near the station | a second-year nursing student | "
    "a logistics manager at the port | the deputy mayor | a bus driver of twenty years | "
    "a primary school head teacher | a volunteer at the food bank | a structural engineer | "
    "a councillor from the opposition benches"
)
SOURCES = items(
    "the regional statistics office | the council's own audit | a university study | "
    "the ombudsman's annual report | the open data portal | "
    "an internal memo seen by this paper | the national audit office | "
    "a survey of local businesses"
)
QUOTES = items(
    "We have been asking for this for years | Nobody told us the timetable had changed | "
    "It is the right idea at the wrong price | The numbers simply do not add up | "
    "We will believe it when we see the first spade in the ground | "
    "People here are tired of pilot projects | Nobody asked the people who actually use it | "
    "It works, but only on paper"
)
CITIES = items("Tartu | Gdańsk | Lyon | Porto | Ghent | Malmö | Bologna | Leipzig | Turku")
DISTRICTS = items("Northern | Old Town | Riverside | Station | Eastern | Harbour | Hillside")
PLACES = items("riverbank | ring road | old harbour | main square | industrial estate")
MONTHS = items(
    "January | February | March | April | May | June | July | August | September | October | "
    "November | December"
)
WEEKDAYS = items("Monday | Tuesday | Wednesday | Thursday | Friday")
DATASETS = items("transit_ridership | budget_lines | permits_2024 | air_quality | rent_index")
AUTHORS = items(
    "Anna Kowalska | Tomas Berg | Lena Fischer | Marco Bianchi | Sofia Almeida | "
    "Jonas Petersen | Elif Yilmaz | Pieter de Vries | Maria Nilsson | David Okafor | "
    "Ines Moreau | Kasper Lind | Olga Ivanova | Rui Santos | Hannah Weber"
)
TAGS = items(
    "transport | housing | budget | health | education | environment | energy | courts | "
    "business | culture | data | infrastructure | elections | labour | agriculture | port | "
    "technology | history | water | investigations"
)
H2_HEADINGS = items(
    "Background | What changed this year | The numbers behind it | Who pays | "
    "A view from the ground | What comes next | The long road here | Counting the cost | "
    "Voices from the market | How it works | The case against | Lessons from elsewhere | "
    "What residents say | Open questions"
)
H3_HEADINGS = items(
    "In the short term | The regional picture | A note on the data | Timelines | Funding | "
    "The legal side | On the ground | Risks | Alternatives considered | "
    "What the council says | The fine print | Earlier attempts"
)
LEAD_INS = items(
    "Cost | Timeline | Who is affected | What is at stake | The alternative | Next step | "
    "Funding | Risk"
)
CODE_INTROS = items(
    "The calculation is simple enough to check yourself: | "
    "For readers who want to reproduce the figures, this is the script we used: | "
    "The arithmetic behind the headline number fits in a few lines of Python:"
)
BULLET_INTROS = items(
    "The main points, at a glance: | What we know so far: | Four things to watch: | In short:"
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
    """``text`` with its first character upper-cased (unlike ``str.capitalize``, no more)."""
    return text[0].upper() + text[1:]


def word_count(text: str) -> int:
    """Whitespace-separated words in ``text``."""
    return len(text.split())


def slugify(title: str, max_words: int = 12) -> str:
    """A lowercase ASCII file name of at most ``max_words`` words."""
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
    """An introduced list of three to five bold lead-ins, each with a sentence."""
    lead_ins = rng.sample(LEAD_INS, rng.randint(3, 5))
    entries = [f"- **{lead_in}:** {fill(rng, SENTENCES)}" for lead_in in lead_ins]
    return "\n".join([rng.choice(BULLET_INTROS), "", *entries])


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
    """One article dated within ``span_days`` of ``start``; a third of them carry code."""
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
    """N deterministic articles dated 2019-2025, with unique slugs.

    Every date is in the past: an article dated after the day of the build would be scheduled,
    not published, and the publication measured would depend on that day.
    """
    rng = random.Random(seed)
    start, end = dt.date(2019, 1, 1), dt.date(2025, 12, 31)
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


# --------------------------------------------------------------------------- front matter


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

"""The neighbours index updated change by change equals the N^2 definition worked out afresh.

The definition, written as plainly as possible: previous and next by date among listed
articles; related ones share the most tags, then are nearest in date, then come first by
docname, and share at least one tag. Random sequences of edits (add, retitle, redate, retag,
retract, remove) are applied to the index one build at a time; after each, every article's
links must be the definition's, and the articles reported changed exactly those whose links
differ from the build before.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import random
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.articles import Article, published
from broadsheet.dates import sort_key
from broadsheet.neighbours_index import Neighbours, NeighboursIndex

TAGS = ("a", "b", "c", "d", "e")
DAY = dt.timedelta(days=1)
START = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def article(name: str, title: str, day: int, tags: tuple[str, ...], **more: object) -> Article:
    return Article(
        docname=name,
        title=title,
        anchor="",
        subtitle="",
        authors=(),
        date=START + day * DAY,
        updated=None,
        tags=tags,
        summary="",
        image="",
        draft=False,
        toc_depth=0,
        replies="on",
        words=1,
        minutes=1,
        **more,  # type: ignore[arg-type]
    )


def definition(articles: dict[str, Article]) -> dict[str, Neighbours]:
    """Every article's links, from scratch, comparing every pair."""
    live = published(articles.values())
    result: dict[str, Neighbours] = {}
    for one in articles.values():
        names = [a.docname for a in live]
        at = names.index(one.docname) if one.docname in names else None
        newer = (live[at - 1].docname, live[at - 1].title) if at else ("", "")
        older = ("", "")
        if at is not None and at + 1 < len(live):
            older = (live[at + 1].docname, live[at + 1].title)
        mine = {t.casefold() for t in one.tags}
        scored = []
        for other in live:
            shared = len(mine & {t.casefold() for t in other.tags})
            if other.docname != one.docname and shared:
                distance = abs(sort_key(other.date) - sort_key(one.date))
                scored.append((-shared, distance, other.docname, other.title))
        related = tuple((name, title) for _s, _d, name, title in sorted(scored)[:3])
        result[one.docname] = Neighbours(older, newer, related)
    return result


def random_edit(rng: random.Random, articles: dict[str, Article], serial: int) -> None:
    kind = rng.choice(["add", "add", "retitle", "redate", "retag", "retract", "remove"])
    names = sorted(articles)
    if kind == "add" or not names:
        tags = tuple(rng.sample(TAGS, rng.randint(0, 3)))
        name = f"articles/n{serial}"
        articles[name] = article(name, f"Title {rng.randint(0, 5)}", rng.randint(0, 20), tags)
        return
    name = rng.choice(names)
    old = articles[name]
    if kind == "remove":
        del articles[name]
    elif kind == "retitle":
        articles[name] = dataclasses.replace(old, title=f"Title {rng.randint(0, 5)}")
    elif kind == "redate":
        articles[name] = dataclasses.replace(old, date=START + rng.randint(0, 20) * DAY)
    elif kind == "retag":
        tags = tuple(rng.sample(TAGS, rng.randint(0, 3)))
        articles[name] = dataclasses.replace(old, tags=tags)
    else:
        articles[name] = dataclasses.replace(old, retracted=START)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_index_follows_edits_as_the_definition(seed: int) -> None:
    rng = random.Random(seed)
    articles: dict[str, Article] = {}
    index = NeighboursIndex()
    before: dict[str, Neighbours] = {}
    for serial in range(40):
        for _edit in range(rng.choice([1, 1, 2, 5])):
            random_edit(rng, articles, serial * 10 + _edit)
        changed = index.update(dict(articles))
        expected = definition(articles)
        assert index.links == expected
        assert changed == sorted(d for d in expected if before.get(d) != expected[d])
        before = expected


def test_no_change_reports_nothing() -> None:
    articles = {f"a{i}": article(f"a{i}", f"T{i}", i, ("a",)) for i in range(5)}
    index = NeighboursIndex()
    assert index.update(articles) == sorted(articles)
    assert index.update(dict(articles)) == []


def test_an_edit_costs_far_less_than_working_everything_out() -> None:
    """One edit in 5,000 articles relinks a handful, in a fraction of a first build's time."""
    rng = random.Random(7)
    tags = [f"t{i}" for i in range(20)]
    articles = {
        f"a{i}": article(f"a{i}", f"T{i}", rng.randint(0, 3000), tuple(rng.sample(tags, 2)))
        for i in range(5_000)
    }
    index = NeighboursIndex()
    gc.disable()  # a collection in a 20 ms measurement is noise, not cost
    try:
        start = time.process_time()
        index.update(articles)
        first = time.process_time() - start
        edits = []
        for name in ("a5", "a6", "a7"):  # the cheapest of three edits: the others are noise
            articles[name] = dataclasses.replace(articles[name], title=f"Retitled {name}")
            start = time.process_time()
            changed = index.update(articles)
            edits.append(time.process_time() - start)
            assert name != "a5" or name in changed
            assert len(changed) < 20
    finally:
        gc.enable()
    assert min(edits) * 5 < first, (edits, first)

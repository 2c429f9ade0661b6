"""The reading links of every article, kept up to date by the change, not recomputed.

An article links to the next newer and next older published article and to up to three related
ones: those sharing the most tags, then nearest in date, then by name. Working that out for
every article against every other costs N^2 at every build; this index is kept in the
environment instead and updated from the articles whose reading data (title, date, tags,
whether they are listed) changed since the last build:

* the date order is a sorted list; an insertion or removal changes the links of the two
  articles beside it, no others;
* related articles come from groups of articles with the same tag set, each sorted by date,
  so an article's three nearest are found by bisection in the few groups that share a tag;
* an article whose links show a changed article (``referrers``) is worked out again, and so
  is one that the changed article would now enter the top three of; nobody else is.

A pure module: no Sphinx import, so it can be tested against the obvious N^2 definition.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from broadsheet.articles import Article
from broadsheet.dates import sort_key

RELATED = 3
NOBODY = ("", "")


class Neighbours(NamedTuple):
    """The docnames an article links to, and the titles it shows for them.

    The titles are part of the value so that retitling an article rewrites the pages that
    show its title.
    """

    previous: tuple[str, str]
    next: tuple[str, str]
    related: tuple[tuple[str, str], ...]


class Entry(NamedTuple):
    """What the reading links need of one article."""

    title: str
    when: float
    undated: bool
    tags: frozenset[str]
    listed: bool

    @property
    def order(self) -> tuple[bool, float, str]:
        """Newest first, undated last, then by title (as ``articles.newest_first``)."""
        return (self.undated, -self.when, self.title.casefold())


def entry_of(article: Article, show_drafts: bool) -> Entry:
    """The reading data of ``article``; ``listed`` as ``articles.published`` decides it."""
    listed = article.retracted is None and (show_drafts or article.status == "live")
    return Entry(
        title=article.title,
        when=sort_key(article.date),
        undated=article.date is None,
        tags=frozenset(t.casefold() for t in article.tags),
        listed=listed,
    )


class NeighboursIndex:
    """Every article's reading links, and the indexes that keep them current."""

    def __init__(self, show_drafts: bool = False) -> None:
        self.show_drafts = show_drafts
        self.entries: dict[str, Entry] = {}
        #: Listed articles newest first: (order key, docname).
        self.order: list[tuple[tuple[bool, float, str], str]] = []
        #: Listed articles by their exact tag set, each sorted by (date, docname).
        self.groups: dict[frozenset[str], list[tuple[float, str]]] = {}
        #: Tag -> the tag sets (keys of ``groups``) that contain it.
        self.groups_by_tag: dict[str, set[frozenset[str]]] = {}
        #: Tag -> every article (listed or not) with that tag: whose related links may change.
        self.by_tag: dict[str, set[str]] = {}
        self.links: dict[str, Neighbours] = {}
        #: Docname -> the articles whose links show it.
        self.referrers: dict[str, set[str]] = {}

    # ------------------------------------------------------------------ updating

    def update(self, articles: Mapping[str, Article]) -> list[str]:
        """Bring the index up to ``articles``; return the articles whose links changed."""
        current = {name: entry_of(a, self.show_drafts) for name, a in articles.items()}
        changed = [n for n, e in current.items() if self.entries.get(n) != e]
        changed += [n for n in self.entries if n not in current]
        if not changed:
            return []
        dirty: set[str] = set()
        for name in sorted(changed):
            old = self.entries.pop(name, None)
            new = current.get(name)
            if old is not None:
                dirty |= self._remove(name, old, gone=new is None)
            if new is not None:
                self.entries[name] = new
                self._insert(name, new)
                dirty.add(name)
        if len(changed) > max(64, len(self.entries) // 16):
            # Many changes (a first build): relinking everything is cheaper than finding whom
            # each change reaches.
            return self._relink(self.entries)
        for name in sorted(changed):
            new = current.get(name)
            if new is not None and new.listed:
                dirty |= self._would_enter(name, new, dirty)
        return self._relink(d for d in dirty if d in self.entries)

    def _remove(self, name: str, old: Entry, gone: bool) -> set[str]:
        """Take ``name`` out of the indexes (and its links when it is ``gone``); return the
        articles that linked to it."""
        affected = set(self.referrers.get(name, ()))
        if old.listed:
            at = bisect.bisect_left(self.order, (old.order, name))
            del self.order[at]
            group = self.groups[old.tags]
            group.remove((old.when, name))
            if not group:
                del self.groups[old.tags]
                for tag in old.tags:
                    self.groups_by_tag[tag].discard(old.tags)
        for tag in old.tags:
            self.by_tag[tag].discard(name)
        links = self.links.pop(name, None) if gone else None
        if links is not None:
            self._forget_referrer(name, links)
        return affected

    def _insert(self, name: str, new: Entry) -> None:
        if new.listed:
            bisect.insort(self.order, (new.order, name))
            bisect.insort(self.groups.setdefault(new.tags, []), (new.when, name))
            for tag in new.tags:
                self.groups_by_tag.setdefault(tag, set()).add(new.tags)
        for tag in new.tags:
            self.by_tag.setdefault(tag, set()).add(name)

    def _would_enter(self, name: str, new: Entry, dirty: set[str]) -> set[str]:
        """Articles whose new date neighbours are ``name``, and those whose related
        articles ``name`` now belongs among."""
        affected: set[str] = set()
        at = bisect.bisect_left(self.order, (new.order, name))
        for index in (at - 1, at + 1):
            if 0 <= index < len(self.order):
                affected.add(self.order[index][1])
        others = set().union(*(self.by_tag.get(tag, set()) for tag in new.tags))
        for other in others - dirty:
            entry = self.entries[other]
            links = self.links.get(other)
            if links is None or len(links.related) < RELATED:
                affected.add(other)
                continue
            worst = links.related[-1][0]
            if worst not in self.entries or _score(entry, new, name) < _score(
                entry, self.entries[worst], worst
            ):
                affected.add(other)
        return affected

    def _forget_referrer(self, name: str, links: Neighbours) -> None:
        for target in _targets(links):
            self.referrers.get(target, set()).discard(name)

    def _relink(self, names: Iterable[str]) -> list[str]:
        """Work out the links of ``names`` again; return those whose links changed."""
        changed: list[str] = []
        self.__dict__.pop("_levels_cache", None)  # the groups changed since it was made
        for name in sorted(names):
            links = self._links_of(name)
            old = self.links.get(name)
            if old == links:
                continue
            if old is not None:
                self._forget_referrer(name, old)
            self.links[name] = links
            for target in _targets(links):
                self.referrers.setdefault(target, set()).add(name)
            changed.append(name)
        return changed

    # ------------------------------------------------------------------ one article

    def _links_of(self, name: str) -> Neighbours:
        entry = self.entries[name]
        newer = older = NOBODY
        if entry.listed:
            at = bisect.bisect_left(self.order, (entry.order, name))
            if at > 0:
                newer = self._pair(self.order[at - 1][1])
            if at + 1 < len(self.order):
                older = self._pair(self.order[at + 1][1])
        return Neighbours(older, newer, tuple(self._pair(n) for n in self.related(name)))

    def _pair(self, name: str) -> tuple[str, str]:
        return name, self.entries[name].title

    def related(self, name: str) -> list[str]:
        """Up to three listed articles sharing the most tags with ``name``, then nearest in
        date, then by docname; they share at least one tag."""
        entry = self.entries[name]
        levels = self._levels(entry.tags)
        found: list[str] = []
        for shared in sorted(levels, reverse=True):
            need = RELATED - len(found)
            best: list[tuple[float, str]] = []
            for tags in levels[shared]:
                # Only members at most as far as the worst of the best so far can count.
                bound = best[need - 1][0] if len(best) >= need else math.inf
                best += _nearest(self.groups[tags], entry.when, name, bound)
                best.sort()
            found += [n for _distance, n in best[:need]]
            if len(found) >= RELATED:
                break
        return found

    def _levels(self, tags: frozenset[str]) -> dict[int, list[frozenset[str]]]:
        """The groups sharing a tag with ``tags``, by how many they share; the same for every
        article with these tags, so kept for the length of one :meth:`_relink`."""
        cache: dict[frozenset[str], dict[int, list[frozenset[str]]]] = self.__dict__.setdefault(
            "_levels_cache", {}
        )
        levels = cache.get(tags)
        if levels is None:
            levels = cache[tags] = {}
            for group in set().union(*(self.groups_by_tag.get(t, set()) for t in tags)):
                levels.setdefault(len(group & tags), []).append(group)
            for members in levels.values():
                members.sort(key=sorted)
        return levels

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state.pop("_levels_cache", None)
        return state


def _nearest(
    group: list[tuple[float, str]], when: float, skip: str, bound: float
) -> list[tuple[float, str]]:
    """The (distance, docname) of the members of ``group`` nearest ``when``: the first three
    by distance then name, ties at the third included, none farther than ``bound``; ``skip``
    left out."""
    at = bisect.bisect_left(group, (when, ""))
    lower, upper = at - 1, at
    chosen: list[tuple[float, str]] = []
    while lower >= 0 or upper < len(group):
        below = when - group[lower][0] if lower >= 0 else float("inf")
        above = group[upper][0] - when if upper < len(group) else float("inf")
        distance = min(below, above)
        if distance > bound or (len(chosen) >= RELATED and distance > chosen[RELATED - 1][0]):
            break
        if below <= above:
            if group[lower][1] != skip:
                chosen.append((below, group[lower][1]))
            lower -= 1
        else:
            if group[upper][1] != skip:
                chosen.append((above, group[upper][1]))
            upper += 1
        chosen.sort()
    return chosen


def _score(entry: Entry, other: Entry, name: str) -> tuple[int, float, str]:
    """How ``other`` ranks as related to ``entry``: lower is better."""
    return (-len(entry.tags & other.tags), abs(other.when - entry.when), name)


def _targets(links: Neighbours) -> set[str]:
    targets = {links.previous[0], links.next[0], *(d for d, _title in links.related)}
    targets.discard("")
    return targets

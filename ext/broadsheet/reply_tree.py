"""The replies of an article as a thread: answers under the reply they answer, depth capped,
and the number shown on a page capped (:func:`shown`).

Pure, like :mod:`broadsheet.reply_files`: the thread is worked out from the parent ids alone,
whatever a file holds (unknown parents, loops, chains thousands deep).
"""

from __future__ import annotations

import dataclasses

from broadsheet.frontmatter import Problem
from broadsheet.reply_files import Reply
from broadsheet.translations import __


@dataclasses.dataclass
class ThreadedReply:
    """A reply placed in its thread: its depth (1 for a reply to the article) and answers."""

    reply: Reply
    depth: int
    #: The reply answered, when the thread is too deep to show the answer under it.
    answers: Reply | None = None
    children: list[ThreadedReply] = dataclasses.field(default_factory=list)


def thread(replies: list[Reply], max_depth: int) -> tuple[list[ThreadedReply], list[Problem]]:
    """``replies`` as a tree, oldest first at each level, nested at most ``max_depth`` deep.

    A reply to an unknown id, or in a loop of parents, is shown as a reply to the article
    (with a problem); one deeper than ``max_depth`` is shown at that depth, naming the reply
    it answers.
    """
    problems: list[Problem] = []
    by_id = {r.id: r for r in replies}
    parent_of: dict[str, str] = {}
    for reply in replies:
        if not reply.parent:
            continue
        if reply.parent not in by_id:
            problems.append(
                Problem(
                    __(
                        "reply %r answers %r, which is not in the file; shown as a reply to "
                        "the article"
                    )
                    % (reply.id, reply.parent),
                    reply.line,
                )
            )
            continue
        parent_of[reply.id] = reply.parent
    # Break loops of parents (a answers b, b answers a): the oldest reply of a loop answers
    # the article. Each reply is walked once (1: on the path being walked, 2: done).
    state: dict[str, int] = {}
    for reply in sorted(replies, key=_order):
        path: list[str] = []
        current = reply.id
        while current and current not in state:
            state[current] = 1
            path.append(current)
            current = parent_of.get(current, "")
        if current and state[current] == 1:
            oldest = min((by_id[i] for i in path[path.index(current) :]), key=_order)
            parent_of.pop(oldest.id, None)
            problems.append(
                Problem(
                    __("reply %r is in a loop of parents; shown as a reply to the article")
                    % oldest.id,
                    oldest.line,
                )
            )
        for visited in path:
            state[visited] = 2
    children: dict[str, list[Reply]] = {}
    for reply in replies:
        children.setdefault(parent_of.get(reply.id, ""), []).append(reply)

    roots: list[ThreadedReply] = []
    # A walk with a stack, not recursion: a hostile file may chain thousands of answers.
    stack = [(reply, 1, roots) for reply in sorted(children.get("", []), key=_order, reverse=True)]
    while stack:
        reply, depth, out = stack.pop()
        answers = by_id[parent_of[reply.id]] if depth > max_depth else None
        placed = ThreadedReply(reply, min(depth, max_depth), answers)
        out.append(placed)
        # Answers beyond the cap follow their parent at the same depth.
        target = placed.children if depth < max_depth else out
        for child in sorted(children.get(reply.id, []), key=_order, reverse=True):
            stack.append((child, depth + 1, target))
    return roots, problems


def shown(placed: list[ThreadedReply], limit: int) -> tuple[list[ThreadedReply], list[Reply]]:
    """The first ``limit`` replies of the thread ``placed`` in reading order (a reply before
    its answers), as a thread, and the replies left out, in reading order."""
    kept: list[ThreadedReply] = []
    hidden: list[Reply] = []
    # A walk with a stack, in reading order; a reply kept is copied without its answers.
    stack: list[tuple[ThreadedReply, list[ThreadedReply] | None]] = [
        (item, kept) for item in reversed(placed)
    ]
    count = 0
    while stack:
        item, out = stack.pop()
        children: list[ThreadedReply] | None = None
        if out is not None and count < limit:
            count += 1
            copy = dataclasses.replace(item, children=[])
            out.append(copy)
            children = copy.children
        else:
            hidden.append(item.reply)
        stack.extend((child, children) for child in reversed(item.children))
    return kept, hidden


def _order(reply: Reply) -> tuple[float, str]:
    return reply.date.timestamp(), reply.id

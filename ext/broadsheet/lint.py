"""Debris in an article's MyST source, each piece with its line: the checks of ``broadsheet lint``.

The source is parsed with myst-parser's own Markdown parser (markdown-it-py with MyST's
extensions), so structure is what the build will see: code blocks and inline code are never
read, a heading is a heading, a paragraph's lines are known. The blocks' plain text then goes
through the detectors of :mod:`broadsheet.debris`, which the WordPress importer shares. Pure
module: no Sphinx import, nothing written.
"""

from __future__ import annotations

import bisect
import collections
import dataclasses
from collections.abc import Iterator
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from broadsheet import debris
from broadsheet.debris import Kind
from broadsheet.translations import __

# Directives whose body is not Markdown (code, maths, paths, data): never read.
_OPAQUE_DIRECTIVES = frozenset(
    {
        "code",
        "code-block",
        "code-cell",
        "sourcecode",
        "literalinclude",
        "math",
        "raw",
        "csv-table",
        "toctree",
        "include",
        "graphviz",
        "mermaid",
        "article-list",
        "eval-rst",
        "only",
    }
)


@dataclasses.dataclass(frozen=True, order=True)
class Finding:
    """One piece of debris: where it is (line counted from 1) and what it is."""

    path: str
    line: int
    kind: Kind
    message: str

    def text(self) -> str:
        """``path:line: message [kind]``, as editors and CI logs read it."""
        return f"{self.path}:{self.line}: {self.message} [{self.kind.value}]"


@dataclasses.dataclass
class _Block:
    """A paragraph or heading: its plain text (code left out) and the line of each character."""

    kind: str
    first_line: int
    last_line: int
    segments: list[tuple[int, str]]
    html: list[tuple[int, str]]
    #: Whether it is a top-level paragraph, where scrapers glue their fragments.
    body_paragraph: bool = False
    level: int = 0
    #: Whether it shows an image (content, though it has no text).
    image: bool = False

    @property
    def text(self) -> str:
        return "".join(text for _line, text in self.segments)

    def line_at(self, offset: int) -> int:
        starts, total = [], 0
        for _line, text in self.segments:
            starts.append(total)
            total += len(text)
        index = bisect.bisect_right(starts, offset) - 1
        return self.segments[index][0] if index >= 0 else self.first_line


@cache
def _parser() -> MarkdownIt:
    config = MdParserConfig(enable_extensions={"colon_fence", "deflist", "dollarmath"})
    return create_md_parser(config, RendererHTML)


def _inline_segments(
    token: Token, line: int
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    segments: list[tuple[int, str]] = []
    markup: list[tuple[int, str]] = []
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
            segments.append((line, "\n"))
        elif child.type == "image":
            continue  # its alt text is not shown as text
        elif child.type == "html_inline":
            markup.append((line, child.content))
        elif child.type == "text":
            segments.append((line, child.content))
        elif child.type in ("code_inline", "myst_role", "math_inline", "math_single"):
            segments.append((line, " "))
    return segments, markup


def _blocks(tokens: list[Token], offset: int, nested: bool) -> Iterator[_Block | Token]:
    """Paragraphs and headings with their text; other block tokens as they are."""
    open_lists = 0
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open", "dl_open", "table_open"):
            open_lists += 1
        elif token.type in ("bullet_list_close", "ordered_list_close", "dl_close", "table_close"):
            open_lists -= 1
        if token.type not in ("paragraph_open", "heading_open"):
            if token.type != "inline":
                yield token
            continue
        inline = tokens[index + 1]
        start = (token.map[0] if token.map else 0) + offset
        end = (token.map[1] if token.map else start + 1) + offset
        segments, markup = _inline_segments(inline, start + 1)
        kind = "heading" if token.type == "heading_open" else "paragraph"
        image = any(child.type == "image" for child in inline.children or [])
        yield _Block(
            kind=kind,
            first_line=start + 1,
            last_line=end,
            segments=segments,
            html=markup,
            body_paragraph=(
                kind == "paragraph" and not nested and open_lists == 0 and token.level == 0
            ),
            level=int(token.tag[1]) if kind == "heading" else 0,
            image=image,
        )


def _directive_body(token: Token) -> tuple[str, int] | None:
    """The Markdown body of a MyST directive fence and its first line's index in the fence."""
    info = token.info.strip()
    if not info.startswith("{") or "}" not in info:
        return None
    name = info[1 : info.index("}")].strip()
    if name in _OPAQUE_DIRECTIVES:
        return None
    lines = token.content.splitlines()
    skip = 0
    if lines and lines[0].strip() == "---":
        closing = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
        skip = closing + 1 if closing is not None else 0
    else:
        while skip < len(lines) and lines[skip].startswith(":"):
            skip += 1
    return "\n".join(lines[skip:]), skip


class _ArticleLint:
    """The checks over one source; ``findings`` collects what they find."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.findings: list[Finding] = []
        #: (trailing fragment, its line, its whole paragraph's text) of body paragraphs.
        self.fragments: list[tuple[str, int, str]] = []

    def add(self, line: int, kind: Kind, message: str) -> None:
        self.findings.append(Finding(self.path, line, kind, message))

    def run(self, source: str) -> list[Finding]:
        tokens = _parser().parse(source)
        events = list(self._walk(tokens, 0, nested=False))
        self._sections(events)
        strays = debris.stray_fragments(text for _f, _l, text in self.fragments)
        counts = collections.Counter(fragment for fragment, _l, _t in self.fragments)
        for fragment, line, _text in self.fragments:
            if fragment in strays:
                count = counts[fragment]
                message = __("stray fragment %r at the end of a paragraph (it ends %d of them)")
                self.add(line, Kind.STRAY_FRAGMENT, message % (fragment, count))
        return sorted(set(self.findings))

    def _walk(self, tokens: list[Token], offset: int, nested: bool) -> Iterator[_Block | Token]:
        for item in _blocks(tokens, offset, nested):
            if isinstance(item, _Block):
                self._block(item)
                yield item
                continue
            if item.type == "front_matter":
                self._front_matter(item, offset)
            elif item.type == "html_block":
                self._markup([((item.map[0] if item.map else 0) + offset + 1, item.content)])
            elif item.type in ("fence", "colon_fence") and item.map:
                body = _directive_body(item)
                if body is not None:
                    text, skipped = body
                    inner = offset + item.map[0] + 1 + skipped
                    list(self._walk(_parser().parse(text), inner, nested=True))
            yield item

    def _front_matter(self, token: Token, offset: int) -> None:
        # YAML never decodes character references: any in a value shows as written.
        for number, line in enumerate(token.content.splitlines(), offset + 2):
            for entity in debris.entities_as_text(line):
                self.add(number, Kind.ENTITY, __("HTML entity %s shown as text") % entity)

    def _markup(self, pieces: list[tuple[int, str]]) -> None:
        for line, content in pieces:
            for comment in debris.editor_comments(content):
                at = line + content[: content.index(comment)].count("\n")
                short = " ".join(comment.split())[:60]
                self.add(at, Kind.EDITOR_COMMENT, __("block-editor comment %s left") % short)

    def _block(self, block: _Block) -> None:
        text = block.text
        plain = debris.normalise(text)
        self._markup(block.html)
        for piece in debris.editor_comments(text):
            line = block.line_at(text.index(piece))
            self.add(line, Kind.EDITOR_COMMENT, __("block-editor comment %s left") % piece[:60])
        if block.kind == "heading" and not plain:
            self.add(block.first_line, Kind.EMPTY_HEADING, __("empty heading"))
            return
        whole = self._whole_block(plain)
        if whole is not None:
            self.add(block.first_line, *whole)
        phrase = debris.mentions_comment_form(text)
        if phrase and (whole is None or whole[0] is not Kind.COMMENT_FORM):
            line = block.line_at(text.lower().find(phrase.lower()))
            self.add(line, Kind.COMMENT_FORM, __("comment form text %r in the body") % phrase)
        for code in debris.shortcodes(text):
            self.add(block.line_at(text.index(code)), Kind.SHORTCODE, __("shortcode %s") % code)
        for entity in debris.entities_as_text(text):
            line = block.line_at(text.index(entity))
            self.add(line, Kind.ENTITY, __("HTML entity %s shown as text") % entity)
        if block.body_paragraph and whole is None:
            fragment = debris.trailing_fragment(text)
            if fragment and fragment != plain and debris.is_share_text(fragment):
                message = __("share button text %r at the end of a paragraph") % fragment
                self.add(block.last_line, Kind.SHARE_TEXT, message)
            elif fragment:
                self.fragments.append((fragment, block.last_line, text))

    def _whole_block(self, plain: str) -> tuple[Kind, str] | None:
        if debris.is_domain_line(plain):
            return Kind.DOMAIN_LINE, __("a line that is only a domain name: %r") % plain
        if debris.is_ad_line(plain):
            return Kind.AD_LINE, __("a line that is only an ad: %r") % plain
        if debris.is_share_text(plain):
            return Kind.SHARE_TEXT, __("a line that is only share button text: %r") % plain
        if debris.is_comment_form_block(plain) and debris.mentions_comment_form(plain):
            return Kind.COMMENT_FORM, __("comment form text %r in the body") % plain[:60]
        return None

    def _sections(self, events: list[_Block | Token]) -> None:
        """A heading followed by nothing before the next heading of its level or above."""
        for index, event in enumerate(events):
            if not isinstance(event, _Block) or event.kind != "heading":
                continue
            if not event.text.strip():
                continue  # reported as an empty heading
            following = next((e for e in events[index + 1 :] if _is_content(e)), None)
            if following is None or (
                isinstance(following, _Block)
                and following.kind == "heading"
                and following.level <= event.level
            ):
                title = debris.normalise(event.text)
                self.add(event.first_line, Kind.EMPTY_SECTION, __("empty section %r") % title)


def _is_content(event: _Block | Token) -> bool:
    if isinstance(event, _Block):
        return (
            event.kind == "heading"
            or event.image
            or bool(debris.normalise(event.text))
            or bool(event.html)
        )
    if event.nesting == -1 or event.type in ("front_matter", "myst_target", "myst_line_comment"):
        return False
    return event.nesting == 1 or event.type in (
        "fence",
        "colon_fence",
        "code_block",
        "html_block",
        "hr",
        "math_block",
        "math_block_label",
        "myst_block_break",
    )


def lint_source(source: str, path: str) -> list[Finding]:
    """Every piece of debris in one article's source, in line order."""
    return _ArticleLint(path).run(source)

"""Import a WordPress export into a Broadsheet publication's source folder.

Two streaming passes over the export: the first learns the site (authors, attachments, its UTC
offset), the second writes one article per post with its reply file, copies its images, and
records old permalinks for redirects. What was written is recorded with a content hash in
``wordpress-import.json`` next to the articles, so running the import again rewrites only files
nobody has edited since; ``force`` overwrites them anyway. Nothing is fetched from the network.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import urllib.parse
from pathlib import Path, PurePosixPath
from typing import Any

from broadsheet.wordpress import articles, redirects, replies
from broadsheet.wordpress.body import convert_body
from broadsheet.wordpress.wxr import Channel, Item, read_channel, read_items

MANIFEST = "wordpress-import.json"
_UPLOADS = re.compile(r"/wp-content/uploads/(.+)$")
# WordPress.com serves uploads from NAME.files.wordpress.com/YYYY/MM/file (its export's media
# download is laid out the same way, as wp-content/uploads is).
_WPCOM_FILES = re.compile(r"(?:^|\.)files\.wordpress\.com$", re.IGNORECASE)


@dataclasses.dataclass
class Report:
    """What the import did, one line per file or decision."""

    imported: list[str] = dataclasses.field(default_factory=list)
    #: Files an earlier import wrote that this one would write the same: left as they are.
    unchanged: list[str] = dataclasses.field(default_factory=list)
    skipped: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    counts: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)

    def text(self) -> str:
        """The report as printed by the command."""
        out = [
            f"imported: {len(self.imported)}, unchanged: {len(self.unchanged)}, "
            f"skipped: {len(self.skipped)}"
        ]
        for title, lines in (
            ("Imported", self.imported),
            ("Skipped", self.skipped),
            ("Notes", self.notes),
        ):
            if lines:
                out += ["", f"{title}:", *(f"  {line}" for line in lines)]
        return "\n".join(out) + "\n"


@dataclasses.dataclass
class Options:
    """The command's options."""

    docs: Path
    uploads: Path | None = None
    force: bool = False
    pages: bool = False


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Importer:
    """One run of the import over one export."""

    def __init__(self, export: Path, options: Options) -> None:
        self.export = export
        self.options = options
        self.docs = options.docs
        self.report = Report()
        self.manifest_path = self.docs / MANIFEST
        self.manifest: dict[str, Any] = {"files": {}, "posts": {}}
        if self.manifest_path.is_file():
            loaded = json.loads(self.manifest_path.read_text("utf-8"))
            if isinstance(loaded, dict):
                self.manifest["files"].update(loaded.get("files", {}))
                self.manifest["posts"].update(loaded.get("posts", {}))
        self.taken: set[str] = set()
        #: Old addresses to docnames: those the export gives, then those WordPress also answered.
        self.redirects: dict[str, str] = {}
        self.guessed: dict[str, str] = {}
        #: Files of the posts to import, in file order, and the old addresses of live ones.
        self.planned: list[Path] = []
        self.next_planned = 0
        self.addresses: dict[str, Path] = {}
        self.copied: set[Path] = set()
        #: Images of each article left as external links.
        self.external: list[int] = []
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.channel = Channel()

    def run(self) -> Report:
        """Import every post (and page, when asked); return the report."""
        channel = read_channel(self.export)
        self.channel = channel
        self._plan(channel)
        for item in read_items(self.export, Channel()):
            self._item(item, channel, channel.children.get(item.post_id, []))
        self.docs.mkdir(parents=True, exist_ok=True)
        addresses = self.guessed | self.redirects  # a post's own address wins over a guess
        self.redirects_written = redirects.write(self.docs, addresses)
        self.manifest_path.write_text(
            json.dumps(self.manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n", "utf-8"
        )
        return self.report

    def _skip_reason(self, item: Item) -> str | None:
        """Why ``item`` is not imported (None when it is); "" for items never reported."""
        kind = item.post_type or "post"
        label = f"{kind} {item.post_id} {articles.plain_text(item.title)!r}"
        if not item.post_type:
            title = articles.plain_text(item.title)
            return f"item {item.post_id or '?'} {title!r}: no post type (not a WordPress post)"
        if kind not in ("post", "page"):
            return ""
        if kind == "page" and not self.options.pages:
            return f"{label}: a page (pass --pages to import pages)"
        if item.status in ("trash", "auto-draft", "inherit"):
            return f"{label}: status {item.status!r}"
        return None

    def _plan(self, channel: Channel) -> None:
        """The file of every post to import, and the old addresses of those already live."""
        for post in channel.posts:
            if self._skip_reason(post) is not None:
                continue
            article = articles.article_for(post, channel)
            folder = "pages" if post.post_type == "page" else "articles"
            path = self._path(post, folder, article.title)
            self.planned.append(path)
            live = not article.draft and article.date is not None and article.date <= self.now
            if live:
                exact, guessed = redirects.old_paths(post, channel)
                for old in [*exact, *guessed]:
                    self.addresses.setdefault(old, path)

    def _link(self, url: str, article_dir: Path) -> str | None:
        """A link to a post of the old site as a link to its article, when that is published."""
        old = redirects.site_path(url, self.channel)
        if old is None:
            return None
        target = next(
            (self.addresses[p] for p in redirects.twins(old) if p in self.addresses), None
        )
        if target is None:
            return None
        return Path(os.path.relpath(target, article_dir)).as_posix()

    def _item(self, item: Item, channel: Channel, children: list[str]) -> None:
        kind = item.post_type or "post"
        label = f"{kind} {item.post_id} {articles.plain_text(item.title)!r}"
        reason = self._skip_reason(item)
        if reason == "":
            self.report.counts[kind] += 1
            return
        if reason is not None:
            self.report.skipped.append(reason)
            return
        article = articles.article_for(item, channel)
        path = self.planned[self.next_planned]
        self.next_planned += 1
        docname = path.relative_to(self.docs).with_suffix("").as_posix()
        notes: list[str] = [f"{docname}: {note}" for note in article.notes]

        def note(message: str) -> None:
            line = f"{docname}: {message}"
            if line not in notes:
                notes.append(line)

        self.external.append(0)
        thumbnail = channel.attachments.get(item.meta.get("_thumbnail_id", "").strip(), "")
        if thumbnail:
            article.image = self._locate(thumbnail, path.parent, note)
        body = convert_body(
            item.content,
            attachments=channel.attachments,
            children=children,
            locate=lambda url: self._locate(url, path.parent, note),
            link=lambda url: self._link(url, path.parent),
            report=note,
        )
        text = articles.article_text(article, body, self.now)
        if self.external[-1]:
            count = self.external[-1]
            note(f"{count} image(s) left as external links (give --uploads to copy them)")
        if self._write(path, text, item.post_id, label):
            self.report.imported.append(f"{docname}.md <- {label}")
        self.manifest["posts"][item.post_id] = path.relative_to(self.docs).as_posix()
        self._replies(item, channel, docname, article)
        exact, guessed = redirects.old_paths(item, channel)
        for old in exact:
            self.redirects.setdefault(old, docname)
        for old in guessed:
            self.guessed.setdefault(old, docname)
        self.report.notes.extend(notes)

    def _path(self, item: Item, folder: str, title: str) -> Path:
        """The article's file: the one of an earlier import of this post, else a new unique one."""
        known = self.manifest["posts"].get(item.post_id)
        if isinstance(known, str) and known.startswith(folder + "/") and known not in self.taken:
            self.taken.add(known)
            return self.docs / known
        stem = articles.file_stem(item, title)
        candidate, number = f"{folder}/{stem}.md", 1
        owners = {v: k for k, v in self.manifest["posts"].items()}
        while candidate in self.taken or owners.get(candidate, item.post_id) != item.post_id:
            number += 1
            candidate = f"{folder}/{stem}-{number}.md"
        self.taken.add(candidate)
        return self.docs / candidate

    def _write(self, path: Path, text: str, post_id: str, label: str) -> bool:
        """Write ``path`` unless someone edited it since the last import (or it is not ours)."""
        key = path.relative_to(self.docs).as_posix()
        recorded = self.manifest["files"].get(key)
        if path.exists() and not self.options.force:
            current = _digest(path.read_text("utf-8", errors="replace"))
            if recorded is None:
                self.report.skipped.append(
                    f"{key} <- {label}: the file exists and was not written by an import "
                    "(--force overwrites it)"
                )
                return False
            if current != recorded:
                self.report.skipped.append(
                    f"{key} <- {label}: edited since it was imported (--force overwrites it)"
                )
                return False
        if path.exists() and path.read_text("utf-8", errors="replace") == text:
            self.report.unchanged.append(key)
            self.manifest["files"][key] = _digest(text)
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        self.manifest["files"][key] = _digest(text)
        return True

    def _replies(self, item: Item, channel: Channel, docname: str, article: Any) -> None:
        kept, left_out = replies.approved(item.comments)
        if left_out:
            self.report.notes.append(
                f"{docname}: {left_out} comment(s) not imported "
                "(awaiting moderation, spam, trash, pingback or trackback)"
            )
        if not kept:
            return
        entries = replies.reply_entries(
            kept, articles.local_zone(channel), article.date or self.now
        )
        path = self.docs / "replies" / f"{docname}.yaml"
        text = replies.reply_file_text(docname, entries)
        if self._write(path, text, item.post_id, f"replies of {docname}"):
            self.report.imported.append(f"replies/{docname}.yaml: {len(entries)} reply(ies)")

    def _upload_path(self, url: str) -> str | None:
        return _upload_path_of(url, self.channel.uploads)

    def _locate(self, url: str, article_dir: Path, note: Any) -> str:
        """Where an image lives after the import: a copy next to the articles, or its URL."""
        relative_path = self._upload_path(url)
        if self.options.uploads is None or relative_path is None:
            self.external[-1] += 1
            return url
        relative = PurePosixPath(relative_path)
        if ".." in relative.parts or relative.is_absolute():
            note(f"image path refused: {url}")
            return url
        source = self.options.uploads / relative
        if not source.is_file():
            note(f"image not in the uploads folder, left as an external link: {url}")
            return url
        target = self.docs / "articles" / "images" / relative
        if target not in self.copied:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            self.copied.add(target)
        return Path(os.path.relpath(target, article_dir)).as_posix()


def _upload_path_of(url: str, attached: dict[str, str]) -> str | None:
    """Where an image's file is under ``wp-content/uploads``, from its URL; None if not there."""
    known = attached.get(url)
    if known:
        return known
    parts = urllib.parse.urlsplit(url)
    match = _UPLOADS.search(parts.path)
    if match is not None:
        return urllib.parse.unquote(match[1])
    if _WPCOM_FILES.search(parts.hostname or "") and parts.path.strip("/"):
        return urllib.parse.unquote(parts.path.strip("/"))
    return None


def import_export(export: Path, options: Options) -> Report:
    """Import ``export`` into ``options.docs``; raises ``WxrError`` for an unreadable export."""
    return Importer(export, options).run()

"""A real Isso server for the tests: moderated, with a temporary database, on 127.0.0.1.

Started from the ``isso`` console script installed with the ``test`` extra. The tests use
its public API as a reader's browser does, and its admin interface as a moderator does (log
in, find the comment in the queue, approve or delete it with the key the interface gives).
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ISSO = Path(sys.executable).with_name("isso")
PASSWORD = "moderator-password-for-tests"


def free_port() -> int:
    """A port of 127.0.0.1 nothing listens on (nothing will, in a test that wants it dead)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class IssoServer:
    """A running Isso, and what a reader and a moderator do with it."""

    def __init__(self, url: str, database: Path) -> None:
        self.url = url
        self.database = database
        self.moderator = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.logged_in = False

    def post(self, uri: str, text: str, **fields: Any) -> dict[str, Any]:
        """Post a comment as Isso's own widget does (JSON, ``title`` for a new thread)."""
        body = json.dumps({"text": text, "title": "A thread", **fields}).encode()
        request = urllib.request.Request(
            f"{self.url}new?{urllib.parse.urlencode({'uri': uri})}",
            data=body,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status in (201, 202)
            result: dict[str, Any] = json.load(response)
            return result

    def public(self, uri: str) -> list[dict[str, Any]]:
        """The comments any reader sees in thread ``uri`` (top level, answers flattened)."""
        query = urllib.parse.urlencode({"uri": uri, "plain": "1"})
        try:
            with urllib.request.urlopen(f"{self.url}?{query}", timeout=10) as response:
                data = json.load(response)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return []
            raise
        found = []
        for item in data["replies"]:
            found.append(item)
            found.extend(item.get("replies", []))
        return found

    def _admin(self, mode: int) -> str:
        if not self.logged_in:
            data = urllib.parse.urlencode({"password": PASSWORD}).encode()
            self.moderator.open(f"{self.url}login/", data=data, timeout=10).read()
            self.logged_in = True
        with self.moderator.open(f"{self.url}admin/?mode={mode}", timeout=10) as response:
            return str(response.read().decode("utf-8"))

    def queue(self) -> dict[int, str]:
        """The comments awaiting moderation: id -> moderation key, from the admin page."""
        return dict(
            (int(i), key)
            for i, key in re.findall(r"validate_com\((\d+), '([^']+)'", self._admin(2))
        )

    def _key(self, comment_id: int) -> str:
        for mode in (2, 1):
            for i, key in re.findall(r"delete_com\((\d+), '([^']+)'", self._admin(mode)):
                if int(i) == comment_id:
                    return str(key)
        raise AssertionError(f"comment {comment_id} is not in the admin interface")

    def _moderate(self, comment_id: int, action: str) -> str:
        key = self._key(comment_id)
        request = urllib.request.Request(
            f"{self.url}id/{comment_id}/{action}/{key}", data=b"", method="POST"
        )
        with self.moderator.open(request, timeout=10) as response:
            return str(response.read().decode("utf-8"))

    def approve(self, comment_id: int) -> None:
        """Publish a comment from the moderation queue, as the admin's "Validate" does."""
        assert "activated" in self._moderate(comment_id, "activate")

    def delete(self, comment_id: int) -> None:
        """Delete a comment, as the admin's "Delete" does."""
        assert "deleted" in self._moderate(comment_id, "delete")

    def stored_emails(self) -> list[Any]:
        """The email column of every comment in Isso's own database."""
        with sqlite3.connect(self.database) as connection:
            return [row[0] for row in connection.execute("SELECT email FROM comments")]


def _config(folder: Path, port: int, origins: list[str]) -> Path:
    hosts = "\n    ".join(origins)
    config = folder / "isso.cfg"
    config.write_text(
        f"""[general]
dbpath = {folder / "comments.db"}
host = {hosts}
notify = stdout
max-age = 15m

[moderation]
enabled = true
purge-after = 30d

[server]
listen = http://127.0.0.1:{port}/

[guard]
enabled = true
ratelimit = 1000
direct-reply = 1000
reply-to-self = true
require-author = false
require-email = false

[admin]
enabled = true
password = {PASSWORD}

[hash]
salt = broadsheet-tests
""",
        "utf-8",
    )
    return config


@contextmanager
def isso_server(folder: Path, origins: list[str]) -> Iterator[IssoServer]:
    """Run Isso for the block; ``origins`` are the sites allowed to post from a browser."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with run_isso(_config(folder, port, origins), port) as url:
        yield IssoServer(url, folder / "comments.db")


@contextmanager
def run_isso(config: Path, port: int) -> Iterator[str]:
    """Run Isso with the configuration file ``config`` (listening on ``port``) for the block;
    yields its address. Its log is ``isso.log`` beside the configuration."""
    if not ISSO.exists():
        raise RuntimeError(f"{ISSO} is missing: pip install -e '.[test]' installs Isso")
    folder = config.parent
    log = (folder / "isso.log").open("wb")
    process = subprocess.Popen(
        [str(ISSO), "-c", str(config), "run"], stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}config", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "Isso did not start:\n" + (folder / "isso.log").read_text("utf-8")
                    ) from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()

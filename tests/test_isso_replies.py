"""``broadsheet replies`` against a real Isso: approved replies into the reply files."""

from __future__ import annotations

import configparser
import contextlib
import io
import json
import re
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from isso_server import IssoServer, free_port, isso_server, run_isso
from sphinx.testing.util import SphinxTestApp

from broadsheet.cli import main
from conftest import pdf_text, read_html

URI = "/articles/threaded.html"
EMAIL = "ann.reader@example.org"


@pytest.fixture
def isso(tmp_path: Path) -> Iterator[IssoServer]:
    with isso_server(tmp_path / "isso", ["http://127.0.0.1"]) as server:
        yield server


def fetch(root: Path, *extra: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["replies", "--docs", str(root), *extra])
    return status, out.getvalue() + err.getvalue()


def entries(root: Path, docname: str = "articles/threaded") -> dict[str, dict[str, Any]]:
    path = root / "replies" / f"{docname}.yaml"
    if not path.exists():
        return {}
    return {str(e["id"]): e for e in yaml.safe_load(path.read_text("utf-8"))["replies"]}


def with_isso(root: Path, isso: IssoServer) -> Path:
    conf = root / "conf.py"
    conf.write_text(conf.read_text("utf-8") + f"\nbroadsheet_isso_url = {isso.url!r}\n", "utf-8")
    return root


def test_approved_replies_are_fetched_kept_in_step_and_never_hold_an_email(
    isso: IssoServer, copy_root: Callable[[str], Path], build: Callable[..., SphinxTestApp]
) -> None:
    root = with_isso(copy_root("replies"), isso)
    before = entries(root)
    first = isso.post(
        URI,
        "The *first* reply, approved.",
        author="Ann & Co <b>",
        website="ann.example.org",
        email=EMAIL,
    )
    answer = isso.post(URI, "An answer to Ann.", author="Bo", parent=first["id"])
    pending = isso.post(URI, "Still waiting for the moderator.", author="Cy")
    hostile = isso.post(
        "/articles/quiet.html",
        '<script>alert("x")</script> bell\x07 [x](javascript:alert(1)) ' + "y" * 60_000,
        author="<img src=x onerror=alert(1)>",
    )
    assert first["mode"] == 2  # awaiting moderation

    status, output = fetch(root)
    assert status == 0, output
    assert "0 added" in output
    assert entries(root) == before

    for comment in (first, answer, hostile):
        isso.approve(comment["id"])
    assert set(isso.queue()) == {pending["id"]}

    status, output = fetch(root)
    assert status == 0, output
    ann, bo = f"isso-{first['id']}", f"isso-{answer['id']}"
    assert f"added {ann}, {bo}" in output
    assert "3 added, 0 changed, 0 removed" in output
    now = entries(root)
    # Replies from elsewhere are kept, in their place; Isso's follow.
    assert list(now) == [*before, ann, bo]
    assert now[ann]["author"] == "Ann & Co <b>"
    assert now[ann]["website"] == "http://ann.example.org"
    assert now[ann]["text"] == "The *first* reply, approved."
    assert now[bo]["parent"] == ann
    assert "parent" not in now[ann]
    assert f"isso-{pending['id']}" not in now

    # Running again changes nothing, to the byte.
    text = (root / "replies/articles/threaded.yaml").read_bytes()
    status, output = fetch(root)
    assert "0 reply files changed" in output
    assert (root / "replies/articles/threaded.yaml").read_bytes() == text

    app = build(root)
    page = read_html(app, "articles/threaded")
    thread = page.select_one("section.broadsheet-reply-thread")
    assert thread.h2.get_text() == f"{len(now)} Replies"
    shown = page.find(id=f"reply-{ann}")
    assert shown.select_one(".broadsheet-reply-author").get_text() == "Ann & Co <b>"
    assert shown.select_one(".broadsheet-reply-text em").get_text() == "first"
    assert shown.find_parent("li").find(id=f"reply-{bo}") is not None
    assert shown.select_one("a[data-parent]")["data-parent"] == str(first["id"])
    quiet = read_html(app, "articles/quiet")
    hostile_text = quiet.select_one(".broadsheet-reply-thread .broadsheet-reply-text")
    assert hostile_text.find_all(True) == [hostile_text.p]
    assert hostile_text.get_text().startswith("\n<script>alert(“x”)</script> bell [x](javascript")
    assert quiet.select_one(".broadsheet-reply-author").get_text() == "<img src=x onerror=alert(1)>"
    assert "\x07" not in str(quiet)
    pdf = pdf_text(Path(app.outdir) / "pdf/articles/threaded.pdf")
    assert pdf.index("The first reply, approved.") < pdf.index("An answer to Ann.")
    assert pdf.index("An answer to Ann.") < pdf.index("Leave a Reply")

    # No email anywhere: not in the sources, not in the output (Isso keeps its own copy).
    assert EMAIL in isso.stored_emails()
    for folder in (root,):
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix not in (".pickle", ".doctree", ".png"):
                assert EMAIL not in path.read_text("utf-8", errors="replace"), path

    # The moderator deletes the answer, then Ann's reply: each goes at the next fetch.
    isso.delete(answer["id"])
    status, output = fetch(root)
    assert f"removed {bo}" in output
    assert list(entries(root)) == [*before, ann]
    isso.delete(first["id"])
    status, output = fetch(root, "--dry-run")
    assert f"removed {ann}" in output
    assert "would change" in output
    assert ann in entries(root)
    fetch(root)
    assert entries(root) == before


def test_an_answer_to_a_deleted_reply_stays_and_isso_down_is_an_error(
    isso: IssoServer, copy_root: Callable[[str], Path]
) -> None:
    root = with_isso(copy_root("replies"), isso)
    first = isso.post(URI, "Soon deleted.", author="Ann")
    answer = isso.post(URI, "Kept.", author="Bo", parent=first["id"])
    for comment in (first, answer):
        isso.approve(comment["id"])
    isso.delete(first["id"])  # it has an answer: Isso keeps it, emptied
    status, output = fetch(root)
    assert status == 0, output
    kept = entries(root)[f"isso-{answer['id']}"]
    assert "parent" not in kept
    assert f"isso-{first['id']}" not in entries(root)

    status, output = fetch(root, "--isso", f"http://127.0.0.1:{free_port()}/")
    assert status == 1
    assert "cannot reach Isso" in output
    assert f"isso-{answer['id']}" in entries(root)


def test_without_isso_configured(copy_root: Callable[[str], Path]) -> None:
    status, output = fetch(copy_root("replies"))
    assert status == 2
    assert "broadsheet_isso_url" in output


def test_the_configuration_in_the_authoring_guide_runs(tmp_path: Path) -> None:
    """The guide's Isso configuration, with a scratch database and port, starts and moderates."""
    guide = (Path(__file__).parent.parent / "docs/about/authoring.md").read_text("utf-8")
    (text,) = re.findall(r"```ini\n(.*?)```", guide, re.DOTALL)
    config = configparser.ConfigParser()
    config.read_string(text)
    assert config.getboolean("moderation", "enabled")
    port = free_port()
    config["general"]["dbpath"] = str(tmp_path / "comments.db")
    config["server"]["listen"] = f"http://127.0.0.1:{port}/"
    path = tmp_path / "isso.cfg"
    with path.open("w") as out:
        config.write(out)
    with run_isso(path, port) as url:
        request = urllib.request.Request(
            f"{url}new?uri=/articles/x.html",
            data=json.dumps({"text": "Hello there.", "author": "A", "title": "X"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 202  # held for moderation
    assert "Activate comment: https://comments.example.org/id/1/activate/" in (
        tmp_path / "isso.log"
    ).read_text("utf-8")


def test_threads_follow_the_builder(isso: IssoServer, copy_root: Callable[[str], Path]) -> None:
    """A web edition built with dirhtml has its pages, and so its threads, at folder addresses."""
    root = with_isso(copy_root("replies"), isso)
    comment = isso.post("/articles/quiet/", "On the dirhtml page.", author="Di")
    isso.approve(comment["id"])
    status, output = fetch(root)
    assert "0 added" in output
    status, output = fetch(root, "--builder", "dirhtml")
    assert status == 0, output
    assert f"added isso-{comment['id']}" in output
    assert list(entries(root, "articles/quiet")) == [f"isso-{comment['id']}"]


def test_no_answer_links_where_replies_are_closed(
    isso: IssoServer, copy_root: Callable[[str], Path], build: Callable[..., SphinxTestApp]
) -> None:
    root = with_isso(copy_root("replies"), isso)
    for uri in ("/articles/closed.html", URI):
        comment = isso.post(uri, "Published before replies closed.", author="Early")
        isso.approve(comment["id"])
    fetch(root)
    app = build(root)
    assert read_html(app, "articles/threaded").select("a[data-parent]")
    closed = read_html(app, "articles/closed")
    assert len(closed.select(".broadsheet-reply")) == 2
    assert closed.select("a[data-parent]") == []
    assert closed.select("form.broadsheet-reply-form") == []

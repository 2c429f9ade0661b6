"""``make article TITLE=...``: a new article file with its front matter filled in."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import yaml

from broadsheet.frontmatter import parse_front_matter


def run_new(docs: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "broadsheet.cli", "new", "--docs", str(docs), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_new_article_is_valid_and_dated_today(tmp_path: Path) -> None:
    result = run_new(tmp_path, 'Zoë\'s "Plan": Kursk, Again?')
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path == tmp_path / "articles" / "zoes-plan-kursk-again.md"
    source = path.read_text("utf-8")
    front, problems = parse_front_matter(source.splitlines())
    assert problems == []
    assert front.title == 'Zoë\'s "Plan": Kursk, Again?'
    assert front.date == dt.date.today()
    assert front.draft is True
    data = yaml.safe_load(source.split("---")[1])
    assert set(data) <= {"title", "subtitle", "authors", "date", "tags", "summary", "draft"}


def test_existing_article_is_not_overwritten(tmp_path: Path) -> None:
    assert run_new(tmp_path, "Same", "--date", "2024-01-01").returncode == 0
    again = run_new(tmp_path, "Same")
    assert again.returncode == 1
    assert "already exists" in again.stderr
    assert "2024-01-01" in (tmp_path / "articles" / "same.md").read_text("utf-8")


def test_make_article_target(tmp_path: Path) -> None:
    root = Path(__file__).parent.parent
    result = subprocess.run(
        ["make", "-s", "-C", str(root), "article", "TITLE=A Make Test", f"SOURCEDIR={tmp_path}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == tmp_path / "articles" / "a-make-test.md"

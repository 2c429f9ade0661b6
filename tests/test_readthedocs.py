"""The Read the Docs configuration: its commands, run here with a local output folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from pypdf import PdfReader

from conftest import pdf_outline

ROOT = Path(__file__).parent.parent


def test_readthedocs_commands_publish_html_and_one_pdf(tmp_path: Path) -> None:
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text("utf-8"))
    assert config["version"] == 2
    commands = config["build"]["commands"]
    output = tmp_path / "output"
    env = dict(os.environ, READTHEDOCS_OUTPUT=str(output))
    # This environment already has the package; the host's install steps are not rerun here.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    steps = [c for c in commands if not c.startswith("python -m pip install")]
    assert len(steps) == len(commands) - 2
    # The commands run at the top of a checkout; a copy of docs/ stands in for it.
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "docs", checkout / "docs", ignore=shutil.ignore_patterns("_build"))
    for command in steps:
        result = subprocess.run(
            ["bash", "-c", command],
            cwd=checkout,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, f"{command}\n{result.stderr}"

    assert (output / "html" / "index.html").is_file()
    articles = sorted((output / "html" / "pdf" / "articles").glob("*.pdf"))
    assert len(articles) == len(list((ROOT / "docs" / "articles").glob("*.md")))
    editions = sorted((output / "html" / "pdf" / "editions").glob("*.pdf"))
    assert len(editions) > 1  # the sample publication spans several months
    # The download slot holds exactly one file: the latest edition, with its articles.
    slot = list((output / "pdf").iterdir())
    assert [p.name for p in slot] == ["the-kursk-desk.pdf"]
    assert slot[0].read_bytes() == editions[-1].read_bytes()
    titles = [title for depth, title in pdf_outline(slot[0]) if depth == 0]
    assert titles
    assert len(PdfReader(slot[0]).pages) > len(titles)

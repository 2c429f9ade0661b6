"""Untrusted articles cannot reach myst-parser's per-file settings through their front matter.

MyST reads the front matter itself, with its own YAML reader: a ``myst:`` key turns on the
``substitution`` extension for that file, whose Jinja runs with the build environment at
hand. Broadsheet hands MyST only the keys it vetted, whatever YAML spelling tries to pass
another (a duplicate key, a merge key, a one-line mapping, a ``...`` end marker).
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

JINJA = "{{ env.__class__.__init__.__globals__['os'].environ['BROADSHEET_SECRET'] }}"
MYST = "{enable_extensions: [substitution], substitutions: {k: v}}"
FRONT = {
    "duplicate": f"title: Dup\ndate: 2024-05-01\nmyst: {MYST}\nmyst: {{}}\n---",
    "merge": f"title: Merge\ndate: 2024-05-01\n<<: {{myst: {MYST}}}\n---",
    "flow": f"{{title: Flow, date: 2024-05-01, myst: {MYST}}}\n---",
    "end-marker": f"title: End\ndate: 2024-05-01\n...\nmyst: {MYST}\n---",
}


@pytest.mark.parametrize("name", sorted(FRONT))
def test_no_front_matter_spelling_reaches_myst(tmp_path: Path, name: str) -> None:
    srcdir, outdir = tmp_path / "src", tmp_path / "out"
    (srcdir / "articles").mkdir(parents=True)
    (srcdir / "conf.py").write_text(
        'project = "P"\nextensions = ["broadsheet"]\nhtml_theme = "basic"\n'
        "broadsheet_untrusted = True\nbroadsheet_pdf = False\n"
        'broadsheet_feed_content = "full"\n',
        "utf-8",
    )
    (srcdir / "index.md").write_text("# P\n\n```{article-list}\n```\n", "utf-8")
    (srcdir / "articles" / f"{name}.md").write_text(
        f"---\n{FRONT[name]}\n\n# Heading\n\nSecret: {JINJA} end.\n", "utf-8"
    )
    secret = f"environ-{uuid.uuid4().hex}"
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(srcdir), str(outdir)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "BROADSHEET_SECRET": secret},
    )
    assert "Traceback" not in done.stderr
    leaked = [
        str(p.relative_to(outdir))
        for p in outdir.rglob("*")
        if p.is_file() and secret.encode() in p.read_bytes()
    ]
    assert leaked == []
    assert f"{name}.md" in done.stderr  # a located warning says what was dropped

"""The TeX toolchain for the LaTeX side of ``bench.py --pdf``, from Debian packages.

``ensure_tex`` installs ``TEX_PACKAGES`` with apt-get when ``latexmk`` is not on PATH (``bench.py``
explains why these five are the minimal set) and says how much was installed;
``latex_errors`` pulls the error lines out of pdflatex's logs, which ``latexmk -silent`` hides.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: What Sphinx's default LaTeX output (pdflatex engine, English) needs to become PDF.
TEX_PACKAGES = (
    "latexmk",
    "texlive-latex-recommended",
    "texlive-latex-extra",
    "texlive-fonts-recommended",
    "tex-gyre",
)
APT_TAIL_LINES = 20


class TexError(Exception):
    """TeX is missing and could not be installed."""


@dataclass(frozen=True)
class TexFootprint:
    """The Debian packages the TeX toolchain brought, with their installed size."""

    installed_now: bool
    packages: list[str]
    size_kib: int

    def describe(self) -> str:
        size = f"{len(self.packages)} Debian packages, {self.size_kib / 1024:.0f} MiB installed"
        if self.installed_now:
            return f"installed now ({' '.join(TEX_PACKAGES)}): {size}"
        if not self.packages:
            return "latexmk found on PATH, not from Debian packages (size unknown)"
        return f"already installed; {' '.join(TEX_PACKAGES)} and their dependencies: {size}"


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(
        command, capture_output=True, text=True, check=False, env=env, stdin=subprocess.DEVNULL
    )


def dpkg_sizes() -> dict[str, int]:
    """The Installed-Size (KiB) of every installed Debian package, by name."""
    fmt = "${db:Status-Abbrev}\t${Package}\t${Installed-Size}\n"
    sizes: dict[str, int] = {}
    for line in _run(["dpkg-query", "-W", f"-f={fmt}"]).stdout.splitlines():
        status, name, size = [*line.split("\t"), "", ""][:3]
        if status.startswith("ii"):
            sizes[name] = int(size) if size.isdigit() else 0
    return sizes


def footprint() -> TexFootprint:
    """What apt would purge with ``TEX_PACKAGES``: the TeX packages and their own dependencies."""
    proc = _run(["apt-get", "-s", "purge", "--auto-remove", *TEX_PACKAGES])
    names = sorted(line.split()[1] for line in proc.stdout.splitlines() if line.startswith("Purg "))
    sizes = dpkg_sizes()
    return TexFootprint(False, names, sum(sizes.get(name, 0) for name in names))


def _apt_install() -> None:
    command = ["apt-get", "install", "-y", "--no-install-recommends", *TEX_PACKAGES]
    print(f"TeX: latexmk is not on PATH; running {' '.join(command)}", file=sys.stderr)
    print("TeX: this downloads a few hundred MB and takes a few minutes", file=sys.stderr)
    proc = _run(command)
    if proc.returncode != 0:
        print("TeX: install failed; running apt-get update, then retrying", file=sys.stderr)
        _run(["apt-get", "update"])
        proc = _run(command)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-APT_TAIL_LINES:])
        raise TexError(f"apt-get install failed with exit status {proc.returncode}:\n{tail}")


def ensure_tex() -> TexFootprint:
    """Make sure ``latexmk`` and the LaTeX packages are there, installing them if need be."""
    if shutil.which("latexmk") is not None:
        return footprint()
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        raise TexError(
            "latexmk is not on PATH and cannot be installed here (needs apt-get, as root); "
            f"install: {' '.join(TEX_PACKAGES)}"
        )
    before = dpkg_sizes()
    _apt_install()
    after = dpkg_sizes()
    if shutil.which("latexmk") is None:
        raise TexError("apt-get install succeeded but latexmk is still not on PATH")
    added = sorted(set(after) - set(before))
    print(f"TeX: installed {len(added)} Debian packages", file=sys.stderr)
    return TexFootprint(True, added, sum(after[name] for name in added))


def latex_errors(folder: Path, context: int = 2) -> str:
    """The ``!`` error lines (with the lines after them) of every pdflatex log in ``folder``."""
    found: list[str] = []
    for log in sorted(folder.glob("*.log")):
        lines = log.read_text("utf-8", errors="replace").splitlines()
        for index, line in enumerate(lines):
            if line.startswith("! "):
                found += [f"{log.name}: {line}", *lines[index + 1 : index + 1 + context]]
    return "\n".join(found)

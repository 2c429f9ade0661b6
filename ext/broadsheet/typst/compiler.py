"""Compiling PDFs with the ``typst`` wheel, on worker threads, only when a source changed.

Typst releases the GIL while it compiles, so PDFs are made on a pool of threads (one Typst
compiler each, fonts loaded once per thread). In a serial HTML build an article's PDF starts
as soon as its page is written, on the cores Sphinx leaves idle; the edition and any article
written by a parallel worker process start when the build finishes. A PDF whose whole source
is the one that made it last time is not compiled again.
"""

from __future__ import annotations

import hashlib
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import typst
from sphinx.util import logging

logger = logging.getLogger(__name__)


class Outcome(NamedTuple):
    """What one compilation did: whether it wrote the PDF, and what to tell the editor."""

    written: bool
    warning: str
    note: str


class PdfCompiler:
    """Compiles Typst sources rooted in one asset folder into PDFs."""

    def __init__(self, root: Path, stamps: Path, workers: int) -> None:
        self.root = root
        self.stamps = stamps
        self.pid = os.getpid()
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
        self.timestamp = int(epoch) if epoch.isdigit() else None
        self._local = threading.local()
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="broadsheet-pdf")
        self._pending: dict[Path, tuple[Future[Outcome], str | None]] = {}
        #: Articles read in this build; their Typst bodies are stale.
        self.reading: set[str] = set()
        #: Articles translated and started in this build.
        self.captured: set[str] = set()

    def owns_process(self) -> bool:
        """False in the worker processes of a parallel build, which must not use the pool."""
        return os.getpid() == self.pid

    def submit(self, source: str, output: Path, location: str | None) -> None:
        """Start making ``output`` from ``source`` (``location``: a docname, for warnings)."""
        if output not in self._pending:
            future = self._executor.submit(self._compile_if_changed, source, output)
            self._pending[output] = (future, location)

    def submitted(self, output: Path) -> bool:
        """Whether ``output`` is already being made."""
        return output in self._pending

    def finish(self) -> int:
        """Wait for every PDF; report problems; return how many PDFs were written."""
        written = 0
        for output, (future, location) in sorted(self._pending.items()):
            outcome = future.result()
            written += outcome.written
            if outcome.warning:
                logger.warning(
                    "%s could not be made: %s",
                    output.name,
                    outcome.warning,
                    type="broadsheet",
                    subtype="pdf",
                    location=location,
                )
            if outcome.note:
                logger.info("%s: not PDF/UA-1 (%s)", output.name, outcome.note)
        self._pending.clear()
        self._executor.shutdown()
        return written

    def _compiler(self) -> typst.Compiler:
        compiler: typst.Compiler | None = getattr(self._local, "compiler", None)
        if compiler is None:
            # Only Typst's embedded fonts: the PDFs look the same on every machine.
            compiler = typst.Compiler(root=str(self.root), ignore_system_fonts=True)
            self._local.compiler = compiler
        return compiler

    def _compile_if_changed(self, source: str, output: Path) -> Outcome:
        key = hashlib.sha1(str(output.resolve()).encode("utf-8")).hexdigest()
        stamp = self.stamps / f"{key}.typ"
        if output.exists() and stamp.exists() and stamp.read_text("utf-8") == source:
            return Outcome(False, "", "")
        note = ""
        data = None
        # PDF/UA-1 where Typst can make it so, else a tagged PDF.
        for standards in (["ua-1"], []):
            try:
                data = self._run(source.encode("utf-8"), standards)
                break
            except typst.TypstError as exc:
                if standards and "PDF/UA" in str(exc):
                    note = _typst_message(exc)
                    continue
                return Outcome(False, _typst_message(exc), note)
        if data is None:
            return Outcome(False, "", note)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
        # The source is kept so that a rebuild can tell whether the PDF would change.
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(source, "utf-8")
        return Outcome(True, "", note)

    def _run(self, source: bytes, standards: list[str]) -> bytes:
        result = self._compiler().compile(
            input=source,
            format="pdf",
            pdf_standards=standards,  # type: ignore[arg-type]
            timestamp=self.timestamp,
        )
        assert isinstance(result, bytes)
        return result


def _typst_message(exc: typst.TypstError) -> str:
    message = getattr(exc, "message", "") or str(exc)
    hints = getattr(exc, "hints", None) or []
    return " ".join([str(message).splitlines()[0] if message else "", *map(str, hints)]).strip()

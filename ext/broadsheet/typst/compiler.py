"""Compiling PDFs with the ``typst`` wheel, on worker threads, only when a source changed.

Typst releases the GIL while it compiles, so PDFs are made on a pool of threads (one Typst
compiler each, fonts loaded once per thread). In a serial HTML build an article's PDF starts
as soon as its page is written, on the core Sphinx leaves idle; an edition as soon as all its
articles are; the rest, and any article written by a parallel worker process, when the build
finishes. A PDF whose whole source is the one that made it last time is not compiled again;
when what the source is made from is the same too (the article's metadata and the identity of
its body file), the source is not even composed, so a rebuild reads no unchanged article and
holds no source it will not compile. What decides a PDF besides its source (the settings that
shape it, the template, the code composing sources, Typst's version: the *maker*) is recorded
too; when it changes, every PDF is made again.

A source Typst refuses costs only itself: formulas that fail on their own are shown as their
LaTeX source and the PDF is made again; a PDF that still cannot be made is deleted (no stale
copy stays behind) and reported with Typst's message, and each edition that held a failed
article is made again without it (see :meth:`broadsheet.typst.builder.TypstBuilder.finish`);
the articles that failed are recorded for the next build (:func:`failed_articles`).

Typst keeps in one cache, for the next ten compilations, what each laid out; after a large
source (an edition) that is let go at once, so that a build holds one edition's layout at a
time, not ten.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

import typst
from sphinx.util import logging

from broadsheet.realpaths import RealPaths
from broadsheet.typst import math

logger = logging.getLogger(__name__)

#: Sources longer than this (in characters: an edition of five articles) leave layouts in
#: Typst's cache that no other compilation uses (:func:`_age_out_layouts`).
LARGE_SOURCE = 64 * 1024

#: How many compilations Typst's cache keeps what a compilation used: the ``typst`` wheel
#: evicts, after each, what the last ten did not use (``comemo::evict(10)``).
CACHE_GENERATIONS = 10


def failed_record(doctreedir: str | Path, web_format: str) -> Path:
    """Where a build records the articles whose PDF it could not make (one line each)."""
    return Path(doctreedir) / "broadsheet-typst" / f"failed-{web_format}.txt"


def failed_articles(doctreedir: str | Path, web_format: str) -> set[str]:
    """The articles whose PDF the last build (of ``web_format``: html or typst) could not make;
    their pages do not link to a PDF that is not there."""
    record = failed_record(doctreedir, web_format)
    return set(record.read_text("utf-8").split("\n")) - {""} if record.exists() else set()


class Outcome(NamedTuple):
    """What one compilation did: whether it wrote the PDF, and what to tell the editor."""

    written: bool
    warning: str
    note: str
    #: Formulas shown as LaTeX source because Typst refused them: (LaTeX, Typst's message).
    fallbacks: tuple[tuple[str, str], ...] = ()


class PdfCompiler:
    """Compiles Typst sources rooted in one asset folder into PDFs."""

    def __init__(self, root: Path, stamps: Path, workers: int, maker: str = "") -> None:
        """``maker``: what, besides a source, decides its PDF (the settings that shape it, the
        template, the code that composes sources, Typst's version); when it changes, every PDF
        is made again."""
        self.root = root
        self.stamps = stamps
        record = stamps / "maker.txt"
        if record.is_file() and record.read_text("utf-8") != maker:
            shutil.rmtree(stamps)
        stamps.mkdir(parents=True, exist_ok=True)
        record.write_text(maker, "utf-8")
        self.pid = os.getpid()
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
        self.timestamp = int(epoch) if epoch.isdigit() else None
        self._local = threading.local()
        self._real_paths = RealPaths()
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="broadsheet-pdf")
        self._pending: dict[Path, tuple[Future[Outcome], str | None]] = {}
        #: Articles whose PDF could not be made, once :meth:`finish` returns.
        self.failed: set[str] = set()

    def made_from(self, output: Path) -> str | None:
        """The inputs ``output`` was last made or found up to date with, if it exists; ``None``
        if it does not, or if it was made without inputs (or failed, or was forgotten)."""
        try:
            recorded = _inputs_stamp(self._stamp(output)).read_text("utf-8")
        except FileNotFoundError:
            return None
        return recorded if output.is_file() else None

    def owns_process(self) -> bool:
        """False in the worker processes of a parallel build, which must not use the pool."""
        return os.getpid() == self.pid

    def submit(
        self,
        source: str | Callable[[], str],
        output: Path,
        location: str | None,
        inputs: str = "",
        *,
        again: bool = False,
    ) -> None:
        """Start making ``output`` from ``source`` (``location``: a docname, for warnings).

        ``source`` may be a function giving it, called on a worker thread only when
        ``inputs`` (a cheap summary of what the source is made from: its metadata and the
        identity of the files it reads) differs from the one that made ``output`` last time;
        a rebuild then reads no article body that did not change. An output already started
        is made only once, unless ``again``: then once more, after the first is done.
        """
        earlier = self._pending.get(output)
        if earlier is not None and not again:
            return
        after = earlier[0] if earlier is not None else None
        future = self._executor.submit(self._compile_after, after, source, output, inputs)
        self._pending[output] = (future, location)

    def submitted(self, output: Path) -> bool:
        """Whether ``output`` is already being made."""
        return output in self._pending

    def finish(
        self,
        remake: Callable[[set[str]], list[tuple[str, Path]]] | None = None,
        locate: Callable[[str, str], Any] | None = None,
    ) -> int:
        """Wait for every PDF; report problems; return how many PDFs were written.

        ``remake(failed)`` gives the source and path of each edition that held articles in
        ``failed`` (docnames), made without them, to make it again if it failed too;
        ``locate(docname, latex)`` gives the warning location of a formula.
        """
        results = {out: (future.result(), loc) for out, (future, loc) in self._pending.items()}
        self.failed = {loc for outcome, loc in results.values() if outcome.warning and loc}
        again = remake(self.failed) if remake is not None and self.failed else []
        for source, output in again:
            if output in results and results[output][0].warning:
                # The edition failed with them: made again without them (on this thread).
                results[output] = (self._compile_if_changed(source, output), None)
        written = 0
        for output, (outcome, location) in sorted(results.items()):
            written += outcome.written
            for latex, message in outcome.fallbacks:
                if location is None:
                    continue  # an edition's: its article's PDF reports it
                logger.warning(
                    "math shown as LaTeX source in the PDF: Typst cannot typeset %r: %s",
                    latex[:80],
                    message,
                    type="broadsheet",
                    subtype="pdf",
                    location=locate(location, latex) if locate else location,
                )
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

    def forget(self, output: Path) -> None:
        """Forget the source that made ``output`` (written or deleted by other means), so
        that it is compiled again the next time it is asked for."""
        stamp = self._stamp(output)
        stamp.unlink(missing_ok=True)
        _inputs_stamp(stamp).unlink(missing_ok=True)

    def _stamp(self, output: Path) -> Path:
        key = hashlib.sha1(self._real_paths.of(output).encode("utf-8")).hexdigest()
        return self.stamps / f"{key}.typ"

    def _compiler(self) -> typst.Compiler:
        compiler: typst.Compiler | None = getattr(self._local, "compiler", None)
        if compiler is None:
            # Only Typst's embedded fonts: the PDFs look the same on every machine.
            compiler = typst.Compiler(root=str(self.root), ignore_system_fonts=True)
            self._local.compiler = compiler
        return compiler

    def _compile_after(
        self,
        earlier: Future[Outcome] | None,
        source: str | Callable[[], str],
        output: Path,
        inputs: str,
    ) -> Outcome:
        """Make ``output`` once the ``earlier`` compilation of it is done (tasks start in
        the order they are given, so that one is already running or done)."""
        first = earlier.result() if earlier is not None else None
        outcome = self._compile_if_changed(source, output, inputs)
        if first is not None and first.written and not outcome.warning:
            return outcome._replace(written=True)  # this build did write it
        return outcome

    def _compile_if_changed(
        self, source: str | Callable[[], str], output: Path, inputs: str = ""
    ) -> Outcome:
        stamp = self._stamp(output)
        known = _inputs_stamp(stamp)
        if inputs and output.exists() and known.exists() and known.read_text("utf-8") == inputs:
            return Outcome(False, "", "")
        if callable(source):
            source = source()
        if output.exists() and stamp.exists() and stamp.read_text("utf-8") == source:
            _keep(known, inputs)
            return Outcome(False, "", "")
        data, note, error = self._make(source)
        fallbacks: tuple[tuple[str, str], ...] = ()
        if data is None and error and "math.equation" in source:
            failing = self._failing_formulas(source)
            if failing:
                fallbacks = tuple((latex, message) for latex, _formula, message in failing)
                shown = math.as_source(source, {formula for _l, formula, _m in failing})
                data, note, error = self._make(shown)
        if len(source) > LARGE_SOURCE:
            _age_out_layouts(self._compiler())
        if data is None:
            # No stale PDF stays behind to be linked or sent out.
            output.unlink(missing_ok=True)
            stamp.unlink(missing_ok=True)
            known.unlink(missing_ok=True)
            return Outcome(False, error, note, fallbacks)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
        # The source is kept so that a rebuild can tell whether the PDF would change.
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(source, "utf-8")
        _keep(known, inputs)
        return Outcome(True, "", note, fallbacks)

    def _make(self, source: str) -> tuple[bytes | None, str, str]:
        """The PDF of ``source``, PDF/UA-1 where Typst can make it so, else a tagged PDF;
        with the note on why it is not PDF/UA-1 and Typst's error."""
        note = ""
        for standards in (["ua-1"], []):
            try:
                return self._run(source.encode("utf-8"), standards), note, ""
            except typst.TypstError as exc:
                if standards and "PDF/UA" in str(exc):
                    note = _typst_message(exc)
                    continue
                return None, note, _typst_message(exc)
        return None, note, ""

    def _failing_formulas(self, source: str) -> list[tuple[str, str, str]]:
        """The formulas of ``source`` Typst refuses on their own: (LaTeX, the formula as the
        source writes it, Typst's message)."""
        failing: list[tuple[str, str, str]] = []
        tried: set[str] = set()
        for match in math.formulas(source):
            if match[0] in tried:
                continue
            tried.add(match[0])
            try:
                self._run(match[0].encode("utf-8"), [])
            except typst.TypstError as exc:
                failing.append((math.latex_of(match), match[0], _typst_message(exc)))
        return failing

    def _run(self, source: bytes, standards: list[str]) -> bytes:
        result = self._compiler().compile(
            input=source,
            format="pdf",
            pdf_standards=standards,  # type: ignore[arg-type]
            timestamp=self.timestamp,
        )
        assert isinstance(result, bytes)
        return result


def _age_out_layouts(compiler: typst.Compiler) -> None:
    """Drop from Typst's cache (shared by every thread) what the last compilation laid out.

    The wheel has no call for it, but ages the cache by one at each compilation: so many
    compilations of an empty document (a fraction of a millisecond each) let the cache go.
    Without them, ten large editions in a row held gigabytes (half a gigabyte each for
    editions of 140 articles) though none is of use to the next.
    """
    for _ in range(CACHE_GENERATIONS + 1):
        compiler.compile(input=b"", format="pdf")


def _inputs_stamp(stamp: Path) -> Path:
    """Where the inputs that made the source kept in ``stamp`` are kept."""
    return stamp.with_suffix(".inputs")


def _keep(known: Path, inputs: str) -> None:
    """Keep ``inputs`` as what made the current PDF (none: forget any earlier)."""
    if inputs:
        known.write_text(inputs, "utf-8")
    else:
        known.unlink(missing_ok=True)


def _typst_message(exc: typst.TypstError) -> str:
    message = getattr(exc, "message", "") or str(exc)
    hints = getattr(exc, "hints", None) or []
    return " ".join([str(message).splitlines()[0] if message else "", *map(str, hints)]).strip()

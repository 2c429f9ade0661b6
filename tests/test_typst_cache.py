"""Typst's cache of layouts does not grow with each large PDF a build makes.

The ``typst`` wheel keeps, after each compilation, what the last ten used; a large edition left
hundreds of megabytes there, and a clean build of 10,000 articles peaked at 5.4 GB.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from broadsheet.typst.compiler import LARGE_SOURCE

#: Compiles four different large documents one after the other, printing the resident memory
#: (MB) after each. Run in a process of its own, so that nothing else moves the figures.
PROBE = textwrap.dedent(
    """
    import random, sys
    from pathlib import Path
    from broadsheet.typst.compiler import PdfCompiler

    root = Path(sys.argv[1])
    rng = random.Random(7)
    for number in range(4):
        letters = "abcdefghijklmnopqrstuvwxyz"
        words = ["".join(rng.choices(letters, k=rng.randint(2, 9))) for _ in range(5000)]
        text = "\\n\\n".join(" ".join(rng.choices(words, k=90)) for _ in range(600))
        assert len(text) > int(sys.argv[2])
        pdfs = PdfCompiler(root, root / "stamps", 1)
        pdfs.submit(text, root / f"{number}.pdf", None)
        assert pdfs.finish() == 1
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        print(pages * 4096 // 2**20, flush=True)
    """
)


def test_large_pdfs_do_not_accumulate_in_typst_cache(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path), str(LARGE_SOURCE)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    resident = [int(line) for line in result.stdout.split()]
    assert len(resident) == 4, result.stderr
    # Each of these documents left about 60 MB behind, for ten compilations: 190 MB more after
    # the fourth than after the first. Aged out, the memory one freed serves the next.
    assert resident[-1] - resident[0] < 40, resident

"""Time ``broadsheet import-wordpress`` on a large export: wall clock, CPU and peak memory.

The export is made from the flagship's WordPress original (``tests/data/wordpress/
flagship-original.xml``: a block-editor post full of debris, four approved comments, a featured
image), its post repeated under new ids and slugs until the file reaches ``--megabytes`` (10 by
default, the size the importer must take in seconds, streamed). Not collected by pytest::

    .venv/bin/python tests/benchmarks/wordpress_import.py --megabytes 10
"""

from __future__ import annotations

import argparse
import re
import resource
import tempfile
import time
from pathlib import Path

from broadsheet.wordpress.importer import Options, import_export

FIXTURE = Path(__file__).parent.parent / "data" / "wordpress" / "flagship-original.xml"


def write_export(path: Path, megabytes: float) -> int:
    """The flagship's post repeated into ``path`` up to ``megabytes``; the number of posts."""
    source = FIXTURE.read_text("utf-8")
    match = re.search(r"  <item>\s*<title><!\[CDATA\[Russia.*?</item>", source, re.DOTALL)
    assert match is not None
    post, head = match[0], source[: source.index("  <item>")]
    count, size = 0, len(head.encode())
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        while size < megabytes * 1_000_000:
            count += 1
            item = post.replace("<wp:post_id>600<", f"<wp:post_id>{100_000 + count}<")
            item = item.replace("russia-diverts-troops-to-kursk", f"russia-diverts-troops-{count}")
            item = re.sub(r"(<wp:comment_(?:id|parent)>)([1-9]\d*)<", rf"\g<1>{count}\2<", item)
            out.write(item + "\n")
            size += len(item.encode()) + 1
        out.write("</channel>\n</rss>\n")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "export.xml"
        posts = write_export(export, args.megabytes)
        wall, cpu = time.perf_counter(), time.process_time()
        report = import_export(export, Options(docs=Path(folder) / "docs"))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{export.stat().st_size / 1e6:.1f} MB export, {posts} posts: "
            f"{len(report.imported)} files written in {wall:.1f} s wall, {cpu:.1f} s CPU; "
            f"peak RSS {peak:.0f} MB"
        )


if __name__ == "__main__":
    main()

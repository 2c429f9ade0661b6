"""Real paths of many files in few folders, without asking the file system about every folder
of every path (``os.path.realpath`` does): the symlink check of the sources and the PDF
compiler's records ask for every document on every build."""

from __future__ import annotations

import os


class RealPaths:
    """Where paths lead once every symlink is followed, each folder resolved once.

    Safe to share between threads: two threads resolving the same folder store the same
    answer.
    """

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}

    def of(self, path: str | os.PathLike[str]) -> str:
        """The real path of ``path`` (``os.path.realpath``)."""
        path = os.path.abspath(path)
        if os.path.islink(path):
            return os.path.realpath(path)
        folder, name = os.path.split(path)
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = os.path.realpath(folder)
        return os.path.join(real, name)

"""``python -m broadsheet.cli``: the same as the ``broadsheet`` console script."""

from __future__ import annotations

import sys

from broadsheet.cli import main

sys.exit(main())

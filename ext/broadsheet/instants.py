"""Publication instants: front matter dates as zone-aware moments, and the build's "now".

An article goes live at an instant, not on a day. A ``date`` with a time and a zone is that
instant; a time without a zone, or a plain date (00:00), is read in the publication's zone,
``broadsheet_timezone``. Every comparison (scheduling, ordering, ``updated`` against
``date``) is between zone-aware datetimes, and every machine-readable output writes the same
RFC 3339 form with its offset. "Now" is ``SOURCE_DATE_EPOCH`` when it is set, so two builds
of the same sources agree, else the clock.
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from typing import TYPE_CHECKING

from broadsheet.frontmatter import Date

if TYPE_CHECKING:
    from sphinx.config import Config


def zone_named(name: str) -> dt.tzinfo | None:
    """The zone of the IANA name ``name`` (``"UTC"``, ``"Europe/Kyiv"``), or ``None``."""
    if name.upper() == "UTC":
        return dt.UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def publication_zone(config: Config) -> dt.tzinfo:
    """The zone of ``broadsheet_timezone`` (checked when the configuration is read)."""
    return zone_named(config.broadsheet_timezone) or dt.UTC


def instant(value: Date, zone: dt.tzinfo) -> dt.datetime:
    """``value`` as a zone-aware moment in ``zone``: a plain date is 00:00 there, a time
    without an offset is read there, and a time with an offset keeps it (shown in ``zone``).
    """
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(zone)


def build_now(zone: dt.tzinfo = dt.UTC) -> dt.datetime:
    """The build's "now": ``SOURCE_DATE_EPOCH`` when it is set, else the clock, in ``zone``."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).astimezone(zone)
    return dt.datetime.now(dt.UTC).replace(microsecond=0).astimezone(zone)


def rfc3339(value: dt.datetime) -> str:
    """``value`` as RFC 3339 with its offset, to the second (``2024-08-24T09:30:00+02:00``)."""
    return value.replace(microsecond=0).isoformat()


def sort_key(value: dt.datetime | None) -> float:
    """A number that orders instants: seconds since the epoch, ``0.0`` for none."""
    return value.timestamp() if value is not None else 0.0

"""Dates: front matter dates as zone-aware instants, the build's "now", and how dates are written.

An article goes live at an instant, not on a day. A ``date`` with a time and a zone is that
instant; a time without a zone, or a plain date (00:00), is read in the publication's zone,
``broadsheet_timezone``. Every comparison (scheduling, ordering, ``updated`` against
``date``) is between zone-aware datetimes, and every machine-readable output writes the same
RFC 3339 form with its offset. "Now" is ``SOURCE_DATE_EPOCH`` when it is set, so two builds
of the same sources agree, else the clock.

Readers see dates in the publication's language (Babel, ``broadsheet_date_format``); machines
get RFC 3339 (:func:`iso`). Every module that shows or compares a date takes it from here.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import zoneinfo
from typing import TYPE_CHECKING

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_skeleton

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
    if value.microsecond:
        # Outputs write whole seconds: a fraction rounds up, so an embargo is never early.
        value = value.replace(microsecond=0) + dt.timedelta(seconds=1)
    return value.astimezone(zone)


def epoch_problem() -> str | None:
    """Why ``SOURCE_DATE_EPOCH`` cannot be the build's "now", or ``None`` when it can."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    if not epoch.isdigit():
        return f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not {epoch!r}"
    try:
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    except (OverflowError, ValueError, OSError):
        return f"SOURCE_DATE_EPOCH={epoch} is not a time a calendar can show"
    return None


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


def iso(value: Date) -> str:
    """The machine-readable form of ``value`` for ``<time datetime>``: RFC 3339 with the
    offset for an instant, as the feeds, sitemap and meta tags write it."""
    return rfc3339(value) if isinstance(value, dt.datetime) else value.isoformat()


def format_date(value: Date, config: Config, pattern: str = "") -> str:
    """``value`` as readers of the publication's language write dates.

    ``pattern`` is a Babel date format; by default ``broadsheet_date_format``.
    """
    day = value.date() if isinstance(value, dt.datetime) else value
    return _format(day, pattern or config.broadsheet_date_format, config.language or "en")


def format_period(day: dt.date, skeleton: str, config: Config) -> str:
    """The month (``skeleton`` ``"yMMMM"``: "August 2024") or year (``"y"``) of ``day`` as
    readers of the publication's language write it; Babel picks the pattern from the skeleton,
    so each language gets its own order and forms ("август 2024 г.")."""
    return _skeleton(day, skeleton, config.language or "en")


@functools.lru_cache(maxsize=1024)
def _skeleton(day: dt.date, skeleton: str, language: str) -> str:
    return str(format_skeleton(skeleton, day, locale=_locale(language)))


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@functools.lru_cache(maxsize=4096)
def _format(day: dt.date, pattern: str, language: str) -> str:
    # Listings, tag pages, feeds and headers show the same dates many times over; Babel
    # parses its locale data and the pattern anew on every call.
    return str(babel_format_date(day, format=pattern, locale=_locale(language)))


def format_moment(value: dt.datetime, config: Config) -> str:
    """``value``'s date and time with its zone, as readers of the publication's language
    write them (for "Scheduled for ...")."""
    locale = _locale(config.language or "en")
    return str(babel_format_datetime(value, format="long", tzinfo=value.tzinfo, locale=locale))

"""Dates: zone rules, the build's "now", checks of ``broadsheet_timezone``, and how dates are
written for readers (Babel) and machines (RFC 3339)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from sphinx.errors import ConfigError
from sphinx.testing.util import SphinxTestApp

from broadsheet.articles import status_of
from broadsheet.dates import (
    build_now,
    format_date,
    format_moment,
    instant,
    iso,
    rfc3339,
    sort_key,
    zone_named,
)
from broadsheet.frontmatter import parse_front_matter

KYIV = zoneinfo.ZoneInfo("Europe/Kyiv")


def test_a_plain_date_goes_live_at_midnight_in_the_publication_zone() -> None:
    moment = instant(dt.date(2025, 1, 1), KYIV)
    assert rfc3339(moment) == "2025-01-01T00:00:00+02:00"


def test_a_time_without_a_zone_is_read_in_the_publication_zone() -> None:
    moment = instant(dt.datetime(2025, 7, 1, 9, 30), KYIV)
    assert rfc3339(moment) == "2025-07-01T09:30:00+03:00"


def test_a_time_with_a_zone_is_that_instant() -> None:
    moment = instant(dt.datetime(2025, 1, 1, 18, 0, tzinfo=dt.UTC), KYIV)
    assert rfc3339(moment) == "2025-01-01T20:00:00+02:00"
    # Live at 18:00Z exactly, not at midnight that day (ten hours early in UTC).
    assert status_of(False, moment, dt.datetime(2025, 1, 1, 17, 59, tzinfo=dt.UTC)) == "scheduled"
    assert status_of(False, moment, dt.datetime(2025, 1, 1, 18, 0, tzinfo=dt.UTC)) == "live"


def test_status_fails_closed() -> None:
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    assert status_of(False, None, now) == "undated"
    assert status_of(True, instant(dt.date(2020, 1, 1), dt.UTC), now) == "draft"


def test_now_is_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1732000000")
    assert rfc3339(build_now(KYIV)) == "2024-11-19T09:06:40+02:00"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert abs(build_now().timestamp() - dt.datetime.now(dt.UTC).timestamp()) < 5


def test_updated_is_compared_as_an_instant() -> None:
    # 09:30Z is after 10:00+02:00 (08:00Z): no false "updated is earlier than date".
    lines = ["---", "date: 2024-01-01T10:00:00+02:00", "updated: 2024-01-01T09:30:00Z", "---"]
    _front, problems = parse_front_matter(lines, KYIV)
    assert problems == []
    lines = ["---", "date: 2024-01-01T10:00:00", "updated: 2024-01-01T08:30:00Z", "---"]
    _front, problems = parse_front_matter(lines, KYIV)
    assert [p.message for p in problems] == []  # 10:00 Kyiv is 08:00Z
    lines = ["---", "date: 2024-01-01T10:00:00", "updated: 2024-01-01T07:30:00Z", "---"]
    _front, problems = parse_front_matter(lines, KYIV)
    assert [p.message for p in problems] == ["'updated' is earlier than 'date'"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"date": "2024-03-05", "reason": "Wrong."}, ""),
        ("yes", "retracted: expected a mapping with 'date' and 'reason', got str"),
        ({"date": "2024-03-05"}, "retracted: expected a mapping with 'date' and 'reason'"),
        ({"date": "soon", "reason": "Wrong."}, "retracted: 'soon' is not an ISO date"),
        ({"date": "2024-03-05", "reason": " "}, "retracted: 'reason' must be the text"),
    ],
)
def test_retracted_is_validated(value: object, message: str) -> None:
    import yaml

    block = yaml.safe_dump({"date": "2024-01-01", "retracted": value}).splitlines()
    front, problems = parse_front_matter(["---", *block, "---"])
    if not message:
        assert problems == []
        assert front.retracted is not None
        assert front.retracted.reason == "Wrong."
    else:
        assert front.retracted is None
        assert len(problems) == 1
        assert problems[0].message.startswith(message)


def test_zone_names() -> None:
    assert zone_named("UTC") is dt.UTC
    assert zone_named("Europe/Kyiv") == KYIV
    assert zone_named("Mars/Olympus_Mons") is None


@pytest.mark.sphinx(
    "html", testroot="article", confoverrides={"broadsheet_timezone": "Mars/Olympus_Mons"}
)
def test_an_unknown_zone_is_refused(make_app: object, app_params: object) -> None:
    args, kwargs = app_params  # type: ignore[misc]
    with pytest.raises(ConfigError, match="IANA name of the publication's time zone"):
        SphinxTestApp(*args, **kwargs)


class Settings:
    """The two configuration values the formatters read."""

    def __init__(self, language: str | None = "en", date_format: str = "long") -> None:
        self.language = language
        self.broadsheet_date_format = date_format


def test_dates_are_written_in_the_publication_language() -> None:
    day = dt.date(2024, 8, 24)
    assert format_date(day, Settings()) == "August 24, 2024"  # type: ignore[arg-type]
    assert format_date(day, Settings("fr")) == "24 août 2024"  # type: ignore[arg-type]
    assert format_date(day, Settings("de", "d. MMM y")) == "24. Aug. 2024"  # type: ignore[arg-type]
    # An explicit pattern wins over broadsheet_date_format (the archive's month headings).
    assert format_date(day, Settings("fr"), "MMMM y") == "août 2024"  # type: ignore[arg-type]


def test_an_instant_is_written_as_its_own_day() -> None:
    late = dt.datetime(2024, 8, 24, 23, 30, tzinfo=KYIV)
    assert format_date(late, Settings()) == "August 24, 2024"  # type: ignore[arg-type]


def test_an_unknown_or_missing_language_falls_back_to_english() -> None:
    day = dt.date(2024, 8, 24)
    assert format_date(day, Settings("xx_NOPE")) == "August 24, 2024"  # type: ignore[arg-type]
    assert format_date(day, Settings(None)) == "August 24, 2024"  # type: ignore[arg-type]


def test_a_moment_keeps_its_time_and_zone() -> None:
    moment = dt.datetime(2030, 1, 2, 9, 30, tzinfo=KYIV)
    text = format_moment(moment, Settings())  # type: ignore[arg-type]
    assert text.startswith("January 2, 2030")
    assert "9:30:00" in text
    assert "EET" in text or "+02" in text or "GMT+2" in text


def test_machine_forms() -> None:
    assert iso(dt.date(2024, 8, 24)) == "2024-08-24"
    assert iso(dt.datetime(2024, 8, 24, 9, 30, 5, 123, tzinfo=KYIV)) == "2024-08-24T09:30:05+03:00"
    assert sort_key(None) == 0.0
    assert sort_key(dt.datetime(1970, 1, 1, 0, 1, tzinfo=dt.UTC)) == 60.0


def test_a_fraction_of_a_second_rounds_up_never_early() -> None:
    pasted = dt.datetime(2024, 7, 1, 9, 30, 0, 123456, tzinfo=dt.UTC)
    moment = instant(pasted, dt.UTC)
    assert moment == dt.datetime(2024, 7, 1, 9, 30, 1, tzinfo=dt.UTC)
    assert rfc3339(moment) == "2024-07-01T09:30:01+00:00"
    assert status_of(False, moment, pasted) == "scheduled"


@pytest.mark.parametrize(
    ("epoch", "message"),
    [("99999999999999", "not a time a calendar can show"), ("1e9", "whole number of seconds")],
)
@pytest.mark.sphinx("html", testroot="article")
def test_an_unusable_source_date_epoch_is_refused(
    make_app: object, app_params: object, monkeypatch: pytest.MonkeyPatch, epoch: str, message: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    args, kwargs = app_params  # type: ignore[misc]
    with pytest.raises(ConfigError, match=message):
        SphinxTestApp(*args, **kwargs)


@pytest.mark.sphinx("html", testroot="article", confoverrides={"broadsheet_articles": ["**"]})
def test_a_front_page_that_is_not_published_is_explained(app: SphinxTestApp) -> None:
    # The front page matched as an article, with no date: a sentence, not Sphinx's crash.
    with pytest.raises(Exception, match="the front page 'index' is an article that is not"):
        app.build()

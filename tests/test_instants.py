"""Publication instants: zone rules, the build's "now", and checks of ``broadsheet_timezone``."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from sphinx.errors import ConfigError
from sphinx.testing.util import SphinxTestApp

from broadsheet.articles import status_of
from broadsheet.frontmatter import parse_front_matter
from broadsheet.instants import build_now, instant, rfc3339, zone_named

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

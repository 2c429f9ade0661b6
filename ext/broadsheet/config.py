"""Every ``broadsheet_*`` configuration value, with its type, checked once at start-up.

Values that change doctrees are registered with ``'env'`` so Sphinx re-reads documents when
they change; values that only change the HTML are ``'html'``.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sphinx.errors import ConfigError

from broadsheet.dates import epoch_problem, zone_named
from broadsheet.translations import __

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


def N_(message: str) -> str:  # noqa: N802 (gettext's conventional name)
    """Mark a default for the message catalog; it is translated where it is shown."""
    return message


#: (name, default, rebuild, types) of every configuration value.
CONFIG_VALUES: tuple[tuple[str, Any, str, tuple[type, ...]], ...] = (
    ("broadsheet_articles", ["articles/**"], "env", (list, tuple)),
    ("broadsheet_words_per_minute", 230, "env", (int,)),
    ("broadsheet_toc_title", N_("Table of Contents"), "env", (str,)),
    ("broadsheet_toc_depth", 2, "env", (int,)),
    ("broadsheet_toc_min_sections", 2, "env", (int,)),
    ("broadsheet_reply_action", "", "html", (str,)),
    ("broadsheet_reply_limit", 200, "env", (int,)),
    ("broadsheet_isso_url", "", "html", (str,)),
    ("broadsheet_date_format", "long", "env", (str,)),
    ("broadsheet_latex_articles", True, "", (bool,)),
    ("broadsheet_raw_html", True, "env", (bool,)),
    ("broadsheet_untrusted", False, "env", (bool,)),
    ("broadsheet_untrusted_markup", [], "env", (list, tuple)),
    ("broadsheet_show_drafts", False, "html", (bool,)),
    ("broadsheet_timezone", "UTC", "env", (str,)),
    ("broadsheet_taxonomy_pages", True, "html", (bool,)),
    ("broadsheet_listing_page_size", 50, "html", (int,)),
    ("broadsheet_feeds", True, "html", (bool,)),
    ("broadsheet_feed_content", "summary", "html", (str,)),
    ("broadsheet_feed_limit", 50, "html", (int,)),
    ("broadsheet_pdf", True, "html", (bool,)),
    ("broadsheet_pdf_paper", "a4", "", (str,)),
    ("broadsheet_pdf_edition", "", "", (str,)),
    # The front page's link names the latest edition: its pages are written again.
    ("broadsheet_pdf_edition_period", "month", "html", (str,)),
    ("broadsheet_pdf_order", "newest", "", (str,)),
)

_LOCAL_HOSTS = frozenset({"localhost"})


def setup_config(app: Sphinx) -> None:
    """Register the configuration values and their validation."""
    for name, default, rebuild, types in CONFIG_VALUES:
        app.add_config_value(name, default, rebuild, types=types)  # type: ignore[arg-type]
    app.connect("config-inited", validate_config)


def validate_config(app: Sphinx, config: Config) -> None:
    """Refuse values that would make a broken or unsafe publication."""
    patterns = config.broadsheet_articles
    if not all(isinstance(p, str) and p for p in patterns):
        raise ConfigError(
            __("broadsheet_articles must be a list of glob patterns (strings), got %r") % patterns
        )
    epoch = epoch_problem()
    if epoch is not None:
        raise ConfigError(epoch)
    zone = config.broadsheet_timezone
    if not isinstance(zone, str) or not zone.strip() or zone_named(zone.strip()) is None:
        raise ConfigError(
            __(
                "broadsheet_timezone must be the IANA name of the publication's time zone, "
                "such as 'UTC', 'Europe/London' or 'America/New_York'; got %r"
            )
            % zone
        )
    config.broadsheet_timezone = zone.strip()
    _check_int_range(config, "broadsheet_words_per_minute", 1, 10_000)
    _check_int_range(config, "broadsheet_toc_depth", 1, 6)
    _check_int_range(config, "broadsheet_toc_min_sections", 0, 1_000)
    _check_int_range(config, "broadsheet_reply_limit", 1, 100_000)
    config.broadsheet_reply_action = check_reply_action(config.broadsheet_reply_action)
    config.broadsheet_isso_url = check_isso_url(config.broadsheet_isso_url)
    if config.broadsheet_isso_url and config.broadsheet_reply_action:
        raise ConfigError(
            __(
                "broadsheet_isso_url and broadsheet_reply_action are both set: the reply form "
                "posts to one service. Keep broadsheet_isso_url and empty the other."
            )
        )
    if config.broadsheet_feed_content not in ("summary", "full"):
        raise ConfigError(
            __("broadsheet_feed_content must be 'summary' or 'full', got %r")
            % config.broadsheet_feed_content
        )
    _check_int_range(config, "broadsheet_feed_limit", 0, 1_000_000)
    markup = config.broadsheet_untrusted_markup
    if not all(isinstance(name, str) and name.strip() for name in markup):
        raise ConfigError(
            __("broadsheet_untrusted_markup must be a list of directive and role names, got %r")
            % (markup,)
        )
    _check_int_range(config, "broadsheet_listing_page_size", 1, 10_000)
    if config.broadsheet_pdf_order not in ("newest", "oldest"):
        raise ConfigError(
            __("broadsheet_pdf_order must be 'newest' or 'oldest', got %r")
            % config.broadsheet_pdf_order
        )
    edition = config.broadsheet_pdf_edition
    if edition and (not edition.endswith(".pdf") or "/" in edition or "\\" in edition):
        raise ConfigError(
            __("broadsheet_pdf_edition must be a file name ending in .pdf, got %r") % edition
        )
    period = config.broadsheet_pdf_edition_period
    if period not in ("month", "week", "year", "all"):
        raise ConfigError(
            __(
                "broadsheet_pdf_edition_period must be 'month', 'week' or 'year' (one edition "
                "PDF per period), or 'all' (one edition of every article); got %r"
            )
            % period
        )


def _check_int_range(config: Config, name: str, low: int, high: int) -> None:
    value = getattr(config, name)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(
            __("%s must be a whole number from %d to %d, got %r") % (name, low, high, value)
        )


def check_reply_action(action: str) -> str:
    """Return the reply form's action, or raise ``ConfigError`` when it is unsafe.

    Empty means "placeholder form". Only ``https:`` and ``mailto:`` are accepted, plus plain
    ``http:`` to the local machine so the form can be tried against a local reply service.
    """
    action = action.strip()
    if not action:
        return ""
    if any(ord(ch) < 0x21 or ch in "<>\"'`" for ch in action):
        raise ConfigError(
            __("broadsheet_reply_action %r contains spaces, quotes or control characters") % action
        )
    parts = urlsplit(action)
    scheme = parts.scheme.lower()
    if scheme == "https" and parts.hostname:
        return action
    if scheme == "mailto" and "@" in parts.path and not parts.netloc:
        return action
    if scheme == "http" and parts.hostname and _is_local(parts.hostname):
        return action
    raise ConfigError(
        __(
            "broadsheet_reply_action must be an https:// URL of a reply service or a mailto: "
            "address (plain http:// is allowed only for localhost); got %r. Leave it empty to "
            "show the reply form as a placeholder."
        )
        % action
    )


def check_isso_url(url: str) -> str:
    """Return the address of the Isso server (ending in ``/``), or raise ``ConfigError``.

    Empty means "no Isso". Like the reply action, only ``https:``, or ``http:`` to the local
    machine for trying Isso out, with no query or fragment.
    """
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    safe = not any(ord(ch) < 0x21 or ch in "<>\"'`" for ch in url)
    local = scheme == "http" and bool(parts.hostname) and _is_local(parts.hostname or "")
    if (
        not safe
        or parts.query
        or parts.fragment
        or not ((scheme == "https" and parts.hostname) or local)
    ):
        raise ConfigError(
            __(
                "broadsheet_isso_url must be the https:// address of your Isso server, such as "
                "'https://comments.example.org/' (plain http:// is allowed only for localhost); "
                "got %r"
            )
            % url
        )
    return url if url.endswith("/") else url + "/"


def _is_local(host: str) -> bool:
    if host in _LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False

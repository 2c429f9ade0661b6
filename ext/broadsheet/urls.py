"""Addresses: where each page, PDF and feed lives in the web edition, and how links are built.

Page names (``tags/<slug>``) and output paths (``pdf/<docname>.pdf``, ``feeds/atom.xml``) are
decided here once, so the header, listings, tag pages, feeds, sitemap and PDFs agree. Absolute
addresses need ``html_baseurl``; without it they stay relative to the output folder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin, urlsplit

from sphinx.util.osutil import relative_uri

from broadsheet.slugs import page_slug

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.config import Config

#: Folder of the PDF editions inside the HTML output.
PDF_DIR = "pdf"
TAGS_DIR = "tags"
AUTHORS_DIR = "authors"
FEEDS_DIR = "feeds"
MAIN_FEED = f"{FEEDS_DIR}/atom.xml"


def tag_page(tag: str) -> str:
    """The page name of ``tag``'s listing."""
    return f"{TAGS_DIR}/{page_slug(tag)}"


def author_page(author: str) -> str:
    """The page name of ``author``'s listing."""
    return f"{AUTHORS_DIR}/{page_slug(author)}"


def tag_feed(tag: str) -> str:
    """The path of ``tag``'s feed, relative to the HTML output."""
    return f"{FEEDS_DIR}/tags/{page_slug(tag)}.xml"


def article_pdf(docname: str) -> str:
    """Where the PDF of ``docname`` lives, relative to the HTML output folder."""
    return f"{PDF_DIR}/{docname}.pdf"


def url_path(path: str) -> str:
    """The file path ``path`` (relative or from the site's root) as a URL path: ``#``, ``?``,
    ``%``, spaces and non-ASCII letters percent-encoded, so ``c#-tips.pdf`` is not read as
    ``c`` with a fragment, nor ``why?.pdf`` as ``why`` with a query."""
    return quote(path, safe="/")


def pdf_link(builder: Builder, docname: str) -> str:
    """The link from ``docname``'s page to its PDF."""
    # Sphinx's HTML builders quote the page's name (get_target_uri); the PDF's is quoted alike.
    return relative_uri(builder.get_target_uri(docname), url_path(article_pdf(docname)))


def site_base(config: Config) -> str:
    """``html_baseurl`` ending in one slash, or ``""`` when the publication has no address."""
    base: str = config.html_baseurl
    return base.rstrip("/") + "/" if base else ""


def absolute_url(config: Config, path: str) -> str:
    """The address of ``path`` (relative to the HTML output): absolute when ``html_baseurl``
    is set, else ``path`` itself."""
    # Joined, not resolved: a page name may hold a colon that urljoin would take for a scheme.
    return site_base(config) + path


def canonical_url(builder: Builder, docname: str) -> str:
    """The address of ``docname`` in the web edition: absolute when ``html_baseurl`` is set.

    The page's ``<link rel="canonical">``, the feeds, the sitemap, the PDF's QR code and the
    reply form all use this one address.
    """
    config = builder.config
    if builder.format == "html":
        target = builder.get_target_uri(docname)  # quoted by Sphinx
    else:
        target = url_path(docname) + (config.html_file_suffix or ".html")
    return absolute_url(config, target)


def scheme_of(uri: str) -> str:
    """The scheme of ``uri``, lowercased (``""`` for a relative reference)."""
    return urlsplit(uri.strip()).scheme.lower()


def resolve(page_url: str, uri: str) -> str:
    """``uri`` as written on the page at ``page_url``, made absolute; ``#id`` and addresses
    with a scheme of their own are resolved the same way a browser would."""
    return urljoin(page_url, uri)


def with_subject(mailto: str, subject: str) -> str:
    """A ``mailto:`` address with ``subject`` added, percent-encoded."""
    separator = "&" if "?" in mailto else "?"
    return f"{mailto}{separator}subject={quote(subject)}"

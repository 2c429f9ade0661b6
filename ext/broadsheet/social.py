"""Social and search metadata: OpenGraph and Twitter card tags, lead images, sitemap.xml.

Every address here is the article's canonical URL (:func:`broadsheet.urls.canonical_url`),
the same one the page's ``<link rel="canonical">``, the feeds, the PDF's QR code and the reply
form use. The sitemap is written with ElementTree, with each article's ``lastmod`` taken from
its front matter.
"""

from __future__ import annotations

import hashlib
import html
import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from broadsheet.articles import Article, get_domain
from broadsheet.dates import rfc3339
from broadsheet.images import image_path, refusal
from broadsheet.translations import __
from broadsheet.untrusted import is_untrusted
from broadsheet.urls import absolute_url, canonical_url, scheme_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
IMAGES_DIR = "_images/broadsheet"


def _local_source(srcdir: Path, article: Article) -> Path:
    """Where the article's local ``image`` is, resolved (it may not exist)."""
    return image_path(srcdir, article.docname, article.image)


def _copied_name(source: Path) -> str:
    """The name of the copy of ``source`` in the output: named by its content."""
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    return f"{IMAGES_DIR}/{digest}{source.suffix.lower()}"


def note_lead_image(app: Sphinx, doctree: Any) -> None:
    """Record the name the article's local lead image gets in the output, so the copy can be
    deleted when no published article uses it any more (see :mod:`broadsheet.publishing`)."""
    article = get_domain(app.env).articles.get(app.env.docname)
    if article is None or not article.image or scheme_of(article.image):
        return
    srcdir = Path(app.srcdir)
    source = _local_source(srcdir, article)
    if source.is_file() and not refusal(srcdir, source):
        # Replacing the image file in place must rewrite the page that advertises it.
        app.env.note_dependency(str(source))
        get_domain(app.env).note(app.env.docname, "lead_images", _copied_name(source))


def lead_images_in_use(app: Sphinx) -> set[str]:
    """The copies under ``_images/broadsheet`` that the published articles' pages use."""
    domain = get_domain(app.env)
    names: dict[str, str] = domain.data.get("lead_images", {})
    return {
        name
        for docname, name in names.items()
        if docname in domain.articles and domain.articles[docname].retracted is None
    }


def lead_image(app: Sphinx, article: Article) -> str:
    """The absolute address of the article's ``image``, copied into the output if local."""
    image = article.image
    if not image or not app.config.html_baseurl:
        return ""
    if scheme_of(image) in ("http", "https"):
        return image
    if scheme_of(image):
        return ""  # javascript:, data: and the like are never published
    srcdir = Path(app.srcdir)
    source = _local_source(srcdir, article)
    reason = refusal(srcdir, source, untrusted=is_untrusted(app.config, article.docname))
    if reason or not source.is_file():
        logger.warning(
            __("lead image %r refused: %s") % (image, reason)
            if reason
            else __("lead image %r not found in the source folder") % image,
            type="broadsheet",
            subtype="image",
            location=article.line_of("image"),
        )
        return ""
    name = _copied_name(source)
    target = Path(app.outdir) / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        # Pages are written in parallel: copy under a private name, then rename atomically.
        partial = target.with_name(f"{target.name}.{os.getpid()}.part")
        shutil.copyfile(source, partial)
        os.replace(partial, target)
    return absolute_url(app.config, name)


def _meta(attribute: str, name: str, value: str) -> str:
    return f'<meta {attribute}="{html.escape(name)}" content="{html.escape(value)}">\n'


def social_tags(app: Sphinx, article: Article) -> str:
    """The OpenGraph, article and Twitter card tags of ``article``."""
    url = canonical_url(app.builder, article.docname)
    description = article.retraction or article.summary or article.subtitle
    # A retraction notice shows no picture of the story it withdraws.
    image = "" if article.retracted else lead_image(app, article)
    # Without ``image_alt`` the headline says what the picture illustrates: better than
    # nothing for a screen reader.
    image_alt = article.image_alt or article.title
    tags = [
        _meta("property", "og:type", "article"),
        _meta("property", "og:title", article.title),
        _meta("property", "og:url", url),
        _meta("property", "og:site_name", app.config.project),
    ]
    if description:
        tags.append(_meta("property", "og:description", description))
        tags.append(_meta("name", "description", description))
    if image:
        tags.append(_meta("property", "og:image", image))
        tags.append(_meta("property", "og:image:alt", image_alt))
    if article.date is not None:
        tags.append(_meta("property", "article:published_time", rfc3339(article.date)))
    if article.last_modified is not None:
        tags.append(_meta("property", "article:modified_time", rfc3339(article.last_modified)))
    tags += [_meta("property", "article:author", name) for name in article.authors]
    tags += [_meta("property", "article:tag", tag) for tag in article.tags]
    tags.append(_meta("name", "twitter:card", "summary_large_image" if image else "summary"))
    tags.append(_meta("name", "twitter:title", article.title))
    if description:
        tags.append(_meta("name", "twitter:description", description))
    if image:
        tags.append(_meta("name", "twitter:image", image))
        tags.append(_meta("name", "twitter:image:alt", image_alt))
    return "".join(tags)


def add_social_tags(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Put the tags in an article page's head."""
    article = get_domain(app.env).articles.get(pagename)
    if article is None or not app.config.html_baseurl:
        return
    context["metatags"] = context.get("metatags", "") + social_tags(app, article)


def write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """Write ``sitemap.xml``: every page, with ``lastmod`` for published articles, the tag
    and author pages, the numbered pages of listings and the Editions page."""
    # All three render listings or pages: import late.
    from broadsheet.pagination import generated_listing_pages
    from broadsheet.taxonomy import taxonomy_pages
    from broadsheet.typst.editions import editions_pages

    if exception is not None or app.builder.format != "html" or not app.config.html_baseurl:
        return
    articles = get_domain(app.env).articles
    ET.register_namespace("", SITEMAP_NS)
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for docname in sorted(app.env.found_docs):
        article = articles.get(docname)
        if article is not None and article.status != "live":
            continue  # a preview build's drafts and scheduled articles are not for indexing
        url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = canonical_url(app.builder, docname)
        modified = article.last_modified if article else None
        if modified is not None:
            ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = rfc3339(modified)
    # The pages that have no source: tag and author pages (broadsheet.taxonomy) and the
    # numbered pages of listings (broadsheet.pagination), the Editions page (broadsheet.typst).
    generated = [*taxonomy_pages(app), *generated_listing_pages(app), *editions_pages(app)]
    for pagename in sorted(set(generated) - app.env.found_docs):  # a source page wins
        url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = canonical_url(app.builder, pagename)
    tree = ET.ElementTree(urlset)
    ET.indent(tree)
    tree.write(Path(app.outdir) / "sitemap.xml", encoding="utf-8", xml_declaration=True)


def setup_social(app: Sphinx) -> None:
    """Register the metadata hooks."""
    app.connect("doctree-read", note_lead_image)
    app.connect("html-page-context", add_social_tags)
    app.connect("build-finished", write_sitemap)

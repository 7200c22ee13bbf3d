"""Clean stage: remove page chrome and keep the article body, from plain-text dumps and HTML.

    clean_page(page, templates=, config=, timeout_s=) -> CleanArticle

A text dump goes the text path (text.py: lines -> shapes -> structure -> body). HTML goes to
trafilatura on the page's parsed tree (html.py); when it finds nothing or too little, the
page's visible text takes the text path, so an article is never dropped for a parser's miss.
Template evidence (templates.py), learned by the profile step from the batch and the archive,
is looked up under the page's site.

Modules: config (CleanConfig), patterns (chrome patterns as data), lines (line shapes),
tables, structure (teasers, body run), fields (title), language, text (the text path),
html (the HTML path), templates + kernels (template evidence), timeout, article (results).
"""

from __future__ import annotations

from .article import CleanArticle, ExtractionTimeout
from .config import CleanConfig
from .html import clean_html
from .language import detect_language
from .lines import line_key
from .templates import TemplateLines
from .text import clean_text
from .timeout import call_with_timeout

__all__ = [
    "CleanArticle",
    "CleanConfig",
    "ExtractionTimeout",
    "TemplateLines",
    "clean_page",
    "clean_text",
    "detect_language",
    "line_key",
]


def clean_page(page, *, templates: TemplateLines | None = None, config: CleanConfig,
               timeout_s: float) -> CleanArticle:
    """Clean one `page.Page` within `timeout_s` seconds (0: no limit); raises
    ExtractionTimeout when it runs over. `templates` is the run's evidence, looked up under
    `page.site`."""
    if templates is not None:
        templates = templates.for_site(page.site, min_stories=config.template_min_stories)
    if page.kind == "text":
        def run():
            return clean_text(page.content, templates=templates, config=config)
    else:
        def run():
            return clean_html(page, templates=templates, config=config, clean_text=clean_text)
    return call_with_timeout(run, timeout_s)

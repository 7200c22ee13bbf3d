"""What the clean stage returns for one page."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class CleanArticle:
    """The article body of one page (`text`, one paragraph per line) and its fields.

    `body_span`: character offsets into `Page.text` from the start of the body's first line to
    the end of its last line (text dumps and the HTML fallback; None on trafilatura's path).
    `rejected`: a one-line reason when the page holds no article (its body is only text that
    recurs across pages or sites); such a page is quarantined as `not_an_article`.
    `method`: "text", "html" (trafilatura) or "html_fallback" (the visible text, text path).
    `published`, `url`: the HTML metadata's publication date and canonical URL as trafilatura
    read them, or None."""

    text: str
    title: str | None = None
    byline: str | None = None
    date_lines: list[str] = field(default_factory=list)
    language: str | None = None
    method: str = "text"
    published: str | None = None
    url: str | None = None
    body_span: tuple[int, int] | None = None
    rejected: str | None = None


class ExtractionTimeout(Exception):
    """A document's extraction ran past its time limit."""

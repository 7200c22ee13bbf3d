"""A page as the stages see it: decoded once, its HTML parsed at most once.

The clean and dates stages and the fallback paths all read the same `Page`: the markup is
parsed on first use of `tree` and the visible text derived on first use of `text`, so no stage
parses or decodes the input a second time. Stages must not change `tree` (trafilatura, which
does, copies a tree it is given before it changes anything).
"""

from __future__ import annotations

import re
import threading

from newsarchive.sites import site_of

_UNSET = object()


class Page:
    """One decoded input: `kind` "text" (a plain-text dump of a whole page) or "html"."""

    __slots__ = ("kind", "content", "url", "declared", "source", "_tree", "_text", "_site")

    def __init__(self, kind: str, content: str, *, url: str | None = None, declared: str | None = None,
                 source: str | None = None):
        if kind not in ("text", "html"):
            raise ValueError(f"unknown page kind {kind!r}; expected 'text' or 'html'")
        self.kind, self.content, self.url = kind, content, url
        self.declared = declared  # publication date the input itself declares (JSONL `published`)
        self.source = source  # outlet the input declares (JSONL `source`)
        self._tree = self._text = self._site = _UNSET

    @property
    def tree(self):
        """The parsed markup (lxml etree root) of an HTML page; None for text or unparsable markup."""
        if self._tree is _UNSET:
            self._tree = parse_html(self.content) if self.kind == "html" else None
        return self._tree

    @property
    def text(self) -> str:
        """The page as lines of text: the dump itself, or the visible text of the markup."""
        if self._text is _UNSET:
            if self.kind == "text":
                self._text = self.content
            else:
                self._text = visible_text(self.tree) if self.tree is not None else ""
        return self._text

    @property
    def site(self) -> str | None:
        """`sites.site_of` this page: the key its evidence is learned and looked up under."""
        if self._site is _UNSET:
            self._site = site_of(url=self.url, source=self.source,
                                 page_text=self.content if self.kind == "text" else None,
                                 html=self.content if self.kind == "html" else None)
        return self._site


_BLOCK_TAGS = {
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "section", "article",
    "header", "footer", "nav", "aside", "main", "time", "span", "dd", "dt", "figcaption", "blockquote",
    "ul", "ol", "table", "title", "form", "label", "button", "body",
}


def visible_text(tree) -> str:
    """A rough one-block-per-line text of a parsed page, close to the eval's text dumps: the
    title, then the body's text without scripts and styles, a line break after every block.
    Done by an XSLT transform (libxslt walks the tree in C: half the time of setting a newline
    tail on each block element in Python, and the tree is left as it was)."""
    parts: list[str] = []
    title = tree.find(".//title")
    if title is not None and title.text:
        parts.append(title.text.strip() + "\n")
    body = tree.find(".//body")
    parts.append(str(_text_transform()(tree if body is None else body)))
    return _squeeze_lines("".join(parts))


# One compiled transform per thread (compiling costs ~0.3 ms once): sharing one lxml XSLT object
# between threads that run at once is not relied on (extraction runs in worker threads).
_TRANSFORMS = threading.local()


def _text_transform():
    transform = getattr(_TRANSFORMS, "visible_text", None)
    if transform is None:
        from lxml import etree

        transform = _TRANSFORMS.visible_text = etree.XSLT(etree.XML(
            '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
            '<xsl:output method="text" encoding="UTF-8"/>'
            f'<xsl:template match="{"|".join(_HIDDEN_TAGS)}"/>'
            f'<xsl:template match="{"|".join(sorted(_BLOCK_TAGS))}">'
            '<xsl:apply-templates/><xsl:text>&#10;</xsl:text></xsl:template>'
            '</xsl:stylesheet>'))
    return transform


def _squeeze_lines(text: str) -> str:
    """Blank lines dropped, spaces cut at line ends and starts: what re.sub(r"[ \t\r\f\v]*\n\s*",
    "\n", text) gives, in half its time (that pattern is tried at every character)."""
    # Whitespace after a line break (blank lines included) goes in one regex pass, anchored on
    # the break character; spaces before a break are cut per remaining line.
    lines = _RE_BREAK_SPACES.sub("\n", text).split("\n")
    if len(lines) == 1:
        return lines[0]
    last = lines.pop()  # no line break after it: its end stays
    return "\n".join([line.rstrip(_LINE_END_SPACES) for line in lines] + [last])


_LINE_END_SPACES = " \t\r\f\v"
_RE_BREAK_SPACES = re.compile(r"\n\s+")
_HIDDEN_TAGS = ("script", "style", "noscript", "template", "svg", "select", "head")


def parse_html(html: str):
    """An lxml.html tree of the markup, parsed as trafilatura parses it (`trafilatura.load_html`:
    control characters dropped, a faulty doctype repaired), so that trafilatura takes the tree
    as it is instead of parsing the page again; a plain lxml parse when trafilatura declines the
    markup; None when lxml cannot parse it at all."""
    from lxml import etree

    try:
        tree = _load_html(html)
    except Exception:  # noqa: BLE001 - an odd document must cost a fallback parse, not the page
        tree = None
    if tree is not None:
        return tree
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True)
    try:
        data = html.encode("utf-8", "replace") if html.lstrip().startswith("<?xml") else html
        return etree.fromstring(data, parser)
    except Exception:  # lxml raises several types on empty/odd documents
        return None


# What trafilatura's INVALID_XML_CHARS pattern drops: looking for each character (memchr) takes
# 0.2 ms on a 150 kB page where the pattern's pass takes 0.5 ms.
_INVALID_XML_CHARS = tuple(map(chr, [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]))


def _load_html(html: str):
    """`trafilatura.load_html(html)` (trafilatura 2.3.1) for a decoded page, without its pass
    that drops invalid XML characters when the page has none."""
    from trafilatura import utils

    if any(ch in html for ch in _INVALID_XML_CHARS):
        return utils.load_html(html)
    # load_html from here on, its repair_faulty_html without that pass
    beginning = html[:50].lower()
    if "doctype" in beginning:
        firstline, _, rest = html.partition("\n")
        html = utils.DOCTYPE_TAG.sub("", firstline, count=1) + "\n" + rest
    for line in html[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            html = utils.FAULTY_HTML.sub(r"\1>", html, count=1)
            break
    fallback_parse, tree = False, None
    try:
        tree = utils.fromstring(html, parser=utils.HTML_PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree, fallback_parse = utils.fromstring_bytes(html), True
    except Exception:  # noqa: BLE001 - as load_html: no tree
        pass
    if (tree is None or len(tree) < 1) and not fallback_parse:
        tree = utils.fromstring_bytes(html)
    if tree is not None and utils.is_dubious_html(beginning) and len(tree) < 2:
        return None  # not (well-formed) HTML
    return tree

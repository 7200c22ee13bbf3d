"""Template evidence: lines that recur across many stories of a site are chrome.

Learned by the profile step from a batch of pages (and merged with what the archive learned
from earlier runs); the clean stage asks `is_template_key` of each line of a page, under the
page's site (`sites.site_of`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .kernels import group_cap_kernel, line_hash, pages_line_hashes, site_salt, sorted_unique
from .lines import line_key


# A line on this share of a site's pages in the batch (and on 3 pages or more) is the site's,
# not a story's: it never names the story of a page (copies of one story on one site are a few
# of its pages; a comment policy printed on every page is on all of them).
SITE_WIDE_SHARE = 0.5
SITE_WIDE_MIN_PAGES = 3
# ... unless the page has no paragraph of its own at least this share of that line's length
# (copies of a wire story that make up most of a small batch differ only in short chrome lines).
STORY_MIN_SHARE = 0.4
# A line that is template on this many known sites is template on every site: shared
# boilerplate (a comment policy, a cookie text, a newsletter prompt of one vendor), while a
# wire story's copies count once per site and are never template within one.
CROSS_SITE_MIN_SITES = 2


def page_stories(key, line, page, length, page_site, n_pages: int) -> np.ndarray:
    """The story of each page (int64): the hash of its longest line (the first of equally long
    ones). Copies of one story share their longest paragraph, so their common lines count once.
    A page whose longest line is its site's boilerplate (a comment policy longer than the
    article's paragraphs) is named by its longest line that is not site-wide instead, when that
    is a paragraph (STORY_MIN_SHARE of the longest line's length)."""
    story = np.zeros(n_pages, np.int64)
    if not len(key):
        return story
    pos = np.arange(len(key))
    # pages per (site, line): rows sorted by key, one per (key, page)
    order = np.lexsort((page, key))
    k, p = key[order], page[order]
    first = np.concatenate(([True], (k[1:] != k[:-1]) | (p[1:] != p[:-1])))
    k_u = k[first]
    starts = np.flatnonzero(np.concatenate(([True], k_u[1:] != k_u[:-1])))
    pages_per_key = np.diff(np.append(starts, len(k_u)))
    count_u = np.repeat(pages_per_key, pages_per_key)
    count = np.empty(len(key), np.int64)
    count[order] = np.repeat(count_u, np.diff(np.append(np.flatnonzero(first), len(k))))
    site_pages = np.bincount(page_site, minlength=int(page_site.max()) + 1 if len(page_site) else 1)
    site_wide = (count >= SITE_WIDE_MIN_PAGES) & (count >= SITE_WIDE_SHARE * site_pages[page_site[page]])
    length = length.astype(np.int64)

    def first_per_page(order):
        head = np.concatenate(([True], page[order][1:] != page[order][:-1]))
        return order[head]

    longest = first_per_page(np.lexsort((pos, -length, page)))
    own = first_per_page(np.lexsort((pos, -length, site_wide, page)))  # non-site-wide first
    story[page[longest]] = line[longest]
    use_own = ~site_wide[own] & (length[own] >= STORY_MIN_SHARE * length[longest])
    story[page[own[use_own]]] = line[own[use_own]]
    return story


class TemplateLines:
    """Lines that recur across many pages of the same site are template chrome.

    Evidence is counted per (site, normalised line): the number of distinct *stories* the line
    appears in, where a page's story is identified by its longest line. Syndicated or re-sent
    copies of one story share that longest paragraph, so their shared body lines count once and
    never become template; a menu or footer line recurs across different stories.

    Held as numpy arrays, one row per (site, line, story), sorted by (key, story) where key is
    the line hash XOR a per-site salt; each line keeps its STORY_CAP smallest story hashes, so
    merging batch and archive evidence is order-free, idempotent and deterministic. Only lines
    seen in at least KEEP_STORIES stories are persisted (`to_arrow`, `len`): a line seen in one
    story is never template on its own, and most lines of a batch are such body lines."""

    STORY_CAP = 16
    KEEP_STORIES = 2

    def __init__(self, min_stories: int = 3, *, _rows=None, _sites=None):
        self.min_stories = min_stories
        self.site: str | None = None
        self._sites: list[str] = list(_sites or [])   # sorted site names ("" = unknown)
        if _rows is None:
            _rows = (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64),
                     np.empty(0, np.int32))
        # key (line hash ^ site salt), story, line hash, site code; sorted by (key, story)
        self._key, self._story, self._line, self._site = _rows
        # min_stories -> keys in at least that many stories; shared by the views of `for_site`
        self._templates: dict[int, frozenset[int]] = {}

    # -- building --------------------------------------------------------------------------

    @classmethod
    def from_pages(cls, pages: Iterable[str], *, sites: Iterable[str | None] | None = None,
                   min_stories: int = 3) -> "TemplateLines":
        """Count recurring lines over `pages` (plain-text dumps); `sites`, parallel to pages,
        scopes the evidence per site (None pools pages of unknown site together)."""
        pages = pages if isinstance(pages, list) else list(pages)
        site_list = list(sites) if sites is not None else []
        site_list += [None] * (len(pages) - len(site_list))
        names = sorted({x or "" for x in site_list[:len(pages)]})
        code_of = {name: i for i, name in enumerate(names)}
        page_site = np.fromiter((code_of[x or ""] for x in site_list[:len(pages)]), np.int32,
                                len(pages))
        line, page_ids, lengths = pages_line_hashes(pages)
        line = line.view(np.int64)
        out = cls(min_stories=min_stories, _sites=names)
        salts = np.asarray([site_salt(s) for s in names], np.int64)
        key = line ^ salts[page_site[page_ids]] if len(line) else line
        stories = page_stories(key, line, page_ids, lengths, page_site, len(pages))
        out._set_rows(line, stories[page_ids], page_site[page_ids])
        return out

    def _set_rows(self, line, story, site_code) -> None:
        """Store rows (line hash, story, site code): salted keys, duplicates dropped, sorted by
        (key, story), at most STORY_CAP smallest stories per key."""
        salts = np.asarray([site_salt(s) for s in self._sites], np.int64)
        key = line ^ salts[site_code] if len(line) else line.copy()
        if len(key) and not sorted_unique(key, story, self.STORY_CAP):
            # Sort by key only (much cheaper than a two-key lexsort); each key's stories are
            # sorted, deduplicated and capped in one pass of the kernel.
            order = np.argsort(key)
            key, story = key[order], story[order]
            first, story = group_cap_kernel()(key, story, self.STORY_CAP)
            order = order[first]
            key, line, site_code = key[first], line[order], site_code[order]
        self._key, self._story, self._line = key, story, line
        self._site = site_code.astype(np.int32, copy=False)
        self._templates = {}

    def _groups(self):
        """(start index, size) of each key's run of rows."""
        n = len(self._key)
        if not n:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        starts = np.flatnonzero(np.concatenate(([True], self._key[1:] != self._key[:-1])))
        return starts, np.diff(np.append(starts, n))

    # -- queries ---------------------------------------------------------------------------

    def _template_keys(self) -> tuple[frozenset, frozenset]:
        """(keys in at least min_stories stories, line hashes that are template on at least
        CROSS_SITE_MIN_SITES known sites), computed once per min_stories."""
        got = self._templates.get(self.min_stories)
        if got is None:
            starts, sizes = self._groups()
            rows = starts[sizes >= self.min_stories]
            keys = frozenset(self._key[rows].tolist())
            known = np.asarray([bool(name) for name in self._sites] or [False])[self._site[rows]]
            pairs = np.unique(np.stack([self._line[rows][known],
                                        self._site[rows][known].astype(np.int64)]), axis=1) \
                if known.any() else np.empty((2, 0), np.int64)
            lines, counts = np.unique(pairs[0], return_counts=True)
            got = (keys, frozenset(lines[counts >= CROSS_SITE_MIN_SITES].tolist()))
            self._templates[self.min_stories] = got
        return got

    def is_template(self, line: str, site: str | None = None) -> bool:
        """True when `line` recurs in at least `min_stories` distinct stories of `site` (the
        view's site, see `for_site`), or of pages whose site was not given, or is template on
        several other sites."""
        return self.match_key(line_key(line), site) is not None

    def is_template_key(self, k: str, site: str | None = None, *, pooled: bool = True) -> bool:
        """`is_template` for a line already normalised by `line_key`; `pooled=False` ignores
        the evidence of pages whose site was not given."""
        found = self.match_key(k, site)
        return found is not None and (pooled or found != "pooled")

    def match_key(self, k: str, site: str | None = None) -> str | None:
        """Which evidence makes the line (normalised by `line_key`) template: "site" (it recurs
        across stories of `site`, default the view's), "cross_site" (it is template on
        CROSS_SITE_MIN_SITES other sites: a comment policy, cookie text or newsletter prompt
        shared by many sites is template on a site's first page too), "pooled" (it recurs
        across stories of pages whose site was not given), or None."""
        if len(k) < 2:
            return None
        keys, cross = self._template_keys()
        if not keys:
            return None
        h = line_hash(k)
        site = site if site is not None else self.site
        if site and (h ^ site_salt(site)) in keys:
            return "site"
        if h in cross:
            return "cross_site"
        if (h ^ site_salt("")) in keys:
            return "pooled"
        return None

    def for_site(self, site: str | None, *, min_stories: int | None = None) -> "TemplateLines":
        """A view of the same evidence whose `is_template` looks at `site` (and unknown-site
        evidence) by default, a line being template from `min_stories` stories on (default:
        this object's). Cheap: views share the evidence and its lookup sets."""
        view = TemplateLines(min_stories=self.min_stories if min_stories is None else min_stories,
                             _sites=self._sites,
                             _rows=(self._key, self._story, self._line, self._site))
        view._templates = self._templates
        view.site = site
        return view

    def merge(self, other: "TemplateLines") -> "TemplateLines":
        """A new TemplateLines holding the evidence of both (same result in either order)."""
        names = sorted(set(self._sites) | set(other._sites))
        parts = []
        for src in (self, other):
            remap = np.searchsorted(names, src._sites).astype(np.int32) if src._sites \
                else np.empty(0, np.int32)
            parts.append((src._line, src._story, remap[src._site] if len(src._site) else src._site))
        out = TemplateLines(min_stories=min(self.min_stories, other.min_stories), _sites=names)
        out._set_rows(*(np.concatenate([p[i] for p in parts]) for i in range(3)))
        return out

    def __len__(self) -> int:
        """Lines with evidence worth keeping (seen in at least KEEP_STORIES stories)."""
        _starts, sizes = self._groups()
        return int((sizes >= self.KEEP_STORIES).sum())

    # -- Arrow -----------------------------------------------------------------------------

    def to_arrow(self):
        """A pyarrow table (site, line_hash, stories list, n_stories) of the lines seen in at
        least KEEP_STORIES stories, in the evidence's own order (by salted key, then story),
        so that reading one table back needs no sort."""
        import pyarrow as pa

        starts, sizes = self._groups()
        keep = sizes >= self.KEEP_STORIES
        starts, sizes = starts[keep], sizes[keep]
        rows = np.repeat(starts, sizes) + (np.arange(int(sizes.sum())) - np.repeat(
            np.cumsum(sizes) - sizes, sizes))
        offsets = np.concatenate(([0], np.cumsum(sizes))).astype(np.int32)
        names = pa.array(self._sites, pa.string())
        site = self._site[starts]
        return pa.table({
            "site": names.take(pa.array(site, pa.int32())) if len(site) else pa.array([], pa.string()),
            "line_hash": pa.array(self._line[starts], pa.int64()),
            "stories": pa.ListArray.from_arrays(pa.array(offsets, pa.int32()),
                                                pa.array(self._story[rows], pa.int64())),
            "n_stories": pa.array(sizes.astype(np.int32), pa.int32()),
        })

    @classmethod
    def from_arrow(cls, table, *, min_stories: int = 3) -> "TemplateLines":
        import pyarrow as pa
        import pyarrow.compute as pc

        out = cls(min_stories=min_stories)
        if table.num_rows == 0:
            return out
        site_col = pc.fill_null(table.column("site").combine_chunks(), "")
        enc = site_col.dictionary_encode()
        names = enc.dictionary.to_pylist()
        codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.int32)
        stories = table.column("stories").combine_chunks()
        if isinstance(stories, pa.ChunkedArray):  # pragma: no cover
            stories = stories.combine_chunks()
        lengths = pc.fill_null(pc.list_value_length(stories), 0).to_numpy(zero_copy_only=False)
        values = pc.list_flatten(stories).to_numpy(zero_copy_only=False).astype(np.int64)
        line = table.column("line_hash").to_numpy().astype(np.int64)
        order = sorted(range(len(names)), key=names.__getitem__)
        remap = np.empty(len(names), np.int32)
        remap[order] = np.arange(len(names), dtype=np.int32)
        out._sites = sorted(names)
        out._set_rows(np.repeat(line, lengths), values, np.repeat(remap[codes], lengths))
        return out

"""Leave-sites-out folds: every page of a site lands in the same fold.

A site's place is decided by a salted hash of its key, not by the order of the pages, so the
same set gives the same folds on every machine, and another salt gives other folds. Sites are
dealt in salted-hash order to the fold holding the fewest pages of their stratum so far, so
folds come out of similar size (at worst one site's pages apart) and, where a set mixes kinds of
pages (clean2's five benchmarks, the dates set's two collections), each fold holds a share of
each.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

SALT = "newsarchive-leave-sites-out-1"  # change it (--salt) to see how much the figures move with the split


def salted_hash(site: str, salt: str = SALT) -> str:
    """A stable order of sites that no page's name or position influences."""
    return hashlib.sha256(f"{salt}\0{site}".encode("utf-8")).hexdigest()


def assign_folds(site_of_doc: dict[str, str], k: int, *, salt: str = SALT,
                 stratum_of_doc: dict[str, str] | None = None) -> dict[str, int]:
    """Fold (0..k-1) of every document, by its site: all documents of one site share a fold.

    A site's stratum is the most common stratum of its documents (ties: the first by name).
    Within each stratum, sites go in salted-hash order to the fold with the fewest documents of
    that stratum, then the fewest documents in all, then the lowest index."""
    if k < 1:
        raise ValueError(f"need at least one fold, got {k}")
    size = Counter(site_of_doc.values())
    strata_of_site: dict[str, Counter] = defaultdict(Counter)
    for doc, site in site_of_doc.items():
        strata_of_site[site][(stratum_of_doc or {}).get(doc, "")] += 1
    stratum_of_site = {site: min(c, key=lambda s: (-c[s], s)) for site, c in strata_of_site.items()}
    sites_in: dict[str, list[str]] = defaultdict(list)
    for site, stratum in stratum_of_site.items():
        sites_in[stratum].append(site)

    total = [0] * k
    fold_of_site: dict[str, int] = {}
    for stratum in sorted(sites_in):
        in_stratum = [0] * k
        for site in sorted(sites_in[stratum], key=lambda s: salted_hash(s, salt)):
            f = min(range(k), key=lambda i: (in_stratum[i], total[i], i))
            fold_of_site[site] = f
            in_stratum[f] += size[site]
            total[f] += size[site]
    return {doc: fold_of_site[site] for doc, site in site_of_doc.items()}


def members(fold_of_doc: dict[str, int]) -> dict[int, list[str]]:
    """Documents of each non-empty fold, sorted, by fold index."""
    out: dict[int, list[str]] = defaultdict(list)
    for doc, f in fold_of_doc.items():
        out[f].append(doc)
    return {f: sorted(docs) for f, docs in sorted(out.items())}

"""Ingest: discover what lies in a landing folder and turn each input into text, safely.

A landing folder is a local path or any fsspec URL (s3://, gs://, memory://, an Airflow
ObjectStoragePath string). It holds `.txt` page dumps, `.html`/`.htm` pages, `.jsonl` files
with one article per line and WARC files (`.warc`: each `response` record is an input, see
warc.py), each of them also compressed (`.gz`, `.bz2`, `.zst`: compressed.py). Every input
comes out as exactly one `RawInput` or one `Rejected` (with a reason from
`QUARANTINE_REASONS`), so nothing that lands is lost, and nothing outside the landing folder is
ever read:

- only regular files inside the landing root are opened; symlinks are followed only to regular
  files that are themselves inside the root (the final open refuses any link, and every folder
  on the way is opened without following links, so a path swapped for a link mid-run cannot
  lead out); FIFOs, sockets, devices, folders behind links, dangling or looping links and links
  out of the root are rejected without opening their target;
- no read is unbounded: at most `max_bytes` + 1 bytes are read to decide an input is too
  large (its bytes are then copied, streamed, to a file beside the run's rows, so they are kept);
- a JSONL file is split into lines before any limit applies: each line is its own input;
- a compressed file is decompressed as a stream and the limit applies to the decompressed
  bytes: a decompression bomb costs at most the limit; a compressed input that is quarantined
  keeps its compressed bytes (what landed), and a truncated or damaged stream quarantines
  what cannot be read (`corrupt`) while every line or record read before it is kept;
- a WARC file is read a byte range at a time (`plan_entries`), never whole;
- file names that are not valid UTF-8 are kept losslessly (`stored_path`).
"""

from __future__ import annotations

import codecs
import datetime as dt
import errno
import hashlib
import json
import os
import posixpath
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from collections import Counter
from typing import BinaryIO, Iterable, Iterator, Union

import charset_normalizer
import fsspec
import fsspec.implementations.local

from . import compressed, faults, warc

# The fixed vocabulary of quarantine reasons (docs/operations.md explains each).
QUARANTINE_REASONS = (
    "empty",  # zero bytes, or only whitespace
    "binary",  # NUL bytes / control characters: not a text page
    "undecodable",  # no charset decodes it
    "unsupported_type",  # an extension the pipeline does not read
    "too_large",  # over settings.max_input_bytes (the bytes are kept in a file, see raw_path)
    "not_an_article",  # a JSONL line that is no article record, or a page with no article in it
    "no_text",  # cleaning left no article body
    "extract_timeout",  # extraction exceeded settings.extract_timeout_s
    "extract_error",  # the extractor raised
    "not_a_file",  # a FIFO, socket, device or folder: never opened
    "outside_landing",  # a symlink whose target is outside the landing folder: never opened
    "broken_link",  # a dangling or looping symlink
    "vanished",  # listed when the run was planned, gone when it was read
    "unreadable",  # the file system refused the read (permissions, I/O error)
    "internal_error",  # a stage failed on this input (a bug): the run went on without it
    "corrupt",  # a truncated or damaged compressed stream or WARC file: the unreadable part
    "not_html",  # a WARC response whose payload is not HTML or plain text (payload not kept)
    "http_error",  # a WARC response with an HTTP error status, 4xx/5xx (payload not kept)
    "redirect",  # a WARC response with an HTTP 3xx status (payload not kept)
)
# WARC responses that are no page: accounted for by a row, their payload left in the WARC
# (images, scripts and error pages would multiply the quarantine's size for nothing).
PAYLOAD_NOT_KEPT = ("not_html", "http_error", "redirect")

TEXT_SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl", ".warc": "warc"}
# HTTP media types read as pages (anything else in a WARC is `not_html`).
HTML_TYPES = {"text/html", "application/xhtml+xml", "application/xml+xhtml"}
TEXT_TYPES = {"text/plain"}

_READ_BLOCK = 1 << 20


class LandingError(OSError):
    """The landing folder itself cannot be listed (missing, not a folder, not readable)."""


@dataclass(slots=True)
class RawInput:
    """One decoded input, ready for cleaning."""

    source_path: str  # relative to the landing root (`stored_path`); `#N` for JSONL line N
    source_sha256: str  # of the raw bytes (of the line, for JSONL)
    size_bytes: int
    kind: str  # "text" or "html"
    content: str
    url: str | None = None
    declared: str | None = None  # publication date as the input declared it (JSONL `published`)
    site: str | None = None  # JSONL `source`
    source_path_bytes: bytes | None = None  # the name's bytes when it is not valid UTF-8
    crawled_at: dt.datetime | None = None  # WARC-Date (UTC) of a WARC record; its acquisition day
    # The input's bytes when they are not simply `content` in UTF-8 (a legacy charset, a BOM, a
    # JSONL line): what a later stage keeps if it rejects the input.
    raw: bytes | None = None

    def raw_bytes(self) -> bytes:
        return self.raw if self.raw is not None else self.content.encode("utf-8")


@dataclass(slots=True)
class Rejected:
    """One input that cannot become an article, with its raw bytes kept: in `raw`, or (too
    large for a row) in the file `raw_file`, named by its sha256. Entries that were never
    opened (links out of the landing folder, FIFOs, ...) keep no bytes: `size_bytes` is None
    and `source_sha256` is the sha256 of what was found (e.g. `fifo`, `symlink -> /etc/passwd`),
    so the same entry is recognised on the next run."""

    source_path: str
    source_sha256: str
    size_bytes: int | None
    reason: str
    detail: str
    raw: bytes | None = None
    raw_file: str | None = None
    source_path_bytes: bytes | None = None
    url: str | None = None  # a WARC record's WARC-Target-URI
    crawled_at: dt.datetime | None = None  # a WARC record's WARC-Date (UTC)


# A manifest entry: a relative path (the whole file), or [path, start, end]: the records of a
# WARC file that start in that byte range.
Entry = Union[str, list]


def entry_path(entry: Entry) -> str:
    return entry if isinstance(entry, str) else entry[0]


def input_kind(rel: str) -> tuple[str | None, str | None]:
    """(kind: text/html/jsonl/warc or None, compression or None) from a file's suffixes."""
    suffix, compression = compressed.split_suffix(rel)
    return TEXT_SUFFIXES.get(suffix), compression


def has_parts(rel: str) -> bool:
    """Whether a file holds many inputs (JSONL lines, WARC records): `path#...` each."""
    return input_kind(rel)[0] in ("jsonl", "warc")


def landing_fs(landing: str):
    """(filesystem, root path) for a local path or an fsspec URL."""
    fs, root = fsspec.core.url_to_fs(str(landing))
    return fs, root.rstrip("/") or "/"


def _is_local(fs) -> bool:
    return isinstance(fs, fsspec.implementations.local.LocalFileSystem)


def stored_path(rel: str) -> tuple[str, bytes | None]:
    """The archive's form of a relative path: the path itself when its name is valid UTF-8;
    otherwise each byte that is not valid UTF-8 written `%XX` (and `%` as `%25`), with the
    exact bytes returned beside it (archived as `source_path_bytes`)."""
    try:
        rel.encode("utf-8")
        return rel, None
    except UnicodeEncodeError:
        pass
    raw = rel.encode("utf-8", "surrogateescape")
    out = []
    for ch in rel:
        if "\udc80" <= ch <= "\udcff":
            out.append(f"%{ord(ch) - 0xDC00:02X}")
        else:
            out.append("%25" if ch == "%" else ch)
    return "".join(out), raw


def discover(landing: str, *, archive_root: str | None = None) -> list[str]:
    """Every entry under the landing root as a sorted relative POSIX path: regular files, and
    everything else that is not a plain folder (links, FIFOs, ...) so that it is accounted for.
    Hidden files and folders are skipped (editors' and uploaders' temporary files start with a
    dot). Names that are not valid UTF-8 come back with surrogate escapes (os.fsdecode).
    `archive_root`: an archive kept inside the landing folder is not listed (its own files
    would come back as inputs, each run quarantining the last one's output)."""
    fs, root = landing_fs(landing)
    if not _is_local(fs):
        if not fs.exists(root):
            raise LandingError(errno.ENOENT, "landing folder does not exist", str(landing))
        found = []
        for path in fs.find(root):
            rel = posixpath.relpath(path, root)
            if not any(part.startswith(".") for part in rel.split("/")):
                found.append(rel)
        return sorted(found)
    try:
        st = os.stat(root)
    except FileNotFoundError:
        raise LandingError(errno.ENOENT, "landing folder does not exist", str(landing)) from None
    except OSError as exc:
        raise LandingError(exc.errno, f"landing folder cannot be reached ({exc.strerror})", str(landing)) from None
    if not stat.S_ISDIR(st.st_mode):
        raise LandingError(errno.ENOTDIR, "landing folder is not a folder", str(landing))
    if not os.access(root, os.R_OK | os.X_OK):
        raise LandingError(errno.EACCES, "landing folder is not readable", str(landing))
    skip = os.path.realpath(archive_root) if archive_root else None
    if skip is not None and skip == os.path.realpath(root):
        raise LandingError(errno.EINVAL, "the landing folder is the archive root: give each its own folder",
                           str(landing))
    found: list[str] = []
    unlisted: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=lambda e: unlisted.append(e.filename)):
        base = os.path.relpath(dirpath, root)
        base = "" if base == "." else base.replace(os.sep, "/") + "/"
        kept = []
        for name in dirnames:
            if name.startswith("."):
                continue
            if os.path.islink(os.path.join(dirpath, name)):
                found.append(base + name)  # a link to a folder: accounted for, never walked
            elif skip is None or os.path.realpath(os.path.join(dirpath, name)) != skip:
                kept.append(name)
        dirnames[:] = kept
        found.extend(base + name for name in filenames if not name.startswith("."))
    for path in unlisted:  # folders the scan could not enter
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        if rel != ".":
            found.append(rel)
    return sorted(set(found))


def doc_id(source_path: str) -> str:
    """The command line's id of an input: its relative path without its type and compression
    suffixes, the part after `#` kept (`feed.jsonl.gz#7` -> `feed#7`, `crawl.warc.gz#urn:uuid:..`
    -> `crawl#urn:uuid:..`)."""
    path, _, part = source_path.partition("#")
    stem = compressed.strip_suffixes(path) if input_kind(path)[0] else posixpath.splitext(path)[0]
    return f"{stem}#{part}" if part else stem


def record_paths(landing: str, entry: Entry) -> list[str]:
    """The source paths of the WARC response records an entry holds (headers only), for the
    check of what is archived already; [] when the file cannot be opened here."""
    fs, root = landing_fs(landing)
    rel = entry_path(entry)
    start, end = (0, None) if isinstance(entry, str) else (int(entry[1]), int(entry[2]))
    try:
        if _is_local(fs):
            opened = _open_local(os.path.realpath(root), rel)
            if isinstance(opened, tuple):
                return []
            fh = os.fdopen(opened, "rb")
        else:
            fh = fs.open(f"{root}/{rel}", "rb")
        with fh:
            ids = warc.record_ids(fh, start, end)
    except Exception:
        return []
    shown = stored_path(rel)[0]
    return [f"{shown}#{i}" for i in ids if i]


def plan_entries(landing: str, paths: list[str], range_bytes: int,
                 range_inputs: int | None = None) -> list[tuple[Entry, int]]:
    """The manifest entries of the listed paths, each with its WARC bytes (0 for other files):
    WARC files larger than `range_bytes` (or than about `range_inputs` response records) that
    can be entered in the middle (plain, or gzip record by record) become several byte ranges,
    so one large crawl feeds every worker;
    everything else stays one entry per file. A file that cannot be opened here stays one
    entry (reading it accounts for it)."""
    fs, root = landing_fs(landing)
    local = _is_local(fs)
    real_root = os.path.realpath(root) if local else root
    entries: list[tuple[Entry, int]] = []
    for rel in paths:
        if input_kind(rel)[0] != "warc":
            entries.append((rel, 0))
            continue
        try:
            if local:
                opened = _open_local(real_root, rel)
                if isinstance(opened, tuple):
                    entries.append((rel, 0))
                    continue
                fh = os.fdopen(opened, "rb")
            else:
                fh = fs.open(f"{root}/{rel}", "rb")
            with fh:
                fh.seek(0, 2)
                size = fh.tell()
                ranges = warc.plan_ranges(fh, size, range_bytes, range_inputs)
        except Exception:  # planning is an optimisation: the reader accounts for a bad file
            entries.append((rel, 0))
            continue
        entries.extend((rel if len(ranges) == 1 else [rel, a, b], b - a) for a, b in ranges)
    return entries


def read_inputs(landing: str, paths: Iterable[Entry], *, max_bytes: int,
                blobs: str | os.PathLike | None = None,
                not_inputs: Counter | None = None) -> Iterator[RawInput | Rejected]:
    """Read and decode the given manifest entries (relative paths as `discover` returns them,
    or WARC byte ranges from `plan_entries`), yielding one result per input (per line for
    JSONL, per `response` record for WARC). `blobs`: a folder where the bytes of inputs too
    large for a row are copied (named by sha256); without it, too-large inputs are rejected
    without hashing or copying (for passes that only learn from readable pages).
    `not_inputs`: counts the WARC records that are not inputs, by type (request, revisit, ...)."""
    fs, root = landing_fs(landing)
    local = _is_local(fs)
    real_root = os.path.realpath(root) if local else root
    not_inputs = Counter() if not_inputs is None else not_inputs
    for entry in paths:
        rel = entry_path(entry)
        start, end = (0, None) if isinstance(entry, str) else (int(entry[1]), int(entry[2]))
        shown, name_bytes = stored_path(rel)
        kind, compression = input_kind(rel)
        # A problem with the whole file is reported once per entry: a range has its own name.
        whole = shown if isinstance(entry, str) else f"{shown}#@{start}"
        try:
            faults.inject("read", shown)
            if local:
                opened = _open_local(real_root, rel)
                if isinstance(opened, tuple):  # (reason, detail, what was found)
                    reason, detail, found = opened
                    yield Rejected(whole, sha256(found.encode("utf-8", "surrogateescape")), None, reason,
                                   detail, source_path_bytes=name_bytes)
                    continue
                fh = os.fdopen(opened, "rb")
            else:
                fh = fs.open(f"{root}/{rel}", "rb")
            with fh:
                if kind == "warc":
                    yield from _warc_inputs(shown, name_bytes, fh, start, end, max_bytes, blobs, not_inputs)
                elif kind == "jsonl":
                    yield from _jsonl_inputs(shown, name_bytes, fh, max_bytes, blobs, compression)
                elif compression:
                    yield _compressed_input(shown, name_bytes, fh, kind, compression, rel, max_bytes, blobs)
                else:
                    yield _file_input(shown, name_bytes, fh, kind, rel, max_bytes, blobs)
        except FileNotFoundError:
            yield Rejected(whole, sha256(b""), None, "vanished",
                           "listed when the run was planned, gone when it was read", source_path_bytes=name_bytes)
        except OSError as exc:
            yield Rejected(whole, sha256(b"unreadable"), None, "unreadable", one_line(exc),
                           source_path_bytes=name_bytes)
        except Exception as exc:  # a bug must cost one input, not the run
            yield Rejected(whole, sha256(b"internal_error"), None, "internal_error",
                           f"read: {one_line(exc)}", source_path_bytes=name_bytes)


_FILE_TYPES = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
               (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def _type_name(mode: int) -> str:
    return next((name for test, name in _FILE_TYPES if test(mode)), "not a regular file")


def _open_local(real_root: str, rel: str) -> int | tuple[str, str, str]:
    """A read-only descriptor of the regular file `rel` inside the landing root, or (reason,
    detail, description) when it must not be read. Only lstat/readlink touch anything else."""
    path = os.path.join(real_root, rel)
    st = os.lstat(path)  # FileNotFoundError: vanished
    if stat.S_ISLNK(st.st_mode):
        target = os.readlink(path)
        found = f"symlink -> {target}"
        real = os.path.realpath(path)
        if not os.path.lexists(real) or os.path.islink(real):
            return "broken_link", f"a symlink to {target!r}, which does not resolve (dangling or a loop)", found
        if os.path.commonpath([real, real_root]) != real_root:
            return "outside_landing", f"a symlink to {real!r}, outside the landing folder: not read", found
        st = os.stat(real)
        if not stat.S_ISREG(st.st_mode):
            return "not_a_file", f"a symlink to {_type_name(st.st_mode)} inside the landing folder: not read", found
        rel = os.path.relpath(real, real_root)
    elif not stat.S_ISREG(st.st_mode):
        name = _type_name(st.st_mode)
        return "not_a_file", f"{name}, not a regular file: not read", name
    return _open_beneath(real_root, rel, (st.st_dev, st.st_ino))


def _open_beneath(real_root: str, rel: str, expect: tuple[int, int]) -> int | tuple[str, str, str]:
    """Open `rel` below the root one component at a time, never following a link, and check it
    is still the regular file that was looked at (a swap between lstat and open is caught)."""
    parts = [p for p in rel.split(os.sep) if p not in ("", ".")]
    nofollow = os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(real_root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in parts[:-1]:
            nxt = os.open(part, os.O_RDONLY | os.O_DIRECTORY | nofollow, dir_fd=fd)
            os.close(fd)
            fd = nxt
        try:
            # O_NONBLOCK: a FIFO swapped in after lstat opens at once instead of hanging.
            out = os.open(parts[-1], os.O_RDONLY | os.O_NONBLOCK | nofollow, dir_fd=fd)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                return "broken_link", "the path turned into a symlink while it was read: not read", "swapped"
            raise
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            return "broken_link", "a folder on the path turned into a symlink while it was read: not read", "swapped"
        raise
    finally:
        os.close(fd)
    st = os.fstat(out)
    if not stat.S_ISREG(st.st_mode) or (st.st_dev, st.st_ino) != expect:
        os.close(out)
        return "not_a_file", "the file was replaced while it was read: not read", "swapped"
    os.set_blocking(out, True)
    return out


def _read_at_most(fh: BinaryIO, limit: int) -> bytes:
    chunks, left = [], limit
    while left > 0:
        block = fh.read(min(left, _READ_BLOCK))
        if not block:
            break
        chunks.append(block)
        left -= len(block)
    return b"".join(chunks)


def _keep_large(head: bytes, fh: BinaryIO, blobs) -> tuple[str, int, str | None]:
    """Stream `head` and the rest of `fh` into a blob file named by its sha256; (sha256,
    size, blob path). Without a blob folder only the head is hashed (the input is skipped)."""
    digest = hashlib.sha256(head)
    size = len(head)
    if blobs is None:
        return digest.hexdigest(), size, None
    folder = Path(blobs)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".incoming-{os.getpid()}"
    with open(tmp, "wb") as out:
        out.write(head)
        for block in iter(lambda: fh.read(_READ_BLOCK), b""):
            digest.update(block)
            out.write(block)
            size += len(block)
    name = digest.hexdigest()
    os.replace(tmp, folder / name)
    return name, size, str(folder / name)


def _file_input(shown: str, name_bytes, fh: BinaryIO, kind: str | None, rel: str, max_bytes: int,
                blobs) -> RawInput | Rejected:
    data = _read_at_most(fh, max_bytes + 1)
    if len(data) > max_bytes:
        digest, size, blob = _keep_large(data, fh, blobs)
        return Rejected(shown, digest, size, "too_large", f"{size if blob else 'over'} bytes > limit {max_bytes}"
                        + ("; all bytes kept in raw_path" if blob else ""), raw_file=blob, source_path_bytes=name_bytes)
    if kind is None:
        return Rejected(shown, sha256(data), len(data), "unsupported_type",
                        f"extension {posixpath.splitext(rel)[1] or '(none)'} is not one of "
                        + ", ".join(sorted(TEXT_SUFFIXES)), data, source_path_bytes=name_bytes)
    return _decoded(shown, data, kind, name_bytes)


def _decoded(shown: str, data: bytes, kind: str, name_bytes=None, *, landed: bytes | None = None,
             charset: str | None = None, url: str | None = None,
             crawled_at: dt.datetime | None = None) -> RawInput | Rejected:
    """`data` decoded as a page. `landed`: the bytes that identify and are kept for the input
    when they are not `data` itself (a compressed file); `charset`: the HTTP header's."""
    kept = data if landed is None else landed
    digest = sha256(kept)

    def reject(reason, detail):
        return Rejected(shown, digest, len(kept), reason, detail, kept, source_path_bytes=name_bytes, url=url,
                        crawled_at=crawled_at)

    problem = _problem(data)
    if problem:
        return reject(*problem)
    if kind == "text" and _is_markup(data):
        kind = "html"  # a page saved as .txt (crawlers name files as they like): read it as HTML
    try:
        faults.inject("decode", shown)
        text, plain = _decode(data, html=kind == "html", charset=charset)
    except UnicodeError as exc:
        return reject("undecodable", one_line(exc))
    except Exception as exc:  # a decoder bug must cost one input, not the run
        return reject("internal_error", f"decode: {one_line(exc)}")
    return RawInput(shown, digest, len(kept), kind, text, url=url, source_path_bytes=name_bytes,
                    crawled_at=crawled_at, raw=None if plain and landed is None else kept)


def _compressed_input(shown: str, name_bytes, fh: BinaryIO, kind: str | None, compression: str, rel: str,
                      max_bytes: int, blobs) -> RawInput | Rejected:
    """One compressed page. Its identity and kept bytes are the compressed bytes as landed; the
    limit applies to the decompressed bytes, of which at most `max_bytes` + 1 are produced."""
    packed = _read_at_most(fh, max_bytes + 1)
    if len(packed) > max_bytes:  # even the compressed bytes are over the limit
        digest, size, blob = _keep_large(packed, fh, blobs)
        return Rejected(shown, digest, size, "too_large", f"{size if blob else 'over'} compressed bytes > limit "
                        f"{max_bytes}" + ("; all bytes kept in raw_path" if blob else ""), raw_file=blob,
                        source_path_bytes=name_bytes)

    def reject(reason, detail):
        return Rejected(shown, sha256(packed), len(packed), reason, detail, packed, source_path_bytes=name_bytes)

    if kind is None:
        return reject("unsupported_type", f"a {compression} file whose name gives no supported type "
                      "(expected e.g. .txt.gz, .html.bz2, .jsonl.zst, .warc.gz)")
    try:
        data = compressed.decompress_at_most(packed, compression, max_bytes + 1)
    except compressed.Corrupt as exc:
        return reject("corrupt", f"{exc}; the compressed bytes are kept")
    if len(data) > max_bytes:
        return reject("too_large", f"decompresses to more than the limit of {max_bytes} bytes (reading stopped "
                      "there); the compressed bytes are kept")
    return _decoded(shown, data, kind, name_bytes, landed=packed)


def _keeper(blobs, max_bytes: int):
    """A `warc.KeepFn`: bytes up to `max_bytes` are kept for the row; beyond that they are
    streamed to a blob file named by their sha256 (without a blob folder, only hashed)."""
    def keep(chunks: Iterable[bytes]) -> tuple[str, int, bytes | None, str | None]:
        digest, size, held, out, tmp = hashlib.sha256(), 0, [], None, None
        try:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                if out is None and size <= max_bytes:
                    held.append(chunk)
                    continue
                if out is None and blobs is not None:
                    Path(blobs).mkdir(parents=True, exist_ok=True)
                    tmp = Path(blobs) / f".incoming-{os.getpid()}"
                    out = open(tmp, "wb")
                    out.writelines(held)
                held = []
                if out is not None:
                    out.write(chunk)
        finally:
            if out is not None:
                out.close()
        name = digest.hexdigest()
        if tmp is None:
            return name, size, (b"".join(held) if size <= max_bytes else None), None
        os.replace(tmp, Path(blobs) / name)
        return name, size, None, str(Path(blobs) / name)

    return keep


def _warc_inputs(shown: str, name_bytes, fh: BinaryIO, start: int, end: int | None, max_bytes: int, blobs,
                 not_inputs: Counter) -> Iterator[RawInput | Rejected]:
    """The inputs of the WARC records that start in [start, end): one per `response` record
    (`<file>#<WARC-Record-ID>`), and one per unreadable region (`<file>#@<offset>`)."""
    for item in warc.read_range(fh, start, end, max_bytes=max_bytes, keep=_keeper(blobs, max_bytes),
                                not_inputs=not_inputs):
        if isinstance(item, warc.Kept):
            yield Rejected(f"{shown}#{item.source}", item.sha256, item.size,
                           "too_large" if item.what == "too_large" else "corrupt", item.detail, item.data,
                           item.path, source_path_bytes=name_bytes, url=item.url, crawled_at=item.crawled_at)
            continue
        yield _warc_response(shown, name_bytes, item, max_bytes)


def _warc_response(shown: str, name_bytes, r: "warc.Response", max_bytes: int) -> RawInput | Rejected:
    path = f"{shown}#{r.record_id or f'@{r.offset}'}"
    at = f" (record at byte {r.offset})" if r.offset is not None else ""

    def account(reason, detail):  # payload left in the WARC: see PAYLOAD_NOT_KEPT
        return Rejected(path, sha256(r.body), r.block_size, reason, detail + at, source_path_bytes=name_bytes,
                        url=r.url, crawled_at=r.crawled_at)

    if r.status is None:
        return account("not_html", r.reason)
    if 300 <= r.status < 400:
        return account("redirect", f"HTTP {r.status} {r.reason}".rstrip() + (f" -> {r.location}" if r.location else ""))
    if not 200 <= r.status < 300:
        return account("http_error", f"HTTP {r.status} {r.reason}".rstrip())
    kind = _payload_kind(r.content_type, r.body)
    if kind is None:
        return account("not_html", f"payload type {r.content_type}")
    if r.over_limit:
        return Rejected(path, sha256(r.block), len(r.block), "too_large",
                        f"the payload decodes to more than the limit of {max_bytes} bytes (decoding stopped there); "
                        "the record block (HTTP headers and payload as stored) is kept", r.block,
                        source_path_bytes=name_bytes, url=r.url, crawled_at=r.crawled_at)
    return _decoded(path, r.body, kind, name_bytes, charset=r.charset, url=r.url, crawled_at=r.crawled_at)


def _payload_kind(media: str | None, body: bytes) -> str | None:
    if media in HTML_TYPES:
        return "html"
    if media in TEXT_TYPES:
        return "text"
    if media is None:  # no Content-Type: markup is a page, anything else is judged as text
        return "html" if body.lstrip()[:1] == b"<" else "text"
    return None


class _LineReader:
    """Lines of a byte stream split on b"\\n" only (a JSON string never holds a raw newline,
    and U+2028 inside one must not split it), never holding more than `max_bytes` + one read
    block of a line in memory: an over-long line comes back as its first bytes, flagged, and
    `drain` streams the rest of it to a blob file."""

    def __init__(self, fh: BinaryIO, max_bytes: int):
        self.fh, self.max, self.buffer, self.done = fh, max_bytes, b"", False

    def _fill(self) -> bool:
        block = b"" if self.done else self.fh.read(_READ_BLOCK)
        self.done = not block
        self.buffer += block
        return bool(block)

    def next(self) -> tuple[bytes, bool] | None:
        """(line, over_limit), or None at the end of the stream."""
        while True:
            cut = self.buffer.find(b"\n")
            if 0 <= cut <= self.max:
                line, self.buffer = self.buffer[:cut], self.buffer[cut + 1:]
                return line, False
            if len(self.buffer) > self.max:
                return b"", True
            if not self._fill():
                if not self.buffer:
                    return None
                line, self.buffer = self.buffer, b""
                return line, False

    def drain(self, blobs) -> tuple[str, int, str | None]:
        """Consume the over-long line at the head of the buffer: (sha256, size, blob path)."""
        digest, size, out, tmp = hashlib.sha256(), 0, None, None
        if blobs is not None:
            Path(blobs).mkdir(parents=True, exist_ok=True)
            tmp = Path(blobs) / f".incoming-{os.getpid()}"
            out = open(tmp, "wb")
        try:
            while True:
                cut = self.buffer.find(b"\n")
                part = self.buffer if cut < 0 else self.buffer[:cut]
                digest.update(part)
                size += len(part)
                if out is not None:
                    out.write(part)
                if cut >= 0:
                    self.buffer = self.buffer[cut + 1:]
                    break
                self.buffer = b""
                if not self._fill():
                    break
        finally:
            if out is not None:
                out.close()
        name = digest.hexdigest()
        if tmp is None:
            return name, size, None
        os.replace(tmp, Path(blobs) / name)
        return name, size, str(Path(blobs) / name)


def _jsonl_inputs(rel: str, name_bytes, fh: BinaryIO, max_bytes: int, blobs,
                  compression: str | None = None) -> Iterator[RawInput | Rejected]:
    reader = _LineReader(compressed.open_stream(fh, compression) if compression else fh, max_bytes)
    number = records = 0
    while True:
        try:
            got = reader.next()
        except compressed.Corrupt as exc:
            yield _rest_of_file(f"{rel}#{number + 1}", name_bytes, fh, blobs, "corrupt",
                                f"{exc} in line {number + 1}")
            return
        if got is None:
            if not records:  # no record at all: the file itself is accounted for, once
                fh.seek(0)
                digest, size, raw, blob = _keeper(blobs, max_bytes)(iter(lambda: fh.read(_READ_BLOCK), b""))
                yield Rejected(rel, digest, size, "empty", "no bytes" if not size else "a JSONL file with no records "
                               "(only blank lines)", raw=raw, raw_file=blob, source_path_bytes=name_bytes)
            return
        number += 1
        line, over = got
        source_path = f"{rel}#{number}"
        if over and compression:
            # Reading on would decompress a bomb to its end: stop at the limit.
            yield _rest_of_file(source_path, name_bytes, fh, blobs, "too_large",
                                f"line {number} decompresses to more than the limit of {max_bytes} bytes")
            return
        if over:
            digest, size, blob = reader.drain(blobs)
            yield Rejected(source_path, digest, size, "too_large",
                           f"a line of {size} bytes > limit {max_bytes}" + ("; all bytes kept in raw_path" if blob else ""),
                           raw_file=blob, source_path_bytes=name_bytes)
            records += 1
            continue
        line = line.rstrip(b"\r")
        if not line.strip():
            continue  # blank lines separate records; they are not inputs
        records += 1
        yield _jsonl_record(source_path, line, name_bytes)


def _rest_of_file(source_path: str, name_bytes, fh: BinaryIO, blobs, reason: str, why: str) -> Rejected:
    """Line N and everything after it in a compressed JSONL file that cannot be read on: the
    whole compressed file is kept (the only form that holds those lines)."""
    fh.seek(0)
    digest, size, blob = _keep_large(b"", fh, blobs)
    return Rejected(source_path, digest, size, reason,
                    f"{why}: reading stopped; the lines from here on are kept with the whole compressed file"
                    + (" in raw_path" if blob else ""), raw_file=blob, source_path_bytes=name_bytes)


def _jsonl_record(source_path: str, line: bytes, name_bytes) -> RawInput | Rejected:
    digest = sha256(line)

    def reject(reason, detail):
        return Rejected(source_path, digest, len(line), reason, detail, line, source_path_bytes=name_bytes)

    problem = _problem(line)
    if problem:
        return reject(*problem)
    try:
        faults.inject("decode", source_path)
        record = json.loads(decode_bytes(line, html=False))
    except RecursionError:
        return reject("not_an_article", "invalid JSON: nested too deeply to read")
    except (UnicodeError, ValueError) as exc:
        return reject("not_an_article", f"invalid JSON: {one_line(exc)}")
    except Exception as exc:  # a decoder bug must cost one line, not the run
        return reject("internal_error", f"decode: {one_line(exc)}")
    body_kind, content = _article_field(record)
    if content is None:
        return reject("not_an_article", "expected an object with a non-empty string `html` or `text`")
    return RawInput(source_path, digest, len(line), body_kind, content, url=_string(record.get("url")),
                    declared=_string(record.get("published")), site=_string(record.get("source")),
                    source_path_bytes=name_bytes, raw=line)


def _article_field(record) -> tuple[str, str | None]:
    if not isinstance(record, dict):
        return "text", None
    for key, kind in (("html", "html"), ("text", "text")):
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return kind, value
    return "text", None


def _string(value) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


# C0 control bytes other than tab, newlines, vertical tab, form feed and carriage return.
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32)])


def _problem(data: bytes) -> tuple[str, str] | None:
    """A reason this file cannot be a text page, judged on its bytes."""
    if not data.strip():
        return ("empty", "no bytes" if not data else "only whitespace")
    head = data[:8192]
    if _bom_codec(head) is None:
        if b"\x00" in head:
            return ("binary", "NUL bytes in the first 8 KiB")
        controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
        if controls > len(head) * 0.05:
            return ("binary", f"{controls} control bytes in the first {len(head)}")
    return None


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _bom_codec(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


def decode_bytes(data: bytes, *, html: bool) -> str:
    """Decode page bytes: a BOM wins, then an HTML meta charset, then strict UTF-8, then the
    charset detector. Raises UnicodeError when nothing decodes it."""
    return _decode(data, html=html)[0]


_MARKUP_START = re.compile(rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
                           re.IGNORECASE | re.DOTALL)


def _is_markup(data: bytes) -> bool:
    """Whether the bytes open as an HTML document (`<!DOCTYPE html`, `<html`), a UTF-8 BOM aside."""
    return _MARKUP_START.match(data[3:1027] if data.startswith(b"\xef\xbb\xbf") else data[:1024]) is not None


def _decode(data: bytes, *, html: bool, charset: str | None = None) -> tuple[str, bool]:
    """(text, whether the text is exactly `data` read as UTF-8). A BOM wins, then the HTTP
    header's charset (`charset`, WARC inputs), then the HTML meta charset, then UTF-8, then
    detection (the WHATWG order)."""
    codec = _bom_codec(data)
    if codec:
        return data.decode(codec), False
    if charset:
        codec = _normal_codec(charset)
        try:
            return data.decode(codec), codec.replace("_", "-") in ("utf-8", "utf8")
        except (LookupError, UnicodeError):
            pass  # a wrong header: the page's own declaration or detection decides
    if html:
        match = _META_CHARSET.search(data[:4096])
        if match:
            codec = _normal_codec(match.group(1).decode("ascii", "replace"))
            try:
                return data.decode(codec), codec.replace("_", "-") in ("utf-8", "utf8")
            except (LookupError, UnicodeError):
                pass  # a lying meta tag is common: fall through to detection
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise UnicodeError("no charset decodes these bytes")
    return str(best), False


def _normal_codec(name: str) -> str:
    name = name.lower()
    # Browsers read these labels as their supersets (WHATWG encoding standard).
    return {"iso-8859-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252",
            "gb2312": "gb18030", "gbk": "gb18030", "euc-kr": "cp949", "ks_c_5601-1987": "cp949",
            "shift_jis": "cp932", "x-sjis": "cp932"}.get(name, name)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def one_line(exc: BaseException) -> str:
    """An exception as one line: its type and the first line of its message."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:300]}" if text else type(exc).__name__

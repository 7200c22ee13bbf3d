"""Ingest: discover the files in a landing folder and decode each input into text.

A landing folder is a local path or any fsspec URL (s3://, gs://, memory://, an Airflow
ObjectStoragePath string). It holds `.txt` page dumps, `.html`/`.htm` pages and `.jsonl` files
with one article per line. Every input comes out as exactly one `RawInput` or one `Rejected`
(with a reason from `QUARANTINE_REASONS`), so nothing that lands is lost.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import posixpath
import re
from dataclasses import dataclass
from typing import Iterable, Iterator

import charset_normalizer
import fsspec
import fsspec.implementations.local

# The fixed vocabulary of quarantine reasons; the clean stage adds its own two at the end.
QUARANTINE_REASONS = (
    "empty",  # zero bytes, or only whitespace
    "binary",  # NUL bytes / control characters: not a text page
    "undecodable",  # no charset decodes it
    "unsupported_type",  # an extension the pipeline does not read
    "too_large",  # over settings.max_input_bytes
    "not_an_article",  # a JSONL line that is not an object with `html` or `text`; a page of boilerplate only
    "no_text",  # cleaning left no article body
    "extract_timeout",  # extraction exceeded settings.extract_timeout_s
    "extract_error",  # the extractor raised
)

TEXT_SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}


@dataclass(slots=True)
class RawInput:
    """One decoded input, ready for cleaning."""

    source_path: str  # relative to the landing root; `#N` for JSONL line N
    source_sha256: str  # of the raw bytes (of the line, for JSONL)
    size_bytes: int
    kind: str  # "text" or "html"
    content: str
    url: str | None = None
    declared: str | None = None  # publication date as the input declared it (JSONL `published`)
    site: str | None = None  # JSONL `source`


@dataclass(slots=True)
class Rejected:
    """One input that cannot become an article, with the raw bytes kept."""

    source_path: str
    source_sha256: str
    size_bytes: int
    reason: str
    detail: str
    raw: bytes


def landing_fs(landing: str):
    """(filesystem, root path) for a local path or an fsspec URL."""
    fs, root = fsspec.core.url_to_fs(str(landing))
    return fs, root.rstrip("/")


def discover(landing: str) -> list[str]:
    """Every file under the landing root as a sorted relative POSIX path (hidden files and
    folders skipped: editors' and uploaders' temporary files start with a dot)."""
    fs, root = landing_fs(landing)
    if not fs.exists(root):
        raise FileNotFoundError(f"landing folder does not exist: {landing}")
    found = []
    for path in fs.find(root):
        rel = posixpath.relpath(path, root)
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        found.append(rel)
    return sorted(found)


def doc_id(source_path: str) -> str:
    """The command line's id of an input: its relative path without extension (`#N` kept)."""
    path, _, line = source_path.partition("#")
    stem = posixpath.splitext(path)[0]
    return f"{stem}#{line}" if line else stem


def read_inputs(landing: str, paths: Iterable[str], *, max_bytes: int) -> Iterator[RawInput | Rejected]:
    """Read and decode the given relative paths, yielding one result per input."""
    fs, root = landing_fs(landing)
    # Local folders skip fsspec's per-call overhead (a third of a small page's read time).
    local = isinstance(fs, fsspec.implementations.local.LocalFileSystem)
    for rel in paths:
        path = f"{root}/{rel}"
        kind = TEXT_SUFFIXES.get(posixpath.splitext(rel)[1].lower())
        size = os.path.getsize(path) if local else fs.size(path)
        if size is not None and size > max_bytes:
            with (open(path, "rb") if local else fs.open(path, "rb")) as fh:
                head = fh.read(max_bytes)
            yield Rejected(rel, _sha256_file(fs, path), size, "too_large",
                           f"{size} bytes > limit {max_bytes}; first {max_bytes} bytes kept", head)
            continue
        if local:
            with open(path, "rb") as fh:
                data = fh.read()
        else:
            data = fs.cat_file(path)
        if kind is None:
            yield Rejected(rel, sha256(data), len(data), "unsupported_type",
                           f"extension {posixpath.splitext(rel)[1] or '(none)'} is not one of "
                           + ", ".join(sorted(TEXT_SUFFIXES)), data)
        elif kind == "jsonl":
            yield from _jsonl_inputs(rel, data)
        else:
            yield _decoded(rel, data, kind)


def _decoded(rel: str, data: bytes, kind: str) -> RawInput | Rejected:
    digest = sha256(data)
    problem = _problem(data)
    if problem:
        return Rejected(rel, digest, len(data), problem[0], problem[1], data)
    try:
        text = decode_bytes(data, html=kind == "html")
    except UnicodeError as exc:
        return Rejected(rel, digest, len(data), "undecodable", str(exc), data)
    return RawInput(rel, digest, len(data), kind, text)


def _jsonl_inputs(rel: str, data: bytes) -> Iterator[RawInput | Rejected]:
    problem = _problem(data)
    if problem:
        yield Rejected(rel, sha256(data), len(data), problem[0], problem[1], data)
        return
    # Lines split on b"\n" only: a JSON string never holds a raw newline, and U+2028 inside
    # one must not split it.
    for number, line in enumerate(data.split(b"\n"), start=1):
        line = line.rstrip(b"\r")
        if not line.strip():
            continue  # blank lines separate records; they are not inputs
        source_path = f"{rel}#{number}"
        digest = sha256(line)
        try:
            record = json.loads(decode_bytes(line, html=False))
        except (UnicodeError, ValueError) as exc:
            yield Rejected(source_path, digest, len(line), "not_an_article", f"invalid JSON: {exc}", line)
            continue
        body_kind, content = _article_field(record)
        if content is None:
            yield Rejected(source_path, digest, len(line), "not_an_article",
                           "expected an object with a non-empty string `html` or `text`", line)
            continue
        yield RawInput(
            source_path, digest, len(line), body_kind, content,
            url=_string(record.get("url")),
            declared=_string(record.get("published")),
            site=_string(record.get("source")),
        )


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
    codec = _bom_codec(data)
    if codec:
        return data.decode(codec)
    if html:
        match = _META_CHARSET.search(data[:4096])
        if match:
            try:
                return data.decode(_normal_codec(match.group(1).decode("ascii")))
            except (LookupError, UnicodeError):
                pass  # a lying meta tag is common: fall through to detection
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise UnicodeError("no charset decodes these bytes")
    return str(best)


def _normal_codec(name: str) -> str:
    name = name.lower()
    # Browsers read these labels as their supersets (WHATWG encoding standard).
    return {"iso-8859-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252",
            "gb2312": "gb18030", "gbk": "gb18030", "euc-kr": "cp949", "ks_c_5601-1987": "cp949",
            "shift_jis": "cp932", "x-sjis": "cp932"}.get(name, name)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha256_file(fs, path: str) -> str:
    digest = hashlib.sha256()
    with fs.open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

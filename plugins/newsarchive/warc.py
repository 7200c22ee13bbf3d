"""WARC files (ISO 28500, WARC/1.0 and 1.1): where their records start, and what each
`response` record holds, read a byte range at a time.

Records are read with FastWARC (pinned in requirements.txt; measured 3.3x faster than warcio
on gzip-per-record WARCs, docs/operations.md). FastWARC does not report a record cut short by
the end of the file, so each record's block is read and checked against its Content-Length,
and the HTTP message inside it is parsed here (status, Content-Type charset, chunked transfer
coding, gzip/deflate/br content coding, each bounded by the size limit).

Ranges. A WARC compressed record by record (`.warc.gz` as crawlers write it) or not
compressed at all (`.warc`) is split into byte ranges (`plan_ranges`) so that one large file
feeds every worker. A range [start, end) owns the records whose first byte lies in it: its
reader goes to the first record start at or after `start` (for `.warc.gz`, the next gzip
member whose first bytes decompress to a WARC header; for `.warc`, `plan_ranges` cuts at
record starts it found by hopping from header to header) and stops at the first record that
starts at or after `end`. Bytes that cannot be read (a damaged member, a truncated tail) belong
to the range of the last good record before them and run to the next record start: that
region is reported once, with its bytes, so nothing is read twice or lost. A WARC compressed as
one stream (gzip of the whole file, `.warc.bz2`, `.warc.zst`) cannot be entered in the middle:
it is one range, and when it breaks, the whole file's bytes are kept.
"""

from __future__ import annotations

import datetime as dt
import errno
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from typing import BinaryIO, Callable, Iterable, Iterator

from .compressed import Corrupt, open_stream

SUFFIX = ".warc"
_HEADER_LIMIT = 1 << 16  # a WARC or HTTP header block longer than this is not a header
_SCAN_BLOCK = 1 << 20  # bytes read at a time when scanning or copying raw file bytes
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."


@dataclass(slots=True)
class Response:
    """One `response` record with an HTTP message whose block was read whole."""

    record_id: str  # WARC-Record-ID without its angle brackets
    offset: int | None  # where the record starts in the file (None inside a whole-file stream)
    url: str | None
    crawled_at: dt.datetime | None  # WARC-Date, UTC
    status: int | None  # None: the block is not an HTTP response
    reason: str  # the status line's reason phrase, or why the block is not HTTP
    content_type: str | None  # media type, lower case, without parameters
    charset: str | None  # from the HTTP Content-Type
    location: str | None
    body: bytes  # the payload: transfer and content codings removed (bounded)
    block_size: int
    over_limit: bool = False  # the decoded payload is over the size limit (body is cut)
    block: bytes = b""  # the record block as stored (HTTP headers and payload)


@dataclass(slots=True)
class Kept:
    """Bytes a reader could not turn into a record: a response too large to read, or a region
    that cannot be read. `sha256`, `size`, and the bytes (`data`, or the file `path`) come from
    the keep callback."""

    what: str  # "too_large" or "unreadable"
    source: str  # the record id, or `@<offset>` of an unreadable region
    detail: str
    sha256: str
    size: int
    data: bytes | None
    path: str | None
    url: str | None = None
    crawled_at: dt.datetime | None = None


# (chunks) -> (sha256, size, bytes or None, blob path or None): ingest keeps what it is given.
KeepFn = Callable[[Iterable[bytes]], tuple[str, int, bytes | None, str | None]]


# --- framing -------------------------------------------------------------------------------

def framing(fh: BinaryIO) -> str:
    """How the file is laid out: "plain" (not compressed), "members" (one gzip member per
    record: splittable), "gzip" (one gzip stream for many records), "zstd", "bz2"."""
    fh.seek(0)
    head = fh.read(4)
    fh.seek(0)
    if head.startswith(b"\x1f\x8b"):
        return "members" if _one_record_member(fh) else "gzip"
    if head.startswith(b"\x28\xb5\x2f\xfd"):
        return "zstd"
    if head.startswith(b"BZh"):
        return "bz2"
    return "plain"


def _one_record_member(fh: BinaryIO) -> bool:
    """Whether the file's first gzip member holds exactly one WARC record."""
    d, out = zlib.decompressobj(31), bytearray()
    try:
        while not d.eof and len(out) <= 64 << 20:  # a first record (warcinfo) is small
            chunk = fh.read(_SCAN_BLOCK)
            if not chunk:
                break
            out += d.decompress(chunk)
    except zlib.error:
        return False
    finally:
        fh.seek(0)
    if not d.eof:
        return False
    parsed = _parse_warc_header(bytes(out[:_HEADER_LIMIT]))
    return parsed is not None and parsed[0] + parsed[1] <= len(out) <= parsed[0] + parsed[1] + 4


def _parse_warc_header(data: bytes) -> tuple[int, int] | None:
    """(header length, Content-Length) of a WARC header at the start of `data`, or None."""
    if not data.startswith(_WARC_MAGIC):
        return None
    cut = data.find(b"\r\n\r\n")
    if cut < 0:
        return None
    length = re.search(rb"\r\ncontent-length:[ \t]*(\d+)[ \t]*(?=\r\n)", data[:cut + 2], re.I)
    if length is None or not re.search(rb"\r\nwarc-type:", data[:cut + 2], re.I):
        return None
    return cut + 4, int(length.group(1))


def plan_ranges(fh: BinaryIO, size: int, target: int, inputs: int | None = None) -> list[tuple[int, int]]:
    """Byte ranges covering the file, each read by one task: about `target` bytes, or fewer
    when the file's first records show that `inputs` response records take fewer (a crawl of
    small pages still spreads over the workers like as many page files would)."""
    kind = framing(fh)
    if kind not in ("plain", "members"):
        return [(0, size)]
    if inputs:
        target = min(target, max(int(_bytes_per_response(fh) * inputs), _MIN_RANGE))
    if size <= target:
        return [(0, size)]
    if kind == "members":  # readers find member starts themselves; ranges of equal size
        step = -(-size // -(-size // target))
        return [(start, min(start + step, size)) for start in range(0, size, step)]
    cuts, pos, last = [0], 0, 0
    while pos < size:  # hop from header to header: a cut must be a record start
        nxt = _plain_record_end(fh, pos)
        if nxt is None or nxt >= size:
            break
        pos = nxt
        if pos - last >= target:
            cuts.append(pos)
            last = pos
    return [(a, b) for a, b in zip(cuts, cuts[1:] + [size])]


_MIN_RANGE = 1 << 16  # smaller ranges cost more in task start-up than they spread
_SAMPLE_BYTES = 8 << 20  # the head of a file read to estimate its bytes per response record


def _bytes_per_response(fh: BinaryIO) -> float:
    """File bytes per `response` record in the first records of the file (inf: none seen)."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    fh.seek(0)
    responses, reached = 0, 0
    try:
        for record in ArchiveIterator(fh, parse_http=False):
            if record.stream_pos > _SAMPLE_BYTES:
                reached = record.stream_pos
                break
            responses += record.record_type == WarcRecordType.response
    except BaseException as exc:  # a damaged head: no estimate, the byte target stands
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return float("inf")
    finally:
        fh.seek(0)
    if not reached:
        fh.seek(0, 2)
        reached = fh.tell()
        fh.seek(0)
    return reached / responses if responses else float("inf")


def _plain_record_end(fh: BinaryIO, pos: int) -> int | None:
    """Where the next record starts after the plain record at `pos` (None: no header there)."""
    fh.seek(pos)
    head = fh.read(4096)
    parsed = _parse_warc_header(head)
    if parsed is None and len(head) == 4096:
        fh.seek(pos)
        head = fh.read(_HEADER_LIMIT)
        parsed = _parse_warc_header(head)
    if parsed is None:
        return None
    end = pos + parsed[0] + parsed[1]
    fh.seek(end)
    gap = fh.read(8)  # the block is followed by CRLF CRLF (some writers add more or fewer)
    return end + len(gap) - len(gap.lstrip(b"\r\n"))


def _member_end(fh: BinaryIO, pos: int) -> int | None:
    """Where the gzip member starting at `pos` ends (None: it does not end: damaged or cut)."""
    fh.seek(pos)
    d, read = zlib.decompressobj(31), 0
    try:
        while not d.eof:
            chunk = fh.read(_SCAN_BLOCK)
            if not chunk:
                return None
            read += len(chunk)
            d.decompress(chunk)
            while d.unconsumed_tail and not d.eof:
                d.decompress(d.unconsumed_tail)
    except zlib.error:
        return None
    return pos + read - len(d.unused_data)


def _is_start(fh: BinaryIO, kind: str, pos: int) -> bool:
    fh.seek(pos)
    if kind == "members":
        data = fh.read(1 << 14)
        if not data.startswith(_GZIP_MAGIC):
            return False
        try:
            return zlib.decompressobj(31).decompress(data, 64).startswith(_WARC_MAGIC)
        except zlib.error:
            return False
    return _parse_warc_header(fh.read(_HEADER_LIMIT)) is not None


def resync(fh: BinaryIO, kind: str, start: int) -> int | None:
    """The first record start at or after `start` (a verified gzip member for "members", a
    verified header for "plain"), or None when there is none before the end of the file."""
    magic = _GZIP_MAGIC if kind == "members" else _WARC_MAGIC
    pos = start
    while True:
        fh.seek(pos)
        block = fh.read(_SCAN_BLOCK + len(magic))
        if len(block) < len(magic):
            return None
        at = block.find(magic)
        while 0 <= at <= _SCAN_BLOCK:
            here = pos + at
            plain_ok = kind != "plain" or here == 0 or _byte_before(fh, here) == b"\n"
            if plain_ok and _is_start(fh, kind, here):
                return here
            at = block.find(magic, at + 1)
        if len(block) <= _SCAN_BLOCK:
            return None
        pos += _SCAN_BLOCK


def _byte_before(fh: BinaryIO, pos: int) -> bytes:
    fh.seek(pos - 1)
    return fh.read(1)


# --- reading -------------------------------------------------------------------------------

def read_range(fh: BinaryIO, start: int, end: int | None, *, max_bytes: int, keep: KeepFn,
               not_inputs: Counter) -> Iterator[Response | Kept]:
    """Every `response` record starting in [start, end) (the whole file when end is None), in
    file order, and every region of the range that cannot be read. Other record types are
    counted in `not_inputs` by type (`request`, `revisit`, ...)."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    kind = framing(fh)
    fh.seek(0, 2)
    size = fh.tell()
    end = size if end is None else min(end, size)
    whole = kind not in ("plain", "members")
    if whole and start > 0:
        return
    if whole:
        pos = 0
    else:
        pos = start if start == 0 and _is_start(fh, kind, 0) else resync(fh, kind, start)
        if start == 0 and pos != 0:  # bytes before the first record
            yield _region(fh, 0, pos if pos is not None else size, keep, "no WARC record starts at the beginning")
    while pos is not None and pos < end:
        fh.seek(pos)
        stream = _decoded(fh, kind)
        current = last = None
        try:
            for record in ArchiveIterator(stream, parse_http=False, stream_detect=not whole):
                at = None if whole else record.stream_pos
                if at is not None and at >= end:
                    return
                current = at
                rtype = record.record_type
                if rtype != WarcRecordType.response:
                    not_inputs[str(rtype.name if hasattr(rtype, "name") else rtype)] += 1
                    last, current = at, None
                    continue
                item = _response(record, at, max_bytes, keep)
                if item is None:  # the block is shorter than its Content-Length: cut short
                    raise Corrupt(f"record {_record_id(record)} ends before its Content-Length")
                yield item
                last, current = at, None
            if whole:
                return  # the end of the stream (a cut-short stream raised on the way)
            # FastWARC ends quietly where a file is cut inside a record's header: the bytes
            # after the last record it read must be nothing but the end of the file.
            tail = pos if last is None else _record_end(fh, kind, last)
            if tail is None or tail < size:
                broken = pos if tail is None and last is None else (last if tail is None else tail)
                yield _region(fh, broken, size, keep, "the file ends inside a record (truncated)")
            return
        except BaseException as exc:  # FastWARC's Rust panics are BaseExceptions: one file, not the run
            if isinstance(exc, (GeneratorExit, KeyboardInterrupt, SystemExit)) or _environment(exc):
                raise
            problem = f"{type(exc).__name__}: {str(exc).strip()[:200]}"
        if whole:
            yield _region(fh, 0, size, keep, f"the compressed stream breaks ({problem}); "
                                             "records before the break were read; the whole file is kept")
            return
        if current is not None:
            broken = current
        elif last is not None:
            broken = _record_end(fh, kind, last)
            broken = last if broken is None else broken
        else:
            broken = pos
        if broken >= end and _is_start(fh, kind, broken):
            return  # a record start of the next range: that range reads (and reports) it
        nxt = resync(fh, kind, broken + 1)
        yield _region(fh, broken, nxt if nxt is not None else size, keep, problem)
        pos = nxt


def _environment(exc: BaseException) -> bool:
    """An error of the machine (disk full, no permission while keeping bytes), not of the file:
    it fails the step with its one-line message instead of marking the file's bytes corrupt."""
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EROFS,
                                                      errno.EPERM, errno.EIO)


def _record_end(fh: BinaryIO, kind: str, pos: int) -> int | None:
    return _member_end(fh, pos) if kind == "members" else _plain_record_end(fh, pos)


def _decoded(fh: BinaryIO, kind: str):
    """What FastWARC reads: the file itself where records can be entered by offset; a checked
    decompressing stream for whole-file compression (FastWARC's own ends quietly where such
    a file is cut short; this one raises)."""
    if kind in ("gzip", "bz2", "zstd"):
        return open_stream(fh, kind)
    return fh


def _region(fh: BinaryIO, start: int, stop: int, keep: KeepFn, why: str) -> Kept:
    def chunks():
        fh.seek(start)
        left = stop - start
        while left > 0:
            block = fh.read(min(left, _SCAN_BLOCK))
            if not block:
                return
            left -= len(block)
            yield block

    digest, size, data, path = keep(chunks())
    return Kept("unreadable", f"@{start}", f"bytes {start}-{stop} cannot be read as WARC records: {why}; "
                f"they are kept as they lie in the file", digest, size, data, path)


def _record_id(record) -> str:
    return (record.record_id or "").strip().strip("<>")


def _crawled_at(record) -> dt.datetime | None:
    value = record.headers.get("WARC-Date")
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return when.replace(tzinfo=dt.timezone.utc) if when.tzinfo is None else when.astimezone(dt.timezone.utc)


def _response(record, at: int | None, max_bytes: int, keep: KeepFn) -> Response | Kept | None:
    """The record read whole (None when cut short), or Kept when it is over the limit."""
    rid, url, when = _record_id(record), record.headers.get("WARC-Target-URI"), _crawled_at(record)
    length = record.content_length
    reader = record.reader
    if length > max_bytes:
        def chunks():
            while block := reader.read(_SCAN_BLOCK):
                yield block

        digest, size, data, path = keep(chunks())
        return Kept("too_large", rid, f"a record block of {length} bytes > limit {max_bytes}; the block "
                    "(HTTP headers and payload as stored) is kept", digest, size, data, path, url, when)
    parts, got = [], 0
    while got < length:
        block = reader.read(length - got)
        if not block:
            break
        parts.append(block)
        got += len(block)
    if got < length:
        return None
    block = b"".join(parts)
    http = parse_http(block, max_bytes)
    if http is None:
        return Response(rid, at, url, when, None, "the block is not an HTTP response", None, None, None,
                        b"", len(block), block=block)
    status, reason, headers, body, over = http
    media, charset = _content_type(headers.get("content-type"))
    return Response(rid, at, url, when, status, reason, media, charset, headers.get("location"), body,
                    len(block), over, block)


_STATUS = re.compile(rb"HTTP/\d(?:\.\d)? +(\d{3})(?: +([^\r\n]*))?")


def parse_http(block: bytes, max_bytes: int) -> tuple[int, str, dict[str, str], bytes, bool] | None:
    """(status, reason, headers (lower-case names), payload, over the limit) of an HTTP
    response message, or None when `block` is not one. Chunked transfer coding and gzip,
    deflate and br content codings are removed; a payload that cannot be decoded is kept as
    stored (a later check finds it binary), and decoding stops at `max_bytes` + 1 bytes."""
    cut = block.find(b"\r\n\r\n")
    sep = 4
    if cut < 0 or cut > _HEADER_LIMIT:
        cut, sep = block.find(b"\n\n"), 2
        if cut < 0 or cut > _HEADER_LIMIT:
            return None
    lines = block[:cut].split(b"\n")
    status = _STATUS.match(lines[0].strip())
    if status is None:
        return None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if colon:
            key = name.strip().decode("latin-1").lower()
            value = value.strip().decode("latin-1")
            headers[key] = f"{headers[key]}, {value}" if key in headers and key != "content-type" else value
    body = block[cut + sep:]
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunked(body)
    body, over = _content_decoded(body, headers.get("content-encoding", ""), max_bytes)
    reason = (status.group(2) or b"").decode("latin-1").strip()
    return int(status.group(1)), reason, headers, body, over


def _dechunked(body: bytes) -> bytes:
    """The body without chunked framing; as stored when it is not chunked after all (many
    crawlers store the payload de-chunked but keep the header)."""
    out, pos = [], 0
    try:
        while True:
            eol = body.index(b"\n", pos)
            size = int(body[pos:eol].split(b";")[0].strip(), 16)
            if size == 0:
                return b"".join(out)
            out.append(body[eol + 1:eol + 1 + size])
            if len(out[-1]) < size:
                return b"".join(out)  # cut short: what arrived
            pos = eol + 1 + size
            while body[pos:pos + 1] in (b"\r", b"\n"):
                pos += 1
                if pos >= len(body):
                    return b"".join(out)
    except (ValueError, IndexError):
        return body


def _content_decoded(body: bytes, coding: str, max_bytes: int) -> tuple[bytes, bool]:
    coding = coding.lower().split(",")[-1].strip()
    if not body or coding in ("", "identity", "none"):
        return body, len(body) > max_bytes
    try:
        if coding in ("gzip", "x-gzip"):
            d = zlib.decompressobj(47)
            out = d.decompress(body, max_bytes + 1)
        elif coding == "deflate":
            try:
                out = zlib.decompressobj(15).decompress(body, max_bytes + 1)
            except zlib.error:  # raw deflate, as some servers send it
                out = zlib.decompressobj(-15).decompress(body, max_bytes + 1)
        elif coding == "br":
            import brotli

            out = brotli.Decompressor().process(body, output_buffer_limit=max_bytes + 1)
        else:
            return body, len(body) > max_bytes
    except Exception:  # a broken coding: keep the bytes as stored
        return body, len(body) > max_bytes
    return out[:max_bytes + 1], len(out) > max_bytes


def _content_type(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    media, _, params = value.partition(";")
    charset = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", params, re.I)
    return media.strip().lower() or None, charset.group(1) if charset else None


def record_ids(fh: BinaryIO, start: int, end: int | None) -> list[str]:
    """The WARC-Record-IDs of the `response` records that start in [start, end), read from
    their headers only (a cheap pass: which of a range's records are archived already). Stops
    quietly where the file cannot be read: the reading pass accounts for that."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    kind = framing(fh)
    fh.seek(0, 2)
    size = fh.tell()
    end = size if end is None else min(end, size)
    whole = kind not in ("plain", "members")
    if whole and start > 0:
        return []
    pos = 0 if whole or (start == 0 and _is_start(fh, kind, 0)) else resync(fh, kind, start)
    ids: list[str] = []
    if pos is None:
        return ids
    fh.seek(pos)
    try:
        for record in ArchiveIterator(_decoded(fh, kind), record_types=WarcRecordType.response,
                                      parse_http=False, stream_detect=not whole):
            if not whole and record.stream_pos >= end:
                break
            ids.append(_record_id(record))
    except BaseException as exc:
        if isinstance(exc, (GeneratorExit, KeyboardInterrupt, SystemExit)):
            raise
    return ids

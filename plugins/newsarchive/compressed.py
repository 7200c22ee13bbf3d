"""Compressed landing files: `.gz`, `.bz2` and `.zst` versions of every supported type,
decompressed as streams with a bound on the bytes they may produce.

gzip and bz2 come from the standard library, zstd from pyarrow (already a dependency; its
stream reader takes multi-frame files and, unlike the `zstandard` package's stream reader,
raises on a truncated frame instead of returning short data). Each reader raises `Corrupt`
for a truncated or damaged stream, and no read produces more than the caller asks for, so a
decompression bomb costs at most the limit.
"""

from __future__ import annotations

import bz2
import gzip
import posixpath
import zlib
from typing import BinaryIO

COMPRESSIONS = {".gz": "gzip", ".bz2": "bz2", ".zst": "zstd"}


class Corrupt(ValueError):
    """A compressed stream is truncated or damaged: what follows cannot be read."""


def split_suffix(rel: str) -> tuple[str, str | None]:
    """(the type suffix, the compression) of a path: `a.jsonl.gz` -> (".jsonl", "gzip"),
    `a.html` -> (".html", None), `a.gz` -> ("", "gzip")."""
    stem, ext = posixpath.splitext(rel)
    compression = COMPRESSIONS.get(ext.lower())
    if compression is None:
        return ext.lower(), None
    return posixpath.splitext(stem)[1].lower(), compression


def strip_suffixes(rel: str) -> str:
    """The path without its compression suffix and type suffix (`a/b.warc.gz` -> `a/b`)."""
    stem, ext = posixpath.splitext(rel)
    if ext.lower() in COMPRESSIONS:
        stem = posixpath.splitext(stem)[0]
    return stem


class _Checked:
    """A decompressing reader whose errors (EOFError for a truncated stream, zlib/OSError for
    damaged data) all come out as `Corrupt`. It decompresses in small steps and returns the
    bytes decoded before an error, raising it on the next read, so that everything before a
    truncation is kept."""

    _STEP = 1 << 16  # bytes asked of the decompressor at a time: at most this much is lost at a cut

    def __init__(self, inner, name: str):
        self.inner, self.name = inner, name
        self._read = getattr(inner, "read1", inner.read)
        self.position = 0  # decompressed bytes read so far
        self.error: Corrupt | None = None

    def tell(self) -> int:
        return self.position

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self.error is not None:
            raise self.error
        want = size if size is not None and size >= 0 else 1 << 62
        parts, got = [], 0
        while got < want:
            try:
                block = self._read(min(want - got, self._STEP))
            except EOFError as exc:
                self.error = Corrupt(f"{self.name} stream ends early (truncated)")
                self.error.__cause__ = exc
            except (OSError, zlib.error, ValueError) as exc:
                self.error = Corrupt(f"{self.name} stream is damaged: {str(exc).strip() or type(exc).__name__}")
                self.error.__cause__ = exc
            if self.error is not None:
                if parts:
                    break
                raise self.error
            if not block:
                break
            parts.append(block)
            got += len(block)
        data = b"".join(parts)
        self.position += len(data)
        return data

    def close(self) -> None:
        try:
            self.inner.close()
        except Exception:  # closing a broken stream must not hide the error being reported
            pass


def open_stream(fh: BinaryIO, compression: str) -> _Checked:
    """A reader of the decompressed bytes of `fh` (which stays owned by the caller)."""
    if compression == "gzip":
        inner = gzip.GzipFile(fileobj=fh, mode="rb")
    elif compression == "bz2":
        inner = bz2.BZ2File(fh, mode="rb")
    elif compression == "zstd":
        import pyarrow as pa

        inner = pa.CompressedInputStream(pa.PythonFile(fh, mode="r"), "zstd")
    else:
        raise ValueError(f"unknown compression {compression!r}")
    return _Checked(inner, compression)


def decompress_at_most(data: bytes, compression: str, limit: int) -> bytes:
    """The decompressed bytes of `data`, at most `limit` of them (more means: over the limit)."""
    import io

    stream = open_stream(io.BytesIO(data), compression)
    chunks, left = [], limit
    while left > 0:
        block = stream.read(min(left, 1 << 20))
        if not block:
            break
        chunks.append(block)
        left -= len(block)
    stream.close()
    return b"".join(chunks)

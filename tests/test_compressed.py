"""Compressed landing files (.gz, .bz2, .zst of every type) through ingest: decoded as streams,
the limit on decompressed bytes (a bomb costs at most the limit, measured in a real process),
truncated and damaged files quarantined with their bytes while what came before is kept."""

import bz2
import gzip
import hashlib
import json
import subprocess
import sys
import zlib

import pyarrow as pa
import pytest

from conftest import REPO
from newsarchive import compressed, ingest


def _zstd(data: bytes) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.CompressedOutputStream(sink, "zstd") as out:
        out.write(data)
    return sink.getvalue().to_pybytes()


PACK = {"gz": gzip.compress, "bz2": bz2.compress, "zst": _zstd}


def _read(folder, max_bytes=100_000, blobs=None):
    return list(ingest.read_inputs(str(folder), ingest.discover(str(folder)), max_bytes=max_bytes, blobs=blobs))


@pytest.mark.parametrize("ext", ["gz", "bz2", "zst"])
def test_every_type_reads_compressed_and_keeps_what_landed(tmp_path, ext):
    page = "Grüße aus Köln\nThe council met on Tuesday.\n".encode()
    html = b"<html><body><p>Hello</p></body></html>"
    lines = b'{"text": "one"}\n{"html": "<p>two</p>", "url": "https://x.example/2"}\n'
    for name, data in (("page.txt", page), ("page.html", html), ("feed.jsonl", lines)):
        (tmp_path / f"{name}.{ext}").write_bytes(PACK[ext](data))
    items = {i.source_path: i for i in _read(tmp_path)}
    assert set(items) == {f"feed.jsonl.{ext}#1", f"feed.jsonl.{ext}#2", f"page.html.{ext}", f"page.txt.{ext}"}
    text = items[f"page.txt.{ext}"]
    assert text.kind == "text" and text.content == page.decode()
    landed = (tmp_path / f"page.txt.{ext}").read_bytes()
    assert text.raw_bytes() == landed and text.source_sha256 == hashlib.sha256(landed).hexdigest()
    assert items[f"page.html.{ext}"].kind == "html"
    assert items[f"feed.jsonl.{ext}#2"].url == "https://x.example/2"
    assert items[f"feed.jsonl.{ext}#1"].raw_bytes() == b'{"text": "one"}'


def test_a_truncated_page_is_quarantined_with_its_compressed_bytes(tmp_path):
    data = gzip.compress(b"<p>" + b"words " * 5000 + b"</p>")
    (tmp_path / "cut.html.gz").write_bytes(data[: len(data) // 2])
    (tmp_path / "junk.txt.bz2").write_bytes(b"BZh9 not really bzip2")
    items = {i.source_path: i for i in _read(tmp_path)}
    assert items["cut.html.gz"].reason == "corrupt" and items["cut.html.gz"].raw == data[: len(data) // 2]
    assert items["junk.txt.bz2"].reason == "corrupt" and items["junk.txt.bz2"].raw == b"BZh9 not really bzip2"


@pytest.mark.parametrize("ext", ["gz", "zst"])
def test_a_truncated_jsonl_keeps_its_lines_and_the_rest_with_the_whole_file(tmp_path, ext):
    lines = b"".join(json.dumps({"text": f"article number {n} " * 20}).encode() + b"\n" for n in range(400))
    data = PACK[ext](lines)
    (tmp_path / f"feed.jsonl.{ext}").write_bytes(data[:-25])
    items = _read(tmp_path, blobs=tmp_path / "blobs")
    read = [i for i in items if isinstance(i, ingest.RawInput)]
    [rest] = [i for i in items if isinstance(i, ingest.Rejected)]
    assert len(read) >= 300 and [i.source_path for i in read] == [f"feed.jsonl.{ext}#{n}" for n in range(1, len(read) + 1)]
    assert rest.reason == "corrupt" and rest.source_path == f"feed.jsonl.{ext}#{len(read) + 1}"
    assert open(rest.raw_file, "rb").read() == data[:-25]
    assert rest.source_sha256 == hashlib.sha256(data[:-25]).hexdigest()


def test_unsupported_compressed_files_keep_their_bytes(tmp_path):
    (tmp_path / "notes.gz").write_bytes(gzip.compress(b"plain"))
    (tmp_path / "doc.pdf.gz").write_bytes(gzip.compress(b"%PDF"))
    for item in _read(tmp_path):
        assert item.reason == "unsupported_type" and item.raw == (tmp_path / item.source_path).read_bytes()


def test_doc_ids_drop_type_and_compression_suffixes():
    assert ingest.doc_id("feed.jsonl.gz#7") == "feed#7"
    assert ingest.doc_id("2024/crawl.warc.gz#urn:uuid:0b3c") == "2024/crawl#urn:uuid:0b3c"
    assert ingest.doc_id("page.html.bz2") == "page"
    assert compressed.split_suffix("a.JSONL.ZST") == (".jsonl", "zstd")


def _bomb(path, decompressed: int, line: bool = False):
    """A gzip file of `decompressed` bytes of spaces (1,000x smaller), written in pieces."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b" " * (1 << 20)
    with open(path, "wb") as out:
        if line:
            out.write(z.compress(b'{"text": "fine"}\n{"text": "'))
        for _ in range(decompressed >> 20):
            out.write(z.compress(block))
        out.write(z.compress(b'"}\n{"text": "after"}\n' if line else b"") + z.flush())


_MEASURE = """
import resource, sys
from newsarchive import ingest
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
items = list(ingest.read_inputs(sys.argv[1], [sys.argv[2]], max_bytes=1_000_000, blobs=sys.argv[3]))
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(grown // 1024, [(i.source_path, getattr(i, "reason", "ok")) for i in items])
"""


@pytest.mark.parametrize("name,line", [("bomb.txt.gz", False), ("bomb.jsonl.gz", True)])
def test_a_decompression_bomb_costs_at_most_the_limit(tmp_path, name, line):
    """400 MB of spaces in a 400 KB file, limit 1 MB: quarantined as too_large, its compressed
    bytes kept, and the reading process grows by far less than the bomb (it stops at the limit)."""
    landing = tmp_path / "landing"
    landing.mkdir()
    _bomb(landing / name, 400 << 20, line=line)
    result = subprocess.run([sys.executable, "-c", _MEASURE, str(landing), name, str(tmp_path / "blobs")],
                            capture_output=True, text=True, env={"PYTHONPATH": str(REPO / "plugins")}, timeout=120)
    assert result.returncode == 0, result.stderr
    grown, items = result.stdout.split(" ", 1)
    assert int(grown) < 60, f"reading the bomb grew the process by {grown} MiB"
    if line:
        assert eval(items) == [(f"{name}#1", "ok"), (f"{name}#2", "too_large")]
    else:
        assert eval(items) == [(name, "too_large")]

"""WARC input on files the tests write byte by byte (tests/warcfiles.py): gzip per record and
plain, WARC/1.0 and 1.1, record types that are not inputs, responses that are no page, charsets,
HTTP codings, truncated and damaged files, and byte ranges that cover every record once."""

import datetime as dt
import gzip
import hashlib
import zlib
from collections import Counter

import pytest

from newsarchive import ingest, warc
from warcfiles import http_response, page_response, warc_record, warcinfo, write_warc

ARTICLE = ("<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article>"
           "</body></html>")


def _page(n: int, words: str = "the harbour council met on tuesday") -> str:
    body = "".join(f"<p>{words}: paragraph {i} of story {n}, long enough to read as an article.</p>"
                   for i in range(5))
    return ARTICLE.format(title=f"Story {n}", body=body)


def _read(folder, entries=None, max_bytes=1_000_000, blobs=None):
    counts = Counter()
    entries = entries if entries is not None else ingest.discover(str(folder))
    items = list(ingest.read_inputs(str(folder), entries, max_bytes=max_bytes, blobs=blobs, not_inputs=counts))
    return items, counts


def _rejected(items, reason):
    return [i for i in items if isinstance(i, ingest.Rejected) and i.reason == reason]


def _crawl(version="1.1"):
    """A small crawl: every kind of record a crawler writes, with ids fixed for the checks."""
    return [
        warcinfo(version),
        warc_record("request", "https://news.example/a", b"GET /a HTTP/1.1\r\nHost: news.example\r\n\r\n",
                    version=version),
        page_response("https://news.example/a", _page(1, "Grüße aus Köln, sagte der Bürgermeister"),
                      encoding="cp1252", charset="windows-1252", record_id="urn:uuid:aaaa", version=version,
                      date="2024-03-05T23:59:30Z"),
        warc_record("metadata", "https://news.example/a", b"via: https://news.example/\r\n", version=version),
        warc_record("response", "https://news.example/logo.png",
                    http_response(b"\x89PNG\r\n\x1a\n" + bytes(200), content_type="image/png"),
                    record_id="urn:uuid:png", version=version),
        warc_record("response", "https://news.example/gone", http_response(b"<h1>Not Found</h1>", status="404 Not Found"),
                    record_id="urn:uuid:404", version=version),
        warc_record("response", "https://news.example/old",
                    http_response(b"", status="301 Moved Permanently", headers=("Location: https://news.example/a",)),
                    record_id="urn:uuid:301", version=version),
        warc_record("revisit", "https://news.example/a", b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
                    version=version, extra=("WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest",
                                            "WARC-Refers-To: <urn:uuid:aaaa>")),
        page_response("https://news.example/b", _page(2), record_id="urn:uuid:bbbb", version=version,
                      date="2024-03-06T08:00:00.123456Z"),
    ]


@pytest.mark.parametrize("version", ["1.0", "1.1"])
@pytest.mark.parametrize("compress", ["records", "none", "whole"])
def test_every_response_is_an_input_or_accounted_for(tmp_path, version, compress):
    name = {"records": "crawl.warc.gz", "none": "crawl.warc", "whole": "crawl.warc.gz"}[compress]
    write_warc(tmp_path / name, _crawl(version), compress=compress)
    items, counts = _read(tmp_path)
    by_path = {i.source_path: i for i in items}
    assert sorted(by_path) == sorted(f"{name}#urn:uuid:{x}" for x in ("aaaa", "png", "404", "301", "bbbb"))
    assert counts == Counter({"warcinfo": 1, "request": 1, "metadata": 1, "revisit": 1})

    page = by_path[f"{name}#urn:uuid:aaaa"]
    assert isinstance(page, ingest.RawInput) and page.kind == "html"
    # The charset is only in the HTTP header (no meta tag, no BOM): it decides.
    assert "Grüße aus Köln, sagte der Bürgermeister" in page.content
    assert page.url == "https://news.example/a"
    assert page.crawled_at == dt.datetime(2024, 3, 5, 23, 59, 30, tzinfo=dt.timezone.utc)
    assert by_path[f"{name}#urn:uuid:bbbb"].crawled_at.microsecond == 123456

    reasons = {p.rsplit(":", 1)[1]: (i.reason, i.detail) for p, i in by_path.items() if isinstance(i, ingest.Rejected)}
    assert reasons["png"][0] == "not_html" and "image/png" in reasons["png"][1]
    assert reasons["404"][0] == "http_error" and "404" in reasons["404"][1]
    assert reasons["301"][0] == "redirect" and "https://news.example/a" in reasons["301"][1]
    for item in by_path.values():
        if isinstance(item, ingest.Rejected):  # accounted for, payload left in the WARC
            assert item.raw is None and item.raw_file is None and item.url and item.crawled_at


def test_a_truncated_warc_keeps_every_record_before_the_cut_and_the_cut_bytes(tmp_path):
    offsets = write_warc(tmp_path / "full.warc.gz", _crawl())
    data = (tmp_path / "full.warc.gz").read_bytes()
    cut = offsets[-1] + 40  # inside the last record's gzip member
    (tmp_path / "full.warc.gz").unlink()
    (tmp_path / "cut.warc.gz").write_bytes(data[:cut])
    items, _ = _read(tmp_path)
    assert {i.source_path for i in items if isinstance(i, ingest.RawInput)} == {"cut.warc.gz#urn:uuid:aaaa"}
    [broken] = _rejected(items, "corrupt")
    assert broken.source_path == f"cut.warc.gz#@{offsets[-1]}"
    assert broken.raw == data[offsets[-1]:cut]
    assert broken.source_sha256 == hashlib.sha256(data[offsets[-1]:cut]).hexdigest()


def test_a_plain_warc_cut_inside_a_record_block(tmp_path):
    offsets = write_warc(tmp_path / "c.warc", _crawl(), compress="none")
    data = (tmp_path / "c.warc").read_bytes()
    (tmp_path / "c.warc").write_bytes(data[:offsets[-1] + 700])  # header whole, block cut
    items, _ = _read(tmp_path)
    [broken] = _rejected(items, "corrupt")
    assert broken.source_path == f"c.warc#@{offsets[-1]}" and broken.raw == data[offsets[-1]:offsets[-1] + 700]
    assert "c.warc#urn:uuid:aaaa" in {i.source_path for i in items}


def test_a_damaged_member_costs_only_its_own_bytes(tmp_path):
    records = _crawl()
    offsets = write_warc(tmp_path / "d.warc.gz", records)
    data = bytearray((tmp_path / "d.warc.gz").read_bytes())
    # Damage the deflate data of the 404 response's member (index 5): its header stays intact.
    start, stop = offsets[5], offsets[6]
    data[start + 30:start + 60] = bytes(30)
    (tmp_path / "d.warc.gz").write_bytes(bytes(data))
    items, _ = _read(tmp_path)
    paths = {i.source_path: i for i in items}
    assert "d.warc.gz#urn:uuid:bbbb" in paths and "d.warc.gz#urn:uuid:301" in paths  # read on after it
    [broken] = _rejected(items, "corrupt")
    assert broken.source_path == f"d.warc.gz#@{start}" and broken.raw == bytes(data[start:stop])
    assert "d.warc.gz#urn:uuid:404" not in paths


def test_a_warc_compressed_as_one_stream_keeps_the_whole_file_when_cut(tmp_path):
    write_warc(tmp_path / "w.warc.gz", _crawl(), compress="whole")
    data = (tmp_path / "w.warc.gz").read_bytes()
    (tmp_path / "w.warc.gz").write_bytes(data[:-30])
    items, _ = _read(tmp_path)
    [broken] = _rejected(items, "corrupt")
    assert broken.source_path == "w.warc.gz#@0" and broken.raw == data[:-30]
    assert "w.warc.gz#urn:uuid:aaaa" in {i.source_path for i in items}


@pytest.mark.parametrize("name,compress", [("big.warc.gz", "records"), ("big.warc", "none")])
def test_byte_ranges_cover_every_record_exactly_once(tmp_path, name, compress):
    records = [warcinfo()] + [page_response(f"https://news.example/{n}", _page(n), record_id=f"urn:uuid:{n:04d}")
                              for n in range(300)]
    write_warc(tmp_path / name, records, compress=compress)
    whole, _ = _read(tmp_path, [name])
    entries = [e for e, _ in ingest.plan_entries(str(tmp_path), [name], 1 << 13)]
    assert len(entries) > 3 and all(isinstance(e, list) for e in entries)
    parts = [i.source_path for e in entries for i in _read(tmp_path, [e])[0]]
    assert len(parts) == len(set(parts)) == 300
    assert parts == [i.source_path for i in whole]  # in file order
    # The header pass that decides what is archived already sees the same records.
    assert [p for e in entries for p in ingest.record_paths(str(tmp_path), e)] == parts


def test_damage_across_a_range_boundary_is_reported_once(tmp_path):
    records = [page_response(f"https://news.example/{n}", _page(n), record_id=f"urn:uuid:{n:04d}")
               for n in range(200)]
    offsets = write_warc(tmp_path / "x.warc.gz", records)
    data = bytearray((tmp_path / "x.warc.gz").read_bytes())
    for k in (37, 38, 120):  # two damaged members in a row, and one more
        data[offsets[k]:offsets[k] + 12] = b"\x00" * 12  # the gzip header itself: not a record start
    for k, at in ((150, 40), (170, 90)):  # damaged in or after a header that still looks like a record start
        data[offsets[k] + at:offsets[k] + at + 30] = b"\x00" * 30
    (tmp_path / "x.warc.gz").write_bytes(bytes(data))
    whole, _ = _read(tmp_path, ["x.warc.gz"])
    # Ranges of many sizes, some cutting right through the damaged members, some at their start.
    plans = [[["x.warc.gz", a, min(a + size, len(data))] for a in range(0, len(data), size)]
             for size in (1 << 14, 3 * 1024 + 7, 1000, offsets[38] - offsets[37])]
    for k in (37, 39, 150, 151, 170):
        plans.append([["x.warc.gz", 0, offsets[k]], ["x.warc.gz", offsets[k], len(data)]])
    for plan in plans:
        got = [(i.source_path, i.source_sha256) for e in plan for i in _read(tmp_path, [e])[0]]
        assert len(got) == len(set(got))
        assert got == [(i.source_path, i.source_sha256) for i in whole]
    regions = _rejected(whole, "corrupt")
    assert [r.source_path for r in regions] == [f"x.warc.gz#@{offsets[k]}" for k in (37, 120, 150, 170)]
    assert regions[0].raw == bytes(data[offsets[37]:offsets[39]])
    assert regions[2].raw == bytes(data[offsets[150]:offsets[151]])
    assert len([i for i in whole if isinstance(i, ingest.RawInput)]) == 195


def test_http_codings_are_removed_and_a_coding_bomb_stops_at_the_limit(tmp_path):
    html = _page(7).encode()
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(html[i:i + 100]), html[i:i + 100]) for i in range(0, len(html), 100))
    chunked += b"0\r\n\r\n"
    gz = gzip.compress(html)
    bomb = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = bomb.compress(b" " * 50_000_000) + bomb.flush()
    write_warc(tmp_path / "h.warc.gz", [
        warc_record("response", "https://x.example/c", http_response(chunked, headers=("Transfer-Encoding: chunked",)),
                    record_id="urn:uuid:chunked"),
        warc_record("response", "https://x.example/g", http_response(gz, headers=("Content-Encoding: gzip",)),
                    record_id="urn:uuid:gzip"),
        warc_record("response", "https://x.example/b", http_response(bomb, headers=("Content-Encoding: gzip",)),
                    record_id="urn:uuid:bomb"),
        warc_record("response", "https://x.example/n", http_response(html, content_type=None), record_id="urn:uuid:none"),
    ])
    items, _ = _read(tmp_path, max_bytes=1_000_000)
    by = {i.source_path.rsplit(":", 1)[1]: i for i in items}
    assert by["chunked"].content == by["gzip"].content == by["none"].content == html.decode()
    assert by["none"].kind == "html"  # no Content-Type: sniffed as markup
    assert by["bomb"].reason == "too_large" and by["bomb"].raw.endswith(bomb)


def test_a_record_over_the_limit_keeps_its_block_in_a_blob(tmp_path):
    big = _page(1).encode() + b"<!--" + b"x" * 5000 + b"-->"
    block = http_response(big)
    write_warc(tmp_path / "l.warc.gz", [page_response("https://x.example/s", _page(2)),
                                        warc_record("response", "https://x.example/l", block, record_id="urn:uuid:large")])
    items, _ = _read(tmp_path, max_bytes=4000, blobs=tmp_path / "blobs")
    [large] = [i for i in items if i.source_path.endswith("large")]
    assert large.reason == "too_large" and large.raw is None and large.size_bytes == len(block)
    assert open(large.raw_file, "rb").read() == block
    assert large.source_sha256 == hashlib.sha256(block).hexdigest() and large.url == "https://x.example/l"
    assert any(isinstance(i, ingest.RawInput) for i in items)  # the next record is read on


def test_a_file_that_is_no_warc_is_one_corrupt_region(tmp_path):
    (tmp_path / "fake.warc.gz").write_bytes(gzip.compress(b"<html>not a warc</html>"))
    (tmp_path / "junk.warc").write_bytes(b"hello\r\n" * 50)
    items, _ = _read(tmp_path)
    assert sorted((i.source_path, i.reason) for i in items) == [("fake.warc.gz#@0", "corrupt"),
                                                              ("junk.warc#@0", "corrupt")]


def test_parse_http_is_bounded_and_rejects_what_is_not_http():
    assert warc.parse_http(b"GET / HTTP/1.1\r\n\r\n", 100) is None
    status, reason, headers, body, over = warc.parse_http(
        b"HTTP/1.0 200 OK\nContent-Type: text/html; charset=ISO-8859-1\n\nbody", 100)
    assert (status, reason, body, over) == (200, "OK", b"body", False)
    assert headers["content-type"].endswith("ISO-8859-1")
    assert warc.parse_http(b"HTTP/1.1 200 OK\r\n\r\n" + b"a" * 200, 100)[4] is True


def test_ranges_hold_about_as_many_responses_as_a_shard_of_files(tmp_path):
    """A crawl of small pages is cut by its responses, not only by bytes: `range_inputs`
    responses per range (estimated from the file's head), so it uses every worker."""
    records = []
    for n in range(400):
        records.append(warc_record("request", f"https://news.example/{n}", b"GET / HTTP/1.1\r\n\r\n"))
        records.append(page_response(f"https://news.example/{n}", _page(n), record_id=f"urn:uuid:{n:04d}"))
    write_warc(tmp_path / "small-pages.warc.gz", records)
    entries = [e for e, _ in ingest.plan_entries(str(tmp_path), ["small-pages.warc.gz"], 1 << 30, range_inputs=100)]
    counts = [len(_read(tmp_path, [e])[0]) for e in entries]
    assert sum(counts) == 400 and len(entries) == 4 and max(counts) - min(counts) <= 10


@pytest.mark.parametrize("ext", ["bz2", "zst"])
def test_a_warc_compressed_with_bz2_or_zstd_is_read_whole(tmp_path, ext):
    from test_compressed import PACK

    write_warc(tmp_path / "plain.warc", _crawl(), compress="none")
    data = (tmp_path / "plain.warc").read_bytes()
    (tmp_path / "plain.warc").unlink()
    (tmp_path / f"crawl.warc.{ext}").write_bytes(PACK[ext](data))
    (tmp_path / f"cut.warc.{ext}").write_bytes(PACK[ext](data)[:-40])
    items, counts = _read(tmp_path)
    whole = sorted(i.source_path.split("#")[1] for i in items if i.source_path.startswith("crawl"))
    assert whole == sorted(f"urn:uuid:{x}" for x in ("aaaa", "png", "404", "301", "bbbb"))
    assert counts["request"] >= 1  # the whole file's (a cut bz2 block or zstd frame may yield nothing)
    [broken] = _rejected(items, "corrupt")
    assert broken.source_path == f"cut.warc.{ext}#@0" and broken.raw == PACK[ext](data)[:-40]
    assert ingest.plan_entries(str(tmp_path), [f"crawl.warc.{ext}"], 4096) == [(f"crawl.warc.{ext}", len(PACK[ext](data)))]

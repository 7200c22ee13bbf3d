import codecs
import hashlib
import json

import pytest

from newsarchive import ingest
from newsarchive.ingest import RawInput, Rejected


def _read(folder, max_bytes=10_000_000):
    return list(ingest.read_inputs(str(folder), ingest.discover(str(folder)), max_bytes=max_bytes))


def test_discover_lists_relative_paths_sorted_and_skips_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.txt").write_text("x")
    (tmp_path / "a.html").write_text("<p>a</p>")
    (tmp_path / ".partial.txt").write_text("upload in progress")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref")
    assert ingest.discover(str(tmp_path)) == ["a.html", "b/x.txt"]


def test_discover_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ingest.LandingError, match="landing folder does not exist"):
        ingest.discover(str(tmp_path / "nope"))
    (tmp_path / "file").write_text("x")
    with pytest.raises(ingest.LandingError, match="landing folder is not a folder"):
        ingest.discover(str(tmp_path / "file"))


def test_fsspec_url_landing_reads_like_a_folder():
    import fsspec

    fs = fsspec.filesystem("memory")
    fs.pipe("/landing-test/page.txt", b"Headline\n\nA body paragraph long enough to be an article.")
    items = _read("memory://landing-test")
    assert [(i.source_path, i.kind) for i in items] == [("page.txt", "text")]
    assert items[0].source_sha256 == hashlib.sha256(fs.cat("/landing-test/page.txt")).hexdigest()


def test_seed_decodes_as_text_with_its_hash(landing):
    items = _read(landing)
    assert len(items) == 5 and all(isinstance(i, RawInput) for i in items)
    first = items[0]
    raw = (landing / first.source_path).read_bytes()
    assert first.source_sha256 == hashlib.sha256(raw).hexdigest()
    assert first.size_bytes == len(raw)
    assert "Choe Son-hui" in first.content


@pytest.mark.parametrize("data,encoding", [
    ("Überraschung in Köln: Die Stadt feiert den Karneval. Tausende Menschen zogen am Montag "
     "durch die Straßen, bevor der Regen einsetzte.".encode("cp1252"), None),
    (codecs.BOM_UTF16_LE + "서울 — 뉴스 본문입니다.".encode("utf-16-le"), None),
    ("東京で記者会見が開かれた。政府は新しい方針を発表した。".encode("shift_jis"), None),
])
def test_legacy_charsets_decode(tmp_path, data, encoding):
    (tmp_path / "page.txt").write_bytes(data)
    [item] = _read(tmp_path)
    assert isinstance(item, RawInput), item
    assert "\ufffd" not in item.content
    assert item.content.strip()[:2] in {"Üb", "서울", "東京"}


def test_html_meta_charset_wins_over_detection(tmp_path):
    html = '<html><head><meta charset="windows-1251"></head><body><p>Москва сегодня</p></body></html>'
    (tmp_path / "p.html").write_bytes(html.encode("cp1251"))
    [item] = _read(tmp_path)
    assert item.kind == "html" and "Москва сегодня" in item.content


@pytest.mark.parametrize("name,data,reason", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b" \n\t\n", "empty"),
    ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    ("broken.txt", codecs.BOM_UTF16_LE + b"\x00\xd8a", "undecodable"),  # lone surrogate
    ("report.pdf", b"%PDF-1.7 ...", "unsupported_type"),
])
def test_bad_files_are_rejected_with_reason_and_bytes_kept(tmp_path, name, data, reason):
    (tmp_path / name).write_bytes(data)
    [item] = _read(tmp_path)
    assert isinstance(item, Rejected)
    assert item.reason == reason and item.reason in ingest.QUARANTINE_REASONS
    assert item.raw == data and item.size_bytes == len(data) and item.detail


def test_too_large_files_are_rejected_before_parsing_and_keep_all_their_bytes(tmp_path):
    landing, blobs = tmp_path / "in", tmp_path / "blobs"
    landing.mkdir()
    (landing / "huge.txt").write_bytes(b"word " * 1000)
    [item] = ingest.read_inputs(str(landing), ["huge.txt"], max_bytes=100, blobs=blobs)
    assert item.reason == "too_large" and item.size_bytes == 5000 and item.raw is None
    assert item.source_sha256 == hashlib.sha256(b"word " * 1000).hexdigest()
    assert open(item.raw_file, "rb").read() == b"word " * 1000


def test_jsonl_lines_are_inputs_and_bad_lines_are_quarantined(tmp_path):
    lines = [
        json.dumps({"url": "https://example.com/a", "text": "Body of a.", "published": "2024-01-15",
                    "source": "Example"}),
        "",
        json.dumps({"url": "https://example.com/b", "html": "<p>Body of b.</p>"}),
        "{not json",
        json.dumps({"url": "https://example.com/c", "title": "no body"}),
        json.dumps(["a", "list"]),
    ]
    data = ("\n".join(lines) + "\n").encode()
    (tmp_path / "feed.jsonl").write_bytes(data)
    items = _read(tmp_path)
    assert [i.source_path for i in items] == ["feed.jsonl#1", "feed.jsonl#3", "feed.jsonl#4",
                                              "feed.jsonl#5", "feed.jsonl#6"]
    a, b, bad, nobody, notobj = items
    assert (a.kind, a.url, a.declared, a.site) == ("text", "https://example.com/a", "2024-01-15", "Example")
    assert a.source_sha256 == hashlib.sha256(lines[0].encode()).hexdigest()
    assert b.kind == "html"
    assert all(isinstance(r, Rejected) and r.reason == "not_an_article" for r in (bad, nobody, notobj))
    assert bad.raw == b"{not json" and "invalid JSON" in bad.detail


def test_doc_id_drops_extension_and_keeps_line():
    assert ingest.doc_id("000_53b4.txt") == "000_53b4"
    assert ingest.doc_id("2024/01/feed.jsonl#7") == "2024/01/feed#7"

import codecs
import os
import socket
from pathlib import Path
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


def test_a_jsonl_file_without_records_is_one_empty_row_with_its_bytes(tmp_path):
    import gzip

    (tmp_path / "none.jsonl").write_bytes(b"")
    (tmp_path / "blank.jsonl").write_bytes(b"\n  \n\r\n")
    (tmp_path / "blank.jsonl.gz").write_bytes(gzip.compress(b"\n\n"))
    (tmp_path / "one.jsonl").write_bytes(b"\n" + json.dumps({"text": "A body."}).encode() + b"\n\n")
    items = {i.source_path: i for i in _read(tmp_path)}
    assert sorted(items) == ["blank.jsonl", "blank.jsonl.gz", "none.jsonl", "one.jsonl#2"]
    for name in ("none.jsonl", "blank.jsonl", "blank.jsonl.gz"):
        row = items[name]
        landed = (tmp_path / name).read_bytes()
        assert isinstance(row, Rejected) and row.reason == "empty"
        assert (row.raw, row.size_bytes, row.source_sha256) == (landed, len(landed), hashlib.sha256(landed).hexdigest())
    assert isinstance(items["one.jsonl#2"], RawInput)


def test_a_page_saved_as_txt_is_read_as_html(tmp_path):
    page = "<!DOCTYPE html>\n<html><head><meta charset='windows-1252'><title>T</title></head><body><p>Caf\u00e9</p></body></html>"
    (tmp_path / "saved.txt").write_bytes(page.encode("cp1252"))
    (tmp_path / "about-html.txt").write_text("Title\n<html> is the root element of a page.\n")
    saved, about = sorted(_read(tmp_path), key=lambda i: i.source_path, reverse=True)
    assert (saved.source_path, saved.kind) == ("saved.txt", "html") and "Caf\u00e9" in saved.content
    assert (about.source_path, about.kind) == ("about-html.txt", "text")


def test_doc_id_drops_extension_and_keeps_line():
    assert ingest.doc_id("000_53b4.txt") == "000_53b4"
    assert ingest.doc_id("2024/01/feed.jsonl#7") == "2024/01/feed#7"


# --- hostile landing folders: only regular files inside the root are ever read --------------------

@pytest.fixture
def hostile(tmp_path):
    """A landing folder holding everything but plain pages, and a secret outside it."""
    root = tmp_path / "landing"
    (root / "sub").mkdir(parents=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    (root / "page.txt").write_text("A page with a body.\n")
    (root / "sub" / "inner.txt").write_text("Inner page.\n")
    os.symlink(secret, root / "passwd.txt")
    os.symlink("/dev/zero", root / "zero.txt")
    os.symlink(tmp_path, root / "up")
    os.symlink("page.txt", root / "alias.txt")
    os.symlink("sub", root / "sublink")
    os.symlink("nowhere.txt", root / "dangling.txt")
    os.symlink("loop-b.txt", root / "loop-a.txt")
    os.symlink("loop-a.txt", root / "loop-b.txt")
    os.mkfifo(root / "fifo.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(root / "sock.txt"))
    with open(os.path.join(os.fsencode(root), b"caf\xe9-\xff.txt"), "wb") as fh:
        fh.write("Überraschung in Köln.\n".encode())
    yield root
    sock.close()


def test_only_regular_files_inside_the_landing_root_are_read(hostile):
    items = {i.source_path: i for i in _read(hostile)}
    reasons = {p: getattr(i, "reason", "read") for p, i in items.items()}
    assert reasons == {
        "page.txt": "read", "sub/inner.txt": "read", "alias.txt": "read", "caf%E9-%FF.txt": "read",
        "passwd.txt": "outside_landing", "zero.txt": "outside_landing", "up": "outside_landing",
        "sublink": "not_a_file", "fifo.txt": "not_a_file", "sock.txt": "not_a_file",
        "dangling.txt": "broken_link", "loop-a.txt": "broken_link", "loop-b.txt": "broken_link",
    }
    for path, item in items.items():
        if isinstance(item, Rejected):  # never opened: no bytes of the target anywhere
            assert item.raw is None and item.raw_file is None and item.size_bytes is None, path
            assert "root:x" not in item.detail and item.reason in ingest.QUARANTINE_REASONS
    assert items["alias.txt"].content == "A page with a body.\n"
    # The same entry gives the same identity on the next run (it is not quarantined twice).
    again = {i.source_path: i.source_sha256 for i in _read(hostile)}
    assert again == {p: i.source_sha256 for p, i in items.items()}


def test_a_name_that_is_not_utf8_is_kept_losslessly(hostile):
    [item] = [i for i in _read(hostile) if i.source_path.startswith("caf")]
    assert item.source_path_bytes == b"caf\xe9-\xff.txt"
    assert os.fsdecode(item.source_path_bytes) in os.listdir(hostile)
    assert ingest.stored_path("plain%20name.txt") == ("plain%20name.txt", None)  # valid names stay as they are


def test_a_file_swapped_for_a_symlink_after_listing_is_not_followed(tmp_path):
    root = tmp_path / "landing"
    root.mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    (root / "page.txt").write_text("page")
    paths = ingest.discover(str(root))
    (root / "page.txt").unlink()
    os.symlink(tmp_path / "secret.txt", root / "page.txt")
    [item] = ingest.read_inputs(str(root), paths, max_bytes=1000)
    assert item.reason == "outside_landing" and item.raw is None


def test_a_file_gone_between_listing_and_reading_is_accounted_for(tmp_path):
    (tmp_path / "gone.txt").write_text("soon gone")
    paths = ingest.discover(str(tmp_path))
    (tmp_path / "gone.txt").unlink()
    [item] = ingest.read_inputs(str(tmp_path), paths, max_bytes=1000)
    assert item.reason == "vanished" and item.size_bytes is None


def test_unreadable_file_is_quarantined_not_fatal(tmp_path):
    """As a normal user (root reads any file): a file it may not read costs that file only."""
    import shutil
    import subprocess
    import sys

    from conftest import REPO

    import tempfile

    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root to switch to the unprivileged user 'nobody'")
    tmp_path = Path(tempfile.mkdtemp(prefix="newsarchive-nobody-"))  # pytest's own tmp is root-only
    tmp_path.chmod(0o755)
    (tmp_path / "locked.txt").write_text("x")
    (tmp_path / "open.txt").write_text("a page")
    os.chmod(tmp_path / "locked.txt", 0)
    script = ("import sys; from newsarchive import ingest; "
              "print([(i.source_path, getattr(i, 'reason', 'read')) for i in "
              "ingest.read_inputs(sys.argv[1], ingest.discover(sys.argv[1]), max_bytes=100)])")
    out = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c",
                          script, str(tmp_path)], capture_output=True, text=True,
                         env={"PYTHONPATH": str(REPO / "plugins"), "HOME": "/nonexistent"})
    shutil.rmtree(tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[('locked.txt', 'unreadable'), ('open.txt', 'read')]"


def test_no_read_is_unbounded(tmp_path, monkeypatch):
    """At most max_bytes + 1 bytes are read to decide a file is too large."""
    (tmp_path / "big.txt").write_bytes(b"x" * 10_000)
    reads = []
    real = ingest._read_at_most

    def counting(fh, limit):
        data = real(fh, limit)
        reads.append(len(data))
        return data

    monkeypatch.setattr(ingest, "_read_at_most", counting)
    [item] = ingest.read_inputs(str(tmp_path), ["big.txt"], max_bytes=100)  # no blob folder: nothing copied
    assert item.reason == "too_large" and reads == [101]


def test_jsonl_is_split_into_lines_before_any_limit(tmp_path):
    good = json.dumps({"url": "https://example.com/a", "text": "A body."})
    big = json.dumps({"url": "https://example.com/big", "text": "word " * 5000})
    nested = "[" * 5000 + "]" * 5000
    after = json.dumps({"url": "https://example.com/after", "text": "After the big one."})
    data = "\n".join([good, big, nested, after]).encode()
    (tmp_path / "feed.jsonl").write_bytes(data)
    items = list(ingest.read_inputs(str(tmp_path), ["feed.jsonl"], max_bytes=1000, blobs=tmp_path / "blobs"))
    assert [(i.source_path, getattr(i, "reason", "read")) for i in items] == [
        ("feed.jsonl#1", "read"), ("feed.jsonl#2", "too_large"), ("feed.jsonl#3", "too_large"),
        ("feed.jsonl#4", "read")]
    assert open(items[1].raw_file, "rb").read() == big.encode()  # every byte of the long line kept
    assert items[3].content == "After the big one."
    # A deeply nested line within the limit is one bad line, not a crashed run.
    [deep] = [i for i in ingest.read_inputs(str(tmp_path), ["feed.jsonl"], max_bytes=20_000)
              if i.source_path == "feed.jsonl#3"]
    assert deep.reason == "not_an_article" and "nested too deeply" in deep.detail and deep.raw == nested.encode()

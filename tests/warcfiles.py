"""WARC files written byte by byte for the tests (no WARC library: the reader under test must
not also be the writer). A record is `warc_record(...)`; a file is a list of them written
plain, gzip-compressed record by record (as crawlers write `.warc.gz`), or compressed whole."""

from __future__ import annotations

import gzip
import uuid
from pathlib import Path


def http_response(body: bytes, *, status: str = "200 OK", content_type: str | None = "text/html; charset=utf-8",
                  headers: tuple[str, ...] = ()) -> bytes:
    lines = [f"HTTP/1.1 {status}"]
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    lines += [*headers, f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def warc_record(rtype: str, uri: str, block: bytes, *, date: str = "2024-03-05T08:30:00Z", version: str = "1.1",
                record_id: str | None = None, content_type: str | None = None,
                extra: tuple[str, ...] = ()) -> bytes:
    """One record: header, block, CRLF CRLF."""
    rid = record_id or f"urn:uuid:{uuid.uuid4()}"
    if content_type is None:
        content_type = {"response": "application/http; msgtype=response", "request": "application/http; msgtype=request",
                        "revisit": "application/http; msgtype=response"}.get(rtype, "application/warc-fields")
    head = [f"WARC/{version}", f"WARC-Type: {rtype}", f"WARC-Record-ID: <{rid}>", f"WARC-Date: {date}"]
    if uri:
        head.append(f"WARC-Target-URI: {uri}")
    head += [f"Content-Type: {content_type}", *extra, f"Content-Length: {len(block)}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode("utf-8") + block + b"\r\n\r\n"


def page_response(uri: str, html: str, *, encoding: str = "utf-8", charset: str | None = "utf-8",
                  **kwargs) -> bytes:
    """A response record holding one HTML page."""
    content_type = "text/html" + (f"; charset={charset}" if charset else "")
    return warc_record("response", uri, http_response(html.encode(encoding), content_type=content_type), **kwargs)


def warcinfo(version: str = "1.1") -> bytes:
    return warc_record("warcinfo", "", b"software: tests\r\nformat: WARC File Format 1.1\r\n",
                       version=version, extra=("WARC-Filename: test.warc.gz",))


def write_warc(path: Path, records: list[bytes], *, compress: str = "records") -> list[int]:
    """Write the records; `compress`: "records" (one gzip member each), "whole" (one gzip
    stream), "none". Returns each record's byte offset in the file."""
    offsets, out = [], bytearray()
    for record in records:
        offsets.append(len(out))
        out += gzip.compress(record, 6, mtime=0) if compress == "records" else record
    data = gzip.compress(bytes(out), 6, mtime=0) if compress == "whole" else bytes(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return offsets


def crawl_landing(folder, rnd, *, pages=40):
    """A CC-NEWS-style landing folder: `news.warc.gz` (WARC/1.1, gzip per record) with a request,
    a response and a metadata record per page, plus an image, a 404, a redirect and a revisit;
    `mirror.warc` (WARC/1.0, plain) holding one of those pages again, crawled a day later;
    `cut.warc.gz`, cut short inside its second record; `export.jsonl.gz`. Returns the source
    paths of every response record and every JSONL line (the inputs)."""
    import datetime as dt
    import json
    import random
    import shutil

    from conftest import generated_corpus

    tmp = folder.parent / f"{folder.name}-txt"
    tmp.mkdir(exist_ok=True)
    days = generated_corpus(tmp, random.Random(rnd))
    records, inputs, first = [warcinfo()], [], None
    for n, (name, day) in enumerate(sorted(days.items())[:pages]):
        text = (tmp / name).read_text()
        html = "<html><head><title>{0}</title></head><body><article>{1}</article></body></html>".format(
            text.splitlines()[0], "".join(f"<p>{line}</p>" for line in text.splitlines()[2:] if line.strip()))
        uri = f"https://news.example/{name}"
        records.append(warc_record("request", uri, b"GET / HTTP/1.1\r\n\r\n"))
        records.append(page_response(uri, html, record_id=f"urn:uuid:page-{n:03d}", date=f"{day}T06:00:00Z"))
        records.append(warc_record("metadata", uri, b"fetchTimeMs: 120\r\n"))
        inputs.append(f"news.warc.gz#urn:uuid:page-{n:03d}")
        first = first or (uri, html, day)
    records += [
        warc_record("response", "https://news.example/logo.png", http_response(b"\x89PNG" + bytes(64), content_type="image/png"),
                    record_id="urn:uuid:png"),
        warc_record("response", "https://news.example/gone", http_response(b"gone", status="404 Not Found"),
                    record_id="urn:uuid:404"),
        warc_record("response", "https://news.example/old", http_response(b"", status="302 Found",
                    headers=("Location: https://news.example/new",)), record_id="urn:uuid:302"),
        warc_record("revisit", first[0], b"HTTP/1.1 200 OK\r\n\r\n"),
    ]
    inputs += ["news.warc.gz#urn:uuid:png", "news.warc.gz#urn:uuid:404", "news.warc.gz#urn:uuid:302"]
    write_warc(folder / "news.warc.gz", records)
    uri, html, day = first
    write_warc(folder / "mirror.warc", [warcinfo("1.0"), page_response(
        uri.replace("news.", "mirror."), html, version="1.0", record_id="urn:uuid:mirror",
        date=f"{day + dt.timedelta(days=1)}T09:00:00Z")], compress="none")
    inputs.append("mirror.warc#urn:uuid:mirror")
    offsets = write_warc(folder / "cut.warc.gz", [warcinfo(), page_response("https://cut.example/1", html, record_id="urn:uuid:cut1"),
                                                  page_response("https://cut.example/2", html, record_id="urn:uuid:cut2")])
    data = (folder / "cut.warc.gz").read_bytes()
    (folder / "cut.warc.gz").write_bytes(data[:offsets[2] + 50])
    inputs += ["cut.warc.gz#urn:uuid:cut1", f"cut.warc.gz#@{offsets[2]}"]
    lines = [json.dumps({"url": f"https://feed.example/{k}", "text": (tmp / name).read_text()})
             for k, name in enumerate(sorted(days)[pages:pages + 3])]
    (folder / "export.jsonl.gz").write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    inputs += [f"export.jsonl.gz#{k + 1}" for k in range(len(lines))]
    shutil.rmtree(tmp)
    return inputs

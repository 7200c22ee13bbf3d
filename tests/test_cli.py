import csv
import shutil
import subprocess
import sys

from conftest import FIXTURES, REPO


def _cli(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "newsarchive", *args], cwd=cwd, capture_output=True,
                          text=True, env={"PYTHONPATH": str(REPO / "plugins"), "PATH": "/usr/bin:/bin"})


def test_extract_writes_bodies_and_dates_csv(landing, tmp_path):
    (landing / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    result = _cli("extract", "--input", str(landing), "--output", str(out), "--acquired-date", "2024-01-16")
    assert result.returncode == 0, result.stderr
    assert "quarantined empty.txt: empty" in result.stderr
    bodies = sorted(p.stem for p in out.glob("*.txt"))
    assert bodies == sorted(p.stem for p in landing.glob("0*.txt"))
    body = (out / "001_d9f85effd8569e74.txt").read_text()
    assert body.startswith("SEOUL: North Korea’s foreign minister will visit Russia")
    assert "Read Comments" not in body and "14 Jan, 2024" not in body
    with open(out / "dates.csv", newline="") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    assert set(rows) == set(bodies)
    assert rows["001_d9f85effd8569e74"]["date"] == "2024-01-14"
    assert rows["000_53b4bdac026a502e"] == {"id": "000_53b4bdac026a502e", "date": "2024-01-16", "date_source": "acquired"}


def test_run_then_clusters_lists_every_archived_input(landing, tmp_path):
    shutil.copy(FIXTURES / "syndicated" / "meridian-diplomat-moscow.txt", landing)
    root = tmp_path / "archive"
    result = _cli("run", "--input", str(landing), "--archive", str(root), "--acquired-date", "2024-01-16")
    assert result.returncode == 0, result.stderr
    assert "canonical articles:    5" in result.stdout and "duplicates:            1  (near: 1)" in result.stdout
    clusters = _cli("clusters", "--archive", str(root))
    rows = list(csv.DictReader(clusters.stdout.splitlines()))
    assert len(rows) == 6 and len({r["cluster_id"] for r in rows}) == 5
    ids = {r["doc_id"]: r["cluster_id"] for r in rows}
    assert ids["meridian-diplomat-moscow"] == ids["001_d9f85effd8569e74"]
    summary = _cli("summary", "--archive", str(root))
    assert summary.returncode == 0 and summary.stdout == result.stdout


def test_bad_arguments_and_missing_input_are_clear_errors(tmp_path):
    result = _cli("run", "--input", str(tmp_path / "missing"), "--archive", str(tmp_path / "a"))
    assert result.returncode == 1 and "landing folder does not exist" in result.stderr
    result = _cli("extract", "--input", ".", "--output", str(tmp_path), "--acquired-date", "16/01/2024")
    assert result.returncode == 2 and "not a YYYY-MM-DD date" in result.stderr

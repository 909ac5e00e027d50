"""Review outputs: --report hits.jsonl (round trip to clean_and_explain), --report
review.html (self-contained, every removal marked), --keep-removed, --stats totals."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FIXTURES
from corpus_samples import CLEAN, DIRTY, dirty, jsonl_bytes

from cleaner import clean_and_explain
from cleaner.cli import main
from cleaner.report import STAT_COLUMNS
from cleaner.review import hit_from_row
from cleaner.runner import EXIT_CHANGED, EXIT_ERROR, EXIT_OK

SEEDS = FIXTURES / "seeds"


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    records = [{"id": f"r{n}", "text": dirty(n) if n % 3 else CLEAN, "url": "u"} for n in range(9)]
    (root / "shard.jsonl").write_bytes(jsonl_bytes(records))
    (root / "a.txt").write_text(DIRTY, encoding="utf-8")
    return root


def test_hits_jsonl_round_trips_to_clean_and_explain_on_the_seeds(tmp_path: Path, capsys) -> None:
    report = tmp_path / "hits.jsonl"
    before = {p.name: p.read_bytes() for p in SEEDS.iterdir()}
    assert main(["--report", str(report), str(SEEDS)]) == EXIT_CHANGED  # alone, it writes nothing else
    assert {p.name: p.read_bytes() for p in SEEDS.iterdir()} == before
    assert f"wrote {report}" in capsys.readouterr().err
    rows = _rows(report)
    seeds = sorted(SEEDS.glob("*.txt"))
    for path in seeds:
        mine = [row for row in rows if row["file"] == str(path)]
        hits = clean_and_explain(path.read_text(encoding="utf-8")).hits
        assert [hit_from_row(row) for row in mine] == list(hits), path
        assert all(row["record"] is None and row["record_id"] is None for row in mine)
    assert {row["file"] for row in rows} <= {str(p) for p in seeds}
    assert len(rows) == sum(len(clean_and_explain(p.read_text(encoding="utf-8")).hits) for p in seeds)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_hits_jsonl_for_records_names_record_line_and_id(tmp_path: Path, jobs: str) -> None:
    root = _corpus(tmp_path)
    report = tmp_path / "hits.jsonl"
    assert main(["-q", "-j", jobs, "--pool-min-bytes", "0", "--chunk-bytes", "300", "--report", str(report),
                 str(root)]) == EXIT_CHANGED
    rows = _rows(report)
    shard = [row for row in rows if row["file"].endswith("shard.jsonl")]
    records = [json.loads(line) for line in (root / "shard.jsonl").read_text(encoding="utf-8").splitlines()]
    expected = []
    for lineno, record in enumerate(records, 1):
        for hit in clean_and_explain(record["text"]).hits:
            expected.append((lineno, record["id"], hit))
    assert [(row["record"], row["record_id"], hit_from_row(row)) for row in shard] == expected
    assert {row["line"] for row in shard if row["id"] == "read_more.prefixed-headline"} == {2}
    # text files follow in input order, and the file order is the same for every -j
    assert [row["file"] for row in rows] == sorted((row["file"] for row in rows),
                                                   key=lambda f: 0 if f.endswith("a.txt") else 1)


def test_keep_removed_has_each_documents_removed_text(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    kept = tmp_path / "removed.jsonl"
    assert main(["-q", "--write", "--keep-removed", str(kept), str(root)]) == EXIT_CHANGED
    rows = _rows(kept)
    records = {row["record_id"]: row for row in rows if row["record"] is not None}
    assert sorted(records) == [f"r{n}" for n in range(9) if n % 3]  # only records that lost text
    for n in (1, 2, 4):
        removed = [(r["id"], r["text"]) for r in records[f"r{n}"]["removed"]]
        assert removed == [("read_more.prefixed-headline", "Read More: Council votes on budget"),
                           ("advertisement.marker", "Advertisement")]
    text_row = next(row for row in rows if row["record"] is None)
    assert text_row["file"] == str(root / "a.txt") and len(text_row["removed"]) == 2
    assert "Read More" not in (root / "a.txt").read_text(encoding="utf-8")  # --write: cleaned in place


@pytest.mark.parametrize(("flags", "words"), [
    (["--report", "x.csv"], "--report x.csv: name a .jsonl file (one line per hit) or an .html page"),
    (["--keep-removed", "x.txt"], "--keep-removed x.txt: name a .jsonl file"),
])
def test_report_names_checked(tmp_path: Path, flags: list[str], words: str, capsys) -> None:
    assert main([*flags, str(_corpus(tmp_path))]) == EXIT_ERROR
    assert words in capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--report", "--keep-removed"])
def test_jsonl_report_inside_the_inputs_is_refused(tmp_path: Path, flag: str, capsys) -> None:
    root = _corpus(tmp_path)
    assert main([flag, str(root / "hits.jsonl"), str(root)]) == EXIT_ERROR
    assert not (root / "hits.jsonl").exists()
    assert "where the next run would clean it as a corpus file" in capsys.readouterr().err


def test_a_run_that_fails_to_start_leaves_no_report(tmp_path: Path) -> None:
    report = tmp_path / "hits.jsonl"
    assert main(["--report", str(report), "--output-dir", str(tmp_path / "c" / "out"), str(tmp_path / "c"),
                 "--check"]) == EXIT_ERROR
    assert not report.exists() and list(tmp_path.iterdir()) == []


# --- the HTML page ------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Tags with their attributes, and the text inside <del>/<mark> per hit number."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.marked: dict[tuple[str, str], set[str]] = {}  # (tag, hit number) -> ...
        self.stack: list[tuple[str, dict]] = []
        self.section: int = -1

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "section":
            self.section += 1
        if tag in ("del", "mark", "span", "p") and "data-hits" in attrs:
            for n in attrs["data-hits"].split():
                self.marked.setdefault((tag, f"{self.section}:{n}"), set())


def test_html_report_is_self_contained_and_marks_every_removal(tmp_path: Path) -> None:
    page = tmp_path / "review.html"
    assert main(["-q", "--report", str(page), str(SEEDS)]) == EXIT_CHANGED
    html = page.read_text(encoding="utf-8")
    # no network, no external assets: no src/href to anything, no url() or @import in the CSS
    assert not re.search(r"""\b(src|href)\s*=""", html)
    assert "url(" not in html and "@import" not in html and "http://" not in html and "https://" not in html
    assert "default-src 'none'" in html
    parser = _Page()
    parser.feed(html)
    sections = [a for t, a in parser.tags if t == "section"]
    seeds = sorted(SEEDS.glob("*.txt"))
    results = [clean_and_explain(p.read_text(encoding="utf-8")) for p in seeds]
    changed = [(p, r) for p, r in zip(seeds, results) if r.hits]
    assert len(sections) == len(changed) == 4  # one of the five seeds is clean
    for n, (path, result) in enumerate(changed):
        assert sections[n]["data-rules"].split() == sorted({h.id for h in result.hits})
        for i, hit in enumerate(result.hits):
            if hit.action in ("drop", "truncate"):
                assert ("del", f"{n}:{i}") in parser.marked, (path, hit)  # struck through
            elif hit.action == "flag":
                assert {("mark", f"{n}:{i}"), ("del", f"{n}:{i}"), ("span", f"{n}:{i}")} & set(parser.marked), hit
    # the summary table: one row per family with the --stats numbers, and a total
    rows = re.findall(r'<tr data-filter="fam:([^"]+)">(.*?)</tr>', html)
    families = {h.family if h.kind == "rule" else h.id for r in results for h in r.hits}
    assert {name for name, _ in rows} == families
    for name, cells in rows:
        values = [int(v.replace(",", "")) for v in re.findall(r'<td class="n">([\d,]+)</td>', cells)]
        assert len(values) == len(STAT_COLUMNS)
        hits = [h for r in results for h in r.hits if (h.family if h.kind == "rule" else h.id) == name]
        assert values[1] == len(hits)
        assert values[2] == sum(1 for h in hits if h.action in ("drop", "truncate"))
        assert values[4] == sum(1 for h in hits if h.action == "flag")
    # the filter offers every family and every rule
    for result in results:
        for hit in result.hits:
            assert f'<option value="rule:{hit.id}">' in html


def test_html_report_of_an_html_page_shows_the_extract(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    body = "The council voted on the budget on Monday, and the mayor said she was pleased with it. " * 3
    page.write_text(f"<!DOCTYPE html><html><head><title>Vote</title></head><body><article><p>{body}</p>"
                    "<p>Advertisement</p></article></body></html>\n", encoding="utf-8")
    review = tmp_path / "review.html"
    assert main(["-q", "--html", "--report", str(review), str(page)]) == EXIT_CHANGED
    html = review.read_text(encoding="utf-8")
    assert "its main text, extracted with trafilatura, follows" in html
    assert "&lt;!DOCTYPE" not in html  # the page's markup is not shown: its extract is


# --- --stats -----------------------------------------------------------------------------------------


def test_stats_totals_add_up_to_the_rows(tmp_path: Path, capsys) -> None:
    root = _corpus(tmp_path)
    for path in sorted(SEEDS.glob("*.txt")):
        (root / path.name).write_bytes(path.read_bytes())
    for verbose in ([], ["-v"]):
        assert main(["--stats", "--check", *verbose, str(root)]) == EXIT_CHANGED
        out = capsys.readouterr().out.splitlines()
        assert out[0].split()[1:] == list(STAT_COLUMNS)
        assert out[0].split()[0] == ("rule" if verbose else "family")
        rows = [[int(v.replace(",", "")) for v in line.split()[1:]] for line in out[1:-2]]
        total = [int(v.replace(",", "")) for v in out[-2].split()[1:]]
        assert out[-2].startswith("total")
        for n, column in enumerate(STAT_COLUMNS):
            if column != "docs":
                assert sum(row[n] for row in rows) == total[n], column
        assert all(row[1] == row[2] + row[3] + row[4] for row in rows)  # hits = removed + replaced + flagged
        texts = [json.loads(line)["text"] for line in (root / "shard.jsonl").read_text(encoding="utf-8").splitlines()]
        texts += [p.read_text(encoding="utf-8") for p in sorted(root.glob("*.txt"))]
        results = [clean_and_explain(t) for t in texts]
        changed = sum(1 for t, r in zip(texts, results) if r.text != t)
        assert out[-1] == f"{len(texts)} documents, {changed} changed, {sum(1 for r in results if r.hits)} with a hit"


def test_stats_count_flags_apart_from_removals(tmp_path: Path, capsys) -> None:
    path = tmp_path / "a.txt"
    path.write_text("The council voted on the budget on Monday, and the mayor said she was pleased.\n"
                    "Jane Doe contributed to this report.\n", encoding="utf-8")
    assert main(["--stats", "--check", str(path)]) == EXIT_OK
    rows = {line.split()[0]: line.split()[1:] for line in capsys.readouterr().out.splitlines()[1:-1]}
    assert rows["attribution"] == ["1", "1", "0", "0", "1", "0"]  # flagged, nothing removed

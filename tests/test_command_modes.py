"""What the command writes, and where: --explain alone is a report, --write and
--output-dir write and say so, standard input and output, HTML pages."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from corpus_samples import CLEAN, DIRTY, dirty, run_module

from cleaner import clean
from cleaner.cli import main
from cleaner.runner import EXIT_CHANGED, EXIT_ERROR, EXIT_OK

ARTICLE = "The council voted on the budget on Monday, and the mayor said she was pleased with it. "
PAGE = (f"<!DOCTYPE html><html><head><title>Vote</title></head><body><article><p>{ARTICLE * 3}</p>"
        "</article></body></html>\n")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "news"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(DIRTY, encoding="utf-8")
    (root / "sub" / "b.txt").write_text(dirty(2), encoding="utf-8")
    (root / "clean.txt").write_text(CLEAN, encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- --explain is a report ----------------------------------------------------------------------


def test_explain_alone_writes_nothing_and_exits_1(tree: Path, capsys) -> None:
    before = snapshot(tree)
    assert main(["--explain", str(tree)]) == EXIT_CHANGED
    assert snapshot(tree) == before
    captured = capsys.readouterr()
    assert f"{tree / 'a.txt'}:2: read_more.prefixed-headline: drop" in captured.out
    assert f"would clean {tree / 'a.txt'}" in captured.err
    assert "2 files would be cleaned" in captured.err
    assert "no input was changed: --explain, --report and --keep-removed alone only report" in captured.err
    assert main(["--explain", str(tree / "clean.txt")]) == EXIT_OK


def test_explain_with_write_cleans_in_place(tree: Path, capsys) -> None:
    assert main(["--explain", "--write", str(tree)]) == EXIT_CHANGED
    assert (tree / "a.txt").read_text(encoding="utf-8") == clean(DIRTY)
    captured = capsys.readouterr()
    assert "read_more.prefixed-headline" in captured.out
    assert f"cleaned {tree / 'a.txt'}" in captured.err and "no input was changed" not in captured.err


@pytest.mark.parametrize(("flags", "words"), [
    (["--write", "--check"], "--write contradicts --check and --diff"),
    (["--write", "--diff"], "--write contradicts --check and --diff"),
    (["--output-dir", "OUT", "--check"], "--output-dir writes files; --check and --diff write nothing"),
    (["--output-dir", "OUT", "--write"], "--write cleans in place; --output-dir writes copies"),
    (["--stdin-filename", "x.txt"], "--stdin-filename names standard input: give - as the path"),
    (["--html", "--no-html"], "--html and --no-html contradict each other"),
    (["--html"], "--html writes the main text of HTML pages, and never over a page: give --output-dir DIR"),
])
def test_contradicting_flags_exit_2_before_anything_is_read(tree: Path, tmp_path: Path, flags: list[str],
                                                           words: str, capsys) -> None:
    before = snapshot(tree)
    flags = [str(tmp_path / "out") if f == "OUT" else f for f in flags]
    assert main([*flags, str(tree)]) == EXIT_ERROR
    assert snapshot(tree) == before and not (tmp_path / "out").exists()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0]


# --- --output-dir: one layout, said ----------------------------------------------------------------------


def test_output_dir_layout_is_relative_to_the_common_root_and_said(tree: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["--explain", "--output-dir", str(out), str(tree)]) == EXIT_CHANGED
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == [
        "a.txt", "clean.txt", "sub/b.txt"]
    err = capsys.readouterr().err
    assert f"wrote {out / 'a.txt'} (cleaned {tree / 'a.txt'})" in err
    assert f"wrote {out / 'sub' / 'b.txt'} (cleaned {tree / 'sub' / 'b.txt'})" in err
    assert f"wrote {out / 'clean.txt'} (a copy: {tree / 'clean.txt'} needed no change)" in err
    # one file, or two folders: the paths below their common folder, the same rule
    out1, out2 = tmp_path / "one", tmp_path / "two"
    assert main(["-q", "--output-dir", str(out1), str(tree / "sub" / "b.txt")]) == EXIT_CHANGED
    assert [p.name for p in out1.rglob("*")] == ["b.txt"]
    other = tmp_path / "more"
    other.mkdir()
    (other / "c.txt").write_text(DIRTY, encoding="utf-8")
    assert main(["-q", "--output-dir", str(out2), str(tree / "sub"), str(other)]) == EXIT_CHANGED
    assert sorted(str(p.relative_to(out2)) for p in out2.rglob("*.txt")) == ["more/c.txt", "news/sub/b.txt"]


# --- standard input and output ------------------------------------------------------------------------------


def test_stdin_to_stdout(tmp_path: Path) -> None:
    proc = run_module("-", input=DIRTY)
    assert proc.returncode == EXIT_CHANGED, proc.stderr
    assert proc.stdout == clean(DIRTY)
    assert "cleaned -" in proc.stderr
    proc = run_module("-", input=CLEAN)
    assert (proc.returncode, proc.stdout) == (EXIT_OK, CLEAN)  # written back as it came


def test_stdin_check_diff_and_explain_print_no_text() -> None:
    proc = run_module("--check", "-", input=DIRTY)
    assert (proc.returncode, proc.stdout) == (EXIT_CHANGED, "")
    assert "would clean -" in proc.stderr
    proc = run_module("--diff", "-", "--stdin-filename", "news/a.txt", input=DIRTY)
    assert proc.returncode == EXIT_CHANGED and proc.stdout.startswith("--- news/a.txt\t(original)\n")
    proc = run_module("--explain", "-", input=DIRTY)
    assert proc.returncode == EXIT_CHANGED
    assert proc.stdout.startswith("-:2: read_more.prefixed-headline: drop")


def test_stdin_jsonl_by_its_filename() -> None:
    records = [{"id": 1, "text": DIRTY}, {"id": 2, "text": CLEAN}]
    data = "".join(json.dumps(r) + "\n" for r in records)
    proc = run_module("-", "--stdin-filename", "shard.jsonl", input=data)
    assert proc.returncode == EXIT_CHANGED, proc.stderr
    assert [json.loads(line) for line in proc.stdout.splitlines()] == [{"id": 1, "text": clean(DIRTY)},
                                                                       {"id": 2, "text": CLEAN}]


def test_stdin_filename_finds_the_configuration_and_excludes(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    (project / "pyproject.toml").write_text('[tool.cleaner]\ndisable = ["advertisement"]\nexclude = ["drafts"]\n')
    proc = run_module("-", "--stdin-filename", str(project / "a.txt"), input=DIRTY, cwd=tmp_path)
    assert proc.returncode == EXIT_CHANGED, proc.stderr
    assert "Advertisement" in proc.stdout and "Read More" not in proc.stdout
    proc = run_module("-", "--stdin-filename", "drafts/a.txt", "--force-exclude", input=DIRTY, cwd=project)
    assert (proc.returncode, proc.stdout) == (EXIT_OK, DIRTY)  # excluded: passed through, as black does


@pytest.mark.parametrize(("args", "words"), [
    (["-", "other.txt"], "- (standard input) cannot be mixed with other paths"),
    (["-", "--output-dir", "out"], "with -, the cleaned text goes to standard output: drop --output-dir"),
    (["-", "--explain", "--write"], "--explain and --stats would go there too"),
    (["-", "--stats"], "--explain and --stats would go there too"),
])
def test_stdin_usage_errors(args: list[str], words: str, monkeypatch, capsys) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(DIRTY.encode())))
    assert main(args) == EXIT_ERROR
    assert words in capsys.readouterr().err


def test_stdin_compressed_and_binary(monkeypatch, capsys) -> None:
    proc = run_module("-", "--stdin-filename", "s.jsonl.gz", input="x")
    assert proc.returncode == EXIT_ERROR and "compressed input on standard input is not read" in proc.stderr
    assert proc.stdout == "x"  # what came in goes out: a pipe never loses data


# --- HTML pages ------------------------------------------------------------------------------------------------


def test_html_file_named_on_the_command_line_is_skipped_not_overwritten(tmp_path: Path, capsys) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    disguised = tmp_path / "page.txt"
    disguised.write_text(PAGE, encoding="utf-8")
    assert main([str(page), str(disguised)]) == EXIT_OK
    assert page.read_text(encoding="utf-8") == PAGE and disguised.read_text(encoding="utf-8") == PAGE
    err = capsys.readouterr().err
    assert f"skipped {page}: an HTML page, not text (--html with --output-dir DIR writes its main text to DIR)" in err
    assert "0 files cleaned, 0 unchanged, 2 skipped, 0 failed (2 seen); 0 lines, 0 bytes removed." in err


def test_html_pages_with_html_go_to_the_output_dir_as_text(tmp_path: Path, capsys) -> None:
    src = tmp_path / "site"
    src.mkdir()
    (src / "page.html").write_text(PAGE, encoding="utf-8")
    (src / "a.txt").write_text(DIRTY, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["--html", "--output-dir", str(out), str(src)]) == EXIT_CHANGED
    assert (src / "page.html").read_text(encoding="utf-8") == PAGE
    text = (out / "page.html.txt").read_text(encoding="utf-8")
    assert text.startswith("The council voted on the budget") and "<" not in text
    assert not (out / "page.html").exists()
    assert (out / "a.txt").read_text(encoding="utf-8") == clean(DIRTY)
    err = capsys.readouterr().err
    assert f"wrote {out / 'page.html.txt'} (the main text of the HTML page {src / 'page.html'})" in err
    assert "-1 lines" not in err and "bytes removed" in err


def test_html_page_through_stdin() -> None:
    proc = run_module("-", input=PAGE)
    assert (proc.returncode, proc.stdout) == (EXIT_OK, PAGE)
    assert "skipped -: an HTML page" in proc.stderr
    proc = run_module("-", "--html", input=PAGE)
    assert proc.returncode == EXIT_CHANGED and proc.stdout.startswith("The council voted")

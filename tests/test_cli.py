"""The ``cleaner`` command, run in-process through ``main(argv)``: every exit code and flag."""

from __future__ import annotations

import io
import json
import os
import stat
import sys
from pathlib import Path

import pytest
from corpus_samples import CLEAN, DIRTY, dirty, run_module

from cleaner import Config, __version__, clean, load_rules
from cleaner import corpus as corpus_module
from cleaner.cli import main
from cleaner.corpus import find_files
from cleaner.model import Hit
from cleaner.report import Reporter, explain_lines
from cleaner.runner import EXIT_CHANGED, EXIT_ERROR, EXIT_OK, Job, run


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A small corpus folder: two dirty files, one clean file, one file of another type."""
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(DIRTY, encoding="utf-8")
    (root / "sub" / "b.txt").write_text(dirty(2), encoding="utf-8")
    (root / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (root / "notes.md").write_text(DIRTY, encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- exit codes and modes -------------------------------------------------------------


def test_fix_in_place_exit_1_and_messages(tree: Path, capsys) -> None:
    assert main([str(tree)]) == EXIT_CHANGED
    assert (tree / "a.txt").read_text(encoding="utf-8") == clean(DIRTY)
    assert (tree / "sub" / "b.txt").read_text(encoding="utf-8") == clean(dirty(2))
    assert (tree / "notes.md").read_text(encoding="utf-8") == DIRTY  # not included by default
    err = capsys.readouterr().err
    assert f"cleaned {tree / 'a.txt'}" in err
    assert f"cleaned {tree / 'sub' / 'b.txt'}" in err
    assert "2 files cleaned, 1 unchanged, 0 failed (3 seen)" in err
    assert "4 lines" in err and "bytes removed" in err


def test_nothing_to_do_exit_0_and_no_rewrite(tree: Path, capsys) -> None:
    main([str(tree), "-q"])
    before = {p: os.stat(p) for p in tree.rglob("*.txt")}
    assert main([str(tree)]) == EXIT_OK
    for path, st in before.items():
        after = os.stat(path)
        assert (after.st_ino, after.st_mtime_ns) == (st.st_ino, st.st_mtime_ns), path
    assert "0 files cleaned, 3 unchanged" in capsys.readouterr().err


def test_check_writes_nothing(tree: Path, capsys) -> None:
    before = snapshot(tree)
    assert main(["--check", str(tree)]) == EXIT_CHANGED
    assert snapshot(tree) == before
    captured = capsys.readouterr()
    assert f"would clean {tree / 'a.txt'}" in captured.err
    assert "2 files would be cleaned" in captured.err
    assert captured.out == ""
    assert main(["--check", str(tree / "clean.txt")]) == EXIT_OK


def test_diff_writes_nothing_and_prints_unified_diff(tree: Path, capsys) -> None:
    before = snapshot(tree)
    assert main(["--diff", str(tree / "a.txt")]) == EXIT_CHANGED
    assert snapshot(tree) == before
    out = capsys.readouterr().out
    name = str(tree / "a.txt")
    assert out.startswith(f"--- {name}\t(original)\n+++ {name}\t(cleaned)\n@@ ")
    assert "-Read More: Council votes on budget\n" in out
    assert "-Advertisement\n" in out
    assert " The vote is expected in May, officials said in a statement.\n" in out


def test_diff_marks_missing_final_newline(tmp_path: Path, capsys) -> None:
    path = tmp_path / "a.txt"
    path.write_text(DIRTY.rstrip("\n"), encoding="utf-8")
    assert main(["--diff", str(path)]) == EXIT_CHANGED
    assert "\\ No newline at end of file\n" in capsys.readouterr().out


def test_explain_lists_every_removal_with_line_numbers(tree: Path, capsys) -> None:
    assert main(["--explain", "--check", str(tree / "a.txt")]) == EXIT_CHANGED
    lines = capsys.readouterr().out.splitlines()
    name = tree / "a.txt"
    assert any(line.startswith(f"{name}:2: read_more.prefixed-headline: drop 'Read More: Council votes on budget' (")
               for line in lines), lines
    assert any(line.startswith(f"{name}:3: advertisement.marker: drop 'Advertisement' (") for line in lines)


def test_explain_clips_long_text_unless_verbose() -> None:
    hit = Hit("x.y", "rule", "drop", 0, 300, "a" * 300, "why")
    assert "(+180 chars)" in explain_lines("f", "a" * 300, [hit])[0]
    assert "(+180 chars)" not in explain_lines("f", "a" * 300, [hit], full=True)[0]


def test_stats_counts_per_family(tree: Path, capsys) -> None:
    assert main(["--stats", "--check", str(tree)]) == EXIT_CHANGED
    out = capsys.readouterr().out.splitlines()
    table = {line.split()[0]: line.split()[1:] for line in out[1:-1]}
    assert out[0].split() == ["family", "docs", "hits", "removed", "replaced", "flagged", "chars"]
    # docs, hits, removed, replaced, flagged, chars
    assert table["read_more"] == ["2", "2", "2", "0", "0", str(2 * len("Read More: Council votes on budget"))]
    assert table["advertisement"] == ["2", "2", "2", "0", "0", "26"]
    assert table["total"] == ["2", "4", "4", "0", "0", str(2 * 34 + 26)]
    assert out[-1] == "3 documents, 2 changed, 2 with a hit"


def test_output_dir_mirrors_tree_and_leaves_inputs(tree: Path, tmp_path: Path, capsys) -> None:
    before = snapshot(tree)
    out = tmp_path / "out"
    assert main([str(tree), "--output-dir", str(out)]) == EXIT_CHANGED
    assert snapshot(tree) == before
    assert (out / "a.txt").read_text(encoding="utf-8") == clean(DIRTY)
    assert (out / "sub" / "b.txt").read_text(encoding="utf-8") == clean(dirty(2))
    assert (out / "clean.txt").read_bytes() == (tree / "clean.txt").read_bytes()  # unchanged files copied
    assert not (out / "notes.md").exists()


@pytest.mark.parametrize("inside", [".", "cleaned", "sub/cleaned"])
def test_output_dir_inside_the_inputs_is_refused(tree: Path, inside: str, capsys) -> None:
    before = snapshot(tree)
    out = tree / inside
    assert main([str(tree), "--output-dir", str(out)]) == EXIT_ERROR
    assert snapshot(tree) == before
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"cleaner: error: --output-dir {out} is inside the input folder {tree}: its copies would be "
                   "cleaned as inputs next time; write them outside it"]


def test_output_dir_that_would_overwrite_an_input_is_refused(tree: Path, capsys) -> None:
    before = snapshot(tree)
    assert main([str(tree / "a.txt"), "--output-dir", str(tree)]) == EXIT_ERROR  # a.txt's folder is the root
    assert snapshot(tree) == before
    assert f"would write {tree / 'a.txt'} over itself" in capsys.readouterr().err


def test_quiet_and_verbose(tree: Path, capsys) -> None:
    assert main(["-q", "--check", str(tree)]) == EXIT_CHANGED
    assert capsys.readouterr().err == ""
    assert main(["-v", "--check", str(tree)]) == EXIT_CHANGED
    assert f"unchanged {tree / 'clean.txt'}" in capsys.readouterr().err


def test_exit_2_beats_exit_1_and_other_files_still_processed(tree: Path, capsys) -> None:
    missing = tree / "missing.txt"
    assert main([str(missing), str(tree / "a.txt")]) == EXIT_ERROR
    assert (tree / "a.txt").read_text(encoding="utf-8") == clean(DIRTY)
    err = capsys.readouterr().err
    assert f"cleaner: error: {missing}: no such file or directory" in err
    assert "1 failed" in err


def test_usage_errors_exit_2(tmp_path: Path, capsys) -> None:
    assert main([]) == EXIT_ERROR
    assert "no PATH given" in capsys.readouterr().err
    assert main(["--no-such-flag", str(tmp_path)]) == EXIT_ERROR
    assert main(["--jobs", "-3", str(tmp_path)]) == EXIT_ERROR
    assert main(["--help"]) == EXIT_OK


def test_version(capsys) -> None:
    assert main(["--version"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith(f"cleaner {__version__} (distribution newsclean; "
                          f"Python {sys.version_info.major}.{sys.version_info.minor}")


def test_empty_folder_is_nothing_to_do(tmp_path: Path, capsys) -> None:
    assert main([str(tmp_path)]) == EXIT_OK
    assert "no files to clean" in capsys.readouterr().err


# --- text files: bytes are sacred -------------------------------------------------------


def test_invalid_utf8_untouched_exit_2_with_offset(tree: Path, capsys) -> None:
    bad = tree / "bad.txt"
    data = DIRTY.encode("utf-8")[:10] + b"\xff\xfe" + DIRTY.encode("utf-8")[10:]
    bad.write_bytes(data)
    assert main([str(tree)]) == EXIT_ERROR
    assert bad.read_bytes() == data
    assert (tree / "a.txt").read_text(encoding="utf-8") == clean(DIRTY)  # the others still cleaned
    err = capsys.readouterr().err
    assert f"cleaner: error: {bad}: not valid UTF-8 at byte offset 10" in err
    assert "Traceback" not in err


def test_binary_file_skipped_with_note(tree: Path, capsys) -> None:
    binary = tree / "blob.txt"
    binary.write_bytes(b"Advertisement\n\x00\x01\x02")
    assert main(["--check", str(binary)]) == EXIT_OK
    assert binary.read_bytes() == b"Advertisement\n\x00\x01\x02"
    err = capsys.readouterr().err
    assert f"skipped {binary}: binary file (NUL byte at offset 14)" in err
    assert "1 skipped" in err


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
@pytest.mark.parametrize("final_newline", [True, False])
@pytest.mark.parametrize("bom", [False, True])
def test_line_endings_final_newline_and_bom_kept(tmp_path: Path, eol: str, final_newline: bool, bom: bool) -> None:
    text = DIRTY.replace("\n", eol)
    if not final_newline:
        text = text[: -len(eol)]
    path = tmp_path / "a.txt"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    assert main(["-q", str(path)]) == EXIT_CHANGED
    expected = clean(text)
    assert expected.count(eol) == (2 if final_newline else 1) and "Advertisement" not in expected
    assert path.read_bytes() == (b"\xef\xbb\xbf" if bom else b"") + expected.encode("utf-8")


def test_file_mode_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(DIRTY, encoding="utf-8")
    path.chmod(0o640)
    assert main(["-q", str(path)]) == EXIT_CHANGED
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_failed_replace_leaves_original_and_no_temp(tmp_path: Path, monkeypatch, capsys) -> None:
    path = tmp_path / "a.txt"
    path.write_text(DIRTY, encoding="utf-8")

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(corpus_module.os, "replace", full_disk)
    assert main(["-j", "1", str(path)]) == EXIT_ERROR
    assert path.read_text(encoding="utf-8") == DIRTY
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    assert "No space left on device; original left intact" in capsys.readouterr().err


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder_reported(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "a.txt"
    path.write_text(DIRTY, encoding="utf-8")
    folder.chmod(0o555)
    try:
        assert main([str(path)]) == EXIT_ERROR
    finally:
        folder.chmod(0o755)
    assert path.read_text(encoding="utf-8") == DIRTY
    assert "cannot write" in capsys.readouterr().err


def test_unwritable_file_reported(tmp_path: Path, monkeypatch, capsys) -> None:
    path = tmp_path / "a.txt"
    path.write_text(DIRTY, encoding="utf-8")
    real_access = os.access
    monkeypatch.setattr(corpus_module.os, "access",
                        lambda p, mode: False if str(p) == str(path) and mode == os.W_OK else real_access(p, mode))
    assert main(["-j", "1", str(path)]) == EXIT_ERROR
    assert path.read_text(encoding="utf-8") == DIRTY
    assert f"{path}: cannot write: file is not writable" in capsys.readouterr().err


# --- selecting files ---------------------------------------------------------------------


def test_include_and_exclude(tree: Path) -> None:
    (tree / "drafts").mkdir()
    (tree / "drafts" / "d.txt").write_text(DIRTY, encoding="utf-8")
    assert main(["-q", "--include", "*.md", str(tree)]) == EXIT_CHANGED
    assert (tree / "notes.md").read_text(encoding="utf-8") == clean(DIRTY)
    assert (tree / "a.txt").read_text(encoding="utf-8") == DIRTY
    assert main(["-q", "--exclude", "drafts", "--exclude", "sub/*", str(tree)]) == EXIT_CHANGED
    assert (tree / "a.txt").read_text(encoding="utf-8") == clean(DIRTY)
    assert (tree / "drafts" / "d.txt").read_text(encoding="utf-8") == DIRTY
    assert (tree / "sub" / "b.txt").read_text(encoding="utf-8") == dirty(2)


def test_named_files_taken_unless_force_exclude(tree: Path, monkeypatch) -> None:
    monkeypatch.chdir(tree)
    assert main(["-q", "--exclude", "sub", "--force-exclude", "sub/b.txt"]) == EXIT_OK
    assert (tree / "sub" / "b.txt").read_text(encoding="utf-8") == dirty(2)
    assert main(["-q", "--exclude", "sub", "sub/b.txt"]) == EXIT_CHANGED
    assert (tree / "sub" / "b.txt").read_text(encoding="utf-8") == clean(dirty(2))


def test_vcs_folders_never_entered(tree: Path) -> None:
    (tree / ".git").mkdir()
    (tree / ".git" / "x.txt").write_text(DIRTY, encoding="utf-8")
    main(["-q", str(tree)])
    assert (tree / ".git" / "x.txt").read_text(encoding="utf-8") == DIRTY


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlinks_not_followed_out_of_the_tree(tmp_path: Path, capsys) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text(DIRTY, encoding="utf-8")
    root = tmp_path / "root"
    root.mkdir()
    (root / "link.txt").symlink_to(outside)
    (root / "real.txt").write_text(DIRTY, encoding="utf-8")
    (root / "inner-link.txt").symlink_to(root / "real.txt")
    assert main(["-v", str(root)]) == EXIT_CHANGED
    assert outside.read_text(encoding="utf-8") == DIRTY
    assert (root / "inner-link.txt").is_symlink()  # skipped; its target is cleaned under its own name
    assert (root / "real.txt").read_text(encoding="utf-8") == clean(DIRTY)
    err = capsys.readouterr().err
    assert "link.txt: skipped: symlink to" in err
    assert "1 file cleaned, 0 unchanged, 0 failed (1 seen)" in err  # the inner link is the same file


# --- configuration -------------------------------------------------------------------------


def test_pyproject_found_from_paths_and_flags_override(tree: Path, monkeypatch, capsys) -> None:
    (tree / ".git").mkdir()
    (tree / "pyproject.toml").write_text('[tool.cleaner]\ndisable = ["advertisement"]\nexclude = ["sub"]\n')
    monkeypatch.chdir(tree.parent)
    assert main(["-v", str(tree / "a.txt")]) == EXIT_CHANGED
    assert "using configuration from" in capsys.readouterr().err
    text = (tree / "a.txt").read_text(encoding="utf-8")
    assert "Advertisement" in text and "Read More" not in text
    assert main(["-q", str(tree)]) == EXIT_OK  # a.txt done, sub/ excluded by the config
    assert (tree / "sub" / "b.txt").read_text(encoding="utf-8") == dirty(2)
    assert main(["-q", "--disable", "read_more", str(tree / "clean.txt")]) == EXIT_OK


def test_pyproject_walk_stops_at_project_root(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.cleaner]\ndisable = ["advertisement"]\n')
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    (project / "a.txt").write_text(DIRTY, encoding="utf-8")
    assert main(["-q", str(project)]) == EXIT_CHANGED
    assert (project / "a.txt").read_text(encoding="utf-8") == clean(DIRTY)


def test_config_file_bare_table_and_text_field(tmp_path: Path) -> None:
    cfg = tmp_path / "cleaner.toml"
    cfg.write_text('text-field = "body"\ndisable = ["read_more"]\n')
    shard = tmp_path / "s.jsonl"
    shard.write_text(json.dumps({"body": DIRTY}) + "\n", encoding="utf-8")
    assert main(["-q", "--config", str(cfg), str(shard)]) == EXIT_CHANGED
    body = json.loads(shard.read_text(encoding="utf-8"))["body"]
    assert "Read More" in body and "Advertisement" not in body


def test_unknown_config_key_exit_2_with_hint(tree: Path, capsys) -> None:
    (tree / ".git").mkdir()
    (tree / "pyproject.toml").write_text("[tool.cleaner]\ndisabel = []\n")
    before = snapshot(tree)
    assert main([str(tree)]) == EXIT_ERROR
    assert snapshot(tree) == before
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unknown option 'disabel' (did you mean 'disable'?)" in err[0]


@pytest.mark.parametrize("content", ["[tool.cleaner\n", "[tool.cleaner]\ninclude = 3\n",
                                     "[tool.cleaner]\nmax-removal-fraction = 7\n"])
def test_bad_config_exit_2(tmp_path: Path, content: str, capsys) -> None:
    cfg = tmp_path / "pyproject.toml"
    cfg.write_text(content)
    assert main(["--config", str(cfg), str(tmp_path)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.startswith("cleaner: error: ") and "Traceback" not in err


def test_flag_values_checked(tmp_path: Path, capsys) -> None:
    assert main(["--max-removal-fraction", "3", str(tmp_path)]) == EXIT_ERROR
    assert "max_removal_fraction" in capsys.readouterr().err


def test_config_flags_reach_the_library(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(DIRTY, encoding="utf-8")
    assert main(["-q", "--no-builtin-rules", "--no-html", "--no-dedupe", "--no-article", "--language", "en,de",
                 "--max-removal-fraction", "0.5", str(path)]) == EXIT_OK
    assert path.read_text(encoding="utf-8") == DIRTY


def test_broken_rules_exit_2_before_touching_files(tree: Path, tmp_path: Path, capsys) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "bad.toml").write_text('[family]\nname = "bad"\n[[rule]]\nid = "bad.one"\nscope = "nowhere"\n'
                                    'action = "drop"\npattern = "x"\n')
    before = snapshot(tree)
    assert main(["--rules", str(rules), str(tree)]) == EXIT_ERROR
    assert snapshot(tree) == before
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("cleaner: error: ") and "bad.toml" in err[0] and "bad.one" in err[0]


def test_debug_shows_traceback(tmp_path: Path, capsys) -> None:
    assert main(["--debug", "--max-removal-fraction", "3", str(tmp_path)]) == EXIT_ERROR
    assert "Traceback" in capsys.readouterr().err


def test_extra_rule_dir(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "house.toml").write_text(
        '[family]\nname = "house"\nlanguage = "en"\n[[rule]]\nid = "house.tip"\ndescription = "tip line"\n'
        'scope = "line"\naction = "drop"\npattern = "^Got a tip\\\\?"\nhit = ["Got a tip? Email us."]\n'
        'miss = ["He got a tip from a friend."]\n')
    path = tmp_path / "a.txt"
    path.write_text(CLEAN + "Got a tip? Email us.\n", encoding="utf-8")
    assert main(["-q", "--rules", str(rules), str(path)]) == EXIT_CHANGED
    assert path.read_text(encoding="utf-8") == CLEAN


# --- rule tools -------------------------------------------------------------------------------


def test_list_rules(capsys) -> None:
    assert main(["--list-rules"]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["id", "kind", "family", "scope", "action", "language", "weak", "description"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert rows["read_more.prefixed-headline"][1:6] == ["rule", "read_more", "line", "drop", "en"]
    for rule in load_rules():  # language and weak columns as the rule files say
        assert rows[rule.id][5] == (",".join(rule.languages) or "any"), rule.id
        assert (rows[rule.id][6] == "weak") is (rule.strength == "weak"), rule.id
    assert rows["fix.encoding"][1:6] == ["fix", "fix", "-", "-", "any"]
    assert rows["heuristic.article"][1] == "heuristic"
    # every id a hit can carry is listed, so every one can be found for --disable
    assert {"fix.encoding", "fix.whitespace", "fix.markup", "heuristic.html", "heuristic.dedupe",
            "heuristic.article", "heuristic.comments", "heuristic.cap", "document.too-large"} <= set(rows)
    assert main(["--list-rules", "--disable", "read_more", "--disable", "fix.encoding", "--no-dedupe"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "read_more." not in out and "fix.encoding" not in out and "heuristic.dedupe" not in out
    assert "fix.whitespace" in out


def _rule_dir(tmp_path: Path, miss: str) -> Path:
    folder = tmp_path / "myrules"
    folder.mkdir()
    (folder / "tips.toml").write_text(
        '[family]\nname = "tips"\nlanguage = "en"\n[[rule]]\nid = "tips.line"\ndescription = "tip line"\n'
        'scope = "line"\naction = "drop"\npattern = "(?i)got a tip"\nhit = ["Got a tip? Email us."]\n'
        f'miss = ["{miss}"]\n')
    return folder


def test_test_rules_passing_folder(tmp_path: Path, capsys) -> None:
    assert main(["--test-rules", str(_rule_dir(tmp_path, "Tipping point reached."))]) == EXIT_OK
    assert "2 examples in 1 rules: 2 ok, 0 xfail, 0 FAIL, 0 XPASS" in capsys.readouterr().out


def test_test_rules_failing_folder(tmp_path: Path, capsys) -> None:
    assert main(["--test-rules", str(_rule_dir(tmp_path, "He got a tip from a friend."))]) == EXIT_CHANGED
    out = capsys.readouterr().out
    assert "FAIL " in out and "tips.line: miss example" in out and "should not hit" in out


def test_test_rules_broken_folder_exit_2(tmp_path: Path, capsys) -> None:
    assert main(["--test-rules", str(tmp_path / "nope")]) == EXIT_ERROR
    assert "rule folder not found" in capsys.readouterr().err


def test_test_rules_builtin_runs(capsys) -> None:
    assert main(["--test-rules"]) in (EXIT_OK, EXIT_CHANGED)  # the content is test_rule_examples' business
    assert " examples in " in capsys.readouterr().out


# --- parallel runs and the real entry point -------------------------------------------------


def test_jobs_2_same_output_as_jobs_1(tmp_path: Path, capsys) -> None:
    outputs = []
    for jobs in ("1", "2"):
        root = tmp_path / f"run{jobs}"
        for n in range(12):
            (root / f"d{n % 3}").mkdir(parents=True, exist_ok=True)
            (root / f"d{n % 3}" / f"{n:02}.txt").write_text(dirty(n) if n % 4 else CLEAN, encoding="utf-8")
        (root / "bad.txt").write_bytes(b"\xff" + DIRTY.encode())
        code = main(["-j", jobs, "--pool-min-bytes", "0", "--explain", "--stats", str(root)])
        captured = capsys.readouterr()
        outputs.append((code, snapshot(root), captured.out.replace(str(root), "ROOT"),
                        captured.err.replace(str(root), "ROOT")))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == EXIT_ERROR


def test_python_dash_m_entry_point(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(DIRTY, encoding="utf-8")
    proc = run_module("--check", str(path))
    assert proc.returncode == EXIT_CHANGED, proc.stderr
    assert f"would clean {path}" in proc.stderr
    proc = run_module("-j", "2", "--pool-min-bytes", "0", str(path), str(tmp_path / "missing.txt"))
    assert proc.returncode == EXIT_ERROR
    assert path.read_text(encoding="utf-8") == clean(DIRTY)


# --- progress bar -------------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_not_quiet() -> None:
    sizes = [100] * 10
    assert Reporter("fix", err=io.StringIO())._start_bar(sizes, False) is None  # not a TTY
    assert Reporter("fix", err=_Terminal(), quiet=True)._start_bar(sizes, False) is None
    assert Reporter("fix", err=_Terminal(), progress=False)._start_bar(sizes, False) is None
    assert Reporter("fix", err=_Terminal())._start_bar([100], False) is None  # one text file: nothing to show
    assert Reporter("fix", err=_Terminal())._start_bar(sizes, False).records_mode is False
    assert Reporter("fix", err=_Terminal())._start_bar([100], True).records_mode is True  # one JSONL: records


def test_progress_bar_run_keeps_messages(tree: Path) -> None:
    err, out = _Terminal(), io.StringIO()
    reporter = Reporter("check", out=out, err=err)
    files = find_files([str(tree)]).files
    summary = run(files, Job(config=Config(), mode="check", explain=True), reporter, jobs=1)
    assert summary.changed == 2 and reporter._bar is None  # closed at the end
    assert f"would clean {tree / 'a.txt'}" in err.getvalue()
    assert "advertisement.marker" in out.getvalue()


def test_rule_dirs_in_config_are_relative_to_the_config_file(tmp_path: Path, monkeypatch) -> None:
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    rules = _rule_dir(project, "Tipping point reached.")
    (project / "pyproject.toml").write_text(f'[tool.cleaner]\nrule-dirs = ["{rules.name}"]\n')
    path = project / "a.txt"
    path.write_text(CLEAN + "Got a tip? Email us.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["-q", "project/a.txt"]) == EXIT_CHANGED
    assert path.read_text(encoding="utf-8") == CLEAN

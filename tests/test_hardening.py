"""Hardening: hostile input, hostile rules, huge files. Never crash, never hang, never lose text.

* regex safety: a catastrophic pattern that the lint lets through trips the
  ``regex_timeout`` guard: the document passes through unchanged and is reported;
* size: cleaning time grows linearly; ``max_document_chars`` passes a document through;
* files: a full disk, a read-only folder, a broken rule folder or a bug never leave a
  file half-written, never leave a temporary file, and are one line on stderr;
* hostile strings through the command (invalid UTF-8, lone surrogates in JSONL);
* rule files are data: no code, no includes, nothing read from outside the folder.

Real bugs found while writing these (and by ``tests/fuzz/fuzz_clean.py``) are kept as
strict xfails with the minimal input, so a fix shows up as an XPASS to un-mark.
"""

from __future__ import annotations

import errno
import gzip
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
import regex
from corpus_samples import DIRTY, REPO, dirty
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Config, clean, clean_and_explain
from cleaner import corpus as corpus_module
from cleaner import runner as runner_module
from cleaner.cli import main
from cleaner.fixers import ftfy_fix
from cleaner.rules import Rule, RuleError, lint_pattern, load_rules
from cleaner.runner import EXIT_CHANGED, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, Job, clean_lines

FIXES_ONLY = Config(builtin_rules=False, dedupe=False, article_heuristic=False, html_input=False)
ARTICLE = "The city council approved the budget on Monday after a long and heated debate.\n"
ARTICLE2 = "Mayor Michelle Wu said the city would not cooperate with the federal request.\n"
READ_MORE = "Read More: Council votes on new budget\n"
#: Passes lint_pattern (no nested unbounded repeat of one atom) yet backtracks
#: exponentially on "aaa...ab": 'aa' can be one 'aa' or two 'a's.
CATASTROPHIC = "(a|aa)+$"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def rule_file(folder: Path, pattern: str, rid: str = "house.slow", name: str = "house.toml") -> Path:
    """A one-rule family file ``folder/name`` whose rule ``rid`` drops lines matching ``pattern``
    (its examples are for CATASTROPHIC; loading does not run them)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(f"""\
        [family]
        name = "{rid.split('.')[0]}"
        language = "en"

        [[rule]]
        id = "{rid}"
        description = "a rule under test"
        scope = "line"
        action = "drop"
        pattern = '{pattern}'
        hit = ["aaaa"]
        miss = ["b"]
        """), encoding="utf-8")
    return path


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("cleaner: error:")]


# ============================================================================ regex safety
@pytest.mark.parametrize("pattern", ["(a+)+", r"^(\w+\s?)*$"])
def test_lint_rejects_nested_unbounded_repeats_naming_file_rule_field(tmp_path: Path, pattern: str) -> None:
    path = rule_file(tmp_path / "rules", pattern, rid="house.bad")
    with pytest.raises(RuleError) as info:
        load_rules(tmp_path / "rules", builtin=False)
    message = str(info.value)
    assert str(path) in message and "'house.bad'" in message and "field 'pattern'" in message
    assert "nested unbounded repeats" in message and "\n" not in message


@pytest.mark.parametrize("pattern", [CATASTROPHIC, "(x+x+)+y", "(?:\\w+\\s+)+$", "(a|a)*b"])
def test_lint_lets_through_some_slow_shapes(pattern: str) -> None:
    # The lint is a cheap screen for the commonest shape, not a proof: the time limit is the guard.
    assert lint_pattern(pattern) is None


def test_the_let_through_pattern_really_is_catastrophic() -> None:
    with pytest.raises(TimeoutError):
        regex.compile(CATASTROPHIC).search("a" * 50 + "b", timeout=0.05)


@pytest.mark.parametrize("bad", ["a" * 50 + "b", "a" * 30_000 + "b"], ids=["50a-b", "30KB-a-b"])
def test_catastrophic_rule_trips_the_guard_and_the_document_passes_through(tmp_path: Path, bad: str) -> None:
    # The wall-clock guard is the last resort: a document it stops is never half
    # cleaned (which rules had run before it tripped would depend on the machine).
    config = Config(rule_dirs=(str(tmp_path / "rules"),), regex_timeout=0.2)
    rule_file(tmp_path / "rules", CATASTROPHIC)
    clean("warm up: load the rules", config)
    text = ARTICLE + READ_MORE + bad + "\n" + ARTICLE2
    started = time.monotonic()
    result = clean_and_explain(text, config)
    elapsed = time.monotonic() - started
    print(f"\n{len(bad)} chars, regex_timeout=0.2: clean_and_explain took {elapsed:.2f}s wall")
    assert elapsed < 10
    assert result.text == text and clean(text, config) == text
    assert result.passed_through == "timed-out"
    assert [(h.id, h.action) for h in result.hits] == [("document.timed-out", "flag")]
    assert "house.slow" in result.hits[0].reason and "passed through unchanged" in result.hits[0].reason
    assert result.problem == result.hits[0].reason


def test_rule_that_does_not_time_out_still_acts(tmp_path: Path) -> None:
    # the same rule on a line it matches quickly: the timeout machinery is not in the way
    config = Config(rule_dirs=(str(tmp_path / "rules"),), regex_timeout=0.2)
    rule_file(tmp_path / "rules", CATASTROPHIC)
    result = clean_and_explain(ARTICLE + "a" * 30_000 + "\n" + ARTICLE2, config)
    assert result.text == ARTICLE + ARTICLE2
    assert [h.action for h in result.hits if h.id == "house.slow"] == ["drop"]


def _count_timeouts(monkeypatch, rule_id: str) -> list[float]:
    """Patch Rule.search to record the CPU seconds of every call of ``rule_id`` that timed out."""
    real = Rule.search
    timeouts: list[float] = []

    def search(self, text, timeout=None):
        if self.id != rule_id:
            return real(self, text, timeout)
        started = time.process_time()
        try:
            return real(self, text, timeout)
        except TimeoutError:
            timeouts.append(time.process_time() - started)
            raise

    monkeypatch.setattr(Rule, "search", search)
    return timeouts


def test_a_tripped_guard_stops_the_document(tmp_path: Path, monkeypatch) -> None:
    config = Config(rule_dirs=(str(tmp_path / "rules"),), regex_timeout=0.1)
    rule_file(tmp_path / "rules", CATASTROPHIC)
    clean("warm up", config)
    timeouts = _count_timeouts(monkeypatch, "house.slow")
    # two slow lines, and dedupe would call for a second round of rules: one timeout ends it all
    text = ARTICLE + "a" * 50 + "b\n" + "a" * 51 + "b\n" + ARTICLE
    assert clean_and_explain(text, config).passed_through == "timed-out"
    assert len(timeouts) == 1


def _line_length_for(pattern: regex.Pattern, low: float, high: float) -> int:
    """The length n for which ``pattern`` takes between ``low`` and ``high`` CPU seconds on 'a'*n + 'b'."""
    for n in range(12, 60):
        started = time.process_time()
        try:
            pattern.search("a" * n + "b", timeout=high)
        except TimeoutError:
            break
        if time.process_time() - started >= low:
            return n
    pytest.skip("could not calibrate the slow line on this machine")


def test_rule_time_is_bounded_per_document_not_per_line(tmp_path: Path) -> None:
    limit = 0.1
    config = Config(rule_dirs=(str(tmp_path / "rules"),), regex_timeout=limit)
    rule_file(tmp_path / "rules", CATASTROPHIC)
    clean("warm up", config)
    # 30 lines that each take a third of the limit: the budget is per document (once it was per line)
    n = _line_length_for(regex.compile(CATASTROPHIC), 0.3 * limit, limit)
    text = ARTICLE + "".join("a" * n + f"b {i}\n" for i in range(30)) + ARTICLE2
    started = time.process_time()
    result = clean_and_explain(text, config)
    spent = time.process_time() - started
    assert spent < 5 * limit + 0.5, f"{spent:.2f}s CPU on one document with regex_timeout={limit}"
    assert result.passed_through == "timed-out" and result.text == text


def test_inline_substitution_time_counts_against_the_budget(tmp_path: Path) -> None:
    limit = 0.1
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "house.toml").write_text(textwrap.dedent("""\
        [family]
        name = "house"
        [[rule]]
        id = "house.inline"
        description = "first match quick, the rest slow"
        scope = "inline"
        action = "drop"
        pattern = 'x|(a|aa)+c'
        hit = ["x"]
        miss = ["b"]
        """), encoding="utf-8")
    config = Config(rule_dirs=(str(rules),), regex_timeout=limit)
    clean("warm up", config)
    pattern = regex.compile("(a|aa)+c")
    n = _line_length_for(pattern, 0.3 * limit, limit)
    text = ARTICLE + ("x " + "a" * n + "b\n") * 30 + ARTICLE2
    started = time.process_time()
    clean_and_explain(text, config)
    spent = time.process_time() - started
    assert spent < 5 * limit + 0.5, f"{spent:.2f}s CPU on one document with regex_timeout={limit}"


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is enforced on Linux")
def test_huge_bounded_repeat_is_caught_before_it_eats_memory(tmp_path: Path) -> None:
    # '(?:x{60000}){60000}' makes regex.compile() expand 3.6e9 items: it takes all the
    # memory there is. Under a 2 GB address-space limit the run must still end in one line.
    rules = tmp_path / "rules"
    rule_file(rules, "(?:x{60000}){60000}", rid="house.huge")
    (tmp_path / "a.txt").write_text(DIRTY, encoding="utf-8")
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30)); "
            "from cleaner.cli import main; sys.exit(main(sys.argv[1:]))")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-c", code, "--rules", str(rules), str(tmp_path / "a.txt")],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert proc.returncode == EXIT_ERROR
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == DIRTY
    assert len(error_lines(proc.stderr)) == 1 and "Traceback" not in proc.stderr


def test_huge_bounded_repeat_is_rejected_by_the_lint(tmp_path: Path) -> None:
    assert lint_pattern("(?:x{60000}){60000}") is not None
    assert lint_pattern("x{10000000}") is not None


# ============================================================================ size
SENTENCES = [
    "The city council approved the budget on Monday after a long and heated debate",
    "Mayor Michelle Wu said the city would not cooperate with the federal request",
    "Read More: Council votes on new budget", "Advertisement",
    "Officials expect the new rules to take effect at the beginning of next year",
    "The cityâ€™s CafÃ© owner said &amp; no", "Home", "Share on Facebook",
]


def news_of_size(nbytes: int, sep: str) -> str:
    """Distinct news-like sentences (a counter in each), with boilerplate and mojibake."""
    parts, size, i = [], 0, 0
    while size < nbytes:
        part = f"{SENTENCES[i % len(SENTENCES)]} ({i})."
        parts.append(part)
        size += len(part) + 1
        i += 1
    return sep.join(parts) + "\n"


def cpu_seconds(fn, *args) -> float:
    started = time.process_time()
    fn(*args)
    return time.process_time() - started


@pytest.mark.slow
@pytest.mark.parametrize("sep", [" ", "\n"], ids=["one-line", "many-lines"])
def test_cleaning_time_grows_linearly(sep: str) -> None:
    # CPU time, not wall time: other processes on the machine do not count; the best
    # of two runs each. 4x the input may cost up to 10x (allocating 4x as many line
    # objects is itself a little worse than linear: 6.5-8.5x measured); a quadratic
    # step would cost 16x.
    small, big = news_of_size(1 << 20, sep), news_of_size(4 << 20, sep)
    clean(small[:1000])
    t_small = min(cpu_seconds(clean, small) for _ in range(2))
    t_big = min(cpu_seconds(clean, big) for _ in range(2))
    print(f"\n{sep!r}: 1 MB {t_small:.2f}s, 4 MB {t_big:.2f}s CPU, ratio {t_big / t_small:.1f}")
    assert t_big / t_small < 10


def test_ftfy_screen_is_linear_on_one_long_line() -> None:
    unit = "Profits & losses were reported on Monday by the firm. "
    small, big = unit * ((1 << 19) // len(unit)), unit * ((2 << 20) // len(unit))
    ftfy_fix(small[:1000])
    t_small, t_big = cpu_seconds(ftfy_fix, small), cpu_seconds(ftfy_fix, big)
    assert t_big / t_small < 8, f"0.5 MB {t_small:.2f}s, 2 MB {t_big:.2f}s"


def test_dedupe_is_linear_in_the_number_of_copies() -> None:
    para = "The council approved the budget on Monday after a long debate.\n\n"
    t_small, t_big = cpu_seconds(clean, para * 5_000), cpu_seconds(clean, para * 20_000)
    assert t_big / t_small < 8, f"5,000 copies {t_small:.2f}s, 20,000 copies {t_big:.2f}s"


def test_max_document_chars_passes_a_big_document_through(tmp_path: Path) -> None:
    config = Config(max_document_chars=1000)
    big = (ARTICLE + READ_MORE + "Advertisement\n") * 20
    assert len(big) > 1000
    assert clean(big, config) == big
    result = clean_and_explain(big, config)
    assert result.text == big
    assert [(h.id, h.action, h.start, h.end) for h in result.hits] == [("document.too-large", "flag", 0, len(big))]
    assert "max_document_chars=1000" in result.hits[0].reason
    small = ARTICLE + READ_MORE  # under the limit: cleaned as usual
    assert clean(small, config) == ARTICLE


def test_max_document_chars_through_the_command(tmp_path: Path, capsys) -> None:
    big = (ARTICLE + READ_MORE) * 20
    path = tmp_path / "a.txt"
    path.write_text(big, encoding="utf-8")
    (tmp_path / "cleaner.toml").write_text("max-document-chars = 1000\n", encoding="utf-8")
    assert main(["-j", "1", "--explain", "--config", str(tmp_path / "cleaner.toml"), str(path)]) == EXIT_ERROR
    assert path.read_text(encoding="utf-8") == big
    out, err = capsys.readouterr()
    assert "document.too-large" in out
    assert error_lines(err) == [f"cleaner: error: {path}: {len(big):,} characters is over max_document_chars=1000; "
                                "passed through unchanged"]
    assert "1 failed (1 seen); 1 document passed through unchanged (1 too large)" in err


# ============================================================================ files
def _full_disk_temp(monkeypatch) -> None:
    """Every temporary file cleaner creates writes to /dev/full: the kernel answers ENOSPC."""
    real = corpus_module._create_temp

    def create_temp(*args, **kwargs):
        fd, path = real(*args, **kwargs)
        full = os.open("/dev/full", os.O_WRONLY)
        os.dup2(full, fd)
        os.close(full)
        return fd, path

    monkeypatch.setattr(corpus_module, "_create_temp", create_temp)


def _jsonl(records: int) -> bytes:
    return b"".join(json.dumps({"id": i, "text": DIRTY.replace("Monday", f"day {i}")}).encode() + b"\n"
                    for i in range(records))


FULL_DISK_CASES = {
    "small.txt": DIRTY.encode(),  # ENOSPC at the flush in commit()
    "big.txt": "".join(dirty(i) for i in range(2000)).encode(),  # ENOSPC at write(), past the write buffer
    "many.jsonl": _jsonl(400),  # several batches written before the failure
    "many.jsonl.gz": gzip.compress(_jsonl(400), mtime=0),
}


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("name", list(FULL_DISK_CASES))
def test_full_disk_leaves_original_and_no_temp_file(tmp_path: Path, monkeypatch, capsys, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(FULL_DISK_CASES[name])
    _full_disk_temp(monkeypatch)
    assert main(["-j", "1", "--chunk-bytes", "4096", str(path)]) == EXIT_ERROR
    assert path.read_bytes() == FULL_DISK_CASES[name]
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no temp file left
    err = capsys.readouterr().err
    # "; original left intact" is added when the failure comes at commit (buffered writes)
    lines = error_lines(err)
    assert len(lines) == 1 and lines[0].startswith(f"cleaner: error: {path}: cannot write: No space left on device")
    assert "Traceback" not in err


def test_enospc_at_fsync_leaves_original(tmp_path: Path, monkeypatch, capsys) -> None:
    path = tmp_path / "a.jsonl.gz"
    data = gzip.compress(_jsonl(3), mtime=0)
    path.write_bytes(data)

    def fsync(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(corpus_module.os, "fsync", fsync)
    assert main(["-j", "1", str(path)]) == EXIT_ERROR
    assert path.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl.gz"]
    assert error_lines(capsys.readouterr().err) == [
        f"cleaner: error: {path}: cannot write: No space left on device; original left intact"]


def test_cannot_create_temp_file_in_folder(tmp_path: Path, monkeypatch, capsys) -> None:
    # What a read-only folder does for a normal user, simulated so it runs as root too.
    path = tmp_path / "a.jsonl"
    path.write_bytes(_jsonl(3))

    def open_(path, flags, mode=0o777):
        if path.endswith(corpus_module.TEMP_SUFFIX):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real_open(path, flags, mode)

    real_open = os.open
    monkeypatch.setattr(corpus_module.os, "open", open_)
    assert main(["-j", "1", str(path)]) == EXIT_ERROR
    assert path.read_bytes() == _jsonl(3)
    assert error_lines(capsys.readouterr().err) == [f"cleaner: error: {path}: cannot write: Permission denied"]


def test_ctrl_c_just_after_the_temp_file_is_created_leaves_no_temp_file(tmp_path: Path, monkeypatch,
                                                                        capsys) -> None:
    # The window the interrupt test hit about one run in six: SIGINT arrives during the
    # open() that creates the temporary file, and Python raises right after it returns.
    path = tmp_path / "a.txt"
    path.write_text(DIRTY, encoding="utf-8")

    def open_(name, flags, mode=0o777):
        fd = real_open(name, flags, mode)
        if name.endswith(corpus_module.TEMP_SUFFIX):
            raise KeyboardInterrupt
        return fd

    real_open = os.open
    monkeypatch.setattr(corpus_module.os, "open", open_)
    assert main(["-j", "1", str(path)]) == EXIT_INTERRUPTED
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    assert path.read_text(encoding="utf-8") == DIRTY
    assert "cleaner: interrupted" in capsys.readouterr().err


@pytest.mark.skipif(IS_ROOT, reason="root can write into a read-only folder")
def test_read_only_folder_of_jsonl_and_text(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "a.txt").write_text(DIRTY, encoding="utf-8")
    (folder / "b.jsonl.gz").write_bytes(gzip.compress(_jsonl(3), mtime=0))
    before = snapshot(folder)
    folder.chmod(0o555)
    try:
        assert main(["-j", "1", str(folder)]) == EXIT_ERROR
    finally:
        folder.chmod(0o755)
    assert snapshot(folder) == before
    assert len(error_lines(capsys.readouterr().err)) == 2


@pytest.mark.parametrize("how", ["--rules", "pyproject"])
def test_rule_folder_with_a_bad_file_stops_before_any_file_is_touched(tmp_path: Path, capsys, how: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(DIRTY, encoding="utf-8")
    (corpus / "b.jsonl").write_bytes(_jsonl(3))
    rules = tmp_path / "house"
    rule_file(rules, "^Got a tip", rid="house.good", name="a_good.toml")
    bad = rule_file(rules, r"^(\w+\s?)*$", rid="house.bad", name="b_bad.toml")
    if how == "pyproject":
        (tmp_path / "pyproject.toml").write_text('[tool.cleaner]\nrule-dirs = ["house"]\n', encoding="utf-8")
        (tmp_path / ".git").mkdir()
        args = [str(corpus)]
    else:
        args = ["--rules", str(rules), str(corpus)]
    before = snapshot(corpus)
    assert main(["-j", "1", *args]) == EXIT_ERROR
    assert snapshot(corpus) == before
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cleaner: error: ")
    assert str(bad) in lines[0] and "'house.bad'" in lines[0] and "field 'pattern'" in lines[0]
    assert main(["-j", "1", "--debug", *args]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuleError" in err and err.strip().splitlines()[-1] == lines[0]
    assert snapshot(corpus) == before


def test_internal_error_is_one_line_and_debug_adds_the_traceback(tmp_path: Path, monkeypatch, capsys) -> None:
    path = tmp_path / "a.txt"
    path.write_text(DIRTY, encoding="utf-8")
    other = tmp_path / "b.txt"
    other.write_text(DIRTY, encoding="utf-8")
    real_clean = runner_module.clean_document

    def buggy(text, config=None, explain=False):  # a bug that strikes the first document only
        buggy.calls += 1
        if buggy.calls == 1:
            raise RuntimeError("boom")
        return real_clean(text, config, explain=explain)

    for debug in ([], ["--debug"]):
        path.write_text(DIRTY, encoding="utf-8")
        other.write_text(DIRTY, encoding="utf-8")
        buggy.calls = 0
        monkeypatch.setattr(runner_module, "clean_document", buggy)
        assert main(["-j", "1", *debug, str(path), str(other)]) == EXIT_ERROR
        assert path.read_text(encoding="utf-8") == DIRTY  # the failing file untouched
        assert other.read_text(encoding="utf-8") == clean(DIRTY)  # the next one still cleaned
        err = capsys.readouterr().err
        assert error_lines(err) == [f"cleaner: error: {path}: internal error: RuntimeError: boom"]
        assert ("Traceback" in err) == bool(debug)


# ============================================================================ hostile strings through the command
@pytest.mark.parametrize("bad, offset", [
    (b"\xed\xa0\x80", 10),  # U+D800 encoded as if it were a character (WTF-8 / CESU-8)
    (b"\x80", 10),  # a lone continuation byte, as os.fsencode(surrogateescape) writes it
    (b"\xf4\x90\x80\x80", 10),  # past U+10FFFF
], ids=["encoded-surrogate", "surrogateescape-byte", "above-max"])
def test_text_file_with_invalid_utf8_is_untouched(tmp_path: Path, capsys, bad: bytes, offset: int) -> None:
    path = tmp_path / "a.txt"
    data = b"Advertis\xc3\xa9" + bad + b"ment\nRead More: x\n"
    path.write_bytes(data)
    assert main(["-j", "1", str(path)]) == EXIT_ERROR
    assert path.read_bytes() == data
    err = capsys.readouterr().err
    assert len(error_lines(err)) == 1 and f"not valid UTF-8 at byte offset {offset}" in err
    assert "Traceback" not in err


SURROGATE_RECORDS = [
    r'{"id": 1, "text": "Read More: x\nThe council met on Monday \ud800 and voted on the budget for next year.\n"}',
    r'{"id": 2, "text": "Advertisement\nThe mayor spoke at length about the budget on Monday evening.\n"}',
    r'{"id": 3, "text": "\udfff\ud800"}',
]


def test_jsonl_lone_surrogate_never_loses_text(tmp_path: Path, capsys) -> None:
    # Valid JSON, but "\ud800" is no character: it cannot be encoded as UTF-8.
    path = tmp_path / "a.jsonl"
    data = ("\n".join(SURROGATE_RECORDS) + "\n").encode()
    path.write_bytes(data)
    code = main(["-j", "1", str(path)])
    err = capsys.readouterr().err
    assert code in (EXIT_CHANGED, EXIT_ERROR) and "Traceback" not in err
    assert len(error_lines(err)) <= 1
    after = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    before = [json.loads(line) for line in SURROGATE_RECORDS]
    assert [r["id"] for r in after] == [1, 2, 3]
    for old, new in zip(before, after):
        assert new["text"] in (old["text"], clean(old["text"]))  # as it was, or cleaned: never half


def test_jsonl_lone_surrogate_record_is_cleaned_with_the_others(tmp_path: Path, capsys) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(("\n".join(SURROGATE_RECORDS) + "\n").encode())
    assert main(["-j", "1", str(path)]) == EXIT_CHANGED
    assert "internal error" not in capsys.readouterr().err
    after = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in after] == [clean(json.loads(line)["text"]) for line in SURROGATE_RECORDS]


@settings(max_examples=300)
@given(st.lists(st.text(st.characters(codec="utf-8"), max_size=60), min_size=1, max_size=4), st.booleans())
def test_jsonl_records_of_any_text_come_back_valid_and_cleaned(texts: list[str], ascii_only: bool) -> None:
    lines = [json.dumps({"id": i, "text": t}, ensure_ascii=ascii_only).encode("utf-8") + b"\n"
             for i, t in enumerate(texts)]
    batch = clean_lines(lines, 1, "x.jsonl", Job(config=Config()))
    assert not batch.problems and len(batch.out) == len(lines)
    for i, (text, out) in enumerate(zip(texts, batch.out)):
        assert out.endswith(b"\n") and out.count(b"\n") == 1
        record = json.loads(out.decode("utf-8"))
        assert record == {"id": i, "text": clean(text)}


# ============================================================================ untrusted rule files
@pytest.mark.parametrize("where", ["top", "family", "rule"])
def test_rule_file_cannot_include_other_files(tmp_path: Path, where: str) -> None:
    path = tmp_path / "rules" / "house.toml"
    path.parent.mkdir()
    include = 'include = "../../etc/passwd"\n'
    body = ('[family]\nname = "house"\n' + (include if where == "family" else "")
            + '\n[[rule]]\nid = "house.x"\ndescription = "x"\nscope = "line"\naction = "drop"\npattern = "^x$"\n'
            + 'hit = ["x"]\nmiss = ["y"]\n' + (include if where == "rule" else ""))
    path.write_text((include if where == "top" else "") + body, encoding="utf-8")
    with pytest.raises(RuleError, match="include") as info:
        load_rules(path.parent, builtin=False)
    assert str(path) in str(info.value)


def test_a_pattern_is_only_a_regex(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    code = f"__import__(\"os\").system(\"touch {marker}\")"
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "house.toml").write_text(textwrap.dedent(f"""\
        [family]
        name = "house"
        [[rule]]
        id = "house.code"
        description = "looks like Python, is a regex"
        scope = "line"
        action = "drop"
        pattern = '{code}'
        hit = ['__import__"os".system"touch {marker}"']
        miss = ["b"]
        """), encoding="utf-8")
    ruleset = load_rules(rules, builtin=False)
    line = f'__import__"os".system"touch {marker}"'
    assert clean(ARTICLE + line + "\n", Config(rule_dirs=(str(rules),), builtin_rules=False)) == ARTICLE
    assert ruleset.get("house.code").search(line)
    assert not marker.exists()


REGEX_ALPHABET = "ab()?*+{}[]|^$\\.,012:<>=!Pwsd-"


@settings(max_examples=300)
@given(st.text(st.sampled_from(REGEX_ALPHABET), min_size=1, max_size=25))
def test_any_pattern_loads_or_is_a_rule_error(pattern: str) -> None:
    # Validation names the culprit: whatever the pattern, no other exception escapes load_rules.
    with tempfile.TemporaryDirectory() as folder:  # a new folder each time: load_rules caches by folder
        Path(folder, "house.toml").write_text(
            '[family]\nname = "house"\n[[rule]]\nid = "house.p"\ndescription = "p"\nscope = "line"\n'
            f'action = "drop"\npattern = {json.dumps(pattern)}\nhit = ["a"]\nmiss = ["b"]\n', encoding="utf-8")
        try:
            load_rules(folder, builtin=False)
        except RuleError as exc:
            assert "house.toml" in str(exc) and "\n" not in str(exc)


def _outside_rule(tmp_path: Path) -> tuple[Path, Path]:
    """A rule folder and, beside it, a folder with a rule file ``evil.toml``."""
    rules, outside = tmp_path / "rules", tmp_path / "outside"
    rule_file(rules, "^Got a tip", rid="house.tip")
    rule_file(outside, "e", rid="evil.every-e", name="evil.toml")
    return rules, outside


def test_symlinked_rule_file_pointing_outside_is_not_loaded(tmp_path: Path) -> None:
    rules, outside = _outside_rule(tmp_path)
    (rules / "link.toml").symlink_to(outside / "evil.toml")
    try:
        ids = [r.id for r in load_rules(rules, builtin=False)]
    except RuleError as exc:  # refusing it by name is fine too
        assert "link.toml" in str(exc)
        return
    assert ids == ["house.tip"]


def test_symlinked_folder_inside_the_rule_folder_is_not_entered(tmp_path: Path) -> None:
    rules, outside = _outside_rule(tmp_path)
    (rules / "more").symlink_to(outside, target_is_directory=True)
    assert [r.id for r in load_rules(rules, builtin=False)] == ["house.tip"]


def test_rule_folder_given_as_symlink_or_dotdot_path_reads_that_folder(tmp_path: Path) -> None:
    rules, _ = _outside_rule(tmp_path)
    (tmp_path / "alias").symlink_to(rules, target_is_directory=True)
    (tmp_path / "sub").mkdir()
    for folder in (tmp_path / "alias", tmp_path / "sub" / ".." / "rules"):
        assert [r.id for r in load_rules(folder, builtin=False)] == ["house.tip"]


def test_rule_file_that_is_not_text_is_one_clear_error(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "house.toml").write_bytes(b"[family]\nname = \"house\"\n\x00\xff\xfe")
    with pytest.raises(RuleError, match=r"house\.toml: not UTF-8"):
        load_rules(rules, builtin=False)


# ============================================================================ found by fuzzing
#: Minimal inputs from tests/fuzz/fuzz_clean.py (reduced by hand and by ddmin).
# glitch-fix-order (fixed): not idempotent: ftfy runs before the zero-width/soft-hyphen/markup removal, so
# removing an invisible character or a tag between two halves of a mojibake sequence ('cafÃ\u200b©',
# 'Ã<b></b>©') makes mojibake that only the second clean() repairs. Fix: in fixers.fix_lines, strip zero-width
# characters, soft hyphens and tags before the ftfy screen, or re-screen lines those fixes changed


@pytest.mark.parametrize("text", [
    pytest.param("\u200bÃ\ufffd", id="fuzz-zwsp-A-tilde-replacement"),
    pytest.param("The cafÃ\u200b© is open.\n", id="zwsp-inside-mojibake"),
    pytest.param("\xadÃ\ufffd", id="soft-hyphen-A-tilde-replacement"),
    pytest.param("Ã<b></b>©", id="tag-inside-mojibake"),
])
def test_fuzz_glitch_fixes_are_idempotent(text: str) -> None:
    once = clean(text)
    assert clean(once) == once


# html-after-cleaning (fixed): not idempotent: HTML input is detected on the raw text, before rules and glitch
# fixes; when they remove what stood before a '<!DOCTYPE html>' (a dropped line, an NBSP entity that became a
# space), the output starts like an HTML page and the second clean() replaces it with trafilatura's extraction.
# Fix: detect HTML on the glitch-fixed text, and never return text that looks_like_html() unless the input did
# (e.g. strip_markup drops a leading doctype/<html> tag)
# lone-cr (fixed): not idempotent: a lone '\r' is not a line break for split_lines, so '&nbsp;\r&nbsp;\n' is one
# line; ftfy and the whitespace fix make it ' \r\n', which the second clean() reads as a CRLF line ' ' and
# trims. Fix: treat a lone '\r' as a line ending (as str.splitlines does)
# blob-after-removal (fixed): not idempotent: split_blobs decides once, on the input, whether a document is a
# one-line blob (at most 3 non-blank lines); the article heuristic then drops 3 short lines, the output has 3
# lines, and the second clean() cuts it into sentences and dedupes one. Fix: decide on the lines that are left,
# e.g. split again when a heuristic round brought the document under the limit
# weak-before-strong (fixed): not idempotent: a weak rule (captions.credit-line) decides 'next to the article
# body' while a line that reads as prose ('READ MORE: <headline>.') is still there, and only flags the credit; a
# later strong rule in the same stage drops that line, and the second clean() finds no body and drops the
# credit. Rules do not settle on their own (core.py assumes they do). Fix: run weak rules after strong ones in
# each stage, or repeat apply_rules until no line is removed
# weak-inline (fixed): not idempotent (found after c5c1835): stages run inline, tail, head, line, paragraph,
# tail, and captions.inline-credit (weak, inline) keeps '(Photo:T)' because the next line reads as prose;
# copyright.notice (strong, line stage) drops that line afterwards, and the second clean() sees no body and
# removes the credit. Fix: judge weak rules after the strong rules of every stage
# html-after-fixes (fixed): not idempotent (found after c5c1835): HTML input is detected on the raw text, so a
# page that starts with '&nbsp;' (or a control character) is cleaned as text: its tags are stripped one by one
# and the output starts with ' <!DOCTYPE html><html><body>', which the second clean() extracts with trafilatura.
# Fix: detect HTML on the text after the glitch fixes (or after skipping leading entities, controls and
# whitespace)
# blob-after-rules (fixed): not idempotent (found after c5c1835): the one-line-blob check runs again after
# heuristic rounds but not after rules: a title, an 'Advertisement' line and a byline over a one-line article
# make 4 lines, the rule drops 'Advertisement', and only the second clean() cuts the blob into sentences and
# drops its 'Share this: ...' tail. Fix: re-check split_blobs after the first apply_rules too
# weak-before-tail (fixed): share.follow-us (weak) only flagged 'Follow s on Twitter' next to a comment line
# that reads as prose; the final tail stage then cut from 'Comments', and the second clean() dropped the line.
# Fix: apply_rules judges again when lines changed after a weak rule kept something
# inline-join (fixed): captions.inline-credit dropped '(Photo: AP)' between two words: 'Bostonspoke'.

BLOB_SENTENCES = [
    "The Bayport Ferry Authority will keep the adult fare at five dollars this year.",
    "Work is expected to start in September and take about six weeks, officials said.",
    "The authority also approved a contract to repair the passenger ramp at the terminal.",
    "Critics said the plan would hurt small businesses and raise rents in the neighbourhood.",
    "Mayor Michelle Wu said the city would not cooperate with the federal request.",
    "Officials expect the new rules to take effect at the beginning of next year.",
    "The report found that spending had risen by a third since the last election.",
    "More than 300 people attended the meeting, and most of them were residents.",
    "The council will vote on the final budget in May, the clerk said on Friday.",
    "Repairs to the old ramp were expected to take about two months, the board said.",
    "The ferry carried more than a million passengers last year, a new record.",
    "Fares for children and seniors will not change, the authority said.",
    "The state cut its share of the operating subsidy by ten percent last spring.",
]
FUZZ_BLOB = (
    's\ns\nT\n The new fee is \x8000 \x96 or moreon tepairs said they would challenge the fee in cotaps harbor '
    'fund The Bayport Ferry Authority will keep the adult fare at e a hinge failed in March. Work is expected to '
    'start in September and take about sixkeew s.Faceboog the problem," Meyer said. "If the state ying time, not '
    'solving the problem," Meyer said. "If the state does not restf the operatubsidy, next year\'s budget will '
    'have to include either higher fares or fewer sailings." The authority also approved a $640l000 contract to '
    'repair the passenger ramp at the Linden Island terminal, which has been \ufffd\ufffd\ufffd\ufffd\ufffd'
    '\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffdclosed to bicycles since '
    'a hinge failed in March. Work is expected to start in September and take about sixkeew s.Faceboog the '
    'problem," Meyer said. "If the state does not restore its share of the operat subsidy, next year\'s budget '
    'will have to include either higher fares or fewer sailingsT".ae h uthority also approved a $640l000 '
    'contract to repair the passenger ramp at the Linden Isings\nh\na')


@pytest.mark.parametrize("text", [
    pytest.param("Terms of Use\n<!DOCTYPE html>a", id="doctype-after-dropped-line"),
    pytest.param("&nbsp;<!DOCTYPE html>o", id="doctype-after-nbsp-entity"),
    pytest.param("\x03<!DOCTYPE html>>", id="doctype-after-control-char"),
    pytest.param("Photo: AP\nREAD MORE: Council votes on the new budget today.", id="weak-rule-before-strong-drop"),
    pytest.param("Subscribe to our newsletter\nRead More: Council votes on the new budget today.",
                 id="weak-newsletter-before-strong-drop"),
    pytest.param("o \u00f3 e s e a n .\nw\nr\nFollow s on Twitter\nComments\nl o n a a e n .\nRead More: n n t e y .",
                 id="weak-follow-before-tail-cut"),
    pytest.param("s(Photo:T)\nT All rights reserved a 3 d .", id="weak-inline-credit-before-line-drop"),
    pytest.param("&nbsp;<!DOCTYPE html<body>o", id="doctype-body-after-nbsp-entity"),
    pytest.param("&nbsp;<!DOCTYPE html><html><body><p>Council approves the budget after a long debate.</p></body></html>",
                 id="html-page-after-nbsp-entity"),
    pytest.param("Ferry fares stay put\nAdvertisement\nBy Jane Doe\n" + " ".join(BLOB_SENTENCES)
                 + " Share this: Facebook Twitter Email Comments\n", id="blob-after-rule-removal"),
    pytest.param("Photo:s\nW\r\u00a9 4 E e All rights reserved.", id="weak-caption-lone-cr-copyright"),
    pytest.param("&nbsp;\r&nbsp;\n", id="nbsp-lone-cr"),
    pytest.param(FUZZ_BLOB, id="blob-after-article-removal"),
])
def test_fuzz_idempotence_regressions(text: str) -> None:
    once = clean(text)
    assert clean(once) == once


@pytest.mark.parametrize("text", ["The mayor of Boston(Photo: AP)spoke on Monday.", "y(Photo: )\u078c"])
def test_inline_removal_never_joins_two_words(text: str) -> None:
    words = set(regex.findall(r"\w+", clean(text, FIXES_ONLY)))
    assert set(regex.findall(r"\w+", clean(text))) <= words


# ============================================================================ never lose text
FOUR_LINES = [
    "The city council approved the budget on Monday after a long and heated debate.",
    "Mayor Michelle Wu said the city would not cooperate with the federal request.",
    "If you purchase a product through links on our site, we may receive compensation.",
    "Officials expect the new rules to take effect at the beginning of next year.",
]


def test_disclosure_line_goes_and_the_article_stays() -> None:
    text = "\n".join(FOUR_LINES) + "\n"
    assert clean(text) == "\n".join(FOUR_LINES[:2] + FOUR_LINES[3:]) + "\n"


def test_cr_only_line_endings_are_line_breaks() -> None:
    lines = FOUR_LINES[:2] + ["Read More: Council votes on new budget", "Advertisement"] + FOUR_LINES[2:]
    lf = "\n".join(lines) + "\n"
    assert clean(lf.replace("\n", "\r")) == clean(lf).replace("\n", "\r")


def test_one_line_article_with_a_disclosure_keeps_the_article() -> None:
    text = " ".join(FOUR_LINES) + "\n"
    out = clean(text)
    assert FOUR_LINES[0] in out and FOUR_LINES[3] in out

"""Every skipped or partial piece of work shows in a normal run.

A document passed through uncleaned (over ``max_document_chars``, stopped by the
``regex_timeout`` guard, a JSONL line that is no JSON object) is an error line at its
file and line, a count in the summary, and exit 2; settings that would clean nothing
are refused before any file is touched.
"""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest
from corpus_samples import DIRTY, cleaned_record_line, dirty

from cleaner import Config, clean
from cleaner import corpus as corpus_module
from cleaner.cli import main
from cleaner.config import ConfigError
from cleaner.runner import EXIT_ERROR

#: Passes the lint, backtracks exponentially on 'aaa...ab' (see test_hardening).
SLOW_RULE = textwrap.dedent("""\
    [family]
    name = "house"
    language = "en"

    [[rule]]
    id = "house.slow"
    description = "a pathological pattern"
    scope = "line"
    action = "drop"
    keywords = ["aaaa"]
    pattern = '(a|aa)+$'
    hit = ["aaaa"]
    miss = ["b"]
    """)
HOSTILE = "a" * 60 + "b"


def errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("cleaner: error:")]


@pytest.fixture
def house(tmp_path: Path) -> Path:
    """A cleaner.toml with a slow rule folder, a short guard and a small size limit."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "house.toml").write_text(SLOW_RULE, encoding="utf-8")
    config = tmp_path / "cleaner.toml"
    config.write_text(f'rule-dirs = ["{rules}"]\nregex-timeout = 0.1\nmax-document-chars = 2000\n',
                      encoding="utf-8")
    return config


def test_jsonl_records_passed_through_are_counted_and_exit_2(tmp_path: Path, house: Path, capsys) -> None:
    records = [{"id": 0, "text": dirty(0)}, {"id": 1, "text": DIRTY + HOSTILE + "\n"},
               {"id": 2, "text": dirty(2) * 30}, {"id": 3, "text": dirty(3)}]
    lines = [json.dumps(r).encode() + b"\n" for r in records]
    lines.insert(3, b'{"id": 9, "text": \n')
    path = tmp_path / "shard.jsonl"
    path.write_bytes(b"".join(lines))
    assert main(["-j", "1", "--config", str(house), str(path)]) == EXIT_ERROR
    out = path.read_bytes().splitlines(keepends=True)
    assert out == [cleaned_record_line(records[0]), lines[1], lines[2], lines[3], cleaned_record_line(records[3])]
    err = capsys.readouterr().err
    assert errors(err) == [
        f"cleaner: error: {path}:2: text: rule house.slow ({tmp_path / 'rules' / 'house.toml'}) ran past the "
        f"regex_timeout guard: " + errors(err)[0].split("regex_timeout guard: ")[1],
        f"cleaner: error: {path}:3: text: {len(records[2]['text']):,} characters is over max_document_chars=2000; "
        "passed through unchanged",
        f"cleaner: error: {path}:4: malformed record kept as is: invalid JSON: Expecting value at character 19",
    ]
    assert errors(err)[0].endswith("s of pattern searches on this document; passed through unchanged")
    assert (f"cleaned {path}\n1 file cleaned, 0 unchanged, 0 failed (1 seen); 4 records, 2 changed; "
            "3 documents passed through unchanged (1 too large, 1 timed out, 1 invalid);") in err


def test_text_file_that_times_out_is_left_alone_and_failed(tmp_path: Path, house: Path, capsys) -> None:
    slow, fine = tmp_path / "slow.txt", tmp_path / "fine.txt"
    slow.write_text(DIRTY + HOSTILE + "\n", encoding="utf-8")
    fine.write_text(DIRTY, encoding="utf-8")
    assert main(["-j", "1", "--config", str(house), str(slow), str(fine)]) == EXIT_ERROR
    assert slow.read_text(encoding="utf-8") == DIRTY + HOSTILE + "\n"  # not half cleaned: untouched
    assert fine.read_text(encoding="utf-8") == clean(DIRTY)
    err = capsys.readouterr().err
    [line] = errors(err)
    assert line.startswith(f"cleaner: error: {slow}: rule house.slow (") and "passed through unchanged" in line
    assert "1 file cleaned, 0 unchanged, 1 failed (2 seen)" in err and "(1 timed out)" in err


def test_check_mode_counts_them_too(tmp_path: Path, house: Path, capsys) -> None:
    big = tmp_path / "big.txt"
    big.write_text(DIRTY * 20, encoding="utf-8")
    assert main(["--check", "--config", str(house), str(big)]) == EXIT_ERROR
    assert "0 files would be cleaned, 0 unchanged, 1 failed (1 seen); 1 document passed through unchanged " \
           "(1 too large)" in capsys.readouterr().err


# ---------------------------------------------------------------- settings that would clean nothing
@pytest.mark.parametrize("setting, message", [
    ("regex-timeout = 1e-300", "regex_timeout=1e-300 would stop the rules on every document"),
    ("regex-timeout = 0.01", "it must be at least 0.1 seconds"),
    ("regex-timeout = nan", "regex_timeout must be a positive number of seconds, not nan"),
    ("regex-timeout = inf", "regex_timeout must be a positive number of seconds, not inf"),
    ("max-document-chars = -1", "max_document_chars must be 0 (no limit) or more, not -1"),
])
def test_settings_that_disable_cleaning_are_errors(tmp_path: Path, capsys, setting: str, message: str) -> None:
    config = tmp_path / "cleaner.toml"
    config.write_text(setting + "\n", encoding="utf-8")
    doc = tmp_path / "a.txt"
    doc.write_text(DIRTY, encoding="utf-8")
    assert main(["--config", str(config), str(doc)]) == EXIT_ERROR
    assert doc.read_text(encoding="utf-8") == DIRTY
    [line] = errors(capsys.readouterr().err)
    assert line.startswith(f"cleaner: error: {config}: ") and message in line


@pytest.mark.parametrize("values", [{"regex_timeout": 1e-300}, {"max_document_chars": -1}])
def test_the_library_refuses_them_too(values: dict) -> None:
    with pytest.raises(ConfigError):
        Config(**values)


# ---------------------------------------------------------------- a failed write removes nothing
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_summary_counts_no_bytes_for_a_file_whose_write_failed(tmp_path: Path, monkeypatch, capsys) -> None:
    real = corpus_module._create_temp

    def create_temp(folder, name):
        fd, path = real(folder, name)
        if name == "full.txt":  # this file's write hits a full disk
            full = os.open("/dev/full", os.O_WRONLY)
            os.dup2(full, fd)
            os.close(full)
        return fd, path

    monkeypatch.setattr(corpus_module, "_create_temp", create_temp)
    (tmp_path / "full.txt").write_text(DIRTY, encoding="utf-8")
    assert main(["-j", "1", str(tmp_path / "full.txt")]) == EXIT_ERROR
    assert (tmp_path / "full.txt").read_text(encoding="utf-8") == DIRTY
    assert "0 files cleaned, 0 unchanged, 1 failed (1 seen); 0 lines, 0 bytes removed." in capsys.readouterr().err


def test_the_datatrove_step_counts_them() -> None:
    pytest.importorskip("datatrove")
    from datatrove.data import Document

    from cleaner.integrations.datatrove import CleanerFormatter

    step = CleanerFormatter({"max_document_chars": 1000})
    docs = [Document(text=DIRTY * 20, id="big"), Document(text=DIRTY, id="small")]
    out = list(step.run(iter(docs)))
    assert [d.text for d in out] == [DIRTY * 20, clean(DIRTY)]
    assert step.stats["too_large"].total == 1 and step.stats["changed"].total == 1

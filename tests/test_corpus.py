"""JSONL corpora (.jsonl, .jsonl.gz, .jsonl.zst) and the file layer under the command."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest
from corpus_samples import CLEAN, DIRTY, cleaned_record_line, dirty, jsonl_bytes, read_any
from hypothesis import given
from hypothesis import strategies as st

from cleaner import clean
from cleaner.cli import main
from cleaner.corpus import AtomicFile, find_files
from cleaner.records import MalformedRecord, parse_record
from cleaner.runner import EXIT_CHANGED, EXIT_ERROR, EXIT_OK

RECORDS = [
    {"id": "a1", "url": "https://example.com/1", "text": DIRTY, "meta": {"lang": "en", "tags": ["x", "y"]}},
    {"id": "a2", "text": CLEAN, "score": 0.5},
    {"text": dirty(3), "id": "a3"},  # key order differs between records
]


def write(path: Path, data: bytes) -> Path:
    if path.name.endswith(".gz"):
        data = gzip.compress(data)
    elif path.name.endswith(".zst"):
        import zstandard

        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)
    return path


def test_jsonl_round_trip_only_text_changes(tmp_path: Path) -> None:
    original = jsonl_bytes(RECORDS)
    path = write(tmp_path / "shard.jsonl", original)
    assert main(["-q", str(path)]) == EXIT_CHANGED
    lines = path.read_bytes().splitlines(keepends=True)
    old_lines = original.splitlines(keepends=True)
    assert len(lines) == 3
    assert lines[0] == cleaned_record_line(RECORDS[0])
    assert lines[1] == old_lines[1]  # unchanged record: byte-identical
    assert lines[2] == cleaned_record_line(RECORDS[2])
    for line, record in zip(lines, RECORDS):
        new = json.loads(line)
        assert list(new) == list(record)  # key order kept
        assert {k: v for k, v in new.items() if k != "text"} == {k: v for k, v in record.items() if k != "text"}


def test_jsonl_keeps_each_line_style(tmp_path: Path) -> None:
    compact = json.dumps(RECORDS[0], separators=(",", ":"))  # ensure_ascii: ’ is written \u2019
    odd = '  { "text" :' + json.dumps(dirty(9), ensure_ascii=False) + ' , "n": 1e5, "f": 1.50 }  '
    data = (compact + "\r\n" + odd + "\n" + "\n" + json.dumps(RECORDS[1]) + "\n   \n").encode("utf-8")
    path = write(tmp_path / "s.jsonl", data)
    assert main(["-q", str(path)]) == EXIT_CHANGED
    lines = path.read_bytes().split(b"\n")
    expect0 = json.dumps({**RECORDS[0], "text": clean(DIRTY)}, separators=(",", ":")).encode() + b"\r"
    assert lines[0] == expect0 and b"\\u2019" in lines[0]
    assert lines[1] == ('  { "text" :' + json.dumps(clean(dirty(9)), ensure_ascii=False)
                        + ' , "n": 1e5, "f": 1.50 }  ').encode("utf-8")
    assert lines[2:] == data.split(b"\n")[2:]


def test_jsonl_bom_kept(tmp_path: Path) -> None:
    path = write(tmp_path / "s.jsonl", b"\xef\xbb\xbf" + jsonl_bytes(RECORDS[:1]))
    assert main(["-q", str(path)]) == EXIT_CHANGED
    assert path.read_bytes() == b"\xef\xbb\xbf" + cleaned_record_line(RECORDS[0])


def test_jsonl_no_final_newline_kept(tmp_path: Path) -> None:
    path = write(tmp_path / "s.jsonl", jsonl_bytes(RECORDS[:1])[:-1])
    assert main(["-q", str(path)]) == EXIT_CHANGED
    assert path.read_bytes() == cleaned_record_line(RECORDS[0])[:-1]


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".jsonl.zst"])
def test_compressed_round_trip(tmp_path: Path, suffix: str) -> None:
    if suffix == ".jsonl.zst":
        pytest.importorskip("zstandard")
    original = jsonl_bytes(RECORDS)
    path = write(tmp_path / f"shard{suffix}", original)
    assert main(["-q", str(path)]) == EXIT_CHANGED
    assert read_any(path) == (cleaned_record_line(RECORDS[0]) + original.splitlines(keepends=True)[1]
                              + cleaned_record_line(RECORDS[2]))
    before = path.read_bytes()
    assert main(["-q", str(path)]) == EXIT_OK
    assert path.read_bytes() == before  # clean shard: not rewritten (not even recompressed)


def test_malformed_lines_kept_and_reported(tmp_path: Path, capsys) -> None:
    lines = [json.dumps(RECORDS[0]).encode(), b'{"text": "unterminated', b"[1, 2]", b'{"text": "\xff\xfe"}',
             json.dumps(RECORDS[2]).encode(), b'{"text": "x"} trailing']
    path = write(tmp_path / "s.jsonl", b"\n".join(lines) + b"\n")
    assert main([str(path)]) == EXIT_ERROR
    out = path.read_bytes().split(b"\n")
    assert out[0] + b"\n" == cleaned_record_line(RECORDS[0])
    assert out[1:4] == lines[1:4] and out[5] == lines[5]  # never dropped, byte for byte
    assert out[4] + b"\n" == cleaned_record_line(RECORDS[2])
    err = capsys.readouterr().err
    for lineno in (2, 3, 4, 6):
        assert f"cleaner: error: {path}:{lineno}: malformed record kept as is: " in err
    assert "not valid UTF-8 at byte offset 10 of the line" in err
    assert "4 documents passed through unchanged (4 invalid)" in err


def test_missing_text_field_noted(tmp_path: Path, capsys) -> None:
    path = write(tmp_path / "s.jsonl", jsonl_bytes([{"body": DIRTY}, {"text": 5}]))
    assert main([str(path)]) == EXIT_OK
    assert "no record has a string field 'text'; nothing cleaned" in capsys.readouterr().err
    assert main(["-q", "--text-field", "body", str(path)]) == EXIT_CHANGED
    assert json.loads(path.read_text(encoding="utf-8").splitlines()[0])["body"] == clean(DIRTY)


def test_jsonl_explain_and_diff_locations(tmp_path: Path, capsys) -> None:
    path = write(tmp_path / "s.jsonl", jsonl_bytes(RECORDS))
    assert main(["--explain", "--diff", str(path)]) == EXIT_CHANGED
    out = capsys.readouterr().out
    assert f"{path}:1: text:2: read_more.prefixed-headline: drop 'Read More: Council votes on budget'" in out
    assert f"{path}:3: text:3: advertisement.marker: drop 'Advertisement'" in out
    assert f"--- {path}:1:text\t(original)\n+++ {path}:1:text\t(cleaned)\n" in out
    assert f"{path}:2:text" not in out


def test_corrupt_gzip_fails_and_is_left_alone(tmp_path: Path, capsys) -> None:
    path = tmp_path / "s.jsonl.gz"
    data = gzip.compress(jsonl_bytes(RECORDS * 50))[:-20]  # truncated
    path.write_bytes(data)
    assert main([str(path)]) == EXIT_ERROR
    assert path.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.jsonl.gz"]
    assert f"cleaner: error: {path}: cannot read gz stream" in capsys.readouterr().err


def test_zstd_missing_is_one_clear_line(tmp_path: Path, monkeypatch, capsys) -> None:
    path = tmp_path / "s.jsonl.zst"
    path.write_bytes(b"(\xb5/\xfd not really")
    monkeypatch.setitem(sys.modules, "zstandard", None)
    assert main(["-j", "1", str(path)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert f"cleaner: error: {path}: reading .zst files needs the zstandard package: pip install zstandard (or the newsclean[zstd] extra)" in err


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz"])
def test_big_jsonl_split_over_workers_same_as_one_process(tmp_path: Path, suffix: str, capsys) -> None:
    records = [{"id": n, "text": dirty(n) if n % 3 else CLEAN} for n in range(300)]
    data = jsonl_bytes(records).replace(b'{"id": 7,', b'{"id": 7 oops,')
    results = []
    for jobs in ("1", "2"):
        path = write(tmp_path / f"j{jobs}{suffix}", data)
        code = main(["-j", jobs, "--chunk-bytes", "2000", "--pool-min-bytes", "0", "--explain", "--write", str(path)])
        captured = capsys.readouterr()
        results.append((code, read_any(path), captured.out.replace(f"j{jobs}", "J"),
                        captured.err.replace(f"j{jobs}", "J")))
    assert results[0] == results[1]
    code, content, out, err = results[0]
    assert code == EXIT_ERROR
    expected = b"".join(line if b"oops" in line or n % 3 == 0 else cleaned_record_line(records[n])
                        for n, line in enumerate(data.splitlines(keepends=True)))
    assert content == expected
    assert ":8: malformed record kept as is" in err
    assert out.count("read_more.prefixed-headline") == 199


# --- the file layer --------------------------------------------------------------------------


def test_find_files_order_and_globs(tmp_path: Path) -> None:
    for name in ("b.txt", "a.jsonl", "c.jsonl.gz", "d.jsonl.zst", "e.md", "sub/f.txt", ".git/g.txt", "x.txt.gz"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = find_files([str(tmp_path)])
    assert [Path(f.path).relative_to(tmp_path).as_posix() for f in found.files] == [
        "a.jsonl", "b.txt", "c.jsonl.gz", "d.jsonl.zst", "sub/f.txt"]
    assert [(f.kind, f.compression) for f in found.files] == [
        ("jsonl", None), ("text", None), ("jsonl", "gz"), ("jsonl", "zst"), ("text", None)]
    assert [f.rel for f in found.files][-1] == "sub/f.txt"
    twice = find_files([str(tmp_path / "b.txt"), str(tmp_path), str(tmp_path / "e.md")])
    assert [Path(f.path).name for f in twice.files] == ["b.txt", "a.jsonl", "c.jsonl.gz", "d.jsonl.zst", "f.txt",
                                                        "e.md"]


def test_atomic_file_discards_on_error(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), AtomicFile(str(target), mode_of=str(target)) as out:
        out.write(b"new, half written")
        raise RuntimeError
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    with AtomicFile(str(target), mode_of=str(target)) as out:
        out.write(b"new")
        out.commit()
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


@pytest.mark.parametrize("line", ["", "[]", "{", '{"a" 1}', '{"a": 1,}', '{"a": 1} x', '{"a": NaN', "nul"])
def test_parse_record_rejects(line: str) -> None:
    with pytest.raises(MalformedRecord):
        parse_record(line, "text")


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
                     max_leaves=8)


@given(record=st.dictionaries(st.text(), _json, max_size=5), text=st.text(), new=st.text(),
       ascii_=st.booleans(), compact=st.booleans())
def test_parse_record_splices_only_the_text_value(record: dict, text: str, new: str, ascii_: bool,
                                                  compact: bool) -> None:
    record = {**record, "text": text}
    separators = (",", ":") if compact else (", ", ": ")
    line = json.dumps(record, ensure_ascii=ascii_, separators=separators)
    parsed = parse_record(line, "text")
    assert parsed.text == text
    out = parsed.with_text(new)
    assert json.loads(out) == {**record, "text": new}
    if not ascii_ or not text.isascii():  # else: nothing shows whether the writer escaped non-ASCII
        assert out == json.dumps({**record, "text": new}, ensure_ascii=ascii_, separators=separators)


def test_odd_but_valid_records_are_cleaned_and_what_the_parser_rejects_is_one_line(tmp_path: Path,
                                                                                    capsys) -> None:
    # A 5,000-digit number is valid JSON (int() refuses it); an array 100,000 deep is
    # more than Python's JSON parser takes. Once either failed the whole shard as an
    # "internal error" with no line number.
    big_number = b'{"id": 1, "n": ' + b"7" * 5000 + b', "text": ' + json.dumps(DIRTY).encode() + b"}"
    deep = b'{"id": 2, "tree": ' + b"[" * 100_000 + b"]" * 100_000 + b', "text": ' + json.dumps(DIRTY).encode() + b"}"
    lines = [big_number, deep, json.dumps(RECORDS[2]).encode()]
    path = write(tmp_path / "s.jsonl", b"\n".join(lines) + b"\n")
    assert main(["-j", "1", str(path)]) == EXIT_ERROR
    out = path.read_bytes().split(b"\n")
    assert out[0] == big_number.replace(json.dumps(DIRTY).encode(), json.dumps(clean(DIRTY)).encode())
    assert out[1] == deep  # kept byte for byte
    assert out[2] + b"\n" == cleaned_record_line(RECORDS[2])
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if line.startswith("cleaner: error:")] == [
        f"cleaner: error: {path}:2: malformed record kept as is: a value nested too deeply for the JSON parser "
        "at character 19"]
    assert "1 document passed through unchanged (1 invalid)" in err

"""Compressed shards are read to their verified end, or not rewritten at all.

A .jsonl.zst cut short once came back as a valid, shorter file: zstandard's stream
reader took the truncated stream for a complete one, the rewrite was a valid frame
(``zstd -t`` passed), and the run said "0 failed". Every cut point must now be an
input error (exit 2) that leaves the file byte for byte as it was.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from corpus_samples import DIRTY, dirty, jsonl_bytes, read_any

from cleaner import clean
from cleaner.cli import main
from cleaner.runner import EXIT_CHANGED, EXIT_ERROR

zstandard = pytest.importorskip("zstandard")

RECORDS = [{"id": i, "text": dirty(i)} for i in range(300)]
PLAIN = jsonl_bytes(RECORDS)
COMPRESS = {
    "gz": lambda data: gzip.compress(data, mtime=0),
    "zst": lambda data: zstandard.ZstdCompressor(level=3, write_checksum=True).compress(data),
}
#: Where to cut, as a fraction of the compressed size (and the last byte, inside the
#: trailer: gzip's CRC and length, zstd's checksum).
CUTS = [0.0, 0.001, 0.25, 0.5, 0.9, "last-byte"]


def cut_at(data: bytes, where: float | str) -> bytes:
    return data[:-1] if where == "last-byte" else data[: int(len(data) * where)]


def errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("cleaner: error:")]


@pytest.mark.parametrize("mode", [[], ["--check"]], ids=["fix", "check"])
@pytest.mark.parametrize("where", CUTS, ids=str)
@pytest.mark.parametrize("ext", ["gz", "zst"])
def test_a_truncated_shard_is_an_input_error_and_left_untouched(tmp_path: Path, capsys, ext: str,
                                                                where: float | str, mode: list[str]) -> None:
    data = cut_at(COMPRESS[ext](PLAIN), where)
    path = tmp_path / f"shard.jsonl.{ext}"
    path.write_bytes(data)
    assert main(["-j", "1", "--chunk-bytes", "4096", *mode, str(path)]) == EXIT_ERROR
    assert path.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left
    err = capsys.readouterr().err
    [line] = errors(err)
    assert line.startswith(f"cleaner: error: {path}: ") and line.endswith("; file left untouched")
    assert "1 failed (1 seen); 0 lines, 0 bytes" in err


def test_a_zst_frame_with_a_wrong_checksum_is_refused(tmp_path: Path, capsys) -> None:
    data = bytearray(COMPRESS["zst"](PLAIN))
    data[-2] ^= 0xFF  # the frame's last four bytes are its checksum
    path = tmp_path / "shard.jsonl.zst"
    path.write_bytes(bytes(data))
    assert main(["-j", "1", str(path)]) == EXIT_ERROR
    assert path.read_bytes() == bytes(data)
    assert "doesn't match checksum" in errors(capsys.readouterr().err)[0]


def test_a_zst_file_of_several_frames_is_read_to_the_end(tmp_path: Path) -> None:
    half = len(RECORDS) // 2
    frames = COMPRESS["zst"](jsonl_bytes(RECORDS[:half])) + zstandard.ZstdCompressor().compress(
        jsonl_bytes(RECORDS[half:]))  # the second frame without a checksum
    path = tmp_path / "shard.jsonl.zst"
    path.write_bytes(frames)
    assert main(["-j", "1", "-q", str(path)]) == EXIT_CHANGED
    out = [json.loads(line) for line in read_any(path).splitlines()]
    assert out == [{**r, "text": clean(r["text"])} for r in RECORDS]


def test_the_rewritten_zst_carries_a_checksum(tmp_path: Path) -> None:
    path = tmp_path / "shard.jsonl.zst"
    path.write_bytes(zstandard.ZstdCompressor().compress(jsonl_bytes([{"text": DIRTY}])))
    assert main(["-j", "1", "-q", str(path)]) == EXIT_CHANGED
    assert zstandard.get_frame_parameters(path.read_bytes()).has_checksum

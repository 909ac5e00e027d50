"""Symlinks are never written through; hard links and owners are handled as sed -i does.

``cleaner t/*.txt`` once rewrote the target of a symlink in ``t/``, wherever it
pointed, against what the README promised (a folder walk already left such links
out). As root, a cleaned file once came back owned by root, and a file with several
hard links was split, both without a word.
"""

from __future__ import annotations

import gzip
import os
import stat
from pathlib import Path

import pytest
from corpus_samples import DIRTY, jsonl_bytes

from cleaner import clean
from cleaner import corpus as corpus_module
from cleaner.cli import main
from cleaner.runner import EXIT_CHANGED, EXIT_OK

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink") or not hasattr(os, "fchown"), reason="POSIX files")
IS_ROOT = os.geteuid() == 0


@pytest.fixture
def linked(tmp_path: Path) -> tuple[Path, Path]:
    """``t/link.txt`` -> ``elsewhere/target.txt``, a dirty document outside ``t/``."""
    (tmp_path / "elsewhere").mkdir()
    target = tmp_path / "elsewhere" / "target.txt"
    target.write_text(DIRTY, encoding="utf-8")
    (tmp_path / "t").mkdir()
    link = tmp_path / "t" / "link.txt"
    link.symlink_to(target)
    return link, target


@pytest.mark.parametrize("mode", [[], ["--check"], ["--diff"]], ids=["fix", "check", "diff"])
def test_a_symlink_named_on_the_command_line_is_skipped(linked: tuple[Path, Path], capsys, mode: list[str]) -> None:
    link, target = linked
    done = link.parent / "done.txt"
    done.write_text(clean(DIRTY), encoding="utf-8")
    assert main([*mode, str(link), str(done)]) == EXIT_OK
    assert target.read_text(encoding="utf-8") == DIRTY and link.is_symlink()
    captured = capsys.readouterr()
    assert captured.out == ""  # no diff either: --check and --diff say what a fix would do
    assert f"skipped {link}: a symlink (to {target}); cleaner never writes through a link: name its target " \
           "to clean it" in captured.err
    assert "1 unchanged, 1 skipped, 0 failed (2 seen)" in captured.err


def test_a_symlink_inside_the_tree_is_left_and_its_target_cleaned_by_name(tmp_path: Path, capsys) -> None:
    (tmp_path / "real.txt").write_text(DIRTY, encoding="utf-8")
    (tmp_path / "a-link.txt").symlink_to(tmp_path / "real.txt")  # sorts first: once it was the one written
    assert main(["-v", str(tmp_path)]) == EXIT_CHANGED
    assert (tmp_path / "a-link.txt").is_symlink()
    assert (tmp_path / "real.txt").read_text(encoding="utf-8") == clean(DIRTY)
    err = capsys.readouterr().err
    assert f"cleaned {tmp_path / 'real.txt'}" in err and f"cleaned {tmp_path / 'a-link.txt'}" not in err
    assert f"{tmp_path / 'a-link.txt'}: skipped: symlink to {tmp_path / 'real.txt'}" in err


def test_with_an_output_folder_a_named_symlink_is_only_read(linked: tuple[Path, Path], tmp_path: Path) -> None:
    link, target = linked
    out = tmp_path / "out"
    assert main(["-q", "--output-dir", str(out), str(link)]) == EXIT_CHANGED
    assert target.read_text(encoding="utf-8") == DIRTY and link.is_symlink()
    (copy,) = [p for p in out.rglob("*") if p.is_file()]
    assert copy.name == "link.txt" and not copy.is_symlink() and copy.read_text(encoding="utf-8") == clean(DIRTY)


def test_a_hard_linked_file_is_replaced_as_sed_does_and_said(tmp_path: Path, capsys) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(DIRTY, encoding="utf-8")
    os.link(a, b)
    assert main([str(a)]) == EXIT_CHANGED
    assert a.read_text(encoding="utf-8") == clean(DIRTY)
    assert b.read_text(encoding="utf-8") == DIRTY  # the other name keeps the old content
    assert f"{a}: had 2 hard links: this name now holds the cleaned text, the other 1 keep the old (as with " \
           "sed -i)" in capsys.readouterr().err


@pytest.mark.skipif(not IS_ROOT, reason="only root can give a file to another owner")
@pytest.mark.parametrize("name", ["a.txt", "a.jsonl.gz"])
def test_root_keeps_the_owner_group_and_mode(tmp_path: Path, capsys, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(DIRTY.encode() if name.endswith(".txt") else gzip.compress(jsonl_bytes([{"text": DIRTY}])))
    os.chown(path, 4242, 4343)
    os.chmod(path, 0o2640)  # setgid: a chown after the chmod would clear it
    assert main(["-q", str(path)]) == EXIT_CHANGED
    st = path.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (4242, 4343, 0o2640)
    assert capsys.readouterr().err == ""


def test_an_owner_that_cannot_be_kept_is_said(tmp_path: Path, monkeypatch, capsys) -> None:
    path = tmp_path / "a.txt"
    path.write_text(DIRTY, encoding="utf-8")
    st = path.stat()
    real_fstat = os.fstat

    def fstat(fd):  # the file seems to belong to someone else, whom we may not give it to
        result = real_fstat(fd)
        if fd == path_fd[0]:
            return os.stat_result((result.st_mode, result.st_ino, result.st_dev, result.st_nlink, st.st_uid + 1,
                                   st.st_gid, *result[6:]))
        return result

    def fchown(fd, uid, gid):
        raise PermissionError(1, "Operation not permitted")

    real_create = corpus_module._create_temp
    path_fd: list[int] = [-1]

    def create_temp(folder, name):
        fd, temp = real_create(folder, name)
        path_fd[0] = fd
        return fd, temp

    monkeypatch.setattr(corpus_module, "_create_temp", create_temp)
    monkeypatch.setattr(corpus_module.os, "fstat", fstat)
    monkeypatch.setattr(corpus_module.os, "fchown", fchown)
    assert main([str(path)]) == EXIT_CHANGED
    assert path.read_text(encoding="utf-8") == clean(DIRTY)
    assert f"{path}: owner {st.st_uid}:{st.st_gid} could not be kept (only root may give a file away)" \
           in capsys.readouterr().err

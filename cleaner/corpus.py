"""Files on disk: finding them, reading .txt and .jsonl(.gz/.zst), atomic replacement.

Nothing here cleans text or prints anything; :mod:`cleaner.runner` does that. Every
write goes to a temporary file beside the target, is flushed and fsynced, and only
then replaces the target with :func:`os.replace`, so a target is always either the
old file or the complete new one.
"""

from __future__ import annotations

import codecs
import contextlib
import fnmatch
import gzip
import io
import os
import secrets
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

__all__ = [
    "DEFAULT_EXCLUDE",
    "DEFAULT_INCLUDE",
    "TEMP_SUFFIX",
    "AtomicFile",
    "BinaryFile",
    "CorpusError",
    "Selection",
    "SourceFile",
    "copy_file",
    "decode_text",
    "encode_text",
    "find_files",
    "is_excluded",
    "open_lines",
    "read_text",
    "remove_unfinished",
]

DEFAULT_INCLUDE = ("*.txt", "*.jsonl", "*.jsonl.gz", "*.jsonl.zst")
#: Folders never entered when walking a directory (they are not corpora).
DEFAULT_EXCLUDE = (".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "node_modules", "__pycache__",
                   ".mypy_cache", ".pytest_cache", ".ruff_cache")
#: Temporary files end with this (and start with a dot), so no include glob picks up
#: one left behind by a killed run.
TEMP_SUFFIX = ".cleaner-tmp"
BINARY_SNIFF_BYTES = 8192
_BOM = codecs.BOM_UTF8


class CorpusError(Exception):
    """A file cannot be read or written; the message is one line a user can act on."""


class BinaryFile(CorpusError):
    """The file looks binary (a NUL byte near its start): skipped, not an error."""


@dataclass(frozen=True)
class SourceFile:
    """One file to process: ``path`` as shown to the user, ``real`` where its bytes
    are (symlinks resolved), ``rel`` its place in an ``--output-dir`` mirror."""

    path: str
    real: str
    rel: str

    @property
    def kind(self) -> str:
        """``jsonl`` for .jsonl(.gz/.zst) files, else ``text``."""
        return "jsonl" if self.compression is not None or self.path.endswith(".jsonl") else "text"

    @property
    def compression(self) -> str | None:
        """``gz``, ``zst`` or None (only for JSONL; a stray ``x.txt.gz`` is sniffed as binary)."""
        for ext in ("gz", "zst"):
            if self.path.endswith(f".jsonl.{ext}"):
                return ext
        return None


@dataclass
class Selection:
    """What :func:`find_files` found, plus paths it could not use and why."""

    files: list[SourceFile]
    errors: list[str]
    notes: list[str]


def _excluded(rel: str, patterns: Sequence[str]) -> bool:
    parts = [p for p in rel.replace(os.sep, "/").split("/") if p not in ("", ".")]
    joined = "/".join(parts)
    return any(fnmatch.fnmatchcase(joined, pat) or any(fnmatch.fnmatchcase(part, pat) for part in parts)
               for pat in patterns)


def is_excluded(path: str, patterns: Sequence[str]) -> bool:
    """Whether an ``--exclude`` glob matches ``path`` or one of its parts (as for a file
    named on the command line with ``--force-exclude``; the file need not exist)."""
    return _excluded(path, patterns)


def _inside(path: str, root: str) -> bool:
    return os.path.commonpath([path, root]) == root


def find_files(paths: Iterable[str], *, include: Sequence[str] = DEFAULT_INCLUDE, exclude: Sequence[str] = (),
               force_exclude: bool = False, skip_dir: str | None = None) -> Selection:
    """Expand ``paths`` into files, in a stable order, each once.

    Directories are walked (sorted, symlinked folders not entered); their files must
    match an ``include`` glob by name and no ``exclude`` glob (matched against the
    path below the directory and each of its parts). Files named explicitly are
    always taken, unless ``force_exclude`` and an exclude glob matches them.
    A symlink found in a walk is followed only if it points inside that directory.
    ``skip_dir`` (an output folder) is never entered.
    """
    paths = list(paths)
    excludes = tuple(exclude)
    selection = Selection([], [], [])
    seen: set[str] = set()
    absolute = [os.path.abspath(p) for p in paths]
    bases = [a if os.path.isdir(a) else os.path.dirname(a) for a in absolute if os.path.lexists(a)]
    base = os.path.commonpath(bases) if bases else os.getcwd()
    skip = os.path.realpath(skip_dir) if skip_dir else None

    def add(shown: str, real: str, absolute_path: str) -> None:
        if real in seen:
            return
        seen.add(real)
        selection.files.append(SourceFile(shown, real, os.path.relpath(absolute_path, base)))

    for given, abs_given in zip(paths, absolute):
        if not os.path.lexists(given):
            selection.errors.append(f"{given}: no such file or directory")
        elif os.path.isdir(given):
            _walk(given, abs_given, include, DEFAULT_EXCLUDE + excludes, skip, selection, add)
        elif force_exclude and _excluded(given, excludes):
            selection.notes.append(f"{given}: excluded")
        elif not os.path.isfile(given):
            selection.errors.append(f"{given}: not a regular file")
        else:
            add(given, os.path.realpath(given), abs_given)
    return selection


def _walk(given: str, abs_given: str, include: Sequence[str], exclude: Sequence[str], skip: str | None,
          selection: Selection, add: Any) -> None:
    root_real = os.path.realpath(given)

    def onerror(exc: OSError) -> None:
        selection.errors.append(f"{exc.filename}: cannot list folder: {exc.strerror}")

    for folder, dirs, names in os.walk(given, onerror=onerror):
        rel_folder = os.path.relpath(folder, given)
        dirs[:] = sorted(d for d in dirs
                         if not _excluded(os.path.join(rel_folder, d), exclude)
                         and os.path.realpath(os.path.join(folder, d)) != skip)
        for name in sorted(names):
            shown = os.path.normpath(os.path.join(folder, name))
            rel = os.path.join(rel_folder, name)
            if not any(fnmatch.fnmatchcase(name, pat) for pat in include) or _excluded(rel, exclude):
                continue
            real = os.path.realpath(shown)
            if os.path.islink(shown) and not _inside(real, root_real):
                selection.notes.append(f"{shown}: skipped: symlink to {real}, outside {given}")
                continue
            if skip and _inside(real, skip):
                continue
            if os.path.isfile(real):
                add(shown, real, os.path.join(abs_given, rel))


def read_text(path: str) -> tuple[bool, str]:
    """Read a text file as (had a UTF-8 BOM, text without it). Strict UTF-8, newlines as
    they are. Raises :class:`BinaryFile` or :class:`CorpusError` (with the byte offset)."""
    return decode_text(_read_bytes(path))


def decode_text(raw: bytes) -> tuple[bool, str]:
    """:func:`read_text` for bytes already read (standard input)."""
    _check_not_binary(raw[:BINARY_SNIFF_BYTES])
    bom = raw.startswith(_BOM)
    body = raw[len(_BOM):] if bom else raw
    try:
        return bom, body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(_BOM) if bom else 0)
        raise CorpusError(f"not valid UTF-8 at byte offset {offset} "
                          f"({body[exc.start:exc.end]!r}); file left untouched") from None


def encode_text(bom: bool, text: str) -> bytes:
    """The bytes to write for ``text`` (with the BOM back if the file had one)."""
    return (_BOM if bom else b"") + text.encode("utf-8")


def _read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise CorpusError(f"cannot read: {exc.strerror or exc}") from None


def _check_not_binary(head: bytes) -> None:
    at = head.find(b"\x00")
    if at >= 0:
        raise BinaryFile(f"binary file (NUL byte at offset {at})")


def _zstandard() -> Any:
    try:
        import zstandard
    except ImportError:
        raise CorpusError("reading .zst files needs the zstandard package: pip install zstandard "
                          "(or the newsclean[zstd] extra)") from None
    return zstandard


@contextlib.contextmanager
def open_lines(path: str, compression: str | None) -> Iterator[Iterator[bytes]]:
    """Yield the lines of a (compressed) JSONL file as bytes, ``\\n`` and ``\\r\\n`` kept.

    Streams: only one line is in memory at a time. Decompression errors surface as
    :class:`CorpusError` while iterating.
    """
    if compression == "zst":
        zstandard = _zstandard()
    try:
        raw = open(path, "rb")  # noqa: SIM115  # closed by the with below
    except OSError as exc:
        raise CorpusError(f"cannot read: {exc.strerror or exc}") from None
    with raw:
        if compression == "gz":
            stream: io.BufferedIOBase = gzip.GzipFile(fileobj=raw, mode="rb")
        elif compression == "zst":
            reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True, closefd=False)
            stream = io.BufferedReader(reader)
        else:
            _check_not_binary(raw.read(BINARY_SNIFF_BYTES))
            raw.seek(0)
            stream = raw
        yield _guarded(stream, compression)


def _guarded(stream: Iterable[bytes], compression: str | None) -> Iterator[bytes]:
    try:
        yield from stream
    except (OSError, EOFError, ValueError) as exc:
        raise CorpusError(f"cannot read {compression or 'file'} stream: {exc}") from None
    except Exception as exc:  # zstandard.ZstdError has no importable base we can name early
        if type(exc).__name__ == "ZstdError":
            raise CorpusError(f"cannot read zst stream: {exc}") from None
        raise


class AtomicFile:
    """A new version of ``target``, written to a temporary file beside it.

    ``commit()`` flushes, fsyncs, gives it ``mode_of``'s permissions and renames it
    over ``target``; ``discard()`` (or an exception inside ``with``) removes it and
    leaves ``target`` as it was. ``compression`` wraps the stream in gzip or zstd.
    """

    def __init__(self, target: str, *, mode_of: str | None = None, compression: str | None = None) -> None:
        self.target = target
        zstandard: Any = _zstandard() if compression == "zst" else None  # fail before creating anything
        folder = os.path.dirname(os.path.abspath(target))
        try:
            os.makedirs(folder, exist_ok=True)
            if os.path.exists(target) and not os.access(target, os.W_OK):
                raise PermissionError(13, "file is not writable")
            fd, self.temp = _create_temp(folder, os.path.basename(target))
        except OSError as exc:
            raise CorpusError(f"cannot write: {exc.strerror or exc}") from None
        self._finished = False
        self._mode_of = mode_of
        self._closers: list[Any] = []
        try:
            self._raw: BinaryIO = os.fdopen(fd, "wb")
            self.stream: Any = self._raw
            if compression == "gz":
                name = os.path.basename(target)[: -len(".gz")]
                self.stream = gzip.GzipFile(filename=name, fileobj=self._raw, mode="wb", compresslevel=6, mtime=0)
                self._closers.append(self.stream)
            elif compression == "zst":
                self.stream = zstandard.ZstdCompressor(level=3).stream_writer(self._raw, closefd=False)
                self._closers.append(self.stream)
        except BaseException:  # Ctrl-C included: no temporary file is left behind
            self.discard()
            raise

    def __enter__(self) -> AtomicFile:  # noqa: PYI034
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.discard()

    def write(self, data: bytes) -> None:
        try:
            self.stream.write(data)
        except OSError as exc:
            raise CorpusError(f"cannot write: {exc.strerror or exc}") from None

    def commit(self) -> None:
        """Make the new version the target, atomically."""
        try:
            for closer in self._closers:
                closer.close()
            self._raw.flush()
            os.fsync(self._raw.fileno())
            self._raw.close()
            mode = stat.S_IMODE(os.stat(self._mode_of).st_mode) if self._mode_of else _default_mode()
            os.chmod(self.temp, mode)
            os.replace(self.temp, self.target)
            _UNFINISHED.discard(self.temp)
        except OSError as exc:
            self.discard()
            raise CorpusError(f"cannot write: {exc.strerror or exc}; original left intact") from None
        self._finished = True
        _fsync_folder(os.path.dirname(os.path.abspath(self.target)))

    def discard(self) -> None:
        """Forget the new version; the target stays as it was (no-op after commit)."""
        if self._finished:
            return
        self._finished = True
        with contextlib.suppress(Exception):
            for closer in self._closers:
                closer.close()
        with contextlib.suppress(OSError, AttributeError):  # AttributeError: __init__ stopped early
            self._raw.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.temp)
        _UNFINISHED.discard(self.temp)


#: Temporary files of this process's writes that are neither committed nor discarded.
_UNFINISHED: set[str] = set()


def _create_temp(folder: str, name: str) -> tuple[int, str]:
    """Create ``.<name>.<random><TEMP_SUFFIX>`` in ``folder``, like tempfile.mkstemp,
    but registered in _UNFINISHED *before* it exists: a Ctrl-C that lands just after
    the file is created cannot leave it behind unknown."""
    for _ in range(100):
        path = os.path.join(folder, f".{name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
        _UNFINISHED.add(path)
        try:
            return os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600), path
        except OSError as exc:  # not created (a Ctrl-C here leaves it registered: harmless)
            _UNFINISHED.discard(path)
            if not isinstance(exc, FileExistsError):
                raise
    raise FileExistsError(17, "no free temporary file name")


def remove_unfinished() -> None:
    """Remove the temporary files of unfinished writes: after Ctrl-C, a ``with`` block
    may not have been entered yet (or its cleanup interrupted)."""
    for path in list(_UNFINISHED):
        with contextlib.suppress(OSError):
            os.unlink(path)
        _UNFINISHED.discard(path)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_folder(folder: str) -> None:
    # The rename itself is durable only once the folder entry is on disk.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def copy_file(source: str, target: str) -> None:
    """Copy ``source``'s bytes to ``target`` atomically (for an unchanged file in an output mirror)."""
    with AtomicFile(target, mode_of=source) as out:
        try:
            with open(source, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    out.write(block)
        except OSError as exc:
            raise CorpusError(f"cannot read: {exc.strerror or exc}") from None
        out.commit()

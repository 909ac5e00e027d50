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
import re
import secrets
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

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
    "StaleTemp",
    "decode_text",
    "encode_text",
    "find_files",
    "find_stale_temps",
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
    """What :func:`find_files` found, plus paths it could not use and why: ``errors``
    (missing paths), ``skipped`` (named paths it will not write: symlinks), ``notes``
    (what a folder walk left out)."""

    files: list[SourceFile]
    errors: list[str]
    notes: list[str]
    skipped: list[str] = field(default_factory=list)


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
               force_exclude: bool = False, skip_dir: str | None = None, in_place: bool = True) -> Selection:
    """Expand ``paths`` into files, in a stable order, each once.

    Directories are walked (sorted, symlinked folders not entered); their files must
    match an ``include`` glob by name and no ``exclude`` glob (matched against the
    path below the directory and each of its parts). Files named explicitly are
    always taken, unless ``force_exclude`` and an exclude glob matches them.
    ``skip_dir`` (an output folder) is never entered.

    A symlink to a file is never a file to clean ``in_place`` (that would write
    through it, maybe out of the tree): named, it is ``skipped``; found in a walk, it
    is left out with a note (its target is cleaned under its own name if the walk
    finds it). Writing elsewhere (``in_place=False``: an output folder), a named
    symlink is read, and one found in a walk if it points inside that directory.
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
            _walk(given, abs_given, include, DEFAULT_EXCLUDE + excludes, skip, selection, add, in_place)
        elif force_exclude and _excluded(given, excludes):
            selection.notes.append(f"{given}: excluded")
        elif not os.path.isfile(given):
            selection.errors.append(f"{given}: not a regular file")
        elif in_place and os.path.islink(given):
            selection.skipped.append(f"{given}: a symlink (to {os.path.realpath(given)}); cleaner never writes "
                                     "through a link: name its target to clean it")
        else:
            add(given, os.path.realpath(given), abs_given)
    return selection


def _walk(given: str, abs_given: str, include: Sequence[str], exclude: Sequence[str], skip: str | None,
          selection: Selection, add: Any, in_place: bool) -> None:
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
            if in_place and os.path.islink(shown):
                selection.notes.append(f"{shown}: skipped: symlink to {real}; cleaner never writes through a link")
                continue
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

    Streams: only one line is in memory at a time. A compressed file is read to its
    verified end (gzip's and zstd's end markers and checksums); a stream that is cut
    short, corrupt or empty surfaces as :class:`CorpusError` while iterating, before
    the last line, so a file is never rewritten from part of its records.
    """
    if compression == "zst":
        zstandard = _zstandard()
    try:
        raw = open(path, "rb")  # noqa: SIM115  # closed by the with below
    except OSError as exc:
        raise CorpusError(f"cannot read: {exc.strerror or exc}") from None
    with raw:
        if compression and os.fstat(raw.fileno()).st_size == 0:
            raise CorpusError(f"empty file: not a {compression} stream; file left untouched")
        if compression == "gz":
            stream: io.BufferedIOBase = gzip.GzipFile(fileobj=raw, mode="rb")
        elif compression == "zst":
            stream = io.BufferedReader(_ZstdFrames(raw, zstandard))
        else:
            _check_not_binary(raw.read(BINARY_SNIFF_BYTES))
            raw.seek(0)
            stream = raw
        yield _guarded(stream, compression)


def _guarded(stream: Iterable[bytes], compression: str | None) -> Iterator[bytes]:
    try:
        yield from stream
    except (OSError, EOFError, ValueError) as exc:
        raise CorpusError(f"cannot read {compression or 'file'} stream: {exc}; file left untouched") from None
    except Exception as exc:  # zstandard.ZstdError has no importable base we can name early
        if type(exc).__name__ == "ZstdError":
            raise CorpusError(f"cannot read zst stream: {exc}; file left untouched") from None
        raise


#: Compressed bytes fed to zstd at a time: what one call can inflate to stays small
#: (zstd's worst case, run-length blocks, is about 32,000:1).
_ZST_INPUT = 4096


class _ZstdFrames(io.RawIOBase):
    """The decompressed bytes of a .zst file, frame after frame, read to a verified end.

    zstandard's stream reader takes a stream cut short for a complete one (and then
    the rewrite is a valid frame: the loss can no longer be seen). Here every frame
    must reach its end marker, libzstd checks its checksum and content size where the
    frame has them, and a file that ends inside a frame, or holds none, is an
    EOFError.
    """

    def __init__(self, raw: BinaryIO, zstandard: Any) -> None:
        super().__init__()
        self._raw = raw
        self._dctx = zstandard.ZstdDecompressor()
        self._frame = self._dctx.decompressobj()
        self._in_frame = False  # bytes of a frame that has not ended were fed
        self._frames = 0
        self._out = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._out:
            chunk = self._raw.read(_ZST_INPUT)
            if not chunk:
                if self._in_frame:
                    raise EOFError("the file ends inside a zstd frame (it was cut short)")
                if not self._frames:
                    raise EOFError("no zstd frame in the file")
                return 0
            self._out = memoryview(self._feed(chunk))
        n = min(len(buffer), len(self._out))
        buffer[:n] = self._out[:n]
        self._out = self._out[n:]
        return n

    def _feed(self, chunk: bytes) -> bytes:
        out = []
        while chunk:
            self._in_frame = True
            out.append(self._frame.decompress(chunk))
            if not self._frame.eof:
                break
            self._frames += 1  # complete: the next bytes, if any, start a new frame
            self._in_frame = False
            chunk = self._frame.unused_data
            self._frame = self._dctx.decompressobj()
        return b"".join(out)


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
                # with a checksum, so that a later read can tell a damaged frame
                self.stream = zstandard.ZstdCompressor(level=3, write_checksum=True).stream_writer(
                    self._raw, closefd=False)
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

    def commit(self) -> list[str]:
        """Make the new version the target, atomically. Returns what the user should
        know about the replacement: hard links split, an owner that could not be kept.

        As ``sed -i`` does: the new file gets the old one's permission bits and, where
        this process may give it (root, or the owner's own file), its owner and group;
        other hard links to the old file keep the old content.
        """
        notes: list[str] = []
        try:
            for closer in self._closers:
                closer.close()
            self._raw.flush()
            os.fsync(self._raw.fileno())
            old = os.stat(self._mode_of) if self._mode_of else None
            if old is not None and self._in_place(old):
                notes += _keep_owner(self._raw.fileno(), old)
                if old.st_nlink > 1:
                    notes.append(f"had {old.st_nlink} hard links: this name now holds the cleaned text, the "
                                 f"other {old.st_nlink - 1} keep the old (as with sed -i)")
            self._raw.close()
            # after the chown, which clears the setuid and setgid bits
            os.chmod(self.temp, stat.S_IMODE(old.st_mode) if old is not None else _default_mode())
            os.replace(self.temp, self.target)
            _UNFINISHED.discard(self.temp)
        except OSError as exc:
            self.discard()
            raise CorpusError(f"cannot write: {exc.strerror or exc}; original left intact") from None
        self._finished = True
        _fsync_folder(os.path.dirname(os.path.abspath(self.target)))
        return notes

    def _in_place(self, old: os.stat_result) -> bool:
        """Does the new version replace ``mode_of`` itself (not a copy elsewhere)?"""
        try:
            now = os.stat(self.target)
        except FileNotFoundError:
            return False
        return (now.st_dev, now.st_ino) == (old.st_dev, old.st_ino)

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
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        except OSError as exc:  # not created (a Ctrl-C here leaves it registered: harmless)
            _UNFINISHED.discard(path)
            if not isinstance(exc, FileExistsError):
                raise
            continue
        _lock(fd, path)
        return fd, path
    raise FileExistsError(17, "no free temporary file name")


def _lock(fd: int, path: str) -> None:
    """Hold a lock on a temporary file while it is written: the kernel drops it when the
    process ends, however it ends, so a later run can tell a file a killed run left
    behind (unlocked) from one a running process writes (see find_stale_temps)."""
    if fcntl is not None:
        with contextlib.suppress(OSError):  # a file system without locks: the file is only named, never removed
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


#: Names _create_temp gives: ``.<target name>.<8 hex digits>.cleaner-tmp``.
_TEMP_NAME = re.compile(r"\..+\.[0-9a-f]{8}" + re.escape(TEMP_SUFFIX))


@dataclass(frozen=True)
class StaleTemp:
    """A temporary file of an earlier run that was killed before it finished a write.

    ``certain``: no process holds its lock, so nothing writes it any more; False where
    locks cannot tell (no ``fcntl``, or a file system without locks).
    """

    path: str
    certain: bool


def find_stale_temps(folders: Iterable[str]) -> list[StaleTemp]:
    """Temporary files named as cleaner names them, in ``folders``, that no running
    process is writing. The targets they were meant to replace were never touched."""
    found = []
    for folder in sorted(set(folders)):
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError:
            continue  # not there (yet): an output folder to be made
        for name in names:
            if _TEMP_NAME.fullmatch(name):
                path = os.path.join(folder, name)
                certain = _unlocked(path)
                if certain is not False:
                    found.append(StaleTemp(path, bool(certain)))
    return found


def _unlocked(path: str) -> bool | None:
    """True if nobody holds the lock of ``path``, False if a process does, None if the
    lock cannot tell (or ``path`` is no regular file, which is not ours to remove)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode) or fcntl is None:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError:
            return None
        return True
    finally:
        os.close(fd)


def remove_unfinished() -> None:
    """Remove the temporary files of unfinished writes: after Ctrl-C, a ``with`` block
    may not have been entered yet (or its cleanup interrupted)."""
    for path in list(_UNFINISHED):
        with contextlib.suppress(OSError):
            os.unlink(path)
        _UNFINISHED.discard(path)


def _keep_owner(fd: int, old: os.stat_result) -> list[str]:
    """Give the new file (open as ``fd``) the owner and group of the one it replaces;
    where that is not allowed, at least the group, and say so."""
    if not hasattr(os, "fchown"):
        return []
    new = os.fstat(fd)
    if (new.st_uid, new.st_gid) == (old.st_uid, old.st_gid):
        return []
    try:
        os.fchown(fd, old.st_uid, old.st_gid)
        return []
    except PermissionError:
        with contextlib.suppress(OSError):
            os.fchown(fd, -1, old.st_gid)  # a member of the group may keep that
    now = os.fstat(fd)
    return [f"owner {old.st_uid}:{old.st_gid} could not be kept (only root may give a file away): "
            f"the cleaned file belongs to {now.st_uid}:{now.st_gid}"]


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

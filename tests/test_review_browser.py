"""The HTML review of the seed files, opened in a real headless browser (the system's
Chromium; skipped when there is none): after its script ran, every removal that
``--explain`` lists is on the page, struck through, with its exact text; the filter
hides the documents another rule hit; the screenshot shows each family's colour.

Set CLEANER_SCREENSHOT_DIR to keep the screenshots (the test writes them to a
temporary folder otherwise).
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FIXTURES

from cleaner import clean_and_explain
from cleaner.cli import main
from cleaner.report import stats_key
from cleaner.review_html import PALETTE
from cleaner.runner import EXIT_CHANGED

SEEDS = FIXTURES / "seeds"
BROWSER = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
pytestmark = [pytest.mark.skipif(BROWSER is None, reason="no Chromium (apt-get install chromium)"), pytest.mark.slow]


def _chromium(*args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=180, check=False)


class _Dom(HTMLParser):
    """The text inside each <del> per (section, hit number), and which sections are hidden."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.struck: dict[tuple[int, int], str] = {}
        self.sections: list[dict] = []
        self.open: list[tuple[str, list[int]]] = []
        self.shown = ""
        self._in_shown = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.sections.append(attrs)
        if tag == "del":
            self.open.append((tag, [int(n) for n in attrs.get("data-hits", "").split()]))
        self._in_shown = attrs.get("id") == "shown"

    def handle_endtag(self, tag):
        if tag == "del" and self.open:
            self.open.pop()
        self._in_shown = False

    def handle_data(self, data):
        if self._in_shown:
            self.shown += data
        for _, hits in self.open:
            for n in hits:
                key = (len(self.sections) - 1, n)
                self.struck[key] = self.struck.get(key, "") + data


def _explained_removals(capsys) -> list[tuple[str, str, str]]:
    """(file, rule id, text) of each drop and truncate ``cleaner --explain -v`` lists."""
    assert main(["--explain", "-v", "-q", str(SEEDS)]) == EXIT_CHANGED
    rows = []
    for line in capsys.readouterr().out.splitlines():
        m = re.match(r"(.+?):\d+: (\S+): (drop|truncate) ", line)
        if m:
            rows.append((m.group(1), m.group(2), m.group(3)))
    return rows


def _read_png(path: Path) -> tuple[int, int, int, list[bytes]]:
    """Width, height, bytes per pixel and rows of an 8-bit RGB(A) PNG (Chromium's screenshots)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, [], None
    while pos < len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + size]
        pos += 12 + size
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and not interlace
    bpp = 3 if colour == 2 else 4
    raw, stride, rows, prev = zlib.decompress(b"".join(idat)), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def _tint(colour: str, alpha: float = 0x2E / 255) -> tuple[int, ...]:
    """A family's colour as the struck-through background paints it over white."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return tuple(round(255 - (255 - v) * alpha) for v in rgb)


def test_review_page_in_chromium_shows_every_removal(tmp_path: Path, capsys) -> None:
    page = tmp_path / "seeds-review.html"
    assert main(["-q", "--report", str(page), str(SEEDS)]) == EXIT_CHANGED
    removals = _explained_removals(capsys)
    assert len(removals) >= 10

    proc = _chromium("--dump-dom", page.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = _Dom()
    dom.feed(proc.stdout)
    assert dom.shown == "4 of 4 documents shown"  # the page's script ran
    assert not any("hidden" in s for s in dom.sections)
    files = [s for s in sorted(SEEDS.glob("*.txt")) if clean_and_explain(s.read_text(encoding="utf-8")).hits]
    seen = []
    for n, path in enumerate(files):
        text = path.read_text(encoding="utf-8")
        result = clean_and_explain(text)
        for i, hit in enumerate(result.hits):
            if hit.action in ("drop", "truncate"):
                struck = dom.struck.get((n, i), "")
                assert struck == text[hit.start:hit.end], (path, hit.id)  # its whole span, struck through
                assert hit.removed in struck, (path, hit.id)  # (an edit inside a changed line spans the line)
                seen.append((str(path), hit.id, hit.action))
    assert sorted(seen) == sorted(removals)  # exactly what --explain lists

    # the filter: only the documents a rule hit, from the address as from the select box
    rule = "affiliate.purchase-compensation"
    proc = _chromium("--dump-dom", page.as_uri() + "#rule:" + rule)
    filtered = _Dom()
    filtered.feed(proc.stdout)
    hit_by = [rule in s["data-rules"].split() for s in filtered.sections]
    assert any(hit_by) and not all(hit_by)
    assert [("hidden" not in s) for s in filtered.sections] == hit_by
    assert filtered.shown == f"{sum(hit_by)} of 4 documents shown"

    shot = tmp_path / "seeds-review.png"
    proc = _chromium(f"--screenshot={shot}", "--window-size=1280,3000", page.as_uri())
    assert shot.is_file(), proc.stderr[-2000:]
    if os.environ.get("CLEANER_SCREENSHOT_DIR"):
        shutil.copy(shot, Path(os.environ["CLEANER_SCREENSHOT_DIR"]) / shot.name)
    width, height, bpp, rows = _read_png(shot)
    assert (width, height) == (1280, 3000)
    pixels = Counter(rows[y][x:x + 3] for y in range(height) for x in range(0, width * bpp, bpp))
    hits = [h for p in files for h in clean_and_explain(p.read_text(encoding="utf-8")).hits]
    families = sorted({stats_key(h) for h in hits})  # the page's colour order
    for n, family in enumerate(families):
        if not any(stats_key(h) == family and h.action in ("drop", "truncate") for h in hits):
            continue  # only removals are painted in the family's colour
        tint = _tint(PALETTE[n % len(PALETTE)])
        near = sum(count for px, count in pixels.items() if max(abs(a - b) for a, b in zip(px, tint)) <= 3)
        assert near > 400, (family, tint)  # its removals are painted in its colour

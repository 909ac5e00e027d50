"""Glitch repair: the exact ftfy pre-screen, the whitespace tidy and the markup strip.

The pre-screen may only skip text that ftfy would leave alone, so ``ftfy_fix`` must
equal ``ftfy.fix_text(text, FTFY_CONFIG)`` byte for byte: on the mojibake fixtures
(``fixtures/mojibake``), on the dev corpus when it is present, and on random text
built from the characters ftfy's detector looks at.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import ftfy
import ftfy.badness
import pytest
from conftest import MOJIBAKE_DIR, corpus_docs, corpus_files, needs_corpus
from hypothesis import Phase, assume, example, given, settings
from hypothesis import strategies as st

from cleaner import Config, clean, clean_and_explain, fixers
from cleaner.fixers import FTFY_CONFIG, fix_lines, ftfy_fix, needs_ftfy, strip_markup, tidy_whitespace
from cleaner.segments import render, split_lines

#: Only the glitch fixes: no rules, no heuristics.
FIXES_ONLY = Config(builtin_rules=False, dedupe=False, article_heuristic=False, html_input=False)


def fix_text(text: str) -> str:
    return ftfy.fix_text(text, FTFY_CONFIG)


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")  # not read_text: keep CRLF as written


# ----------------------------------------------------------------------------- (a) fixtures
FIXTURE_FILES = sorted(MOJIBAKE_DIR.glob("*.txt"))
#: Fixtures whose expected output clean() does not produce yet (a known bug, reported).
KNOWN_MISSES: dict[str, str] = {}


def _fixture_params(check_known_misses: bool) -> list:
    params = []
    for path in FIXTURE_FILES:
        marks = []
        if check_known_misses and path.stem in KNOWN_MISSES:
            marks = [pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[path.stem])]
        params.append(pytest.param(path, id=path.stem, marks=marks))
    return params


def test_fixture_set_is_complete() -> None:
    assert len(FIXTURE_FILES) >= 15
    for path in FIXTURE_FILES:
        assert (MOJIBAKE_DIR / "expected" / path.name).is_file(), f"no expected output for {path.name}"
    assert {p.name for p in (MOJIBAKE_DIR / "expected").glob("*.txt")} == {p.name for p in FIXTURE_FILES}


@pytest.mark.parametrize("path", _fixture_params(False))
def test_prescreen_equals_ftfy_on_fixtures(path: Path) -> None:
    text = read(path)
    assert ftfy_fix(text) == fix_text(text)
    for line in text.splitlines(keepends=True):
        assert ftfy_fix(line) == fix_text(line)
        if fix_text(line) != line:
            assert needs_ftfy(line)


@pytest.mark.parametrize("path", _fixture_params(True))
def test_clean_repairs_fixture(path: Path) -> None:
    assert clean(read(path)) == read(MOJIBAKE_DIR / "expected" / path.name)


@pytest.mark.parametrize("path", _fixture_params(True))
def test_glitch_fixes_alone_repair_fixture(path: Path) -> None:
    assert clean(read(path), FIXES_ONLY) == read(MOJIBAKE_DIR / "expected" / path.name)


@pytest.mark.parametrize("path", _fixture_params(False))
def test_expected_outputs_are_clean(path: Path) -> None:
    # The expected texts are fixed points: nothing left to repair, typography intact.
    expected = read(MOJIBAKE_DIR / "expected" / path.name)
    assert not ftfy.badness.is_bad(expected)
    assert fix_text(expected) == expected
    assert clean(expected) == expected
    assert clean_and_explain(expected).hits == ()


@pytest.mark.parametrize("path", _fixture_params(False))
def test_fixture_hits_are_fixes_with_line_spans(path: Path) -> None:
    text = read(path)
    result = clean_and_explain(text, FIXES_ONLY)
    changed = text != read(MOJIBAKE_DIR / "expected" / path.name)
    assert bool(result.hits) == changed
    lines = {(line.start, line.end) for line in split_lines(text)}
    for hit in result.hits:
        assert hit.kind == "fix" and hit.action == "replace" and hit.id.startswith("fix.")
        assert (hit.start, hit.end) in lines
        assert hit.removed != hit.replacement


def test_curly_quotes_survive_and_mojibake_is_gone() -> None:
    out = clean(read(MOJIBAKE_DIR / "cp1252_curly_quotes.txt"))
    for ch in "“”’—€…":
        assert ch in out
    assert "â€" not in out and "Ã" not in out


@needs_corpus
@pytest.mark.corpus
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.stem)
def test_prescreen_equals_ftfy_on_corpus(path: Path) -> None:
    for doc in corpus_docs(path, 300):
        raw = doc["raw"]
        assert ftfy_fix(raw) == fix_text(raw), doc["id"]


# ----------------------------------------------------------------------------- (b) random text
ALL_BMP = "".join(chr(c) for c in range(0x10000))


def _class_chars(members: str) -> str:
    """Every character of a regex character class body (ranges expanded)."""
    return "".join(m.group() for m in re.finditer(f"[{members}]", ALL_BMP))


_MOJIBAKE_CHARS = "".join(sorted(set("".join(_class_chars(cls) for cls in ftfy.badness.MOJIBAKE_CATEGORIES.values()))))
_ALPHABET = "".join(sorted(set(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?'\"-()[]<>/#\t\n\r"
    "“”‘’„‚«»‹›—–…•"  # typography
    "áéíóúàèìòùâêîôûäëïöüçñßøåæœÁÉÍÓÚÀÈÂÊÔÄÖÜÇÑØÅÆŒ"  # accented letters
    "абвгдежзийклмнопрстуфхцчшщъыьэюяАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯЁёЂђЃѓЄєЅѕІіЇїЈјЉљЊњЋћЌќЎўЏџҐґ"
    "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ"
    + "".join(map(chr, range(0x80, 0xA0)))  # C1 controls
    + "&\x00\x07\x0b\x1b\x7f\ufeff\u00a0\u00ad\u200b\ufffd"
    + _MOJIBAKE_CHARS
)))
_TOKENS = [
    "&amp;", "&#8217;", "&nbsp;", "&mdash;", "&eacute;", "&lt;", "&quot;", "&AMP;", "&#x27;", "&#10;",
    "\x1b[31m", "\x1b[0m", "Ã©", "â€™", "â€œ", "â€\x9d", "Ã\xa0", "Â ", "Ã ", "Â\xa0", "вЂ™", "Р В",
    "‚Äô", "√©", "Ã¢â‚¬â„¢", "ΓΆ", "ā€", "\ud83d", "\udca9", "\ud83d\udca9", "ГўВЂВ™ ",
]
_PIECE = st.one_of(st.sampled_from(_ALPHABET), st.sampled_from(_TOKENS))
MIXED_TEXT = st.lists(_PIECE, max_size=40).map("".join)
# Mostly plain text with a few special characters: strings near the detector's edge,
# where a too-narrow pre-screen would skip something.
_PLAIN = st.sampled_from(list("abcdefghijklmnopqrstuvwxyz  .,'\n") + ["the ", "said ", "à ", "é", "’s "])
SPARSE_TEXT = st.lists(st.one_of(_PLAIN, _PLAIN, _PLAIN, _PLAIN, _PIECE), max_size=40).map("".join)


@settings(max_examples=2000)
@given(st.one_of(MIXED_TEXT, SPARSE_TEXT))
@example("Ã")
@example("a Ã ")
@example("voilÃ le travail")
@example("The cityâ€™s budget")
def test_prescreen_never_skips_what_ftfy_would_change(s: str) -> None:
    fixed = fix_text(s)
    if fixed != s or ftfy.badness.is_bad(s):
        assert needs_ftfy(s)
    for segment in s.splitlines(keepends=True):
        if fix_text(segment) != segment or ftfy.badness.is_bad(segment):
            assert needs_ftfy(segment)
    assert ftfy_fix(s) == fixed


@settings(max_examples=1000)
@given(st.text(max_size=60))
def test_prescreen_exact_on_any_text(s: str) -> None:
    if fix_text(s) != s or ftfy.badness.is_bad(s):
        assert needs_ftfy(s)
    assert ftfy_fix(s) == fix_text(s)


def test_prescreen_on_every_single_character() -> None:
    for c in range(0x10000):
        ch = chr(c)
        if ftfy.badness.is_bad(ch) or fix_text(ch) != ch:
            assert needs_ftfy(ch), hex(c)


def test_prescreen_on_every_pair_of_mojibake_characters() -> None:
    chars = _MOJIBAKE_CHARS + "ÃÂâ€ВГРСΒΓΞΟāβ√≈‚" + " a"
    bad = ftfy.badness.BADNESS_RE.search
    for a in chars:
        for b in chars:
            if bad(a + b):
                assert needs_ftfy(a + b), (a + b)


def test_plain_text_skips_ftfy() -> None:
    assert not needs_ftfy("The mayor said no, and the council agreed (9-4).")
    assert not needs_ftfy("Boston’s mayor said “no” — twice… Zoë, Ελλάδα, Москва, 東京")
    assert needs_ftfy("Tom &amp; Jerry")
    assert needs_ftfy("bell\x07")
    assert needs_ftfy("\x93quoted\x94")
    assert ftfy_fix("") == ""
    text = "plain\nlines\n"
    assert ftfy_fix(text) is text  # nothing flagged: the same object back, no copy


# ----------------------------------------------------------------------------- (c) the derived character class
def test_first_char_class_is_the_union_of_branch_heads() -> None:
    # Concatenating character classes can create accidental ranges ("a-" + "z"):
    # compare the class with its branches' first items over every BMP code point.
    branches = fixers._tokens(fixers._MOJIBAKE_PATTERN)
    assert len(branches) == len(fixers._tokens(ftfy.badness.BADNESS_RE.pattern))
    union: set[int] = set()
    for items in branches:
        union |= {m.start() for m in re.compile(items[0], re.VERBOSE).finditer(ALL_BMP)}
    first = {m.start() for m in re.compile(fixers._MOJIBAKE_FIRST).finditer(ALL_BMP)}
    assert first == union
    assert not any(c < 128 for c in first)


def test_derived_branches_start_and_end_off_ascii() -> None:
    for items in fixers._tokens(fixers._MOJIBAKE_PATTERN):
        for item in (items[0], items[-1]):
            assert not any(re.compile(item, re.VERBOSE).fullmatch(chr(c)) for c in range(128)), item


def test_screen_class_covers_specials() -> None:
    hits = {m.start() for m in fixers._SCREEN_RE.finditer(ALL_BMP)}
    for ch in "&\x1b\x00\x08\x0b\x0e\x1f\x7f\ufeff" + "".join(map(chr, range(0x80, 0xA0))):
        assert ord(ch) in hits, hex(ord(ch))
    ascii_hits = {chr(c) for c in hits if c < 128}
    assert ascii_hits == {"&", "\x1b"} | {chr(c) for c in ftfy.chardata.CONTROL_CHARS if c < 128}
    assert "\t" not in ascii_hits and "\n" not in ascii_hits and "\r" not in ascii_hits


def test_derive_prefilter_rejects_what_it_cannot_handle() -> None:
    with pytest.raises(ValueError, match="groups"):
        fixers._derive_prefilter("(ab)|c")
    with pytest.raises(ValueError, match="all ASCII"):
        fixers._derive_prefilter("[a-z] \\s")
    with pytest.raises(ValueError, match="negated"):
        fixers._derive_prefilter("[^\\x00-\\x7f] é")
    pattern, first = fixers._derive_prefilter("[a-z] é [ü] \\s? | ^ Ã [ ]")
    assert first == "[éÃ]"
    assert re.compile(pattern, re.VERBOSE).search("voilÃ ")


# ----------------------------------------------------------------------------- (d) whitespace and markup
@pytest.mark.parametrize(("line", "expected"), [
    ("a\u00a0b", "a b"),
    ("10\u202f%", "10 %"),
    ("1\u20072", "1 2"),
    ("zero\u200bwidth", "zerowidth"),
    ("word\u2060joiner", "wordjoiner"),
    ("Bundes\u00adtag", "Bundestag"),
    ("\ufeffBOM", "BOM"),
    ("trailing   ", "trailing"),
    ("trailing tab\t", "trailing tab"),
    ("inner    run", "inner run"),
    ("a  b   c", "a b c"),
    ("    indented code", "    indented code"),
    ("\tindented", "\tindented"),
    ("col1\tcol2\tcol3", "col1\tcol2\tcol3"),
    ("👨\u200d👩\u200d👧 family", "👨\u200d👩\u200d👧 family"),
    ("می\u200cخواهم", "می\u200cخواهم"),
    ("“Quoted” — dash… ‘single’ – en", "“Quoted” — dash… ‘single’ – en"),
    ("", ""),
    ("   ", ""),
])
def test_tidy_whitespace(line: str, expected: str) -> None:
    assert tidy_whitespace(line) == expected
    assert tidy_whitespace(expected) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("The <b>mayor</b> said <a href=\"/x\">no</a>.", "The mayor said no."),
    ("<p>First paragraph.</p>", "First paragraph."),
    ("One<br>two<br/>three", "One two three"),
    ("Text <!-- ad slot --> more", "Text more"),
    ("Before <script>var a = 1;</script> after", "Before after"),
    ("See the [budget report](https://example.com/r).", "See the budget report."),
    ("A [relative link](/news/123) here", "A relative link here"),
    ("![chart](https://example.com/c.png) Prices rose.", "Prices rose."),
    ("  <span>indent kept</span>", "  indent kept"),
    ("<<b>b>bold", "bold"),
])
def test_strip_markup_removes(line: str, expected: str) -> None:
    assert strip_markup(line) == expected
    assert strip_markup(expected) == expected


@pytest.mark.parametrize("line", [
    '<div id="x"></div>',  # an HTML sample in an article about HTML
    '<a href="https://example.com" class="btn">',
    "a < b and c > d",
    "x<y",
    "I <3 this city",
    "Press the <Enter> key",
    "[citation needed]",
    "See note [1](not a url)",
    "“Curly” quotes — dashes… stay",
    "if (a[i](x)) return;",
])
def test_strip_markup_keeps(line: str) -> None:
    assert strip_markup(line) == line


def _explain(text: str):
    return clean_and_explain(text, FIXES_ONLY)


def test_fix_hits_carry_line_spans() -> None:
    text = "First line is fine.\nSecond\u00a0line  has   spaces. \r\nThird <b>bold</b> line.\nLast caf\u00c3\u00a9"
    result = _explain(text)
    assert result.text == "First line is fine.\nSecond line has spaces.\r\nThird bold line.\nLast café"
    by_id = {h.id: h for h in result.hits}
    assert set(by_id) == {"fix.whitespace", "fix.markup", "fix.encoding"}
    for hit in result.hits:
        assert hit.kind == "fix" and hit.action == "replace"
        assert text[hit.start:hit.end] == hit.removed  # each line was fixed once: the span is its input
        assert "\n" not in hit.removed and "\r" not in hit.removed
    ws = by_id["fix.whitespace"]
    assert (ws.start, ws.end) == (20, 20 + len("Second\u00a0line  has   spaces. "))
    assert ws.replacement == "Second line has spaces."
    assert by_id["fix.markup"].replacement == "Third bold line."
    assert by_id["fix.encoding"].replacement == "Last café"
    assert by_id["fix.encoding"].end == len(text)
    assert "ftfy" in by_id["fix.encoding"].reason


def test_two_fixes_on_one_line_share_the_line_span() -> None:
    text = "Intro.\nThe caf\u00c3\u00a9  <b>owner</b>  said no.\n"
    result = _explain(text)
    assert result.text == "Intro.\nThe café owner said no.\n"
    assert [h.id for h in result.hits] == ["fix.encoding", "fix.markup"]
    for hit in result.hits:
        assert (hit.start, hit.end) == (7, len(text) - 1)
    first, second = result.hits
    assert first.removed == text[7:-1]
    assert second.removed == first.replacement  # the second fix saw the first one's output


def test_typography_gets_no_fix() -> None:
    text = "“Yes,” she said — twice… ‘maybe’ – ﬁne, ＮＨＫ, Zoë, Ελλάδα.\n"
    assert _explain(text).hits == ()
    assert clean(text) == text


@pytest.mark.parametrize(("option", "text"), [
    ("fix_encoding", "The caf\u00c3\u00a9 opened.\n"),
    ("fix_whitespace", "Two  spaces\u00a0here.\n"),
    ("strip_markup", "Some <b>bold</b> text.\n"),
])
def test_each_fix_can_be_switched_off(option: str, text: str) -> None:
    off = Config(builtin_rules=False, dedupe=False, article_heuristic=False, **{option: False})
    assert clean(text, off) == text
    assert clean(text, FIXES_ONLY) != text


def test_ftfy_settings_keep_typography() -> None:
    assert FTFY_CONFIG.uncurl_quotes is False
    assert FTFY_CONFIG.fix_latin_ligatures is False
    assert FTFY_CONFIG.fix_character_width is False
    assert FTFY_CONFIG.fix_line_breaks is False
    assert FTFY_CONFIG.normalization is None
    assert FTFY_CONFIG.unescape_html is True  # not "auto": a "<" must not stop entity decoding
    assert fix_text("a < b &amp; c") == "a < b & c"


# ----------------------------------------------------------------------------- the screens are exact
def fixed_by_hand(text: str, config: Config = FIXES_ONLY) -> list[str]:
    """Every line through every fix, without any screen."""
    out = []
    for line in split_lines(text):
        new = line.text
        if config.fix_encoding:
            seg = fix_text(new + line.eol)
            new = seg[: len(seg) - len(line.eol)] if line.eol and seg.endswith(line.eol) else seg
        if config.strip_markup:
            new = strip_markup(new)
        if config.fix_whitespace:
            new = tidy_whitespace(new)
        out.append(new)
    return out


def fixed_by_fix_lines(text: str) -> list[str]:
    lines = split_lines(text)
    fix_lines(lines, text, FIXES_ONLY, None)
    return [line.text for line in lines]


_WS_MARKUP_TEXT = st.lists(st.one_of(
    st.sampled_from(list("ab .,\t\n\r") + ["\r\n", "  ", "   ", "\u00a0", "\u202f", "\u2007", "\u200b", "\u2060",
                                           "\u00ad", "\ufeff", "\u200d", "\u200c", "“", "”", "—", "…"]),
    st.sampled_from(["<b>", "</b>", "<br>", "<p>", "</p>", "<!-- x -->", "<span class=\"c\">", "</span>",
                     "[link](https://e.com/a)", "![img](https://e.com/i.png)", "<div id=\"x\">", "</div>",
                     "<script>x()</script>", "a < b", "[1]", "](", "<<b>b>"]),
), max_size=30).map("".join)


def _markup_only_indented_line(text: str) -> bool:
    """The known bug below: a line that is indentation plus markup only."""
    return any(strip_markup(line.text).isspace() for line in split_lines(text))


MARKUP_ONLY_BUG = ("bug: a line that is only indentation + markup ('  <br>') is left as whitespace: strip_markup "
                   "keeps the indent and the whitespace screen already ran on the input text")
FTFY_OUTPUT_BUG = ("bug: fix_lines screens for whitespace/markup on the input text, so an NBSP or a tag that "
                   "ftfy produced (from an entity or mojibake) is not tidied")


@settings(max_examples=1000)
@given(_WS_MARKUP_TEXT)
def test_markup_and_whitespace_screens_miss_nothing(text: str) -> None:
    # Lines ftfy leaves alone (no '&', no mojibake here): the screened fixes equal the
    # fixes applied to every line.
    assert fixed_by_fix_lines(text) == fixed_by_hand(text)


@pytest.mark.parametrize("text", [
    pytest.param("The mayor&nbsp;said no.\n", id="nbsp-entity"),
    pytest.param("Use &lt;b&gt;bold&lt;/b&gt; text.\n", id="tag-entities"),
    pytest.param("Tickets cost \u00ac\u00a35\u00ac\u2020each, the mayor\u201a\u00c4\u00f4s office said.\n",
                 id="macroman-nbsp"),
])
def test_screens_see_what_ftfy_produced(text: str) -> None:
    assert fixed_by_fix_lines(text) == fixed_by_hand(text)
    assert clean(clean(text, FIXES_ONLY), FIXES_ONLY) == clean(text, FIXES_ONLY)


@pytest.mark.parametrize("text", ["Para one is here.\n  <br>\nPara two.\n", "  <b>", " <b>"])
def test_markup_only_line_leaves_no_whitespace(text: str) -> None:
    assert fixed_by_fix_lines(text) == fixed_by_hand(text)
    assert clean(clean(text, FIXES_ONLY), FIXES_ONLY) == clean(text, FIXES_ONLY)


# ----------------------------------------------------------------------------- (e) idempotence
NEWLINE_ENTITY = ("ftfy is not idempotent when an entity decodes to a line break: the decoded text is fixed "
                  "as one segment, a second pass fixes each new line on its own; clean() keeps the decoded "
                  "line as one Line, so a second clean() can differ")


@settings(max_examples=600)
@given(MIXED_TEXT)
def test_ftfy_fix_is_idempotent(s: str) -> None:
    assume("&#10;" not in s)  # the known case below
    once = ftfy_fix(s)
    assert ftfy_fix(once) == once


@pytest.mark.parametrize("s", ["\x80&#10;\u201a\u00c4\u00f4"])
@pytest.mark.xfail(strict=True, reason="ftfy itself: ftfy_fix must equal ftfy.fix_text, which is not idempotent "
                   "when an entity decodes to a line break; clean() is (see the next test)")
def test_ftfy_fix_is_idempotent_across_decoded_line_breaks(s: str) -> None:
    once = ftfy_fix(s)
    assert ftfy_fix(once) == once


@pytest.mark.parametrize("s", ["\x80&#10;\u201a\u00c4\u00f4", "One&#10;two&#13;&#10;three\n"])
def test_clean_turns_decoded_line_breaks_into_spaces(s: str) -> None:
    once = clean(s, FIXES_ONLY)
    assert clean(once, FIXES_ONLY) == once
    assert len(once.splitlines()) == len(s.splitlines())


@settings(max_examples=1000)
@given(st.text(max_size=60))
def test_tidy_and_strip_are_idempotent(s: str) -> None:
    for line in s.split("\n"):
        assert tidy_whitespace(tidy_whitespace(line)) == tidy_whitespace(line)
        once = strip_markup(line)
        assert strip_markup(once) == once


@settings(max_examples=1000)
@given(_WS_MARKUP_TEXT)
def test_glitch_fixes_are_idempotent_without_entities(text: str) -> None:
    once = clean(text, FIXES_ONLY)
    assert clean(once, FIXES_ONLY) == once


@pytest.mark.parametrize("path", _fixture_params(True))
def test_fixture_fixes_are_idempotent(path: Path) -> None:
    once = clean(read(path), FIXES_ONLY)
    assert clean(once, FIXES_ONLY) == once


def test_fixed_lines_render_back() -> None:
    text = "A caf\u00c3\u00a9.\r\n\r\nB\u00a0 b.  \n"
    lines = split_lines(text)
    fix_lines(lines, text, FIXES_ONLY, None)
    assert render(lines, 2) == "A café.\r\n\r\nB b.\n"


def test_mojibake_chars_are_in_the_alphabet() -> None:
    # guards the generator above: the detector's categories really are in the mix
    assert len(_MOJIBAKE_CHARS) > 200
    assert all(unicodedata.category(c) != "Cs" for c in _MOJIBAKE_CHARS)
    assert set(_MOJIBAKE_CHARS) <= set(_ALPHABET)


# ----------------------------------------------------------------- very long lines
# A one-line blob of many MB takes other code paths, which keep fewer copies of the
# line: ftfy piece by piece (fixers._fix_text) and substitutions grown in place
# (fixers._sub). Both must give exactly what the plain calls give.

def _long_line(filler: str, inserts: dict[int, str], size: int) -> str:
    text = (filler * (size // len(filler) + 1))[:size]
    for pos, piece in sorted(inserts.items(), reverse=True):
        text = text[:pos] + piece + text[pos:]
    return text


def test_fix_text_on_a_long_segment_equals_ftfy() -> None:
    from cleaner.fixers import FTFY_CONFIG, _fix_text

    limit = FTFY_CONFIG.max_decode_length
    filler = "The council met on Monday and voted on the budget. "
    # mojibake right before, across and after the cut ftfy makes every `limit` characters
    line = _long_line(filler, {10: "cafÃ©", limit - 3: "donâ€™t", limit + 5: "&amp; Â£5", 2 * limit + 7: "naÃ¯ve"},
                      2 * limit + 500)
    assert len(line) > 2 * limit
    assert _fix_text(line) == ftfy.fix_text(line, FTFY_CONFIG)
    clean_line = _long_line(filler, {}, limit + 100)
    assert _fix_text(clean_line) is clean_line  # nothing to fix: the segment itself, no copy


@pytest.mark.parametrize("broken, fixed", [("&amp;", "&"), ("donâ€™t", "don’t")])
def test_a_glitch_across_ftfys_cut_is_repaired_at_once(broken: str, fixed: str) -> None:
    # ftfy cuts a line every max_decode_length characters, through a word if need be: an
    # entity across the cut stayed, and the second clean() (its cuts moved by the first
    # one's repairs) decoded it. Pieces now end at a space.
    from cleaner import clean
    from cleaner.fixers import _PIECE, FTFY_CONFIG, _fix_text

    for limit in sorted({FTFY_CONFIG.max_decode_length, _PIECE}):  # ftfy's cut, and ours
        unit = f"Profits {broken} losses were reported. "
        body = unit * (3 * limit // (2 * len(unit)))
        at = body.find(broken, limit - 1000)
        line = "x" * (limit - 2 - at) + body  # a blind cut falls two characters into the glitch
        assert line[limit - 2:limit - 2 + len(broken)] == broken
        assert _fix_text(line) == ftfy.fix_text(line, FTFY_CONFIG._replace(max_decode_length=2 * len(line)))
        once = clean(line + "\n")
        assert broken not in once and clean(once) == once


@pytest.mark.parametrize("pattern, repl", [
    (re.compile(r"[ \t]{2,}"), " "),
    (re.compile(r"<(/?)b>"), r"[\1]"),
    (re.compile(r"x*"), "-"),  # empty matches, as re.sub handles them
    (re.compile(r"\[([^\]]+)\]\(https?://[^)]+\)"), r"\1"),
])
def test_sub_on_a_long_line_equals_re_sub(pattern: re.Pattern[str], repl: str) -> None:
    from cleaner.fixers import _LONG, _sub

    line = _long_line("word  <b>bold</b> [link](https://example.org/a)\tend ", {}, _LONG + 40_000)
    assert _sub(pattern, repl, line) == pattern.sub(repl, line)
    short = line[:5000]
    assert _sub(pattern, repl, short) == pattern.sub(repl, short)

"""``--report review.html``: one self-contained page to look at what a run removed.

The page (``review_page.html`` beside this module: inline CSS and script, no network,
no external assets) has a summary table by rule family (documents, hits, removed,
replaced and flagged hits, characters), then each document with hits: its text with
removed spans struck through and coloured by family, flagged spans highlighted,
repairs underlined, each with its rule and reason on hover, and a table of its hits.
A select box (or a click on a summary row) shows only the documents one family or
rule hit, and dims the other marks.

Fragments are made per document, where the document is cleaned (in a worker);
:func:`page_parts` makes the parts around them once the run's totals are known.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from importlib import resources
from typing import Any

from .model import Hit
from .report import STAT_COLUMNS, Tally, hit_lines, removed_chars, stats_key

__all__ = ["MAX_DOCUMENTS", "document_html", "page_parts"]

#: The page shows at most this many documents (its summary counts them all, and
#: hits.jsonl lists every hit): a browser stays responsive up to a few thousand.
MAX_DOCUMENTS = 2000
#: Colours for the families, in the order of their names (then again, darker).
PALETTE = ("#d62728", "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#bcbd22", "#7f7f7f", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd")
_REMOVALS = ("drop", "truncate")
_CLIP = 300


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _clip(text: str) -> str:
    return text if len(text) <= _CLIP else f"{text[:_CLIP]}… (+{len(text) - _CLIP:,} characters)"


def document_html(file: str, record: int | None, record_id: Any, text: str, hits: Sequence[Hit]) -> str:
    """The page's section for one document: heading, marked-up text, hits table."""
    indexed = list(enumerate(hits))
    families = sorted({stats_key(h) for h in hits})
    rules = sorted({h.id for h in hits})
    chars = sum(removed_chars(hits))
    removed = sum(1 for h in hits if h.action in _REMOVALS)
    flagged = sum(1 for h in hits if h.action == "flag")
    where = file if record is None else f"{file}:{record}"
    out = [f'<section class="doc" data-fams="{_e(" ".join(families))}" data-rules="{_e(" ".join(rules))}">',
           f'<h2><span class="where">{_e(where)}</span>'
           + (f'<span class="rid">id {_e(str(record_id))}</span>' if record_id is not None else "")
           + f'<span class="counts">{removed} removed, {flagged} flagged, {len(hits) - removed - flagged} '
             f'repaired or replaced; {chars:,} characters removed</span></h2>']
    # Each HTML extraction starts a new text: the spans after it refer to the extract.
    phases: list[tuple[str, list[tuple[int, Hit]]]] = [(text, [])]
    for i, hit in indexed:
        if hit.id == "heuristic.html" and hit.replacement is not None:
            if phases[-1][1]:
                out.append(f'<pre class="text">{_marked_text(*phases[-1])}</pre>')
            out.append(f'<p class="note" {_attrs([(i, hit)])}>an HTML page of {len(hit.removed):,} characters: '
                       "its main text, extracted with trafilatura, follows</p>")
            phases.append((hit.replacement, []))
        else:
            phases[-1][1].append((i, hit))
    out.append(f'<pre class="text">{_marked_text(*phases[-1])}</pre>')
    out.append(_hits_table(text, hits))
    out.append("</section>\n")
    return "\n".join(out)


def _attrs(covering: list[tuple[int, Hit]]) -> str:
    ids = " ".join(dict.fromkeys(h.id for _, h in covering))
    fams = " ".join(dict.fromkeys(stats_key(h) for _, h in covering))
    nums = " ".join(str(i) for i, _ in covering)
    title = "\n".join(f"{h.id}: {h.action} ({h.reason})" for _, h in covering)
    return f'data-rules="{_e(ids)}" data-fams="{_e(fams)}" data-hits="{nums}" title="{_e(title)}"'


def _marked_text(text: str, hits: list[tuple[int, Hit]]) -> str:
    """``text`` escaped, cut at every hit's edges; each piece marked by the hits over it:
    struck through for a removal (coloured by the narrowest removal's family),
    highlighted for a flag, underlined for a replacement."""
    size = len(text)
    spans = [(i, h, max(0, min(h.start, size)), max(0, min(h.end, size))) for i, h in hits]
    points: dict[int, list[tuple[int, Hit]]] = {}
    for i, h, a, b in spans:
        if a == b:
            points.setdefault(a, []).append((i, h))
    bounds = sorted({0, size, *(a for *_, a, _ in spans), *(b for *_, b in spans)})
    by_start = sorted((s for s in spans if s[2] < s[3]), key=lambda s: s[2])
    out: list[str] = []
    active: list[tuple[int, Hit, int, int]] = []
    k = 0
    for p, q in zip(bounds, bounds[1:] + [size]):  # (the last, empty piece: for marks at the very end)
        for i, h in points.pop(p, []):
            out.append(f'<span class="point" {_attrs([(i, h)])}>⚑ {_e(h.id)}</span>')
        if q <= p:
            continue
        while k < len(by_start) and by_start[k][2] <= p:
            active.append(by_start[k])
            k += 1
        active = [s for s in active if s[3] > p]
        piece = _e(text[p:q])  # (marked pieces are never folded: a removal is shown whole)
        covering = [(i, h) for i, h, _, _ in active]
        removals = [s for s in active if s[1].action in _REMOVALS]
        if removals:
            narrowest = min(removals, key=lambda s: (s[3] - s[2], s[0]))[1]
            out.append(f'<del data-fam="{_e(stats_key(narrowest))}" {_attrs(covering)}>{piece}</del>')
        elif any(h.action == "flag" for _, h in covering):
            flag = next(h for _, h in covering if h.action == "flag")
            out.append(f'<mark data-fam="{_e(stats_key(flag))}" {_attrs(covering)}>{piece}</mark>')
        elif covering:
            out.append(f'<span class="rep" {_attrs(covering)}>{piece}</span>')
        else:
            out.append(_folded(text[p:q]))
    return "".join(out)


#: Unchanged lines shown around each mark; a longer run in between is folded.
CONTEXT_LINES = 2


def _folded(plain: str) -> str:
    """Unmarked text, escaped; a long run of unchanged lines folded behind a button,
    so that the marks of a long document stay close together."""
    lines = plain.split("\n")
    if len(lines) <= 2 * CONTEXT_LINES + 4:
        return _e(plain)
    head = "\n".join(lines[:CONTEXT_LINES + 1]) + "\n"
    middle = "\n".join(lines[CONTEXT_LINES + 1:-CONTEXT_LINES - 1]) + "\n"
    tail = "\n".join(lines[-CONTEXT_LINES - 1:])
    count = len(lines) - 2 * CONTEXT_LINES - 2
    return (f'{_e(head)}<button class="unfold" type="button">… {count:,} unchanged lines …</button>'
            f'<span class="fold">{_e(middle)}</span>{_e(tail)}')


def _hits_table(text: str, hits: Sequence[Hit]) -> str:
    rows = ['<details><summary>every hit of this document</summary><table class="hits">',
            "<tr><th>line</th><th>rule</th><th>action</th><th>text</th><th>reason</th></tr>"]
    for n, (hit, (phase, line)) in enumerate(zip(hits, hit_lines(text, hits))):
        if hit.id == "heuristic.html" and hit.replacement is not None:
            what = f"(the page's {len(hit.removed):,} characters of HTML → its {len(hit.replacement):,} of text)"
        else:
            what = _clip(hit.removed) + (" → " + _clip(hit.replacement) if hit.replacement is not None else "")
        where = f"{line}" if not phase else f"{line} (extract)"
        rows.append(f'<tr data-hit="{n}" data-rules="{_e(hit.id)}" data-fams="{_e(stats_key(hit))}">'
                    f'<td class="n">{where}</td><td><span class="swatch" data-fam="{_e(stats_key(hit))}"></span>'
                    f'{_e(hit.id)}</td><td>{hit.action}</td><td class="text">{_e(what)}</td>'
                    f"<td>{_e(hit.reason)}</td></tr>")
    rows.append("</table></details>")
    return "\n".join(rows)


def _template() -> tuple[str, str]:
    page = resources.files("cleaner").joinpath("review_page.html").read_text(encoding="utf-8")
    head, tail = page.split("<!--DOCUMENTS-->")
    return head, tail


def _style(families: Sequence[str]) -> str:
    rules = []
    for n, family in enumerate(families):
        colour = PALETTE[n % len(PALETTE)]
        key = _e(family)
        rules.append(f'del[data-fam="{key}"] {{ text-decoration-color: {colour}; background: {colour}2e; }}\n'
                     f'.swatch[data-fam="{key}"] {{ background: {colour}; }}')
    return "\n".join(rules)


def _summary(tally: Tally) -> str:
    head = "".join(f'<th class="n">{_e(c)}</th>' for c in STAT_COLUMNS)
    rows = [f"<tr><th>rule family</th>{head}</tr>"]
    for key, row in sorted(tally.rows.items(), key=lambda kv: (-kv[1][1], kv[0])):
        cells = "".join(f'<td class="n">{v:,}</td>' for v in row)
        rows.append(f'<tr data-filter="fam:{_e(key)}"><td><span class="swatch" data-fam="{_e(key)}"></span>'
                    f"{_e(key)}</td>{cells}</tr>")
    cells = "".join(f'<td class="n">{v:,}</td>' for v in tally.totals())
    rows.append(f'<tr class="total"><td>total</td>{cells}</tr>')
    return "\n".join(rows)


def _options(tally: Tally) -> str:
    fams = "".join(f'<option value="fam:{_e(k)}">{_e(k)} (family, {tally.rows[k][1]:,} hits)</option>'
                   for k in sorted(tally.rows))
    rules = "".join(f'<option value="rule:{_e(k)}">{_e(k)} ({tally.rule_rows[k][1]:,} hits)</option>'
                    for k in sorted(tally.rule_rows))
    return f'<optgroup label="families">{fams}</optgroup><optgroup label="rules">{rules}</optgroup>'


def page_parts(title: str, tally: Tally, mode: str, shown: int, documents_hit: int) -> tuple[str, str]:
    """The page before and after the document sections, for a run whose totals are ``tally``."""
    head, tail = _template()
    verb = "changed" if mode == "fix" else "would change"
    lede = (f"{tally.documents:,} document{'' if tally.documents == 1 else 's'} read, "
            f"{tally.documents_changed:,} {verb}, "
            f"{documents_hit:,} with a hit; {shown:,} shown below"
            + (f" (the first {shown:,}; the summary counts all)" if shown < documents_hit else "")
            + ". docs: documents with a hit of that family; chars: characters it removed, each counted once.")
    values = {"title": _e(title), "lede": _e(lede), "summary": _summary(tally), "options": _options(tally),
              "style": _style(sorted(tally.rows))}
    for key, value in values.items():
        head = head.replace("{{" + key + "}}", value)
    return head, tail

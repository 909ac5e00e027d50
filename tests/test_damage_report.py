"""benchmarks/damage.py: the report of what cost gold text, on a corpus made here."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO, SHARED

SCORE = SHARED / "tools" / "score.py"
needs_score = pytest.mark.skipif(not SCORE.is_file(), reason=f"{SCORE} not found (beside the main checkout only)")

ARTICLE = ("The council approved the new ferry budget on Monday after a debate that ran late into the night.\n"
           "Members argued over the fare increase for almost three hours before the vote was taken, and the "
           "mayor said she would ask the state to restore its share of the subsidy.\n")
THREAD = ("Comments\n"
          "Chris Nahr 07.15.12 at 11:59\nSecondary source, but the original Latin verb means goading, enticing "
          "or teasing out, which is no doubt used poetically here in the text.\n")


def _damage():
    spec = importlib.util.spec_from_file_location("damage", REPO / "benchmarks" / "damage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_missing_corpus_is_an_error(tmp_path: Path, capsys) -> None:
    assert _damage().main(["--corpus", str(tmp_path / "nowhere")]) == 2
    assert "no corpus" in capsys.readouterr().err


@needs_score
def test_report_names_the_hit_that_removed_gold_text(tmp_path: Path, capsys) -> None:
    # a gold that keeps the comment thread (as dragnet's does on a few pages): the
    # thread's cut damages the document, and the report says which rule made it
    (tmp_path / "tools").mkdir()
    shutil.copy(SCORE, tmp_path / "tools" / "score.py")
    corpus = tmp_path / "corpus" / "dev"
    corpus.mkdir(parents=True)
    records = [
        {"id": "thread::x", "raw": ARTICLE + THREAD, "gold": ARTICLE + THREAD,
         "must_keep": ["Secondary source, but the original Latin verb", "The council approved"]},
        {"id": "clean::x", "raw": ARTICLE, "gold": ARTICLE, "must_keep": ["The council approved"]},
    ]
    (corpus / "t.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out_json = tmp_path / "rows.json"
    assert _damage().main(["--corpus", str(corpus), "--json", str(out_json), "-j", "1"]) == 0
    report = capsys.readouterr().out
    assert "damaged: 1 of 2 gold documents" in report
    assert "thread::x  recall 1.000 ->" in report and "comments_tail.heading" in report
    assert "must_keep lost: 1 of 3" in report
    rows = {r["id"]: r for r in json.loads(out_json.read_text(encoding="utf-8"))}
    assert rows["clean::x"]["damaged"] is None and rows["clean::x"]["lost_keep"] == []
    assert rows["thread::x"]["lost_keep"] == [{"snippet": "Secondary source, but the original Latin verb",
                                               "by": "comments_tail.heading"}]

"""cleaner as a datatrove pipeline step, for local, Slurm and Ray runs.

:class:`CleanerFormatter` cleans ``Document.text`` with :func:`cleaner.clean_and_explain`,
keeps the document's id and metadata, and counts hits per family in datatrove's stats
(``hits_read_more``, ``hits_advertisement``, ...). It holds nothing but its settings,
so it pickles, and the same pipeline list runs unchanged on every datatrove executor.

:func:`record_to_document` and :func:`document_to_record` are JSONL reader and writer
adapters that give back each input record with the same top-level fields, in the same
order, with only the text field cleaned::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.integrations.datatrove import CleanerFormatter, document_to_record, record_to_document

    LocalPipelineExecutor(
        [
            JsonlReader("in/", glob_pattern="*.jsonl*", adapter=record_to_document),
            CleanerFormatter({"disable": ["heuristic.dedupe"]}),
            JsonlWriter("out/", adapter=document_to_record),
        ],
        tasks=8, workers=4, logging_dir="logs/",
    ).run()

Needs the ``datatrove`` extra (``pip install 'newsclean[datatrove]'``, or ``'.[datatrove]'`` from a checkout).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

try:
    from datatrove.data import Document
    from datatrove.pipeline.formatters.base import BaseFormatter
    from datatrove.utils.logging import logger
    from datatrove.utils.typeshelper import StatHints
except ImportError as exc:  # the extra is missing: one line that says what to do
    raise ImportError("the datatrove step needs datatrove and orjson: pip install 'datatrove>=0.5' orjson "
                      "(the newsclean[datatrove] extra)") from exc

from ..config import Config
from ..core import clean, clean_document

__all__ = ["CleanerFormatter", "REMOVED_KEY", "SOURCE_KEY", "document_to_record", "record_to_document"]

#: metadata entry that ``keep_removed=True`` fills: a list of {"id", "reason", "text"}
REMOVED_KEY = "cleaner_removed"
#: metadata entry in which :func:`record_to_document` carries the input record to the writer
SOURCE_KEY = "cleaner_source"


class CleanerFormatter(BaseFormatter):
    """A datatrove step that cleans each document's text with cleaner.

    ``config`` is a :class:`cleaner.Config`, a ``[tool.cleaner]``-style mapping, or
    ``None`` for the defaults. It is checked, and the rules it selects are loaded,
    when the step is made, so a bad option or a broken rule file fails before any
    job is launched (``rule_dirs`` must also exist on the workers).

    Stats (per task in ``<logging_dir>/stats/``, merged in ``stats.json``):
    ``total`` documents seen; ``changed`` documents whose text changed;
    ``hits_<family>`` one update per document with that family's hit count as the
    value, so its total is the number of hits and its ``n`` the number of documents
    hit; ``removed_chars`` characters removed by drop/truncate hits; ``not_text``
    documents passed through because their text was not a string; ``too_large`` and
    ``timed_out`` documents passed through unchanged, uncleaned, because they are over
    ``max_document_chars`` or a rule tripped the ``regex_timeout`` guard (each also
    logged as a warning with the document's id).

    With ``keep_removed=True`` each document gets ``metadata["cleaner_removed"]``:
    one ``{"id", "reason", "text"}`` per drop or truncate hit (an empty list when
    nothing was removed, so every record has the same fields).

    >>> step = CleanerFormatter({"disable": ["heuristic"]}, keep_removed=True)
    >>> doc = next(step.run(iter([Document("Wu said no.\\nAdvertisement\\n", "d1", metadata={"url": "u"})])))
    >>> doc.text, doc.id, doc.metadata["url"]
    ('Wu said no.\\n', 'd1', 'u')
    >>> doc.metadata["cleaner_removed"][0]["text"], step.stats["hits_advertisement"].total
    ('Advertisement', 1)
    """

    name = "🧹 cleaner"

    def __init__(self, config: Config | Mapping[str, Any] | None = None, keep_removed: bool = False):
        super().__init__()
        if config is None:
            config = Config()
        elif not isinstance(config, Config):
            config = Config.from_mapping(config)
        clean("", config)  # loads and validates the selected rules now, not on a worker
        self.config = config
        self.keep_removed = keep_removed

    def format(self, text: str) -> str:
        """The cleaned text, without the hits (datatrove's formatter interface)."""
        return clean(text, self.config)

    def run(self, data: Iterator[Document], rank: int = 0, world_size: int = 1) -> Iterator[Document]:
        for doc in data:
            self.stat_update(StatHints.total)
            if not isinstance(doc.text, str):
                self.stat_update("not_text")
                yield doc
                continue
            with self.track_time():
                result = clean_document(doc.text, self.config, explain=True)
            if result.passed_through:
                self.stat_update(result.passed_through.replace("-", "_"))
                logger.warning(f"document {doc.id}: {result.problem}")
            if result.text != doc.text:
                self.stat_update("changed")
            for family, count in Counter(hit.family for hit in result.hits).items():
                self.stat_update(f"hits_{family}", value=count)
            removals = result.removals
            if removals:
                self.stat_update("removed_chars", value=sum(len(h.removed) for h in removals))
            if self.keep_removed:
                doc.metadata[REMOVED_KEY] = [
                    {"id": h.id, "reason": h.reason, "text": h.removed} for h in removals
                ]
            doc.text = result.text
            yield doc


def record_to_document(self: Any, data: dict, path: str, id_in_file: int | str) -> dict:
    """JSONL reader adapter: the text from ``self.text_key``, the id from ``self.id_key``
    (else ``<path>/<line>``), and the whole record, text field included as a
    placeholder, kept as it is in ``metadata["cleaner_source"]``.

    Use it with :func:`document_to_record` as the writer's adapter. datatrove's own
    adapters instead move the other fields into ``metadata`` (merging a ``metadata``
    field of the input into it) and write them back nested under ``"metadata"``.
    """
    text = data.get(self.text_key, "")
    doc_id = data.get(self.id_key)
    record = {key: (None if key == self.text_key else value) for key, value in data.items()}
    return {
        "text": text,
        "id": str(doc_id) if doc_id is not None else f"{path}/{id_in_file}",
        "metadata": {SOURCE_KEY: {"text_key": self.text_key, "record": record}},
    }


def document_to_record(self: Any, document: Document) -> dict:
    """JSONL writer adapter: the input record again, with the cleaned text in its text
    field, plus ``cleaner_removed`` when the step kept it. Other metadata (such as the
    ``file_path`` readers add) is not written."""
    source = document.metadata.get(SOURCE_KEY)
    if source is None:
        raise ValueError(
            f"document {document.id!r} has no metadata[{SOURCE_KEY!r}]: "
            "read it with adapter=record_to_document to use document_to_record"
        )
    text_key = source["text_key"]
    record = {key: (document.text if key == text_key else value) for key, value in source["record"].items()}
    record.setdefault(text_key, document.text)
    if REMOVED_KEY in document.metadata:
        record[REMOVED_KEY] = document.metadata[REMOVED_KEY]
    return record

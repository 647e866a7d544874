"""Fuzzing the readers and the JSONL / CSV / feed parsers with hostile but well-formed-looking
input: no exception escapes, every input ends as articles or one-line Problems (none of them
the catch-all that hides a reader bug), every article read can be stored, and the control
article given beside it is always kept."""
from __future__ import annotations

import csv
import gzip
import io
import json
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parley.reading.readers import read_articles
from parley.records import Article, Problem
from parley.results import ArticleResult
from parley.corpus.store import Store

CONTROL = "Ferry talks\n\nThe ferry union and the harbour board failed to agree on fares on Friday.\n"
NASTY = ["\ud800", "\udfff", "\x1b]0;t\x07", "\x00", "\u202e", "\r", "\n", "\ufeff", "=cmd", "\\", '"', "<", "&",
         "]]>", "\u2028", "9" * 4400]

hostile_text = st.lists(st.one_of(st.characters(), st.sampled_from(NASTY)), max_size=12).map("".join)
sentences = st.sampled_from(["The union rejected the offer.", "Talks resume on Monday.", ""])
article_text = st.builds(lambda a, b: a + b, sentences, hostile_text)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), hostile_text,
                    st.sampled_from(["2020-05-06", "2020-05-06T15:40:00+09:00", "yesterday", "9999-99-99"]))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(hostile_text, inner, max_size=3), max_leaves=6)
FIELDS = ("id", "text", "html", "title", "published", "source", "url", "author", "language")
records = st.dictionaries(st.sampled_from(FIELDS + ("extra",)), st.one_of(article_text, json_values), max_size=6)


def jsonl_line(record: dict, ascii_only: bool, huge: bool) -> str:
    line = json.dumps(record, ensure_ascii=ascii_only)
    if huge and line.endswith("}") and len(line) > 2:
        line = line[:-1] + ', "votes": ' + "7" * 4400 + "}"  # json.dumps itself refuses such ints
    return line


jsonl_lines = st.one_of(
    st.builds(jsonl_line, records, st.booleans(), st.booleans()),
    hostile_text,  # not JSON at all
    st.sampled_from(["", "[]", "{}", '{"text": 5}', "{" * 3000, '{"text": "x"']))


def encoded(text: str) -> bytes:
    # Lone surrogates go out as the invalid UTF-8 they would be in a broken export.
    return text.encode("utf-8", "surrogatepass")


def table(rows: list[list[str]], delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["id", "text", "title", "published"])
    writer.writerows(rows)
    return encoded(out.getvalue())


def feed(items: list[tuple[str, str]]) -> bytes:
    entries = "".join(f"<item><title>{escape(t)}</title><description>{escape(d)}</description></item>"
                      for t, d in items)
    return encoded(f"<?xml version='1.0'?><rss version='2.0'><channel><title>f</title>{entries}</channel></rss>")


inputs = st.one_of(
    st.builds(lambda lines, gz: ("in.jsonl" + (".gz" if gz else ""), encoded("\n".join(lines)), gz),
              st.lists(jsonl_lines, max_size=5), st.booleans()),
    st.builds(lambda rows: ("in.csv", table(rows, ","), False),
              st.lists(st.lists(st.one_of(article_text, hostile_text), min_size=0, max_size=5), max_size=4)),
    st.builds(lambda rows: ("in.tsv", table(rows, "\t"), False),
              st.lists(st.lists(article_text, min_size=2, max_size=4), max_size=4)),
    st.builds(lambda items: ("in.rss", feed(items), False), st.lists(st.tuples(hostile_text, article_text), max_size=3)),
    st.builds(lambda text, name: (name, encoded(text), False), article_text,
              st.sampled_from(["in.txt", "in.html", "in", "in.md"])),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(given_inputs=st.lists(inputs, min_size=1, max_size=3))
def test_hostile_inputs_end_as_articles_or_one_line_problems(given_inputs: list[tuple[str, bytes, bool]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n, (name, data, gz) in enumerate(given_inputs):
            (folder / f"{n}-{name}").write_bytes(gzip.compress(data) if gz else data)
        (folder / "zz-control.txt").write_text(CONTROL, encoding="utf-8")
        items = list(read_articles([folder]))
        assert all(isinstance(i, (Article, Problem)) for i in items)
        problems = [i for i in items if isinstance(i, Problem)]
        assert all("\n" not in str(p) and "\r" not in str(p) for p in problems), problems
        assert not [p for p in problems if p.reason.startswith(("stopped reading:", "record not read:"))], problems
        articles = [i for i in items if isinstance(i, Article)]
        assert "zz-control.txt" in {a.id for a in articles}
        with Store(":memory:") as store:
            for article in articles:
                store.add(ArticleResult(article, ()))
            assert store.article_count() == len({a.id for a in articles})

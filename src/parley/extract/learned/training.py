"""Training and cross-validation of the learned extractor.

    python -m parley.extract.learned train    [--shared ../shared] [--annotations annotations]
    python -m parley.extract.learned crossval [--shared ../shared] [--annotations annotations]

Data: every gold file of `../shared/gold/` with its corpus, and the repository's own
annotations (`annotations/*.jsonl`: article id + character offsets + labels, the
texts staying in `../shared`). Each article belongs to a fold named by its outlet
and era (Reuters 1987, BBC 2004-05, ...), so that cross-validation never tests on
an outlet and era it trained on. Everything is seeded: the same data gives the
same weights.
"""
from __future__ import annotations

import argparse
import datetime as dt
import difflib
import functools
import importlib.util
import json
import pickle
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np

from parley.analysis.language import load_model
from parley.extract.learned.features import TYPES, Unit, party_features
from parley.extract.learned.model import (SYMMETRIC, WEIGHTS_FILE, LinearScorer, Weights, decode, propose,
                                          read_units, select, type_scores)
from parley.extract.text import for_parser, parse_text
from parley.pipeline import articles as read_articles
from parley.records import Article, Event

SEED = 20261202
CORE = ("offer", "demand", "reject", "accept", "agree", "meet")
# Folds the rules were written against: their rules.v1 score there is not a held-out one.
RULES_SEEN = {"seeds"}
# corpus name -> its file or folder, for the scorer (which reads the texts itself);
# filled as the gold sets are read.
CORPUS_PATHS: dict[str, Path] = {}


@dataclass
class Example:
    """One annotated article, analysed."""

    article: Article
    fold: str
    corpus: str
    gold: list[dict]
    units: list[Unit]
    rule_events: list[Event]
    labels: list[dict[str, int]] = field(default_factory=list)  # per unit: type -> 1, 0, or -1 (ignored)


# ------------------------------------------------------------------ data
def fold_of(article: Article, corpus: str) -> str:
    """The outlet-and-era group of an article."""
    if corpus in ("sma-2020", "dev-mixed"):
        return "seeds"
    source = (article.source or "").lower()
    year = article.published.year if article.published else None
    if "bbc" in source:
        return "bbc-2004"
    if "economist" in source:
        return "economist-2020"
    if "daily mail" in source or "dailymail" in source:
        return "dailymail-2020"
    if "reuters" in source and year and year < 2000:
        return "reuters-1987"
    if year and year >= 2010:
        return "news-2016"
    return "other"


def locate(text: str, needle: str) -> list[tuple[int, int]]:
    """Where an evidence string stands in the text (whitespace-tolerant)."""
    needle = needle.strip()
    if not needle:
        return []
    i = text.find(needle)
    if i >= 0:
        return [(i, i + len(needle))]
    m = re.search(r"\s+".join(map(re.escape, needle.split())), text)
    return [(m.start(), m.end())] if m else []


_GENERIC = {"the", "group", "plc", "inc", "corp", "corporation", "co", "company", "ltd", "limited",
            "holdings", "holding", "sa", "ag", "nv", "llc", "of", "and"}


def _name_tokens(code: str) -> list[str]:
    code = re.sub(r"(\w)['’]s\b", r"\1s", code.lower())
    code = re.sub(r"(\w)-s\b", r"\1s", code)
    return [t for t in re.sub(r"[^a-z0-9]+", "-", code).split("-") if t and t not in _GENERIC]


def same_party(gold: str | None, code: str | None) -> bool:
    """One party by the scorer's rules (../shared/eval/score.py): states by their three-letter
    code; organisations by the words of their names, initials ("eu" for "european-union")
    or a close spelling."""
    if not gold or not code:
        return False
    if re.fullmatch(r"[A-Z]{3}", gold) or re.fullmatch(r"[A-Z]{3}", code):
        return gold.upper() == code.upper()
    a, b = _name_tokens(gold), _name_tokens(code)
    if not a or not b:
        return False
    ja, jb = "".join(a), "".join(b)
    if ja == jb or set(a) <= set(b) or set(b) <= set(a):
        return True
    if (len(a) == 1 and "".join(t[0] for t in b) == ja) or (len(b) == 1 and "".join(t[0] for t in a) == jb):
        return True
    return difflib.SequenceMatcher(None, ja, jb).ratio() >= 0.8


def _read_corpus(path: Path) -> dict[str, Article]:
    return {Path(a.id).name: a for a in read_articles([path])}


def gold_sets(shared: Path, annotations: Path | None) -> Iterator[tuple[str, Path, list[dict]]]:
    """(corpus name, corpus path, gold events) for every gold file and annotation file."""
    for gold in sorted((shared / "gold").glob("*.jsonl")):
        corpus = shared / "corpus" / gold.stem
        if not corpus.exists():
            corpus = shared / "corpus" / f"{gold.stem}.jsonl"
        if corpus.exists():
            yield gold.stem, corpus, [json.loads(line) for line in gold.open(encoding="utf-8") if line.strip()]
    if annotations is not None and annotations.is_dir():
        for path in sorted(annotations.glob("*.jsonl")):
            yield from _annotation_file(shared, path)


def _annotation_file(shared: Path, path: Path) -> Iterator[tuple[str, Path, list[dict]]]:
    """An annotation file: a header line naming its corpus, then one line per article
    (`{"article": ID, "events": [...]}`), evidence as offsets into the corpus text."""
    lines = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    if not lines or "corpus" not in lines[0]:
        return
    corpus = shared / lines[0]["corpus"]
    texts = {Path(a.id).name: a.text for a in _read_corpus(corpus).values()}
    gold: list[dict] = []
    for rec in lines[1:]:
        text = texts.get(rec["article"])
        if text is None:
            continue
        gold.append({"article": rec["article"], "type": None})  # the article is annotated, maybe empty
        for e in rec.get("events", []):
            ev = [text[s:t] for s, t in e.get("evidence", [])]
            gold.append({**e, "article": rec["article"], "evidence": ev})
    yield path.stem, corpus, gold


def load_examples(shared: Path, annotations: Path | None, log=print) -> list[Example]:
    """Every annotated article of ../shared and the repository's annotations, analysed."""
    out: list[Example] = []
    for name, corpus, gold in gold_sets(shared, annotations):
        CORPUS_PATHS[name] = corpus
        arts = _read_corpus(corpus)
        by_article: dict[str, list[dict]] = defaultdict(list)
        for e in gold:
            by_article[Path(str(e["article"])).name].append(e)
        if name in ("train-broad", "sma-2020", "dev-mixed"):
            chosen = [a for _, a in sorted(arts.items())]  # their gold covers every article of the corpus
        else:
            chosen = [arts[a] for a in sorted(by_article) if a in arts]
        out.extend(analyse_articles(chosen, by_article, name))
        log(f"read {len(chosen)} articles of {name}")
    return out


def analyse_articles(articles: list[Article], gold: dict[str, list[dict]], corpus: str) -> list[Example]:
    """Parse and analyse articles with their gold events (keyed by article id)."""
    nlp = load_model()
    texts = [(a, parse_text(a)) for a in articles]
    docs = nlp.pipe((for_parser(t) for _, t in texts), batch_size=16)
    out = []
    for (article, text), doc in zip(texts, docs):
        units, rule_events = read_units(doc, article, text)
        events = [e for e in gold.get(Path(article.id).name, []) if e.get("type")]
        ex = Example(article, fold_of(article, corpus), corpus, events, units, rule_events)
        ex.labels = unit_labels(ex)
        out.append(ex)
    return out


def unit_labels(ex: Example) -> list[dict[str, int]]:
    spans = [(e, [sp for s in e.get("evidence") or [] for sp in locate(ex.article.text, s)]) for e in ex.gold]
    out = []
    for u in ex.units:
        lab = {k: 0 for k in TYPES}
        for e, sps in spans:
            if any(s < u.end and u.start < t for s, t in sps):
                if e.get("optional"):
                    if lab[e["type"]] == 0:
                        lab[e["type"]] = -1
                else:
                    lab[e["type"]] = 1
        out.append(lab)
    return out


def _gold_here(ex: Example, unit: Unit, kind: str) -> list[dict]:
    out = []
    for e in ex.gold:
        if e["type"] != kind:
            continue
        sps = [sp for s in e.get("evidence") or [] for sp in locate(ex.article.text, s)]
        if any(s < unit.end and unit.start < t for s, t in sps):
            out.append(e)
    return out


# ------------------------------------------------------------------ fitting
def _logistic(C: float, balanced: bool = False):  # type: ignore[no-untyped-def]
    # scikit-learn is needed for training only (the `train` extra), never to extract.
    from sklearn.linear_model import LogisticRegression
    return LogisticRegression(C=C, max_iter=2000, solver="liblinear", random_state=SEED,
                              class_weight="balanced" if balanced else None)


def _vectorizer(rows: list[dict], min_count: int = 2):  # type: ignore[no-untyped-def]
    """A DictVectorizer over the features seen at least `min_count` times (rarer ones
    are names and numbers of one article, which a model should not learn)."""
    from sklearn.feature_extraction import DictVectorizer  # training only, as above
    seen = Counter(k for r in rows for k in r)
    vec = DictVectorizer()
    vec.fit([{k: 1.0 for k, n in seen.items() if n >= min_count}])
    return vec


def _matrix(vec, rows: list[dict]):  # type: ignore[no-untyped-def]
    return _int32(vec.transform(rows))


def _int32(X):  # type: ignore[no-untyped-def]
    """liblinear takes 32-bit indices only."""
    X = X.tocsr()
    X.indices = X.indices.astype(np.int32)
    X.indptr = X.indptr.astype(np.int32)
    return X


def _party_rows(examples: Iterable[Example]) -> tuple[list[dict], list[int], list[dict], list[int]]:
    xa, ya, xt, yt = [], [], [], []
    for ex in examples:
        for unit, lab in zip(ex.units, ex.labels):
            for kind in TYPES:
                if lab[kind] != 1:
                    continue
                golds = _gold_here(ex, unit, kind)
                for p in unit.parties:
                    feats = party_features(p, kind)
                    actor = any(same_party(g.get("actor"), p.code) or
                                (kind in SYMMETRIC and same_party(g.get("target"), p.code)) for g in golds)
                    xa.append(feats)
                    ya.append(int(actor))
                    if not any(same_party(g.get("actor"), p.code) for g in golds):
                        xt.append(feats)
                        yt.append(int(any(same_party(g.get("target"), p.code) for g in golds)))
    return xa, ya, xt, yt


def _type_rows(examples: Iterable[Example]) -> tuple[list[dict], list[dict[str, int]]]:
    X, Y = [], []
    for ex in examples:
        for unit, lab in zip(ex.units, ex.labels):
            X.append(unit.features)
            Y.append(lab)
    return X, Y


def fit(examples: list[Example], shared: Path | None = None, thresholds: dict[str, float] | None = None,
        log=print) -> Weights:
    """Classifiers on these examples; thresholds from inner folds when not given."""
    X, Y = _type_rows(examples)
    vec = _vectorizer(X)
    Xv = _matrix(vec, X)
    models = {}
    for kind in TYPES:
        rows = [i for i, y in enumerate(Y) if y[kind] != -1]
        y = [Y[i][kind] for i in rows]
        if sum(y) < 3:
            continue
        models[kind] = _logistic(C=0.5).fit(_int32(Xv[rows]), y)
    xa, ya, xt, yt = _party_rows(examples)
    pvec = _vectorizer(xa + xt)
    actor = _logistic(C=0.5).fit(_matrix(pvec, xa), ya)
    target = _logistic(C=0.5).fit(_matrix(pvec, xt), yt) if sum(yt) and len(set(yt)) > 1 else actor
    weights = Weights("learned.v1", LinearScorer.from_sklearn(vec, models),
                      LinearScorer.from_sklearn(pvec, {"actor": actor, "target": target}),
                      thresholds or {k: 0.5 for k in TYPES})
    if thresholds is None and shared is not None:
        weights.thresholds = choose_thresholds(examples, shared, log=log)
    return weights


INNER_SPLITS = 3  # inner folds (groups of outlets) for choosing thresholds
ACTOR_FLOORS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6)
SCALES = (0.8, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)
SUPPORTS = (1.0, 0.8, 0.6, 0.45, 0.3, 0.2)  # further mentions: this fraction of the type's threshold


def choose_thresholds(examples: list[Example], shared: Path, log=print) -> dict[str, float]:
    """Thresholds from inner held-out folds of the training data: per type, the one that
    maximises sentence-level F1, then all scaled by the factor that maximises pooled
    core event F1 of the decoded, merged events (a second mention of an event found
    already adds nothing, so event-level scoring wants higher thresholds)."""
    folds = sorted({ex.fold for ex in examples})
    groups = [folds[i::INNER_SPLITS] for i in range(INNER_SPLITS)]
    scores: dict[str, list[tuple[float, int]]] = defaultdict(list)
    proposed: list[tuple[Example, list]] = []
    for held in groups:
        train = [ex for ex in examples if ex.fold not in held]
        test = [ex for ex in examples if ex.fold in held]
        if not train or not test:
            continue
        w = fit(train, log=log)
        for ex in test:
            for s, lab in zip(type_scores(w, ex.units), ex.labels):
                for kind, p in s.items():
                    if lab[kind] != -1:
                        scores[kind].append((p, lab[kind]))
            proposed.append((ex, propose(w, ex.article, ex.units)))
    base = {}
    for kind in TYPES:
        pairs = sorted(scores.get(kind, []), reverse=True)
        total = sum(y for _, y in pairs)
        best, best_t, tp = 0.0, 0.5, 0
        for n, (p, y) in enumerate(pairs, 1):
            tp += y
            f1 = 2 * tp / (n + total) if total else 0.0
            if f1 > best:
                best, best_t = f1, p
        base[kind] = max(best_t, 0.05)
    exs = [ex for ex, _ in proposed]

    def f1_of(th: dict[str, float], scale: float, support: float) -> float:
        predicted = {ex.article.id: [e.as_dict() for e in select(props, th, ex.units, ex.article.published_day,
                                                                 scale, support)]
                     for ex, props in proposed}
        return metrics(shared, score_rows(shared, exs, predicted))["core.event"]

    # On the inner folds: scale and actor floor together, then how much weaker than the
    # threshold a further mention of a chosen event may be.
    best_f1, scale, actor_floor = max((f1_of({**base, "actor": a}, s, 1.0), s, a)
                                      for s in SCALES for a in ACTOR_FLOORS)
    best_f1, support = max((f1_of({**base, "actor": actor_floor}, scale, u), u) for u in SUPPORTS)
    log(f"thresholds: base {base}, scale {scale}, actor floor {actor_floor}, further mentions at {support} "
        f"(inner core event F1 {best_f1:.3f})")
    return {**{k: round(min(v * scale, 0.95), 4) for k, v in base.items()}, "actor": actor_floor,
            "support": support}


# ------------------------------------------------------------------ scoring
@functools.lru_cache(maxsize=4)
def _scorer(shared: Path):  # type: ignore[no-untyped-def]
    """The shared scorer, loaded once: threshold search scores hundreds of times, and
    each fresh load would read the exchange rates and the corpora again."""
    spec = importlib.util.spec_from_file_location("parley_score", shared / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    module.load_corpus = functools.lru_cache(maxsize=16)(module.load_corpus)
    return module


def score_rows(shared: Path, examples: list[Example], predicted: dict[str, list[dict]]) -> list:
    """The scorer's rows for these examples (gold vs predicted), pooled over corpora."""
    score = _scorer(shared)
    rows = []
    by_corpus: dict[str, list[Example]] = defaultdict(list)
    for ex in examples:
        by_corpus[ex.corpus].append(ex)
    for name, exs in by_corpus.items():
        corpus = CORPUS_PATHS[name]
        ids = {Path(ex.article.id).name for ex in exs}
        gold = [e for ex in exs for e in ex.gold]
        pred = [p for ex in exs for p in predicted.get(ex.article.id, [])]
        rs = score.score(gold, pred, corpus)
        rows.extend(r for r in rs if Path(str((r[0] or r[1])["article"])).name in ids)
    return rows


def metrics(shared: Path, rows: list) -> dict[str, float]:
    score = _scorer(shared)
    core = score.metrics(rows, score.CORE)
    every = score.metrics(rows)
    return {"core.P": core["event"]["precision"], "core.R": core["event"]["recall"],
            "core.event": core["event"]["f1"], "core.full": core["full"]["f1"],
            "all.event": every["event"]["f1"], "all.full": every["full"]["f1"], "gold": core["gold"]}


_HELD_OUT: dict[str, Any] = {}  # what each cross-validation worker reads (inherited by fork)


def _held_out_fold(held: str) -> tuple[str, int, list, list]:
    """Train on every fold but `held`; the scorer's rows of both extractors on `held`."""
    shared, examples = _HELD_OUT["shared"], _HELD_OUT["examples"]
    train = [ex for ex in examples if ex.fold != held]
    test = [ex for ex in examples if ex.fold == held]
    weights = fit(train, shared, log=lambda *a: None)
    learned = {ex.article.id: [e.as_dict() for e in decode(weights, ex.article, ex.units)] for ex in test}
    rules = {ex.article.id: [e.as_dict() for e in ex.rule_events] for ex in test}
    return held, len(test), score_rows(shared, test, learned), score_rows(shared, test, rules)


def crossval(shared: Path, examples: list[Example], log=print, jobs: int = 1) -> dict[str, Any]:
    """Train on every fold but one, score the held-out fold; rules.v1 beside it. With
    `jobs` > 1, folds run in that many processes (each fold is seeded: same result)."""
    folds = sorted({ex.fold for ex in examples})
    _HELD_OUT.update(shared=shared, examples=examples)
    if jobs > 1:
        import multiprocessing
        with multiprocessing.get_context("fork").Pool(min(jobs, len(folds))) as pool:
            results = pool.map(_held_out_fold, folds, chunksize=1)
    else:
        results = [_held_out_fold(held) for held in folds]
    pooled_learned, pooled_rules = [], []
    table = []
    for held, n, lr, rr in results:
        pooled_learned += lr
        pooled_rules += rr
        row = {"fold": held, "articles": n, "rules": metrics(shared, rr), "learned": metrics(shared, lr)}
        table.append(row)
        log(_line(row))
    pooled = {"fold": "pooled", "articles": sum(r["articles"] for r in table),
              "rules": metrics(shared, pooled_rules), "learned": metrics(shared, pooled_learned)}
    log(_line(pooled))
    unseen = [r for r in table if r["fold"] not in RULES_SEEN]
    return {"folds": table, "pooled": pooled, "unseen_folds": [r["fold"] for r in unseen]}


def _line(row: dict) -> str:
    r, m = row["rules"], row["learned"]
    seen = " (rules seen)" if row["fold"] in RULES_SEEN else ""
    return (f"{row['fold']:16s} {row['articles']:4d} gold={r['gold']:4d} | rules.v1 core P/R/F1 "
            f"{r['core.P']:.2f}/{r['core.R']:.2f}/{r['core.event']:.2f} full {r['core.full']:.2f} | learned.v1 "
            f"{m['core.P']:.2f}/{m['core.R']:.2f}/{m['core.event']:.2f} full {m['core.full']:.2f}{seen}")


# ------------------------------------------------------------------ commands
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m parley.extract.learned", description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=["train", "crossval"])
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--annotations", type=Path, default=Path("annotations"))
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "weights" / WEIGHTS_FILE)
    ap.add_argument("--json", type=Path, help="crossval: also write the table as JSON here")
    ap.add_argument("--jobs", type=int, default=1, help="crossval: folds run in this many processes")
    ap.add_argument("--cache", type=Path, help="keep the analysed articles here between runs (development)")
    a = ap.parse_args(argv)
    if not (a.shared / "gold").is_dir():
        print(f"parley: no gold files under {a.shared}/gold: training needs ../shared", file=sys.stderr)
        return 2
    for name, corpus, _ in gold_sets(a.shared, a.annotations):
        CORPUS_PATHS[name] = corpus  # also when the analysed articles come from the cache
    if a.cache and a.cache.exists():
        examples = pickle.loads(a.cache.read_bytes())
    else:
        examples = load_examples(a.shared, a.annotations, log=lambda m: print(m, file=sys.stderr))
        if a.cache:
            a.cache.write_bytes(pickle.dumps(examples))
    if a.command == "crossval":
        result = crossval(a.shared, examples, jobs=a.jobs)
        if a.json:
            a.json.write_text(json.dumps(result, indent=2) + "\n")
        return 0
    weights = fit(examples, a.shared, log=lambda *x: None)
    weights.meta = {"trained": dt.date.today().isoformat(), "articles": len(examples),
                    "folds": sorted({ex.fold for ex in examples}), "seed": SEED,
                    "gold_events": sum(len(ex.gold) for ex in examples)}
    a.out.parent.mkdir(parents=True, exist_ok=True)
    weights.save(a.out)
    print(f"wrote {a.out} ({a.out.stat().st_size // 1024} KiB): {weights.meta} thresholds {weights.thresholds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

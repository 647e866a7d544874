"""The learned extractor: its weights format, its training on a tiny set written for
the test, and (slow) the shipped model on sentences the rules miss."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from parley.extract.learned.model import LinearScorer, Weights, decode, type_scores
from parley.extract.learned.training import analyse_articles, fit, same_party
from parley.records import Article


def _weights() -> Weights:
    sentences = LinearScorer(["bias", "w=reject", "w=talk"], np.array([[-2.0, 4.0, 0.0], [-2.0, 0.0, 4.0]]),
                             np.array([0.1, -0.1]), ["reject", "meet"])
    parties = LinearScorer(["bias", "role=nsubj"], np.array([[0.0, 3.0], [0.0, -3.0]]), np.array([-1.0, 0.5]),
                           ["actor", "target"])
    return Weights("learned.v1", sentences, parties, {"reject": 0.5, "meet": 0.5}, {"seed": 1})


def test_linear_scorer_is_a_logistic_regression_over_named_features():
    scorer = _weights().sentences
    p = scorer.proba([{"bias": 1.0, "w=reject": 1.0, "unknown": 5.0}, {"bias": 1.0}])
    assert p.shape == (2, 2)
    assert p[0, 0] == pytest.approx(1 / (1 + np.exp(-(0.1 - 2.0 + 4.0))))
    assert p[1, 1] == pytest.approx(1 / (1 + np.exp(-(-0.1 - 2.0))))


def test_weights_survive_saving_without_pickle(tmp_path):
    w = _weights()
    w.save(tmp_path / "w.npz")
    back = Weights.load(tmp_path / "w.npz")
    rows = [{"bias": 1.0, "w=talk": 1.0}, {"bias": 1.0, "w=reject": 0.5}]
    assert np.allclose(back.sentences.proba(rows), w.sentences.proba(rows))
    assert back.parties.outputs == ["actor", "target"]
    assert back.thresholds == w.thresholds and back.meta == {"seed": 1}


@pytest.mark.parametrize("gold, predicted, same", [
    ("USA", "USA", True), ("USA", "united-states", False), ("EU", "european-union", True),
    ("waste-management", "waste-management-inc", True), ("ig-metall", "verdi", False),
])
def test_parties_match_as_the_scorer_matches_them(gold, predicted, same):
    assert same_party(gold, predicted) is same


# ------------------------------------------------------------ tiny training set
_DAY = dt.datetime(2024, 3, 4)
_STORIES = [
    ("a1", "Norvane Shipping rejected the offer from Keldor Group on Monday. "
           "The two companies held talks in Oslo last week."),
    ("a2", "Tarsk Mining rejected the bid made by Elmore Holdings. "
           "Elmore Holdings and Tarsk Mining held talks on Friday."),
    ("a3", "The dockers union rejected the pay offer from the port employers. "
           "Union leaders held talks with the employers in Hamburg."),
    ("a4", "Brevik Foods rejected the approach from Calder Capital. "
           "Calder Capital held talks with Brevik Foods over the weekend."),
    ("a5", "Ostrava Steel held talks with Vantor Metals in Prague. The weather was mild."),
    ("a6", "Quarterly sales rose at the retailer. Its shares closed higher in London."),
]
_GOLD = {
    "a1": [("reject", "norvane-shipping", "keldor-group", "Norvane Shipping rejected the offer from Keldor Group"),
           ("meet", "norvane-shipping", "keldor-group", "The two companies held talks in Oslo last week")],
    "a2": [("reject", "tarsk-mining", "elmore-holdings", "Tarsk Mining rejected the bid made by Elmore Holdings"),
           ("meet", "elmore-holdings", "tarsk-mining", "Elmore Holdings and Tarsk Mining held talks on Friday")],
    "a3": [("reject", "dockers-union", None, "The dockers union rejected the pay offer from the port employers"),
           ("meet", "dockers-union", None, "Union leaders held talks with the employers in Hamburg")],
    "a4": [("reject", "brevik-foods", "calder-capital", "Brevik Foods rejected the approach from Calder Capital"),
           ("meet", "calder-capital", "brevik-foods", "Calder Capital held talks with Brevik Foods over the weekend")],
    "a5": [("meet", "ostrava-steel", "vantor-metals", "Ostrava Steel held talks with Vantor Metals in Prague")],
    "a6": [],
}


def _tiny_examples():
    articles = [Article(id=i, text=t, published=_DAY, source="Invented Wire") for i, t in _STORIES]
    gold = {i: [{"article": i, "type": k, "actor": a, "target": b, "evidence": [ev], "optional": False}
                for k, a, b, ev in events] for i, events in _GOLD.items()}
    return analyse_articles(articles, gold, "tiny")


@pytest.mark.slow
def test_training_on_a_tiny_set_learns_types_and_is_deterministic():
    examples = _tiny_examples()
    first, second = fit(examples), fit(examples)
    assert np.array_equal(first.sentences.coef, second.sentences.coef)
    assert np.array_equal(first.parties.coef, second.parties.coef)
    assert set(first.sentences.outputs) >= {"reject", "meet"}

    new = Article(id="n1", text="Harwell Foods rejected the offer from Dunmore Group. "
                                "Harwell Foods held talks with Dunmore Group in Leeds.",
                  published=_DAY, source="Invented Wire")
    (ex,) = analyse_articles([new], {}, "tiny")
    scores = type_scores(first, ex.units)
    assert scores[0]["reject"] > scores[0]["meet"]
    assert scores[1]["meet"] > scores[1]["reject"]
    first.thresholds = {k: 0.3 for k in first.thresholds}
    events = decode(first, new, ex.units)
    assert {(e.type, e.actor) for e in events} >= {("reject", "harwell-foods")}


# ------------------------------------------------------------ the shipped model
def _events(extractor: str, text: str) -> set[tuple]:
    from parley.engines.local import load_extractor
    article = Article(id="s", text=text, published=_DAY, source="Invented Wire")
    return {(e.type, e.actor, e.target) for e in load_extractor(extractor).extract(article)}


@pytest.mark.slow
def test_the_shipped_model_reads_a_deadline_the_rules_take_for_an_offer():
    text = "Withdrawal rights under the Brisco offer expire April 20."
    assert "expire" in {kind for kind, _, _ in _events("learned.v1", text)}
    assert "expire" not in {kind for kind, _, _ in _events("rules.v1", text)}


@pytest.mark.slow
def test_the_shipped_model_finds_the_other_side_of_a_deal():
    text = "The Paris Club of creditor nations agreed to reschedule Ruritania's debt on Friday."
    assert ("agree", "paris-club", "ruritania") in _events("learned.v1", text)
    assert ("agree", "paris-club", "ruritania") not in _events("rules.v1", text)


@pytest.mark.slow
def test_the_shipped_model_gives_a_rejection_and_the_offer_rejected_their_parties():
    found = _events("learned.v1", "Kestrel Airlines turned down a 2.1 billion euro approach from Norvane Group.")
    assert {kind: (actor, target) for kind, actor, target in found} == {
        "reject": ("kestrel-airlines", "norvane"), "offer": ("norvane", "kestrel-airlines")}

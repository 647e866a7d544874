"""Small multi-article stories written for the tests (no text of any real article).

Two negotiations of kinds the seed corpus does not have:

- TAKEOVER: a Norwegian shipping group bids for a Swedish ferry operator, per-share
  prices in kronor, a board that rejects, an outlet that reports a raised bid which
  the bidder denies, and one undated article.
- WAGE_ROUND: a dockers' union named four ways ("Verdi", "ver.di", "the Verdi union",
  "verdi-union") against a port employers' association; per-hour pay, a percent rise
  and a one-off payment.

Each article is a dict in the JSONL input form (../shared/spec/INPUT.md).
"""
from __future__ import annotations

import json
from pathlib import Path

TAKEOVER = [
    {"id": "tk1", "source": "Nordic Ledger", "published": "2023-03-06",
     "title": "Havbris Shipping bids for ferry operator Solberga",
     "text": "Norwegian shipping group Havbris Shipping on Monday offered 180 Swedish crowns "
             "per share for Solberga Ferries, the Swedish ferry operator, valuing the company "
             "at about 9 billion crowns. Havbris Shipping said the offer was final. "
             "Solberga Ferries said its board would study the bid."},
    {"id": "tk2", "source": "Baltic Wire", "published": "2023-03-09",
     "title": "Solberga board rejects Havbris bid as too low",
     "text": "The board of Swedish ferry operator Solberga Ferries on Thursday rejected the "
             "offer of 180 crowns per share from Havbris Shipping, saying it undervalued the "
             "company. Havbris Shipping, based in Bergen, said it would not walk away. "
             "Solberga Ferries demanded at least 220 crowns per share."},
    {"id": "tk3", "source": "Harbour Post", "published": "2023-03-14",
     "title": "Havbris Shipping raises Solberga bid, people familiar say",
     "text": "Havbris Shipping has raised its offer for Solberga Ferries to 205 crowns per "
             "share, according to people familiar with the matter. The Norwegian group "
             "declined to comment on the report."},
    {"id": "tk4", "source": "Nordic Ledger", "published": "2023-03-15",
     "title": "Havbris denies raising its bid for Solberga",
     "text": "Havbris Shipping denied that it had raised its offer for Solberga Ferries to "
             "205 crowns per share. A spokeswoman for the Norwegian company said the offer of "
             "180 crowns per share stood."},
    # Undated: no publication date anywhere.
    {"id": "tk5", "source": "Ferry Weekly",
     "title": "Solberga shareholders wait for a better Havbris offer",
     "text": "Havbris Shipping initially offered 170 crowns per share for Solberga Ferries "
             "before it raised the bid to 180 crowns. Solberga Ferries rejected both offers "
             "and said the Swedish company was worth more."},
]

WAGE_ROUND = [
    {"id": "wr1", "source": "Harbour Ledger", "published": "2024-05-21",
     "title": "Dock workers' union Verdi demands higher hourly pay at northern ports",
     "text": "The union Verdi demanded a rise of 3 euros an hour for dock workers from the "
             "port employers' association ZDS on Tuesday. Verdi negotiator Anke Brandt said "
             "the dockers had lost pay to inflation."},
    {"id": "wr2", "source": "Coastal Times", "published": "2024-05-28",
     "title": "Port employers offer dockers a one-off payment",
     "text": "The port employers' association ZDS offered the ver.di union a one-off payment "
             "of 1,000 euros and a pay rise of 2.5 percent on Tuesday. ver.di rejected the "
             "offer from ZDS."},
    {"id": "wr3", "source": "Harbour Ledger", "published": "2024-06-04",
     "title": "Dockers strike at northern ports as wage talks stall",
     "text": "Dock workers walked out on Tuesday after the Verdi union rejected the latest "
             "offer from the employers' association ZDS. The Verdi union demanded 3 euros "
             "an hour more for dock workers."},
    {"id": "wr4", "source": "Coastal Times", "published": "2024-06-18",
     "title": "Dockers and port employers agree wage deal",
     "text": "The verdi-union and the employers' association ZDS agreed on Tuesday on a pay "
             "rise of 2.50 euros an hour for dock workers, ending the strike at the ports."},
]


def write_jsonl(path: Path, articles: list[dict]) -> Path:
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    return path

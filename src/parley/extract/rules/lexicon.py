"""The vocabulary of negotiation events: trigger verbs and nouns, and the words that
cancel, defer or attribute them. A general resource of English news usage, read by
the rule-based extractor (events.py); nothing here names a fact of any article.
"""
from __future__ import annotations

import re

# Verbs that are events by themselves (given a party as subject).
VERB_TRIGGERS: dict[str, str] = {
    "offer": "offer", "propose": "offer", "bid": "offer", "pitch": "offer", "pledge": "offer",
    "demand": "demand", "request": "demand", "seek": "demand", "want": "demand",
    "ask": "demand", "insist": "demand", "press": "demand", "urge": "demand",
    "reject": "reject", "rebuff": "reject", "spurn": "reject", "dismiss": "reject",
    "decline": "reject", "refuse": "reject", "veto": "reject",
    "accept": "accept", "approve": "accept", "endorse": "accept",
    "agree": "agree", "sign": "agree", "settle": "agree", "clinch": "agree", "seal": "agree",
    "meet": "meet", "talk": "meet", "negotiate": "meet", "communicate": "meet",
    "discuss": "meet",
    "appoint": "appoint", "name": "appoint", "nominate": "appoint", "resign": "appoint",
    "replace": "appoint", "tap": "appoint",
    "expire": "expire", "lapse": "expire",
    "furlough": "impact", "idle": "impact", "strike": "impact",
}
# Verbs that act on an event noun: "made an offer", "held talks", "signed a deal".
SUPPORT_VERBS: dict[str, set[str]] = {
    "offer": {"make", "present", "submit", "table", "put", "raise", "sweeten", "improve", "lower",
              "cut", "trim", "increase", "revise", "launch", "lodge", "tender", "return", "unveil",
              "receive", "extend", "renew", "outline"},
    "demand": {"make", "lower", "raise", "reduce", "drop", "soften", "press", "renew", "put",
               "scale", "cut", "trim", "repeat", "issue"},
    "meet": {"hold", "have", "open", "resume", "begin", "start", "conclude", "finish", "end",
             "attend", "host", "break", "wrap", "enter", "continue", "restart", "convene"},
    "agree": {"reach", "sign", "strike", "clinch", "seal", "conclude", "ink", "finalize",
              "finalise", "hammer", "secure", "agree", "close", "complete", "forge", "broker"},
}
OFFER_NOUNS = {"offer", "proposal", "bid", "counteroffer", "counterproposal", "approach", "pledge"}
DEMAND_NOUNS = {"demand", "request", "claim", "ultimatum"}
MEET_NOUNS = {"talk", "talks", "negotiation", "negotiations", "round", "meeting", "dialogue",
              "summit", "consultation", "discussion"}
DEAL_NOUNS = {"deal", "agreement", "pact", "accord", "memorandum", "contract", "treaty", "settlement",
              "sma", "package", "truce", "compromise"}
IMPACT_NOUNS = {"strike", "walkout", "stoppage", "furlough", "lockout", "layoff", "blockade"}
# Aspect verbs whose subject, an event noun, makes the noun an event: "talks collapsed".
ASPECT_VERBS = {"finish", "end", "collapse", "fail", "enter", "resume", "begin", "start", "break",
                "stall", "continue", "conclude", "open", "take", "drag", "reopen", "produce",
                "yield", "last", "run", "wrap"}
# What terms are made of: "offers of a 10 pct raise and a 5 pct cut".
TERM_NOUNS = {"raise", "rise", "increase", "hike", "cut", "reduction", "payment", "price", "bid", "offer",
              "proposal", "sum", "fee", "package", "premium", "spread", "rate", "wage", "salary"}
DESCRIBING_VERBS = {"include", "total", "value", "amount", "be", "involve", "contain", "envisage", "provide",
                    "offer", "call", "come", "stand", "represent", "equal", "top"}
SANCTION_NOUNS = {"tariff", "duty", "sanction", "levy", "embargo", "penalty", "quota", "ban"}
MODIFY_VERBS = {"raise", "increase", "improve", "sweeten", "lower", "cut", "trim", "revise", "extend", "renew",
                "withdraw", "drop", "reduce", "boost", "top"}
# Verbs of a position moving: "moved from $3.4 trillion to $2.2 trillion".
MOVE_VERBS = {"move", "come", "shift", "edge", "inch", "budge", "climb", "slide"}
WILLING_WORDS = {"willing", "prepared", "ready", "happy", "able"}
PAY_VERBS = {"pay", "contribute", "sell", "buy", "acquire", "provide", "raise", "increase", "cut",
             "give", "grant", "lend", "supply", "fund", "cover", "purchase", "take", "merge",
             "extend", "reduce", "freeze", "lift", "spend", "invest", "accept", "settle", "sign"}
NOT_A_DEAL_VERBS = {"continue", "consult", "meet", "discuss", "talk", "work", "resume", "keep",
                    "cooperate", "communicate", "negotiate", "hold", "study", "consider", "review",
                    "disagree", "differ", "reach", "seek", "try", "aim", "pursue", "find", "explore",
                    "strive", "push", "start", "begin", "launch", "look"}
EXPIRE_SUBJECTS = DEAL_NOUNS | {"window", "deadline", "term", "mandate", "ceasefire", "it", "which", "that"}
REPORT_NOUNS = {"report", "source", "media", "newspaper", "paper", "daily", "outlet", "press",
                "agency", "insider", "person"}
UNNAMED_MARKERS = re.compile(
    r"\b(reportedly|allegedly|purportedly|it is understood|it is thought|it is believed|"
    r"(?:is|are|was|were) said to|(?:is|are|was|were) understood to|(?:is|are) thought to|"
    r"according to (?:\w+ ){0,3}(?:reports?|sources?|media|people|persons?)|unnamed|anonymity|"
    r"(?:reports?|sources?) (?:said|say|says|saying|suggest)|"
    r"(?:has|have) learnt|(?:has|have) learned|people familiar|person briefed)\b", re.I)
FUTURE_GOVERNORS = {"expect", "set", "plan", "schedule", "due", "go", "aim", "intend", "prepare",
                    "hope", "seek", "want", "will", "slate"}
# A governor that cancels the event below it, by the path it governs it through:
# "failed to clinch a deal" (xcomp), "finished without compromise" (pobj). Rejecting
# an offer (dobj) does not unmake the offer.
NEGATING_GOVERNORS = {"xcomp": {"fail", "refuse", "decline", "unable", "avoid", "stop", "cease", "abandon",
                                "resist", "deny", "neglect"},
                      "pobj": {"without"}, "pcomp": {"without", "instead"}}
HYPOTHETICAL_MARKS = {"if", "whether", "unless", "should"}
HYPOTHETICAL_MODALS = {"could", "would", "might", "may", "can", "should", "must"}
# "agreed to reach a deal", "vowed to sign": a deal promised is not yet a deal.
PROMISE_VERBS = {"agree", "vow", "promise", "pledge", "aim", "intend", "hope", "plan", "commit"}
INTENTION_VERBS = {"try", "seek", "hope", "want", "need", "push", "work", "strive", "attempt", "struggle",
                   "wish", "look", "move", "race", "scramble", "fight", "threaten", "urge", "ask",
                   "call", "press", "pressure", "encourage", "invite"}



REPORTING_VERBS = {"say", "tell", "announce", "add", "state", "confirm", "disclose", "reveal", "report"}
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
             "tomorrow", "yesterday"}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
             "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12}
CARDINALS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
              "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

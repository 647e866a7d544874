"""The rule-based extractor `rules.v1`: hand-written rules over spaCy parses."""

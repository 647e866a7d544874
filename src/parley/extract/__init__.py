"""Event extraction: the Extractor protocol and registry, shared text preparation and merging, the backends."""

"""The corpus: the SQLite store, ingest, people, timeline, threads, positions, discrepancies, wire copies."""

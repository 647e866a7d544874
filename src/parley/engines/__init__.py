"""Execution engines: where per-article extraction runs (local, processes, ray)."""

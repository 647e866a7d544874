"""Output: exports for pandas/DuckDB/spreadsheets and the HTML report."""

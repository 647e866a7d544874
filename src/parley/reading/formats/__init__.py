"""Readers for each input form, used by `parley.reading.readers` (the one entry point).

    sniff.py    what a file is by its first bytes (foreign binaries named, supported forms found)
    streams.py  a byte stream with a cap on what it may yield (gzip bombs) that reports truncation
    html.py     a saved page: main text (trafilatura), title, author, date (page metadata, htmldate)
    jsonl.py    one JSON object per line; the record -> Article mapping every tabular form shares
    warc.py     WARC / WARC.gz: each HTML response one article (warcio)
    feeds.py    RSS / Atom files whose entries carry content (feedparser)
    tables.py   CSV / TSV exports and Parquet (pyarrow, optional)

Every reader yields uncleaned `Article`s and `Problem`s; `reading` cleans the articles.
A reader never raises for bad input: it says what is wrong in a Problem and stops or goes on.
"""

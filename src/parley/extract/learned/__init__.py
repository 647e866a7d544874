"""The learned extractor ("learned.v1"): classifiers trained on annotated news.

`features.py` turns a parsed article into sentence units, `model.py` holds the
extractor and its decoding, `training.py` the `make train` and `make crossval`
commands. The weights ship in `weights/`.
"""

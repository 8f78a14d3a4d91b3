# xaso — the two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# Pango and HarfBuzz: WeasyPrint's PDFs (the printable guides).
DEMO_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# gettext: translation catalogue checks; chromium: browser tests; softhsm2: PKCS#11 signing;
# faketime: the suite under a moved clock (scripts/at-moment, .ci/run); espeak-ng: the
# loudspeaker bulletins' audio (its Vietnamese voice).
# redis-server: the private Redis that tests/faults stops and starts again.
TEST_PACKAGES := $(DEMO_PACKAGES) gettext chromium poppler-utils softhsm2 faketime espeak-ng redis-server
# wrk: the load scenarios of bench/load/ (loopback only, bounded in time).
BENCH_PACKAGES := wrk
PYTEST_ARGS ?=
TEST_WORKERS ?= auto
# `make demo PORT=8124 ADDR=0.0.0.0`: where the demo listens (and the address its QR seals print).
PORT ?= 8000
ADDR ?= 127.0.0.1

.PHONY: demo test suite lint format messages install clean bench

$(INSTALLED): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e ".[test]"
	touch $(INSTALLED)

install: $(INSTALLED)

demo: $(INSTALLED)
	scripts/system-packages.sh $(DEMO_PACKAGES)
	$(BIN)/xaso demo --addr $(ADDR) --port $(PORT)

test: lint suite

# The tests alone, on every core (pytest-xdist); .ci/run lints once and runs this per database.
suite: $(INSTALLED)
	scripts/system-packages.sh $(TEST_PACKAGES)
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Update the Vietnamese catalogue from the code, then compile it (translate the new entries first).
messages: $(INSTALLED)
	XASO_DEBUG=1 $(BIN)/xaso makemessages -l vi --no-location \
	  --ignore=.venv --ignore=tests --ignore=bench --ignore=var --ignore=docs
	msgfmt --check-format -o xaso/locale/vi/LC_MESSAGES/django.mo xaso/locale/vi/LC_MESSAGES/django.po

# The load scenarios against DATABASE_URL (e.g. a `xaso bench-data` database): bench/load/run.sh;
# `make bench SCENARIOS="lookup queue submit"`, `SCENARIOS=national` (bench/README.md).
bench: $(INSTALLED)
	scripts/system-packages.sh $(BENCH_PACKAGES)
	bench/load/run.sh

clean:
	rm -rf $(VENV) var

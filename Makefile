# The two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -1)

.PHONY: run test lint typecheck pytest realwindow bench dist smoke deb clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(PY) main.py

lint: $(STAMP)
	$(PY) -m ruff format --check .
	$(PY) -m ruff check .

typecheck: $(STAMP)
	$(PY) -m mypy .

# Two worker processes (pytest-xdist): every test has its own database and data folder, and
# the suite takes about half as long on the 2-core machines it is run on.
pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest --ignore=tests/realwindow -n 2

# The real-window check in a process of its own: Xvfb at 1024 × 768 with openbox, the xcb
# platform; screenshots in tests/realwindow/out/. Without xvfb-run the tests skip with one line
# (or fail when OPORA_REQUIRE_XVFB=1, as in CI).
realwindow: $(STAMP)
	if command -v xvfb-run >/dev/null; then \
	    xvfb-run -a -s "-screen 0 1024x768x24" sh tests/realwindow/run.sh \
	        $(PY) -m pytest -q -p no:cacheprovider tests/realwindow; \
	else $(PY) -m pytest -q -p no:cacheprovider tests/realwindow; fi

test: lint typecheck pytest realwindow

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench.startup

# The onedir program dist/opora (build.spec), its smoke test and the .deb (packaging/nfpm.yaml).
dist: $(STAMP)
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN build.spec
	@echo "onedir size: $$(du -sm dist/opora | cut -f1) MB (budget 150 MB)"

smoke:
	bash packaging/smoke.sh dist/opora/opora

deb: $(STAMP)
	test -x dist/opora/opora || $(MAKE) dist
	rm -f dist/opora_*.deb
	VERSION=$(VERSION) $(VENV)/bin/nfpm package --config packaging/nfpm.yaml --packager deb --target dist/
	bash packaging/recompress-deb.sh dist/opora_$(VERSION)_amd64.deb
	@echo ".deb size: $$(du -sm dist/opora_$(VERSION)_amd64.deb | cut -f1) MB (budget 55 MB)"

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache

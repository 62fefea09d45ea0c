# Two commands do all the set-up: `make run` and `make test`.
# Both create .venv/ on first use; system packages are installed when run as root,
# otherwise the exact apt-get line is printed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# modules whose docstrings show their use as doctests (pure, or on an in-memory SQLite)
DOCTESTED := kiosk/core config/__init__.py config/loader.py config/schema.py device/printer_status.py device/raster.py \
	device/lightcodec.py device/ld2410.py device/ports.py vision/sources.py vision/models.py kiosk/errors.py vision/zone_editor.py kiosk/engine.py kiosk/store/history.py \
	kiosk/store/bulk_import.py kiosk/store/estimate_log.py kiosk/store/staff_log.py kiosk/store/sql.py kiosk/reports \
	kiosk/store/alert_state.py kiosk/store/reprints.py kiosk/store/pin_lock.py kiosk/web/periods.py

# what a whole set-up imports: the product, the checks' tools and the test runner (the tools run
# as modules of .venv's Python, not through the scripts set-up writes beside it)
SETUP_WHOLE := import kiosk.cli, mypy.main, ruff, pytest, xdist

.PHONY: run test test-fast check bench system-deps models models-int8 clean demo

$(VENV): $(STAMP)

$(STAMP): pyproject.toml scripts/system-deps.sh
	@bash scripts/system-deps.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# uv installs the wheels: the same versions as pip's resolver, in 7 s where pip took 45 s. Where
	@# uv fails or leaves out what the checks and tests import, .venv is made again with pip alone
	$(BIN)/python -m pip install --quiet 'uv>=0.13,<0.14' \
	  && $(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[test,check]' \
	  && $(BIN)/python -c '$(SETUP_WHOLE)' \
	  || { echo "set-up: uv's install is not whole; making $(VENV) again with pip"; \
	       rm -rf $(VENV) && $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet -e '.[test,check]'; }
	$(BIN)/python -c '$(SETUP_WHOLE)'
	@touch $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

# The camera's detector model, made once per machine into the user cache directory
# (a few minutes the first time, a hash check after). Without it the camera does not
# start and the rest runs on; in CI a failure here fails the run.
models: $(STAMP)
	@bash scripts/setup-models.sh || { echo "models: set-up failed; the camera will not start (rerun: make models)"; test -z "$$CI"; }

# The int8 model instead (measured, not adopted: docs/vision.md, "The model"); to measure it in
# a cache of its own: XDG_CACHE_HOME=/tmp/int8 make models-int8, then the benches with the same
# XDG_CACHE_HOME. `make models` makes the float model again over it.
models-int8: $(STAMP)
	@bash scripts/setup-models.sh --int8

run: $(STAMP) models
	@bash scripts/run.sh

test: $(STAMP) models
	@bash scripts/test.sh

# the suite without the tests marked slow (real windows, browsers and servers, whole clips, the real log)
# or postgres (the store suite runs on SQLite only); under a minute here
test-fast: $(STAMP)
	@bash scripts/test.sh -m "not slow and not postgres" -q

# lint (pyflakes, pycodestyle, isort, bugbear, private access, complexity), the format, the types,
# and the doctests of the pure modules; a few seconds
check: $(STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/python -m mypy kiosk config device vision
	$(BIN)/python -m pytest -q -p no:cacheprovider --doctest-modules $(DOCTESTED)

# a scripted day on the real windows: screenshots and the day's report into demo-out/
demo: $(STAMP)
	@env -u DISPLAY bash scripts/run.sh

bench: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache test-artifacts

# Two commands do all the set-up: `make run` and `make test`.
# Both create .venv/ on first use; system packages are installed when run as root,
# otherwise the exact apt-get line is printed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench system-deps models clean demo

$(VENV): $(STAMP)

$(STAMP): pyproject.toml scripts/system-deps.sh
	@bash scripts/system-deps.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

# The camera's detector model, made once per machine into the user cache directory
# (a few minutes the first time, a hash check after). Without it the camera does not
# start and the rest runs on; in CI a failure here fails the run.
models: $(STAMP)
	@bash scripts/setup-models.sh || { echo "models: set-up failed; the camera will not start (rerun: make models)"; test -z "$$CI"; }

run: $(STAMP) models
	@bash scripts/run.sh

test: $(STAMP) models
	@bash scripts/test.sh

bench: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache test-artifacts

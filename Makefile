# The two commands a new user needs: `make lab` and `make test`.  Both create .venv and install
# the project with every dependency on first use, at the versions of requirements/lock.txt; the
# stamp file skips the install when neither pyproject.toml nor the lock has changed since.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# nbgrader shells out to alembic, so the venv's bin directory must be on PATH.
export PATH := $(CURDIR)/$(BIN):$(PATH)
export PYTHONDONTWRITEBYTECODE := 1
# The course's models are small: one BLAS thread runs them faster and steadier than several
# threads competing on a laptop's cores (and keeps CI times stable).  Override if you like.
BLAS_ENV := OPENBLAS_NUM_THREADS=$${OPENBLAS_NUM_THREADS:-1} OMP_NUM_THREADS=$${OMP_NUM_THREADS:-1} \
            MKL_NUM_THREADS=$${MKL_NUM_THREADS:-1}
# Jupyter refuses to run as root unless told to (containers, CI).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

.DEFAULT_GOAL := help
.PHONY: lab test test-fast bench lint assignments grade clean-venv help

# Extra targets (the class hub, the course website, the environment lock) live in mk/*.mk.
# Each may add to TEST_DEPS what its tests need installed before `make test` runs them.
TEST_DEPS :=
include $(sort $(wildcard mk/*.mk))

help:
	@echo "make lab        set up .venv (first time) and start JupyterLab on notebooks/"
	@echo "make test       set up .venv (first time) and run the whole test suite"
	@echo "make test-fast  the suite without slow tests (training runs, notebooks, browser)"
	@echo "make bench      benchmarks: dlcore vs torch (prints a table; not a test)"
	@echo "make lint       ruff on dlcore, grader, tests and bench"
	@echo "make assignments  regenerate assignments/ (student versions) from solutions/"
	@echo "make grade ASSIGNMENT=a04_cnn [SUBMISSIONS=folder]  autograde, feedback, export"
	@echo "make hub        (as root) try the class's JupyterHub on localhost; make hub-remove after"
	@echo "make site       build the course website in site/_build/html"
	@echo "make lock       re-resolve the dependencies into requirements/lock.txt and environment.yml"

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --quiet "pip>=23"
	$(BIN)/python -m pip install --quiet -e ".[course,hub,test]" $(LOCK_PIP_ARGS)
	@# JupyterLab: no news pop-up asking to contact the internet (the course runs offline).
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@echo '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' > $(VENV)/share/jupyter/lab/settings/overrides.json
	@touch $@

lab: $(STAMP)
	$(BLAS_ENV) $(BIN)/jupyter lab --notebook-dir=notebooks $(ALLOW_ROOT) $(LAB_ARGS)

# Two workers (pytest-xdist) for everything but the browser tests, which then run on their own:
# each starts JupyterLab and chromium, and their timings need the machine to themselves.
TEST_JOBS ?= 2
BROWSER_TESTS := $(sort $(wildcard tests/test_*browser*.py))
test: $(STAMP) $(TEST_DEPS)
	$(BLAS_ENV) $(BIN)/python -m pytest -n $(TEST_JOBS) $(addprefix --ignore=,$(BROWSER_TESTS)) \
	    $(PYTEST_ARGS)
	$(BLAS_ENV) $(BIN)/python -m pytest $(BROWSER_TESTS) $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BLAS_ENV) $(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

assignments: $(STAMP)
	$(BIN)/python -m grader assignments

# SUBMISSIONS: one folder per student (nbgrader's <student>/<assignment>/ layout or flat);
# default: the course's submitted/ folder (where `nbgrader collect` puts them).
grade: $(STAMP)
	@test -n "$(ASSIGNMENT)" || (echo "usage: make grade ASSIGNMENT=<id> [SUBMISSIONS=<folder>]"; exit 2)
	$(BIN)/python -m grader grade $(ASSIGNMENT) $(if $(SUBMISSIONS),--submissions $(SUBMISSIONS),)

lint: $(STAMP)
	$(BIN)/ruff check dlcore grader tests bench

clean-venv:
	rm -rf $(VENV)

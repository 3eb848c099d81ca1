# The environment lock: requirements/lock.txt pins every package of the course environment
# (pyproject.toml's dependencies with the extras `make lab` / `make test` install).  The $(STAMP)
# recipe installs with `-c $(LOCK)`, and environment.yml (Binder) lists the same pins, so CI,
# a student's `make lab` and Binder get the same versions.
#
#   make lock    re-resolve from pyproject.toml (after changing a dependency, or to take new
#                releases), rewrite requirements/lock.txt and environment.yml; then `make test`.
#
# How: a fresh temporary venv, `pip install -e ".[$(LOCK_EXTRAS)]"` with no constraints, and its
# `pip freeze` (requirements/make_lock.py writes both files from it).  Why not pip-compile or `uv pip compile` (which resolve without installing): the
# CPU build of torch this course is tested with is found by pip from this machine's pip
# configuration (a local wheel / find-links; PyPI's Linux torch is the multi-GB CUDA build), which
# uv does not read, and pip-tools would be one more tool to install; a real install also proves
# the lock installs.  It takes a few minutes.  The lock is for this Python (3.11) and platform
# (Linux x86_64): its header says which.

LOCK        := requirements/lock.txt
LOCK_EXTRAS := course,hub,test
# What the $(STAMP) recipe's pip install adds: `-c requirements/lock.txt` when the venv's Python
# is the lock's (3.11); on another Python (whose wheels the lock may not name, e.g. numpy dropped
# 3.10) nothing, and a note that the install is not the tested versions.
LOCK_PIP_ARGS = $$($(BIN)/python requirements/make_lock.py --pip-args)
.PHONY: lock

lock:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	echo "make lock: resolving .[$(LOCK_EXTRAS)] in a fresh venv ($$tmp)"; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install --upgrade --quiet "pip>=23"; \
	"$$tmp/venv/bin/python" -m pip install --quiet -e ".[$(LOCK_EXTRAS)]"; \
	"$$tmp/venv/bin/python" -m pip check; \
	"$$tmp/venv/bin/python" -m pip freeze --all --exclude-editable > "$$tmp/freeze.txt"; \
	py=$$("$$tmp/venv/bin/python" -c 'import platform; print(platform.python_version())'); \
	plat=$$("$$tmp/venv/bin/python" -c 'import platform as p; l = p.libc_ver(); \
	    print(p.system(), p.machine(), "(" + " ".join(l) + ")" if l[0] else "")'); \
	pipv=$$("$$tmp/venv/bin/python" -c 'import pip; print(pip.__version__)'); \
	$(PYTHON) requirements/make_lock.py --python "$$py" --platform "$$plat" --pip "$$pipv" \
	    --extras "$(LOCK_EXTRAS)" < "$$tmp/freeze.txt"
	@echo "make lock: review 'git diff $(LOCK) environment.yml', then run make test"

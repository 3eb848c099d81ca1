# The course website (docs/course-website.md): `make site` runs every lecture notebook with the
# course's .venv (SITE_JOBS at a time) and renders them with Jupyter Book 1.x into
# site/_build/html (site/build.py).  Jupyter Book lives in its own venv, .venv-site, pinned by
# site/requirements.txt, so its Sphinx stack never touches the course's packages.
#
#   make site SITE_REPO=https://github.com/<owner>/<repo> [SITE_BRANCH=main] [SITE_HUB=<url>]
#
# SITE_REPO is the public repository the Binder buttons and repository links point at (default:
# a placeholder); SITE_ARGS passes more options to site/build.py (e.g. --quick, --only 01,12b).

SITE_VENV   := .venv-site
SITE_STAMP  := $(SITE_VENV)/.installed
SITE_JOBS   ?= 2
SITE_REPO   ?=
SITE_BRANCH ?= main
SITE_HUB    ?=

.PHONY: site site-venv

site: $(STAMP) $(SITE_STAMP)
	SITE_REPO='$(SITE_REPO)' SITE_BRANCH='$(SITE_BRANCH)' SITE_HUB='$(SITE_HUB)' \
	    $(BLAS_ENV) $(BIN)/python site/build.py --jobs $(SITE_JOBS) $(SITE_ARGS)

site-venv: $(SITE_STAMP)
$(SITE_STAMP): site/requirements.txt
	@test -x $(SITE_VENV)/bin/python || $(PYTHON) -m venv $(SITE_VENV)
	$(SITE_VENV)/bin/python -m pip install --upgrade --quiet "pip>=23"
	$(SITE_VENV)/bin/python -m pip install --quiet -r site/requirements.txt
	@touch $@

# The website's browser test (tests/test_site_browser.py) builds the site with .venv-site.
TEST_DEPS += site-venv

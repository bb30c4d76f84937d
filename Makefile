# Broadsheet. `make site` and `make test` set everything up on a fresh machine (Python 3.11+, make, git).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet
ARGS   ?=

.PHONY: site serve test check e2e golden clean distclean help bench

help:
	@echo "make site    build content/ into public/ (creates .venv on first use)"
	@echo "make serve   build, preview at http://127.0.0.1:8000/ and rebuild on every change (Ctrl-C stops)"
	@echo "make test    install the test extras and run the whole suite"
	@echo "make check   build the site, then run the HTML, feed and link checkers over it"
	@echo "make e2e     the built site in headless Chromium: reading, search, layout, axe-core; screenshots"
	@echo "make bench   time cold, no-change and one-edit builds of 1,000 and 10,000 articles, beside Pelican and Hugo"
	@echo "make clean   remove public/"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	@$(PIP) install --upgrade pip >/dev/null 2>&1 || echo "note: pip could not be upgraded; using the one venv gave"

# Stamps record that the install matches pyproject.toml; editing it reinstalls.
# The install log is shown only when the install fails.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "installing Broadsheet into $(VENV)"
	@$(PIP) install --editable . >$(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	@echo "installing Broadsheet and its test tools into $(VENV)"
	@$(PIP) install --editable '.[test]' >$(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@touch $@ $(VENV)/.installed

site: $(VENV)/.installed
	$(BIN)/python -m generator build $(ARGS)

# Live preview on 127.0.0.1: rebuilds when content/, layouts/ or site.toml change and reloads open pages.
serve: $(VENV)/.installed
	$(BIN)/python -m generator serve $(ARGS)

# pytest exits 5 when it collects no test: that means the suite went missing, so it fails loudly.
test: $(VENV)/.installed-test
	@$(BIN)/python -m pytest $(ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests; the suite is missing" >&2; fi; \
	exit $$status

# Builds public/ and build/check-subpath/ (served under /sub/path/ on 127.0.0.1), then validates both;
# the Nu Html Checker (vnu-jar, needs java and npm) is installed into build/tools/ on first use.
check: $(VENV)/.installed-test
	$(BIN)/python tools/check.py

# Browser tests (tests/e2e/): Debian's chromium (installed as root when missing; Playwright never downloads
# a browser), the Python playwright package (the e2e extra) and axe-core from npm in build/tools/.
# Screenshots go to build/screenshots/.
CHROMIUM    ?= /usr/bin/chromium
AXE_VERSION := 4.14.1
AXE_JS      := build/tools/axe-core-$(AXE_VERSION)/node_modules/axe-core/axe.min.js

$(VENV)/.installed-e2e: pyproject.toml | $(BIN)/python
	@echo "installing Broadsheet and its test and browser-test tools into $(VENV)"
	@$(PIP) install --editable '.[test,e2e]' >$(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@touch $@ $(VENV)/.installed-test $(VENV)/.installed

$(AXE_JS):
	npm install --prefix build/tools/axe-core-$(AXE_VERSION) --no-audit --no-fund --loglevel=error --save-exact axe-core@$(AXE_VERSION)

$(CHROMIUM):
	@[ "$$(id -u)" = 0 ] || { echo "make e2e: $(CHROMIUM) is missing; as root: apt-get install chromium" >&2; exit 1; }
	DEBIAN_FRONTEND=noninteractive apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core

e2e: $(VENV)/.installed-e2e $(AXE_JS) $(CHROMIUM)
	@CHROMIUM=$(CHROMIUM) AXE_JS=$(AXE_JS) $(BIN)/python -m pytest tests/e2e $(ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make e2e: pytest collected no tests; tests/e2e is missing" >&2; fi; \
	exit $$status

golden: $(VENV)/.installed-test
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_golden.py

# Times cold, no-change and one-edit builds of 1,000 and 10,000 generated articles, and Pelican's and Hugo's
# builds of the same corpus (installed into build/bench/ on first use); prints a Markdown table. It takes a
# long while, so neither `make test` nor `make check` runs it. ARGS="--sizes 1000 --runs 1" for a quick look.
bench: $(VENV)/.installed
	$(BIN)/python bench/bench_build.py --pelican --hugo --sizes 1000 10000 $(ARGS)

clean:
	rm -rf public

distclean: clean
	rm -rf $(VENV) .pytest_cache .hypothesis

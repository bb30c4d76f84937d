# Broadsheet. `make site` and `make test` set everything up on a fresh machine (Python 3.11+, make, git).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet
ARGS   ?=

.PHONY: site test check golden clean distclean help

help:
	@echo "make site    build content/ into public/ (creates .venv on first use)"
	@echo "make test    install the test extras and run the whole suite"
	@echo "make check   build the site, then run the HTML, feed and link checkers over it"
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

# pytest exits 5 when it collects no test: that means the suite went missing, so it fails loudly.
test: $(VENV)/.installed-test
	@$(BIN)/python -m pytest $(ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests; the suite is missing" >&2; fi; \
	exit $$status

# Builds public/ and build/check-subpath/ (served under /sub/path/ on 127.0.0.1), then validates both;
# the Nu Html Checker (vnu-jar, needs java and npm) is installed into build/tools/ on first use.
check: $(VENV)/.installed-test
	$(BIN)/python tools/check.py

golden: $(VENV)/.installed-test
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_golden.py

clean:
	rm -rf public

distclean: clean
	rm -rf $(VENV) .pytest_cache .hypothesis

# Two commands for a newcomer: `make run` and `make test`. Each installs what it needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
RASA_VENV := .venv-rasa
# Python 3.11+ for the bot; Python 3.10 for Rasa 3.6 (it supports nothing newer).
PYTHON_BOT ?= $(shell for p in python3.11 python3.12 python3.13 python3; do \
	c=$$(command -v $$p) && $$c -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo $$c && break; done)
PYTHON_RASA ?= $(shell for c in python3.10 $$(ls -d $$(pyenv root 2>/dev/null)/versions/3.10*/bin/python 2>/dev/null | sort -V | tail -n 1); do \
	p=$$(command -v $$c) && $$p -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null && echo $$p && break; done)

.PHONY: help run console test browser lint nlu-model classifier-model nlu-eval bench clean

help:
	@echo "make run    - run the bot (Telegram with TELEGRAM_BOT_TOKEN, otherwise the console)"
	@echo "make test   - run the whole test suite"
	@echo "make lint   - ruff and the import layers"
	@echo "make bench  - benchmarks (bench/)"

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON_BOT)" || { echo "Python 3.11 or newer is needed for the bot (try: pyenv install 3.11)"; exit 1; }
	test -x $(VENV)/bin/python || $(PYTHON_BOT) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	touch $@

# The optional sentence-transformers backend, tested with the CPU build of torch.
$(VENV)/.installed-st: $(VENV)/.installed
	$(VENV)/bin/pip install -q -e '.[dev,st]'
	touch $@

$(RASA_VENV)/.installed: nlu/rasa-requirements.txt
	@test -n "$(PYTHON_RASA)" || { echo "Rasa 3.6 needs Python 3.10: install it (e.g. 'pyenv install 3.10') and run make again"; exit 1; }
	test -x $(RASA_VENV)/bin/python || $(PYTHON_RASA) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install -q --upgrade pip
	$(RASA_VENV)/bin/pip install -q -r nlu/rasa-requirements.txt
	touch $@

# Trains only when nlu/data or config.yml changed (the model file is named by their hash).
nlu-model: $(VENV)/.installed $(RASA_VENV)/.installed
	$(VENV)/bin/scambot nlu train

# Trains the scam classifier when no trained artifact exists yet (var/models/).
classifier-model: $(VENV)/.installed
	@$(VENV)/bin/python -c "import sys; from classifier import default_model_path; sys.exit(default_model_path() is None)" \
		|| $(VENV)/bin/scambot classifier train

run: $(VENV)/.installed $(RASA_VENV)/.installed classifier-model
	$(VENV)/bin/scambot run

console: $(VENV)/.installed $(RASA_VENV)/.installed classifier-model
	$(VENV)/bin/scambot console

# The browser tests drive Debian's chromium (never a browser downloaded by Playwright).
# CI runs as root on a clean machine; elsewhere sudo is used when there is one.
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)
browser:
	@test -x /usr/bin/chromium -a -x /usr/bin/chromedriver -a -d /usr/share/fonts/truetype/nanum || { \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-khmeros fonts-nanum fonts-noto-color-emoji; }

test: $(VENV)/.installed-st $(RASA_VENV)/.installed nlu-model classifier-model browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest -q

nlu-eval: nlu-model
	$(VENV)/bin/scambot nlu eval

bench: $(VENV)/.installed $(RASA_VENV)/.installed nlu-model
	$(VENV)/bin/python bench/nlu.py
	$(VENV)/bin/python bench/updates.py

clean:
	rm -rf $(VENV) $(RASA_VENV) var

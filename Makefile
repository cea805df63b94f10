PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench torture lint typecheck format clean install-desktop wheel screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# make run DB=path/to/file.db (or a postgresql+psycopg:// URL) opens the app on that database.
run: $(STAMP)
	$(BIN)/kanban $(if $(DB),--db "$(DB)")

test: $(STAMP)
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -n auto

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks

# The app under abuse (benchmarks/torture): kill -9 during writes, concurrent writers, the
# window + command-line soak, killed migrations, damaged files, export injection; prints the
# table the README keeps. SECONDS is the whole run's budget; PostgreSQL too when
# KANBAN_TEST_POSTGRES_URL names a server.
SECONDS ?= 600
torture: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks.torture --seconds $(SECONDS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# Part of lint and test: strict on storage, services, ranking, metrics, reports and domain,
# default settings on the UI and the command line (pyproject.toml [tool.mypy]).
typecheck: $(STAMP)
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The README's screenshots (docs/images/*.png), made from the sample data in a temporary file.
screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/screenshots.py

# The app in the desktop's menus: kanban.desktop and the icon under ~/.local/share.
DATA_HOME ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)
install-desktop:
	install -D -m 644 resources/kanban.desktop $(DATA_HOME)/applications/kanban.desktop
	install -D -m 644 resources/icons/kanban.svg $(DATA_HOME)/icons/hicolor/scalable/apps/kanban.svg

# A wheel in dist/, checked by installing it into a clean virtual environment.
wheel: $(STAMP)
	$(BIN)/pip install --quiet build
	rm -rf dist
	$(BIN)/python -m build --wheel --outdir dist .
	.ci/check-wheel dist/*.whl

clean:
	rm -rf $(VENV) build dist *.egg-info

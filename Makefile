# ISPdesk command index. `make run` and `make test` do all the set-up on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
# Two workers: CI has two cores.
PYTEST_ARGS ?= -n 2

.PHONY: run test test-quick fuzz lint format demo db-upgrade bench browser clean backup translations translations-update

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changes. requirements-dev.txt includes requirements.txt
# and adds the test and lint tools.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

## Upgrade the database to the newest schema (never drops data) and add reference data.
db-upgrade: venv
	$(FLASK) db upgrade
	$(FLASK) setup

## Serve the panel on $(HOST):$(PORT).
run: db-upgrade translations
	$(BIN)/gunicorn --config gunicorn.conf.py --workers 2 --bind $(HOST):$(PORT) --access-logfile - 'app:create_app()'

## The Czech interface: compile translations/*/LC_MESSAGES/*.po (ours, the few Flask-Admin strings
## its own catalogue lacks, and WTForms' messages in better Czech than its own) into the .mo files read.
translations: venv
	$(BIN)/pybabel -q compile -d translations -D "messages admin wtforms"

## After adding or changing interface strings: merge them into the catalogues, then translate the new ones.
translations-update: venv
	$(BIN)/pybabel -q extract -F babel.cfg -k lazy_gettext --no-location --omit-header \
	  --ignore-dirs=".venv tests bench migrations" -o translations/messages.pot .
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

## A consistent copy of the whole database in instance/backups/ (safe while the panel runs).
backup: venv
	$(FLASK) backup

## The whole test suite (SQLite; PostgreSQL too when TEST_DATABASE_URL is set). Hypothesis runs its
## "quick" profile unless HYPOTHESIS_PROFILE says otherwise.
test: venv browser translations
	$(BIN)/pytest $(PYTEST_ARGS)

## The suite without the browser and fuzz tests: the fast loop while editing.
test-quick: venv translations
	$(BIN)/pytest $(PYTEST_ARGS) -m "not browser and not fuzz"

## Only the fuzz tests, with Hypothesis' long "fuzz" profile (10,000 generated bodies per form, 10,000+ URL-walk requests; set
## HYPOTHESIS_MAX_EXAMPLES to change the count). Each run draws new forms; a failure prints the form.
fuzz: venv translations
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest $(PYTEST_ARGS) -m fuzz

## Lint and format check (ruff, configured in pyproject.toml); changes nothing. Both run, either fails it.
lint: venv
	$(BIN)/ruff check . ; status=$$?; $(BIN)/ruff format --check . && exit $$status

## Apply ruff's fixes and format the code. Findings it cannot fix are left for `make lint` to show.
format: venv
	$(BIN)/ruff check --fix --exit-zero .
	$(BIN)/ruff format .

## Debian's chromium for the browser tests (installed with apt when missing and we are root).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "chromium is missing: sudo apt-get install chromium (browser tests will be skipped)"; fi; }

## Load 1,000 demo contacts into the database `make run` uses, and print portal logins of three of
## them; refused (nothing changed) when the database already has contacts.
demo: db-upgrade
	$(FLASK) demo-data --contacts 1000 --seed 1

## Print timings at 100,000 contacts.
bench: venv
	for script in bench/bench_*.py; do $(BIN)/python $$script --postgres || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache

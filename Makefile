# Two commands for a newcomer: `make run` and `make test`. Everything else is a step they call.
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup lock static assets bench serve load lint check-deploy backup restore clean

run: setup  ## set up, load the Luton data and demo accounts, serve at http://127.0.0.1:8000
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input
	$(MAKE) --no-print-directory static
	DJANGO_DEBUG=1 $(PY) manage.py load_luton
	DJANGO_DEBUG=1 $(PY) manage.py create_demo_accounts
	@echo "Serving the portal at http://$(HOST):$(PORT)/ (demo accounts: see README.md), with the task worker"
	DJANGO_DEBUG=1 scripts/with-worker $(PY) $(PY) manage.py runserver $(HOST):$(PORT)

# The suite is spread over the machine's CPUs (pytest-xdist): each worker has its own test database.
test: setup lint static  ## set up and run the whole suite
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-test-only-not-secret-$$(date +%s)-key-for-pytest} \
		$(PY) -m pytest -n $${PYTEST_WORKERS:-auto} $(PYTEST_ARGS)

setup: $(INSTALLED)

$(PY):
	@PYTHON=$$(sh scripts/find-python) || exit 1; \
	echo "Creating $(VENV) with $$PYTHON"; \
	"$$PYTHON" -m venv $(VENV)

# Everything installed comes from requirements.lock: every package, direct or indirect, at a pinned
# version with its hashes. pyproject.toml names what we depend on; `make lock` resolves it anew.
$(INSTALLED): requirements.lock | $(PY)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	touch $(INSTALLED)

lock: setup  ## re-resolve requirements.lock from pyproject.toml (after changing a dependency there)
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --universal --python-version 3.12 \
		--generate-hashes --no-header --quiet -o requirements.lock
	@echo "requirements.lock updated: review the diff, then run make test"

static: setup  ## collect static files with their hashed names, as production serves them
	DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
		$(PY) manage.py collectstatic --no-input -v0

assets:  ## rebuild the committed front-end files from npm (GOV.UK Frontend + Dart Sass); needs Node
	npm ci --no-audit --no-fund
	npm run -s build:css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/govuk/

bench: setup static  ## time every page type on a large synthetic council, on SQLite and PostgreSQL
	mkdir -p bench-results
	rm -f bench-results/bench.sqlite3
	DJANGO_SECRET_KEY=bench-only-not-secret-$$(date +%s)-0123456789abcdefghij DATABASE_URL=sqlite:///$(CURDIR)/bench-results/bench.sqlite3 \
		$(PY) manage.py bench --output bench-results/sqlite.md
	DJANGO_SECRET_KEY=bench-only-not-secret-$$(date +%s)-0123456789abcdefghij DATABASE_URL=sqlite:///$(CURDIR)/bench-results/bench.sqlite3 \
		$(PY) manage.py bench_imports --output bench-results/imports-sqlite.md
	DJANGO_SECRET_KEY=bench-only-not-secret-$$(date +%s)-0123456789abcdefghij DATABASE_URL=sqlite:///$(CURDIR)/bench-results/bench.sqlite3 \
		$(PY) manage.py bench_http --output bench-results/http-sqlite.md
	@if psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS luton_bench" -c "CREATE DATABASE luton_bench" 2>/dev/null; then \
		DJANGO_SECRET_KEY=bench-only-not-secret-$$(date +%s)-0123456789abcdefghij DATABASE_URL=postgres://postgres@127.0.0.1:5432/luton_bench \
			$(PY) manage.py bench --output bench-results/postgresql.md && \
		DJANGO_SECRET_KEY=bench-only-not-secret-$$(date +%s)-0123456789abcdefghij DATABASE_URL=postgres://postgres@127.0.0.1:5432/luton_bench \
			$(PY) manage.py bench_imports --output bench-results/imports-postgresql.md && \
		DJANGO_SECRET_KEY=bench-only-not-secret-$$(date +%s)-0123456789abcdefghij DATABASE_URL=postgres://postgres@127.0.0.1:5432/luton_bench \
			$(PY) manage.py bench_http --output bench-results/http-postgresql.md; \
	else echo "PostgreSQL is not reachable at 127.0.0.1:5432: skipped its benchmark."; fi

serve: setup static  ## production server: gunicorn, production settings, DATABASE_URL (docs/deploy.md)
	@test -n "$$DJANGO_SECRET_KEY" || { echo "Set DJANGO_SECRET_KEY (and DJANGO_ALLOWED_HOSTS, DATABASE_URL): see docs/deploy.md"; exit 2; }
	scripts/with-worker $(PY) $(VENV)/bin/gunicorn --config luton_plan/gunicorn.conf.py luton_plan.wsgi

load: setup static  ## locust: 50 officers, 20 members, 100 visitors against gunicorn (PostgreSQL luton_load)
	mkdir -p bench-results
	psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS luton_load" -c "CREATE DATABASE luton_load"
	export DJANGO_SECRET_KEY=load-only-not-secret-$$(date +%s)-0123456789abcdefghij \
		DATABASE_URL=postgres://postgres@127.0.0.1:5432/luton_load; \
	$(PY) manage.py migrate --no-input -v0 && $(PY) manage.py load_luton -v0 && $(PY) manage.py prepare_load && \
	$(PY) manage.py load --seconds 150 --output bench-results/load.md

lint: setup  ## ruff, the layers contract (import-linter, in pyproject.toml), bandit (no finding of medium or higher)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/bandit -c pyproject.toml -r . --severity-level medium --quiet

check-deploy: setup  ## the production settings pass Django's deployment checklist
	DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	DJANGO_ALLOWED_HOSTS=plan.luton.example $(PY) manage.py check --deploy --fail-level WARNING

# The settings refuse to load without a secret key; backups need none, so a throwaway one serves.
MANAGE_ANYWHERE = DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')} $(PY) manage.py

backup: setup  ## back up the database DATABASE_URL names (else db.sqlite3) into backups/, with a checksum
	$(MANAGE_ANYWHERE) backup

restore: setup  ## restore FILE=backups/... into the new, empty database DATABASE_URL names
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/<file> DATABASE_URL=<a new, empty database>"; exit 2; }
	$(MANAGE_ANYWHERE) restore "$(FILE)"

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache

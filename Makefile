# Two commands for a fresh machine: `make run` (the DAG on the seeds) and `make test`.
# Everything else (ui, eval, bench) builds on the same pinned virtualenv.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
EVAL ?= ../shared/eval
SEEDS := $(CURDIR)/include/seeds

export AIRFLOW_HOME := $(CURDIR)/var/airflow
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__PLUGINS_FOLDER := $(CURDIR)/plugins
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN := sqlite:///$(CURDIR)/var/airflow/airflow.db
export NEWSARCHIVE_LANDING ?= $(SEEDS)
export NEWSARCHIVE_ARCHIVE_ROOT ?= $(CURDIR)/var/archive

.PHONY: run test ui screenshots eval bench compose-check venv

venv: $(STAMP)

# The venv is (re)built when the pins change; plugins/ goes on its path so that
# `python -m newsarchive` works from the repo root.
$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	echo "$(CURDIR)/plugins" > "$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/newsarchive.pth"
	touch $@

# The seeds demo pins the acquisition date to the seeds' own news days (January 2024), so the
# one seed that states no date is filed there; any other landing folder is acquired the UTC day
# the run runs (ACQUIRED_DATE=YYYY-MM-DD asks for another).
ACQUIRED_DATE ?= $(if $(filter $(SEEDS) $(SEEDS)/,$(NEWSARCHIVE_LANDING)),2024-01-16,)

## The main job: the news_archive DAG on include/seeds, archive under var/archive, then its summary.
run: $(STAMP)
	@mkdir -p $(AIRFLOW_HOME)
	@$(VENV)/bin/airflow db migrate >/dev/null
	@echo "running the news_archive DAG on $(NEWSARCHIVE_LANDING) into $(NEWSARCHIVE_ARCHIVE_ROOT)"
	@echo "acquisition date: $(if $(ACQUIRED_DATE),$(ACQUIRED_DATE)$(if $(filter $(SEEDS) $(SEEDS)/,$(NEWSARCHIVE_LANDING)), (pinned for the seeds demo),),today (UTC)) ..."
	@$(VENV)/bin/airflow dags test news_archive -c '{"acquired_date": "$(ACQUIRED_DATE)"}' > var/airflow/last-run.log 2>&1 \
	  || { tail -n 60 var/airflow/last-run.log; echo "DAG run failed; full log: var/airflow/last-run.log"; exit 1; }
	@grep -o "DagRun Finished: dag_id=[^,]*, [^,]*, run_id=[^,]*\|state=[a-z]*" var/airflow/last-run.log | tail -n 2 | paste -sd' '
	@$(PY) -m newsarchive summary --archive $(NEWSARCHIVE_ARCHIVE_ROOT)
	@echo "archive: $(NEWSARCHIVE_ARCHIVE_ROOT)   DAG log: var/airflow/last-run.log"

## The test suite (real Airflow DAG runs, real Parquet; docker-compose config check when available).
test: $(STAMP)
	$(PY) -m pytest

## The Airflow UI with the News archive page, on http://127.0.0.1:$(UI_PORT) until Ctrl-C (which
## stops every Airflow process it started); prints the login once Airflow answers.
UI_PORT ?= 8080
ui: $(STAMP)
	@mkdir -p $(AIRFLOW_HOME)
	@PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(PY) scripts/airflow_ui.py --host 127.0.0.1 --port $(UI_PORT)

## The screenshots docs/ui.md shows, taken by the browser test.
screenshots: $(STAMP)
	UI_SCREENSHOTS=$(CURDIR)/docs/img $(PY) -m pytest -q tests/dags/test_ui_browser.py

## Quality on the evaluation sets, DEV beside leave-sites-out: make eval [EVAL=../shared/eval] [EVAL_ARGS="--only dedup --no-tune"]
eval: $(STAMP)
	$(PY) -m evaluation $(EVAL) $(EVAL_ARGS)

## Speed and memory, each figure beside its baseline measured in the same run.
bench: $(STAMP)
	$(PY) benchmarks/run.py

## Validate docker-compose.yml with a real Compose implementation (offline).
compose-check:
	command -v docker-compose >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends docker-compose >/dev/null; }
	docker-compose -f docker-compose.yml --env-file .env.example config -q

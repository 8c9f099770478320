# Set-up is part of every target: a fresh clone needs only `make run` or `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
EVENTS ?= events.csv
TEST_WORKERS ?= 2
# Streamlit's own limit of an upload follows DASHBOARD_MAX_UPLOAD_MB (whole megabytes, 200
# when unset or unusable, as the dashboard's own default).
UPLOAD_MB = $(shell awk 'BEGIN { v = ENVIRON["DASHBOARD_MAX_UPLOAD_MB"] + 0; \
	if (v <= 0) v = 200; print (v == int(v)) ? v : int(v) + 1 }')

.PHONY: run test test-fast bench eval loadtest lint validate clean screenshot

# The venv is rebuilt when missing or when its interpreter no longer runs.
$(PY):
	@$(PY) -c "import sys" 2>/dev/null || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	@$(PY) -m pip install --quiet --upgrade pip

# Stamps make the install steps no-ops until pyproject.toml changes.
$(VENV)/.installed-app: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-app
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

# The address printed is given, so a headless server does not ask a web service for its
# outside address at start: the dashboard starts without the network.
run: $(VENV)/.installed-app
	$(PY) -m dashboard validate $(EVENTS) || true
	$(PY) -m streamlit run dashboard/app.py --server.port $(PORT) \
		--server.enableStaticServing true --browser.gatherUsageStats false \
		--browser.serverAddress localhost \
		--server.maxUploadSize $(UPLOAD_MB) -- --events $(EVENTS)

# Two processes (pytest-xdist), each taking whole test files, so a file's shared server
# or data is made once; TEST_WORKERS=0 runs everything in this one process.
test: $(VENV)/.installed-test
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

test-fast: $(VENV)/.installed-test
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not browser"

# The README's picture, taken on purpose (tests never write tracked files).
screenshot: $(VENV)/.installed-test
	UPDATE_SCREENSHOT=1 $(PY) -m pytest tests/test_browser.py -k map_renders_all_events_offline

bench: $(VENV)/.installed-test
	$(PY) -m bench

# The extractor on the two documents of sources/, against the curated events.csv.
eval: $(VENV)/.installed-app
	$(PY) -m dashboard.extract.evaluate

# 1, 10 and 40 readers changing dates and panning the map (pausing 1.5-4.5 s), then 40
# quicker ones (0.5-1.5 s), on two servers sharing a throwaway PostgreSQL/PostGIS database
# (100,000 generated events) and on two embedded-store servers, then 1,000 reruns for
# memory; one table with the targets. Needs Debian's postgresql and
# postgresql-15-postgis-3. LOADTEST_ARGS="--events 10000 --levels 1,10
# --stress-readers 0" for a quick run.
loadtest: $(VENV)/.installed-test
	$(PY) -m bench.loadtest $(LOADTEST_ARGS)

lint: $(VENV)/.installed-test
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m mypy

validate: $(VENV)/.installed-app
	$(PY) -m dashboard validate $(EVENTS)

clean:
	rm -rf $(VENV) dashboard/static/vendor .pytest_cache .ruff_cache .mypy_cache test-artifacts \
		.cache working

# Developer tasks. `just` comes with the dev extra: pip install -e '.[dev]' (then .venv/bin/just …).
# .ci/run makes the same checks in the same order before the tests.

venv := ".venv/bin"

# Every check, then the tests (what CI runs)
default: check test

# Lint, format, import contracts and types; fails on any finding
check: lint format-check imports types

lint:
    {{venv}}/ruff check claimx tests bench

format-check:
    {{venv}}/ruff format --check claimx tests bench

# Rewrite files: ruff's safe fixes, then the formatter
fix:
    {{venv}}/ruff check --fix claimx tests bench
    {{venv}}/ruff format claimx tests bench

# The layering contracts in pyproject.toml ([tool.importlinter])
imports:
    {{venv}}/lint-imports

types:
    {{venv}}/mypy

# The offline suite: model exchanges replay from cassettes/
test *args:
    {{venv}}/python -m pytest --record-mode=none --block-network {{args}}

# Re-record every cassette against the local llama.cpp server (~50 min on 2 cores)
record:
    {{venv}}/python -m pytest tests/test_cassettes.py --record-mode=rewrite

# Tests that need the live local model
live:
    {{venv}}/python -m pytest --live -m live

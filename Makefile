.PHONY: run test lint worker bench
run:
	bash scripts/run.sh
test:
	bash scripts/test.sh
lint:
	bash scripts/bootstrap.sh --dev && .venv/bin/ruff check . && .venv/bin/lint-imports && .venv/bin/mypy bangfu
worker:
	.venv/bin/bangfu worker

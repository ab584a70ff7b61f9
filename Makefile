# Dataflow — every entry point a developer or CI needs.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUF := node_modules/.bin/buf

.PHONY: run test lint gen gen-python check-gen clean-venv bench

# The virtualenv is (re)built when the dependency list changes.
$(STAMP): pyproject.toml requirements/constraints.txt
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements/constraints.txt -e '.[dev]'
	@touch $(STAMP)

$(BUF): package.json
	npm install --no-audit --no-fund --silent
	@touch $(BUF)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/dataflow-server

test: $(STAMP) $(BUF)
	$(MAKE) lint
	$(MAKE) check-gen
	$(BIN)/pytest -q

lint: $(STAMP) $(BUF)
	$(BIN)/ruff check server client/python/dataflow_client tests
	$(BIN)/ruff format --check server client/python/dataflow_client tests
	$(BIN)/mypy
	$(BUF) lint

gen: gen-python

# Python stubs (+ mypy-protobuf .pyi) into client/python: proto path = import path.
gen-python: $(STAMP)
	rm -f client/python/dataflow/v1/*_pb2*.py client/python/dataflow/v1/*_pb2*.pyi
	$(BIN)/python -m grpc_tools.protoc -Iproto \
	  --python_out=client/python --grpc_python_out=client/python \
	  --mypy_out=client/python --mypy_grpc_out=client/python \
	  --plugin=protoc-gen-mypy=$(BIN)/protoc-gen-mypy \
	  --plugin=protoc-gen-mypy_grpc=$(BIN)/protoc-gen-mypy_grpc \
	  proto/dataflow/v1/*.proto

# CI: regenerating must leave the committed tree unchanged.
check-gen: gen
	@git diff --exit-code --stat -- client proto docs || { echo "make gen changed generated files: run 'make gen' and commit"; exit 1; }
	@test -z "$$(git status --porcelain -- client docs)" || { git status --porcelain -- client docs; echo "make gen left untracked files"; exit 1; }

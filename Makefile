# Dataflow — every entry point a developer or CI needs.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
BUF := node_modules/.bin/buf

.PHONY: run test lint gen gen-python gen-docs gen-openapi gen-ui check-gen clean-venv bench

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

# pytest on TEST_WORKERS processes (pytest-xdist): most of the suite waits on
# subprocesses (servers, client builds, PostgreSQL, Chromium), not on the CPU. Each
# test file runs whole on one worker (--dist loadfile), so its module-scoped servers
# are started once; `make test TEST_WORKERS=0` runs everything in one process.
TEST_WORKERS ?= 3

test: $(STAMP) $(BUF)
	$(MAKE) lint
	$(MAKE) check-gen
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile

# The benchmark suite (bench/, docs/performance.md): a real server process driven over
# a real port, next to a grpc.aio echo ceiling measured in the same run; prints a
# table and writes bench/results/latest.json. `make bench ARGS=--postgres` for
# PostgreSQL (a throwaway cluster, like the tests'); ARGS=--quick for a smoke run.
# The Celery + Redis peer needs the `bench` extra (installed here, not by make test)
# and Debian's redis-server (apt-get install -y redis-server).
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install -q -c requirements/constraints.txt -e '.[dev,bench]'
	@touch $@

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench $(ARGS)

lint: $(STAMP) $(BUF)
	$(BIN)/ruff check server client/python/dataflow_client tests bench
	$(BIN)/ruff format --check server client/python/dataflow_client tests bench
	$(BIN)/mypy
	$(BUF) lint

gen: gen-python gen-typescript gen-go gen-java gen-docs gen-openapi gen-ui

OPENAPI := server/dataflow_server/api/http/openapi.json

# The HTTP API's OpenAPI 3.1 document, from the protos' google.api.http routes
# (served at /openapi.json; see docs/http.md).
gen-openapi: gen-python
	$(BIN)/python -m dataflow_server.api.http.openapi > $(OPENAPI).tmp && mv $(OPENAPI).tmp $(OPENAPI)

# docs/task-types.md from the task registry.
gen-docs: $(STAMP)
	$(BIN)/python -m dataflow_server.tasks.docs > docs/task-types.md

# The web console: its sources (ui/src/, plain ES modules) and Preact + htm, at the
# versions pinned in package-lock.json, bundled by esbuild into one committed file.
UI_DIR := server/dataflow_server/ui
UI_BUNDLE := $(UI_DIR)/static/app.js
gen-ui: $(BUF)
	node_modules/.bin/esbuild $(UI_DIR)/src/main.js --bundle --format=esm --minify \
	  --target=es2020 --legal-comments=none --log-level=warning --outfile=$(UI_BUNDLE) \
	  --banner:js="/* Dataflow console, bundled by make gen-ui from server/dataflow_server/ui/src with Preact $$(node -p 'require("./node_modules/preact/package.json").version') (MIT) and htm $$(node -p 'require("./node_modules/htm/package.json").version') (Apache-2.0). */"

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
	@git diff --exit-code --stat -- client proto docs $(OPENAPI) $(UI_BUNDLE) || { echo "make gen changed generated files: run 'make gen' and commit"; exit 1; }
	@test -z "$$(git status --porcelain -- client docs $(UI_BUNDLE))" || { git status --porcelain -- client docs $(UI_BUNDLE); echo "make gen left untracked files"; exit 1; }

# ---------------------------------------------------------------------------
# Clients in TypeScript, Go and Java (buf + local plugins), grpcurl, examples.
# Tools live in .tools/ (ignored by its own .gitignore); versions are pinned
# here, in client/typescript/package-lock.json and in client/java/pom.xml.
# ---------------------------------------------------------------------------
.PHONY: gen-typescript gen-go gen-java tools build-ts build-go build-java \
	example-ts example-go example-java examples test-clients check-breaking

TOOLS := .tools
TOOLS_BIN := $(TOOLS)/bin
PROTOC_GEN_GO_VERSION := v1.36.12
PROTOC_GEN_GO_GRPC_VERSION := v1.6.2
GRPCURL_VERSION := v1.9.3
GRPCURL := $(TOOLS_BIN)/grpcurl
GO_PLUGINS := $(TOOLS)/stamps/go-plugins-$(PROTOC_GEN_GO_VERSION)-$(PROTOC_GEN_GO_GRPC_VERSION)
GRPCURL_STAMP := $(TOOLS)/stamps/grpcurl-$(GRPCURL_VERSION)
JAVA_TOOLS := $(TOOLS)/java/.resolved
TS_DIR := client/typescript
TS_DEPS := $(TS_DIR)/node_modules/.package-lock.json
GO_DIR := client/go
JAVA_DIR := client/java
MVN := mvn -B -q -Dstyle.color=never

$(TOOLS)/.gitignore:
	@mkdir -p $(TOOLS_BIN) $(TOOLS)/stamps
	@echo '*' > $@

# protoc-gen-go and protoc-gen-go-grpc, from the Go module proxy.
$(GO_PLUGINS): | $(TOOLS)/.gitignore
	GOBIN=$(CURDIR)/$(TOOLS_BIN) go install google.golang.org/protobuf/cmd/protoc-gen-go@$(PROTOC_GEN_GO_VERSION)
	GOBIN=$(CURDIR)/$(TOOLS_BIN) go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@$(PROTOC_GEN_GO_GRPC_VERSION)
	@touch $@

# grpcurl (the e2e test and docs/clients.md use it).
$(GRPCURL_STAMP): | $(TOOLS)/.gitignore
	GOBIN=$(CURDIR)/$(TOOLS_BIN) go install github.com/fullstorydev/grpcurl/cmd/grpcurl@$(GRPCURL_VERSION)
	@touch $@

tools: $(GRPCURL_STAMP)

# protoc and protoc-gen-grpc-java for this OS, resolved from Maven Central by
# the client's pom (the same versions as its protobuf-java / grpc runtime).
$(JAVA_TOOLS): $(JAVA_DIR)/pom.xml | $(TOOLS)/.gitignore
	cd $(JAVA_DIR) && $(MVN) -Pcodegen-tools initialize
	chmod +x $(TOOLS)/java/protoc $(TOOLS)/java/protoc-gen-grpc-java
	@touch $@

# The TypeScript client's dependencies (protoc-gen-es among them), from its lockfile.
$(TS_DEPS): $(TS_DIR)/package.json $(TS_DIR)/package-lock.json
	cd $(TS_DIR) && npm ci --no-audit --no-fund
	@touch $@

gen-typescript: $(BUF) $(TS_DEPS)
	rm -rf $(TS_DIR)/src/gen
	$(BUF) generate --template buf.gen.typescript.yaml

gen-go: $(BUF) $(GO_PLUGINS)
	rm -rf $(GO_DIR)/dataflow/v1
	$(BUF) generate --template buf.gen.go.yaml

gen-java: $(BUF) $(JAVA_TOOLS)
	rm -rf $(JAVA_DIR)/src/generated
	$(BUF) generate --template buf.gen.java.yaml

# The builds are file targets: rebuilt only when a source is newer than the last build
# (make check-gen regenerates the sources, so `make test` builds each client once; the
# tests' `make build-<lang>` and `make example-<lang>` find them up to date).
TS_BUILT := $(TS_DIR)/dist/.built
GO_HELLO := $(GO_DIR)/bin/hello
JAVA_BUILT := $(JAVA_DIR)/target/.built
TS_SOURCES := $(TS_DIR)/package.json $(TS_DIR)/tsconfig.json \
	$(shell find $(TS_DIR)/src $(TS_DIR)/examples -name '*.ts' 2>/dev/null)
GO_SOURCES := $(GO_DIR)/go.mod $(GO_DIR)/go.sum $(shell find $(GO_DIR) -name '*.go' 2>/dev/null)
JAVA_SOURCES := $(JAVA_DIR)/pom.xml $(shell find $(JAVA_DIR)/src -type f 2>/dev/null)

$(TS_BUILT): $(TS_DEPS) $(TS_SOURCES)
	cd $(TS_DIR) && npm run --silent build
	@touch $@

$(GO_HELLO): $(GO_SOURCES)
	cd $(GO_DIR) && go vet ./... && go build -o bin/hello ./cmd/hello
	@touch $@

$(JAVA_BUILT): $(JAVA_SOURCES)
	cd $(JAVA_DIR) && $(MVN) package
	@touch $@

build-ts: $(TS_BUILT)

build-go: $(GO_HELLO)

build-java: $(JAVA_BUILT)

# The Hello World examples against $$DATAFLOW_ADDRESS (default 127.0.0.1:50051);
# each writes the audio to $$DATAFLOW_AUDIO_OUT, else hello-<lang>.mp3 in its
# client directory.
example-ts: build-ts
	cd $(TS_DIR) && node dist/examples/hello.js

example-go: build-go
	cd $(GO_DIR) && ./bin/hello

example-java: build-java
	cd $(JAVA_DIR) && java -cp "target/classes:$$(cat target/classpath.txt)" wiki.dataflow.client.examples.Hello

examples: example-ts example-go example-java

# The grpcurl e2e test and the cross-language test (both also run by `make test`).
test-clients: $(STAMP) tools
	$(BIN)/pytest -q tests/clients

# An incompatible change of the protos (buf.yaml: FILE rules) against the
# previous commit of main (HEAD~1 when there is no local main branch);
# skipped, with a message, when there is no such commit or it has no protos.
check-breaking: $(BUF)
	@if git rev-parse -q --verify 'main~1^{commit}' >/dev/null; then \
	  prev='main~1'; against='.git#branch=main,ref=HEAD~1'; \
	elif git rev-parse -q --verify 'HEAD~1^{commit}' >/dev/null; then \
	  prev='HEAD~1'; against='.git#ref=HEAD~1'; \
	else \
	  echo "check-breaking: skipped: no previous commit (HEAD~1) in this clone"; exit 0; \
	fi; \
	if ! git ls-tree -r --name-only "$$prev" -- proto | grep -q '\.proto$$'; then \
	  echo "check-breaking: skipped: $$prev has no .proto files"; exit 0; \
	fi; \
	echo "buf breaking against $$prev ($$against)"; \
	$(BUF) breaking --against "$$against"

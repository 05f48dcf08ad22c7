# Candor build, run and test entry points.
#
# SAM builds each function with `BuildMethod: makefile`, calling
# build-<LogicalId> with ARTIFACTS_DIR set; `make build` does the same for
# every function into ./bin without SAM.

GO          ?= go
GOFLAGS_LAMBDA = GOOS=linux GOARCH=arm64 CGO_ENABLED=0
LDFLAGS     = -s -w
BUILD       = $(GOFLAGS_LAMBDA) $(GO) build -tags lambda.norpc -trimpath -ldflags '$(LDFLAGS)'
BIN         ?= bin

# LogicalId -> package of its main.
FUNCTIONS   = ApiFunction:./functions/api

.PHONY: build run test lint fuzz bench $(addprefix build-,$(foreach f,$(FUNCTIONS),$(word 1,$(subst :, ,$(f)))))

build-ApiFunction:
	$(BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/api

## build: every function's bootstrap for linux/arm64 into $(BIN)/<LogicalId>/, sizes printed
build:
	@set -e; for f in $(FUNCTIONS); do \
	  id=$${f%%:*}; pkg=$${f#*:}; \
	  $(MAKE) --no-print-directory build-$$id ARTIFACTS_DIR=$(BIN)/$$id; \
	  printf '%-28s %s bytes\n' "$$id" "$$(wc -c < $(BIN)/$$id/bootstrap)"; \
	done

## run: the whole system on 127.0.0.1 (API :3000, AWS stand-ins :4566)
run:
	$(GO) run ./infra/local

## test: the README's test command
test:
	$(GO) test ./...

lint:
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	$(GO) vet ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./shared/... ./infra/...

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzValidateReport -fuzztime 2m ./shared/moderation
	$(GO) test -run '^$$' -fuzz FuzzDecodeJSON -fuzztime 2m ./shared/httpapi

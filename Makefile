# Candor: build, run, test.
#
# `sam build` builds each function with `BuildMethod: makefile` by calling
# build-<LogicalId> with ARTIFACTS_DIR set; `make build` runs the same
# targets for every function into $(BIN)/<LogicalId>/bootstrap without SAM
# and prints the sizes. infra/deploycheck checks that every function of
# functions/ has a target here and in template.yaml.

GO      ?= go
BIN     ?= bin
# What Lambda runs: a static linux/arm64 binary named bootstrap, without the
# RPC mode of aws-lambda-go (provided.al2023 speaks the Runtime API), stripped,
# built with a go.mod of its own (LAMBDA_MOD) that replaces some AWS SDK,
# smithy-go and templ modules by copies whose endpoint tables and other
# package variables are built on first use instead of at every cold start
# (third_party/lazyendpoints/CANDOR.md). It is
# a hidden folder, which the repository's checks of files and documents skip:
# the copies hold the SDK's own.
LAMBDA_ENV   = GOOS=linux GOARCH=arm64 CGO_ENABLED=0
LAMBDA_MOD   = $(abspath $(BIN))/.lambdamod
LAMBDA_FLAGS = -modfile=$(LAMBDA_MOD)/go.mod -tags lambda.norpc -trimpath -ldflags '-s -w'
LAMBDA_BUILD = $(GO) run ./third_party/lazyendpoints/lambdamod $(LAMBDA_MOD) && $(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS)

# The logical ids of template.yaml's functions, in the order `make build` builds them.
FUNCTIONS = ApiFunction ReviewerPageFunction ConsoleFunction FindReviewerTasksFunction InvestigationTasksFunction SanctionTasksFunction SweeperFunction WebhookDispatcherFunction DocumentTasksFunction

# Size a bootstrap may reach before `make build` fails (13 MiB; docs/ops.md, "Size and start-up").
SIZE_TARGET = 13631488

# The templ generator, the same version as the runtime in go.mod.
TEMPL_VERSION = v0.3.1118

.PHONY: clients build run test lint bench coldstart coldstart-instructions fuzz generate generate-statemachines check-generate clean redrive need-artifacts-dir $(addprefix build-,$(FUNCTIONS))

need-artifacts-dir:
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set: sam build sets it; use make build" >&2; exit 1; }

build-ApiFunction: need-artifacts-dir
	$(LAMBDA_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/api

build-ReviewerPageFunction: need-artifacts-dir
	$(LAMBDA_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/reviewer-page

build-ConsoleFunction: need-artifacts-dir
	$(LAMBDA_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/console

build-FindReviewerTasksFunction: need-artifacts-dir
	$(LAMBDA_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/find-reviewer-tasks

build-InvestigationTasksFunction: need-artifacts-dir
	$(LAMBDA_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/investigation-tasks

build-SanctionTasksFunction: need-artifacts-dir
	$(LAMBDA_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/sanction-tasks

build-SweeperFunction: need-artifacts-dir
	$(LAMBDA_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/sweeper

build-WebhookDispatcherFunction: need-artifacts-dir
	$(LAMBDA_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/webhook-dispatcher

build-DocumentTasksFunction: need-artifacts-dir
	$(LAMBDA_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/document-tasks

## build: every function's bootstrap for linux/arm64 into $(BIN)/<LogicalId>/, sizes printed
build:
	@set -e; for id in $(FUNCTIONS); do \
	  $(MAKE) --no-print-directory -s build-$$id ARTIFACTS_DIR=$(abspath $(BIN))/$$id; \
	done
	@echo "bootstrap sizes (linux/arm64, stripped; target <= 13 MiB):"
	@set -e; over=0; for id in $(FUNCTIONS); do \
	  n=$$(wc -c < $(BIN)/$$id/bootstrap); \
	  flag=""; if [ $$n -gt $(SIZE_TARGET) ]; then flag="  over the 13 MiB target"; over=1; fi; \
	  awk -v id=$$id -v n=$$n -v f="$$flag" 'BEGIN { printf "  %-28s %10d bytes %6.2f MiB%s\n", id, n, n/1048576, f }'; \
	done; \
	if [ $$over = 1 ]; then echo "error: a bootstrap is over the 13 MiB target (docs/ops.md, \"Size and start-up\")" >&2; exit 1; fi

## generate-statemachines: statemachines/<name>.asl.json from statemachines/src/<name>.yaml (committed; infra/statemachines)
generate-statemachines:
	$(GO) run ./infra/statemachines/gen

## generate: the Go code of the templ components (*.templ -> *_templ.go) and the state machines' ASL, both committed
generate: generate-statemachines
	@v=$$($(GO) list -m -f '{{.Version}}' github.com/a-h/templ); test "$$v" = "$(TEMPL_VERSION)" || \
	  { echo "go.mod has github.com/a-h/templ $$v but the Makefile generates with $(TEMPL_VERSION): make them the same" >&2; exit 1; }
	$(GO) run github.com/a-h/templ/cmd/templ@$(TEMPL_VERSION) generate -log-level warn

## check-generate: fail if regenerating the templ components or the state machines changes a committed file or adds one
check-generate: generate
	@git diff --quiet -- 'statemachines/*.asl.json' || { git diff --stat -- 'statemachines/*.asl.json' >&2; \
	  echo "error: statemachines/*.asl.json are not what their sources generate: edit statemachines/src, run make generate-statemachines and commit" >&2; exit 1; }
	@test -z "$$(git ls-files --others --exclude-standard -- 'statemachines/*.asl.json')" || \
	  { echo "error: make generate wrote state machines that are not committed:" >&2; git ls-files --others --exclude-standard -- 'statemachines/*.asl.json' >&2; exit 1; }
	@git diff --quiet -- '*_templ.go' || { git diff --stat -- '*_templ.go' >&2; \
	  echo "error: the *_templ.go files are not what make generate writes: run make generate and commit them" >&2; exit 1; }
	@test -z "$$(git ls-files --others --exclude-standard -- '*_templ.go')" || \
	  { echo "error: make generate wrote files that are not committed:" >&2; git ls-files --others --exclude-standard -- '*_templ.go' >&2; exit 1; }

## run: the whole system on 127.0.0.1 (API :3000, AWS stand-ins :4566)
run:
	$(GO) run ./infra/local

## test: the README's test command
test:
	$(GO) test ./...

## clients: generate the Go and TypeScript clients from api/openapi.yaml, build them, drive each against the local stack
clients:
	bash clients/check.sh

## lint: gofmt and go vet
lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt would change:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

## bench: the benchmarks of the shared packages and the local stack
bench:
	$(GO) test -run '^$$' -bench . -skip ColdStart -benchmem ./shared/... ./infra/...

## coldstart: start-up of every function under the Lambda Runtime API emulator, beside a hello-world function
coldstart:
	$(GO) test -run '^$$' -bench 'ColdStart$$' -benchtime 20x ./infra/lambdaemu

## coldstart-instructions: the instructions each function runs to its first answer, beside hello-world (needs valgrind)
coldstart-instructions:
	$(GO) test -run '^$$' -bench ColdStartInstructions -benchtime 3x ./infra/lambdaemu

# Every fuzz target, as package:Target. `go test` fuzzes one target of a
# package at a time, so they run one after another, FUZZTIME each.
FUZZ_TARGETS = \
	./shared/httpapi:FuzzDecodeJSON \
	./shared/httpapi:FuzzRouterRoutesAsServeMux \
	./shared/httpapi:FuzzDecodeV2Request \
	./shared/httpapi:FuzzAppendV2Response \
	./shared/moderation:FuzzValidateReport \
	./shared/moderation:FuzzCheckText \
	./shared/i18n:FuzzDisplay \
	./shared/mail:FuzzAcceptedTextRenders \
	./shared/reviewerpage:FuzzAcceptedTextRenders \
	./shared/reviewerpage:FuzzPageIsWrittenAsTheReferenceTemplateRendersIt \
	./shared/links:FuzzHash \
	./infra/local/gateway:FuzzAuthorize \
	./infra/local/stepfunctions:FuzzDefinition \
	./infra/local/stepfunctions:FuzzAppendJSONString \
	./infra/local/stepfunctions/asl:FuzzPath \
	./infra/local/stepfunctions/asl:FuzzTemplate \
	./infra/local/stepfunctions/asl:FuzzIntrinsic
FUZZTIME ?= 1m

## fuzz: every fuzz target for FUZZTIME each (make fuzz FUZZTIME=10s); CI runs them briefly
# A target that fails with a bare "context deadline exceeded" and writes no
# failing input met Go 1.26's race at the -fuzztime deadline
# (go.dev/issue/75804, fixed in Go 1.27), not a bug: it runs once more. Any
# other failure, or the same twice, fails.
fuzz:
	@set -e; out=$$(mktemp); trap 'rm -f "$$out"' EXIT; for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; name=$${t##*:}; \
	  echo "fuzz $$name ($$pkg) for $(FUZZTIME)"; \
	  if $(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 5s $$pkg >"$$out" 2>&1; then cat "$$out"; \
	  elif grep -q 'context deadline exceeded' "$$out" && ! grep -q 'Failing input written' "$$out"; then \
	    cat "$$out"; echo "fuzz $$name: the -fuzztime deadline race of Go 1.26 (go.dev/issue/75804), no failing input; once more"; \
	    $(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 5s $$pkg; \
	  else cat "$$out"; exit 1; fi; \
	done

clean:
	rm -rf $(BIN) .aws-sam

## redrive: resume every stalled workflow of a stage (ops; docs/ops.md "A workflow stalled"), e.g. make redrive STAGE=prod REGION=eu-west-1
redrive:
	infra/ops/redrive-failed.sh "$(STAGE)" $(if $(ENDPOINT),--endpoint-url $(ENDPOINT)) $(if $(REGION),--region $(REGION))

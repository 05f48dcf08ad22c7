#!/usr/bin/env bash
# Generates a Go and a TypeScript client from api/openapi.yaml, as an
# integrator would, builds both and drives each through a short flow against
# the local stack: typed answers and typed errors, an idempotent replay, a
# POST without a body, the public view's shapes by their discriminator.
# A generator's warning fails it too. CI runs it (.ci/run); make clients too.
set -euo pipefail
cd "$(dirname "$0")"

echo "clients: Go (oapi-codegen, clients/go/oapi-codegen.yaml)"
(
  cd go
  go mod download
  out=$(go generate ./... 2>&1) || { echo "$out"; exit 1; }
  if [ -n "$out" ]; then echo "$out"; echo "clients: oapi-codegen said something: a warning fails the check" >&2; exit 1; fi
  go vet ./...
  go test -count=1 ./...
)

echo "clients: TypeScript (openapi-typescript, openapi-fetch; clients/ts)"
(
  cd ts
  npm ci --no-audit --no-fund --loglevel=error
  out=$(npm run --silent generate 2>&1) || { echo "$out"; exit 1; }
  if grep -qiE "warn|⚠" <<<"$out"; then echo "$out"; echo "clients: openapi-typescript warned" >&2; exit 1; fi
  npm run --silent build
)

# The TypeScript flow needs a running stack: the local stack's own binary,
# on ports of its own, stopped on the way out.
bin=$(mktemp -d)/candor-local
(cd .. && go build -o "$bin" ./infra/local)
api=127.0.0.1:3391
"$bin" -api "$api" -aws 127.0.0.1:4691 >"$bin.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://$api/healthz" >/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$bin.log"; echo "clients: the local stack did not start" >&2; exit 1; }
  sleep 0.3
done
API="http://$api" node ts/dist/flow.js

#!/usr/bin/env bash
# Resume every stalled Candor workflow: redrive each FAILED execution of the
# stage's state machines that was not redriven yet (docs/ops.md, "A workflow
# stalled"). Fix the cause first (the stall's error is in the alarm, in
# GET /v1/compliance/workflows/stalled and in the task's log line).
#
#   AWS_REGION=eu-west-1 infra/ops/redrive-failed.sh prod            # AWS, stage prod
#   infra/ops/redrive-failed.sh "" --endpoint-url http://127.0.0.1:4566 --region us-east-1   # the local stack
#
# Arguments after the stage go to every aws call. The region comes from
# --region, AWS_REGION, AWS_DEFAULT_REGION or the CLI's profile; with none
# the script stops before any call and says so.
#
# It prints each execution it redrives and how many; it exits non-zero if a
# redrive was refused.
set -euo pipefail
stage="${1:-}"
shift || true
prefix="candor-"
[ -n "$stage" ] && prefix="candor-${stage}-"
aws=(aws "$@")
has_region=""
for arg in "$@"; do [ "$arg" = --region ] && has_region=1; done
if [ -z "$has_region" ] && [ -z "${AWS_REGION:-${AWS_DEFAULT_REGION:-}}" ] && [ -z "$(aws configure get region 2>/dev/null || true)" ]; then
  echo "redrive-failed.sh: no AWS region: set AWS_REGION, or pass --region REGION after the stage" >&2
  exit 2
fi
machines=$("${aws[@]}" stepfunctions list-state-machines --output text \
  --query "stateMachines[?starts_with(name, '${prefix}')].stateMachineArn")
count=0 refused=0
for machine in $machines; do
  for exec in $("${aws[@]}" stepfunctions list-executions --state-machine-arn "$machine" \
      --status-filter FAILED --redrive-filter NOT_REDRIVEN --output text --query 'executions[].executionArn'); do
    if "${aws[@]}" stepfunctions redrive-execution --execution-arn "$exec" >/dev/null; then
      echo "redriven: $exec"
      count=$((count + 1))
    else
      echo "refused:  $exec" >&2
      refused=$((refused + 1))
    fi
  done
done
echo "redrove $count execution(s)"
[ "$refused" = 0 ]

#!/usr/bin/env bash
# up: `pulumi up` of STACK, after a merge to the default branch; prints the stack's outputs as JSON. Run the
# recover step first, so that a run killed earlier neither blocks this one nor leaves a create pending.
#
#   STACK=prod steps/up.sh [more pulumi up flags]
#
# Environment: STACK (required), PULUMI (the CLI, default `pulumi`). Run it in the Pulumi project's folder, one
# run per stack at a time (the pipelines' concurrency group / resource_group).
set -euo pipefail

PULUMI="${PULUMI:-pulumi}"
: "${STACK:?set STACK to the stack to update}"

"$PULUMI" stack select --create "$STACK" --non-interactive
"$PULUMI" up --yes --stack "$STACK" --non-interactive "$@"
"$PULUMI" stack output --json --stack "$STACK"

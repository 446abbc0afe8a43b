#!/usr/bin/env bash
# preview: `pulumi preview` of STACK, for a pull or merge request. Its output goes to the job's log and, whatever
# the outcome, into PREVIEW_RESULT (default pulumi-preview.md), a Markdown comment the pipeline posts to the
# request. Exits with the preview's status: a server the provider plugin refuses (not ready, replication stalled
# or lagging, unknown, archived) fails the preview, and so the request's check, and the comment names it.
#
#   STACK=prod steps/preview.sh [more pulumi preview flags, e.g. --refresh]
#
# Environment: STACK (required), PULUMI (the CLI, default `pulumi`), PREVIEW_RESULT. Run it in the Pulumi
# project's folder. A preview takes no lock and changes no state: it needs no recover step.
set -euo pipefail

PULUMI="${PULUMI:-pulumi}"
: "${STACK:?set STACK to the stack to preview}"
result="${PREVIEW_RESULT:-pulumi-preview.md}"
limit=60000  # characters: a GitHub comment holds 65,536 (a GitLab note 1,000,000)

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

status=0
{
  "$PULUMI" stack select --create "$STACK" --non-interactive &&
    "$PULUMI" preview --stack "$STACK" --non-interactive --color never --suppress-progress "$@"
} 2>&1 | tee "$log" || status=$?

if ((status == 0)); then
  verdict="succeeded"
else
  verdict="failed (exit status $status)"
fi
{
  echo "#### \`pulumi preview\` of stack \`$STACK\`: $verdict"
  echo
  echo '```text'
  if (($(wc -c <"$log") > limit)); then
    head -c $((limit / 3)) "$log"
    printf '\n[... cut: the whole output is in the job log ...]\n'
    tail -c $((limit / 2)) "$log"
  else
    cat "$log"
  fi
  echo '```'
} >"$result"
echo "Wrote the preview's result to $result"
exit "$status"

#!/usr/bin/env bash
# recover: run before `up`. Clears what a killed run (a runner killed with SIGKILL, a lost VM, a job timeout that
# killed the process tree) left on the stack, so that the up runs, and adopts the MGN jobs the killed run started
# instead of launching them again:
#
#   1. its lock, as RECOVER_LOCKS says:
#      this-host (the default, what make up does): a file backend's (file://) lock is removed when the pulumi
#        process that holds it ran on this machine and is gone. A live holder's lock stays, and so does one taken on
#        another machine. On S3, GCS, Azure Blob and Pulumi Cloud this step cannot tell a dead run from a live one,
#        and clears nothing: pulumi's own error then names the lock (file backends) or the update in progress (Cloud).
#      cancel: `pulumi cancel --yes`. On a file backend (file://, s3://, gs://, azblob://) it deletes every lock of
#        the stack, a live run's too; on Pulumi Cloud it cancels the update in progress, whoever runs it. Use it only
#        where this pipeline, one run per stack at a time, is the stack's only writer (github-actions.yml's
#        concurrency group, gitlab-ci.yml's resource_group): then a lock found before the up is a dead run's.
#      none: no lock is touched.
#   2. its pending creates: pulumi keeps a create that was under way as a pending operation in the state, and warns
#      about it at every up from then on. `pulumi refresh --clear-pending-creates` drops it: the up creates the
#      resource again, and a Cutover, TestLaunch or LaunchSettings create finds and adopts what the killed run
#      started (its job, its settings). A pending create of another provider's resource is dropped the same way; if
#      that create had finished in the cloud, the resource is then no longer tracked (pulumi's
#      --import-pending-creates imports it instead: run it by hand before this step for such stacks).
#   A pending update or delete is left to pulumi, which warns about it.
#
# Environment: STACK (required), PULUMI (the CLI, default `pulumi`), PYTHON (default `python3`), RECOVER_LOCKS.
# Run it in the Pulumi project's folder. `make up` runs this same step for stack `local` (scripts/local-up.sh).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PULUMI="${PULUMI:-pulumi}"
PYTHON="${PYTHON:-python3}"
: "${STACK:?set STACK to the stack to recover}"
locks="${RECOVER_LOCKS:-this-host}"
case "$locks" in
  this-host | cancel | none) ;;
  *)
    echo "recover.sh: RECOVER_LOCKS must be this-host, cancel or none, not '$locks'" >&2
    exit 2
    ;;
esac

"$PULUMI" stack select --create "$STACK" --non-interactive

case "$locks" in
  this-host)
    "$PULUMI" whoami --verbose --output json | "$PYTHON" "$here/recovery.py" clear-dead-locks "$STACK"
    ;;
  cancel)
    # A DIY backend says "canceled" even when the stack held no lock; Pulumi Cloud answers 409 when no update is in
    # progress. Either way the up goes on: a lock still held fails it, naming the lock.
    if said="$("$PULUMI" cancel --yes --stack "$STACK" --non-interactive 2>&1)"; then
      echo "pulumi cancel: $said"
    else
      echo "pulumi cancel cancelled nothing: $(tail -n 1 <<<"$said")"
    fi
    ;;
  none) ;;
esac

pending="$("$PULUMI" stack export --stack "$STACK" | "$PYTHON" "$here/recovery.py" pending-creates)"
if [[ "$pending" != 0 ]]; then
  echo "Clearing $pending pending create(s) left by a killed run: the next create adopts the job it started."
  "$PULUMI" refresh --clear-pending-creates --yes --skip-preview --stack "$STACK" --non-interactive
fi

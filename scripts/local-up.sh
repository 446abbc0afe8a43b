#!/usr/bin/env bash
# make up (after make venv and make cli): bring up stack `local` against the MGN emulator.
#   1. start the emulator on the stack's endpointUrl (seeded from stacks/local-seed.yaml, state in .local/),
#      unless an emulator already answers there;
#   2. select or create stack local, and recover from a killed run with the GitOps example's own step
#      (examples/gitops/steps/recover.sh): clear the stack's file-backend lock if the pulumi that held it is gone,
#      never a live one's, and drop the creates the killed run left pending (the creates adopt their jobs);
#   3. pulumi up --yes, and print the stack's outputs as JSON.
#
#   scripts/local-up.sh                 # everything
#   scripts/local-up.sh --prepare-only  # only the emulator and the .local folders
#
# MGN_PROJECT_DIR (default: this repository) and LOCAL_DIR (default: its .local) exist for the tests.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROJECT="${MGN_PROJECT_DIR:-$ROOT}"
cd "$PROJECT"

LOCAL_DIR="${LOCAL_DIR:-$PROJECT/.local}"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
SEED="$PROJECT/stacks/local-seed.yaml"
STATE="$LOCAL_DIR/emulator-state.json"
PID_FILE="$LOCAL_DIR/emulator.pid"
LOG="$LOCAL_DIR/emulator.log"

prepare_only=false
case "${1:-}" in
  --prepare-only) prepare_only=true ;;
  "") ;;
  *) echo "usage: scripts/local-up.sh [--prepare-only]" >&2; exit 2 ;;
esac

if [[ ! -x "$PY" ]]; then
  echo "no virtualenv at $PY: run make venv first" >&2
  exit 2
fi
mkdir -p "$LOCAL_DIR/backend"
HELPER="$ROOT/scripts/local_stack.py"
read -r HOST PORT < <("$PY" "$HELPER" endpoint stacks/Pulumi.local.yaml) || exit 2

start_emulator() {
  if "$PY" "$HELPER" answers "$HOST" "$PORT"; then
    echo "MGN emulator already answering on http://$HOST:$PORT"
    return
  fi
  # Its own session: a Ctrl-C of make up leaves it running; make down stops it.
  (cd "$ROOT" && exec setsid "$PY" -m mgn_emulator --host "$HOST" --port "$PORT" --seed "$SEED" \
    --state "$STATE" >"$LOG" 2>&1 </dev/null) &
  local pid=$!
  echo "$pid" >"$PID_FILE"
  for _ in $(seq 1 100); do
    if grep -q "listening on" "$LOG" 2>/dev/null; then
      grep "listening on" "$LOG"
      return
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      echo "MGN emulator did not start: $(tail -n 1 "$LOG")" >&2
      exit 1
    fi
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
  echo "MGN emulator did not report listening within 10 s; see $LOG" >&2
  exit 1
}

start_emulator
if $prepare_only; then
  exit 0
fi

export LOCAL_DIR MGN_PROJECT_DIR="$PROJECT"
# The pipelines' recover step, so that make up and a pipeline clear a killed run's lock and pending creates alike.
PULUMI="$ROOT/scripts/pulumi" PYTHON="$PY" STACK=local RECOVER_LOCKS=this-host \
  "$ROOT/examples/gitops/steps/recover.sh"
"$ROOT/scripts/pulumi" up --yes --stack local --non-interactive
"$ROOT/scripts/pulumi" stack output --json --stack local

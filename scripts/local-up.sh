#!/usr/bin/env bash
# Bring up the `local` stack against the MGN emulator: start the emulator (seeded from stacks/local-seed.yaml,
# state kept in .local/), point Pulumi at a file backend in .local/backend, then `pulumi up` the local stack.
#
#   scripts/local-up.sh                 # everything (needs the pulumi CLI)
#   scripts/local-up.sh --prepare-only  # only the emulator and the .local folders (no pulumi needed)
#
# LOCAL_DIR (default .local) and LOCAL_EMULATOR_PORT (default 4599) exist for the tests; the local stack's
# endpointUrl expects port 4599.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

LOCAL_DIR="${LOCAL_DIR:-$ROOT/.local}"
PORT="${LOCAL_EMULATOR_PORT:-4599}"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
SEED="$ROOT/stacks/local-seed.yaml"
STATE="$LOCAL_DIR/emulator-state.json"
PID_FILE="$LOCAL_DIR/emulator.pid"
LOG="$LOCAL_DIR/emulator.log"
PULUMI_MISSING="pulumi CLI not found: install it from https://www.pulumi.com/docs/install/ and re-run make up"

prepare_only=false
case "${1:-}" in
  --prepare-only) prepare_only=true ;;
  "") ;;
  *) echo "usage: scripts/local-up.sh [--prepare-only]" >&2; exit 2 ;;
esac

if ! $prepare_only && ! command -v pulumi >/dev/null 2>&1; then
  echo "$PULUMI_MISSING" >&2
  exit 1
fi
if [[ ! -x "$PY" ]]; then
  echo "no virtualenv at $PY: run make venv first" >&2
  exit 1
fi

mkdir -p "$LOCAL_DIR/backend"

start_emulator() {
  if [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    echo "MGN emulator already running (pid $(cat "$PID_FILE"))"
    return
  fi
  "$PY" -m mgn_resources.emulator --seed "$SEED" --state "$STATE" --port "$PORT" >"$LOG" 2>&1 &
  local pid=$!
  echo "$pid" >"$PID_FILE"
  for _ in $(seq 1 100); do
    if grep -q "listening on" "$LOG" 2>/dev/null; then
      grep "listening on" "$LOG"
      return
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      echo "MGN emulator did not start:" >&2
      cat "$LOG" >&2
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

# A file backend in .local/backend, chosen through the environment so the user's own `pulumi login` is untouched.
export PULUMI_BACKEND_URL="file://$LOCAL_DIR/backend"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-}"
export PULUMI_SKIP_UPDATE_CHECK=true

pulumi stack select --create local --non-interactive
pulumi up --yes --stack local --non-interactive
pulumi stack output --stack local

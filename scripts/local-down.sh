#!/usr/bin/env bash
# Tear down the `local` stack (pulumi destroy) and stop the MGN emulator that scripts/local-up.sh started.
#
#   scripts/local-down.sh                 # destroy (when the pulumi CLI is there), then stop the emulator
#   scripts/local-down.sh --emulator-only # only stop the emulator
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

LOCAL_DIR="${LOCAL_DIR:-$ROOT/.local}"
PID_FILE="$LOCAL_DIR/emulator.pid"

emulator_only=false
case "${1:-}" in
  --emulator-only) emulator_only=true ;;
  "") ;;
  *) echo "usage: scripts/local-down.sh [--emulator-only]" >&2; exit 2 ;;
esac

if ! $emulator_only; then
  if command -v pulumi >/dev/null 2>&1; then
    export PULUMI_BACKEND_URL="file://$LOCAL_DIR/backend"
    export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-}"
    export PULUMI_SKIP_UPDATE_CHECK=true
    pulumi destroy --yes --stack local --non-interactive
  else
    echo "pulumi CLI not found: skipping pulumi destroy, stopping the emulator only" >&2
  fi
fi

if [[ -f "$PID_FILE" ]]; then
  pid="$(cat "$PID_FILE")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    echo "MGN emulator stopped (pid $pid)"
  fi
  rm -f "$PID_FILE"
fi

#!/usr/bin/env bash
# make down: destroy stack `local` (pulumi destroy), then stop the MGN emulator that make up started.
# An emulator that make up found already running is left alone.
#
#   scripts/local-down.sh                 # destroy, then stop the emulator
#   scripts/local-down.sh --emulator-only # only stop the emulator
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROJECT="${MGN_PROJECT_DIR:-$ROOT}"
LOCAL_DIR="${LOCAL_DIR:-$PROJECT/.local}"
export LOCAL_DIR MGN_PROJECT_DIR="$PROJECT"
PID_FILE="$LOCAL_DIR/emulator.pid"

emulator_only=false
case "${1:-}" in
  --emulator-only) emulator_only=true ;;
  "") ;;
  *) echo "usage: scripts/local-down.sh [--emulator-only]" >&2; exit 2 ;;
esac

if ! $emulator_only; then
  if [[ -d "$LOCAL_DIR/backend/.pulumi/stacks" ]]; then
    # destroy reverts or terminates through MGN: the emulator must answer (it may be down after a reboot).
    "$ROOT/scripts/local-up.sh" --prepare-only
    "$ROOT/scripts/pulumi" destroy --yes --stack local --non-interactive
  else
    echo "No local stack to destroy."
  fi
fi

if [[ -f "$PID_FILE" ]]; then
  pid="$(cat "$PID_FILE")"
  # Only the emulator make up started: after a reboot the pid may belong to another program.
  # (python -m mgn_emulator; 0.1.0's make up started python -m mgn_resources.emulator.)
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null \
      | grep -qE "mgn_emulator|mgn_resources[.]emulator"; then
    kill "$pid"
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    echo "MGN emulator stopped (pid $pid)"
  fi
  rm -f "$PID_FILE"
fi

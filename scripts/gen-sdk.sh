#!/usr/bin/env bash
# make sdk: write the SDKs of the provider plugin's package `mgn` for Python, TypeScript and Go (sdk/python,
# sdk/nodejs, sdk/go) from its package schema, mgn_resources/plugin/schema.json, with Pulumi's own generators.
#
#   scripts/gen-sdk.sh            build the generator if needed, then rewrite sdk/
#   scripts/gen-sdk.sh --check    change nothing; exit 1 naming each file of sdk/ a fresh generation would change
#   scripts/gen-sdk.sh --build    only build the generator (make sdkgen: what the tests need)
#
# - The generator, tools/sdkgen, calls codegen/python, codegen/nodejs and codegen/go of github.com/pulumi/pulumi/pkg/v3:
#   the code `pulumi package gen-sdk` reaches through each language's host, which is not built here (only the
#   Python host is, and it does not generate SDKs). Its own module, at the CLI's pkg/v3 (tools/pulumi/go.mod), so
#   changing it never rebuilds the CLI; go.sum checks every module.
# - Built into .local/sdkgen; a second build from the same go.mod, go.sum and main.go returns at once, without Go.
# - SDK_DIR (default sdk/) is where the SDKs are written or checked.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/tools/sdkgen"
BIN="$ROOT/.local/sdkgen"
TOOL="$BIN/sdkgen"
STAMP="$BIN/.sdkgen.built-from"
SCHEMA="$ROOT/mgn_resources/plugin/schema.json"
SDK="${SDK_DIR:-$ROOT/sdk}"
LANGUAGES=(python nodejs go)

mode=write
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  --build) mode=build ;;
  *) echo "usage: scripts/gen-sdk.sh [--check | --build]" >&2; exit 2 ;;
esac

build_fingerprint() {
  cat "$TOOLS/go.mod" "$TOOLS/go.sum" "$TOOLS/main.go" | sha256sum | cut -d' ' -f1
}

build() {
  # Kept only while go.mod, go.sum and main.go are the ones it was built from.
  if [[ -x "$TOOL" && "$(cat "$STAMP" 2>/dev/null)" == "$(build_fingerprint)" ]]; then
    return
  fi
  if ! command -v go >/dev/null 2>&1; then
    echo "make sdk: Go (1.26 or newer, https://go.dev/dl/) is needed to build the SDK generator tools/sdkgen; install it and re-run make sdk" >&2
    exit 2
  fi
  local started=$SECONDS
  echo "Building the SDK generator tools/sdkgen with $(go version | cut -d' ' -f3) into ${BIN#"$ROOT"/}."
  echo "After make cli its modules are already downloaded; the first build compiles for about 1 to 2 minutes on 2 cores, later builds take seconds."
  mkdir -p "$BIN"
  trap 'rm -f "$TOOL.partial"' EXIT
  # Built beside the tool and moved over it, so a stopped build never leaves half a binary under the real name.
  (cd "$TOOLS" && go build -buildvcs=false -trimpath -o "$TOOL.partial" .)
  mv -f "$TOOL.partial" "$TOOL"
  build_fingerprint >"$STAMP"
  echo "Built tools/sdkgen in $((SECONDS - started)) s."
}

build
case "$mode" in
  build) ;;
  write)
    "$TOOL" "$SCHEMA" "$SDK"
    echo "Wrote the SDKs of package mgn into ${SDK#"$ROOT"/}/: ${LANGUAGES[*]}."
    ;;
  check)
    fresh="$(mktemp -d)"
    trap 'rm -rf "$fresh"' EXIT
    "$TOOL" "$SCHEMA" "$fresh"
    stale=()
    for language in "${LANGUAGES[@]}"; do
      # `diff -rq` names each file that differs or is only on one side; its own wording is kept.
      while IFS= read -r line; do
        stale+=("$line")
      done < <(diff -rq "$SDK/$language" "$fresh/$language" 2>&1 | sed "s#$fresh/#(generated) #g; s#${SDK%/}/##g" || true)
    done
    if ((${#stale[@]})); then
      {
        echo "make sdk: ${SDK#"$ROOT"/}/ is out of date with mgn_resources/plugin/schema.json: run make sdk"
        printf '  %s\n' "${stale[@]}"
      } >&2
      exit 1
    fi
    ;;
esac

#!/usr/bin/env bash
# make yaml-host: put Pulumi's YAML language host, pulumi-language-yaml, into .local/pulumi/bin beside the CLI
# (make cli), so a Pulumi.yaml with `runtime: yaml` runs through scripts/pulumi.
#
# - Built with Go from the main package github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml, as pinned in
#   tools/pulumi-yaml/go.mod (go.sum checks every module). It has a module of its own: pulumi-yaml does not compile
#   against the CLI's pkg/v3 (tools/pulumi), and its own pins of pkg/v3 and sdk/v3 are older than the CLI's, which
#   runs it through the language-host gRPC protocol.
# - The CLI finds it on PATH (scripts/pulumi puts .local/pulumi/bin first) or next to the pulumi binary.
# - A second run with the host built from the same go.mod and go.sum returns at once, without Go.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${PULUMI_CLI_DIR:-$ROOT/.local/pulumi/bin}"
TOOLS="$ROOT/tools/pulumi-yaml"
HOST="$BIN/pulumi-language-yaml"
STAMP="$BIN/.pulumi-language-yaml.built-from"
PACKAGE=github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml

VERSION="$(sed -n 's#^\s*github.com/pulumi/pulumi-yaml \(v[0-9][0-9.]*\)\( .*\)\?$#\1#p' "$TOOLS/go.mod")"
if [[ -z "$VERSION" ]]; then
  echo "make yaml-host: tools/pulumi-yaml/go.mod must require github.com/pulumi/pulumi-yaml at a release version" >&2
  exit 2
fi

build_fingerprint() {
  cat "$TOOLS/go.mod" "$TOOLS/go.sum" | sha256sum | cut -d' ' -f1
}

# Kept only while go.mod and go.sum are the ones it was built from.
if [[ -x "$HOST" && "$(cat "$STAMP" 2>/dev/null)" == "$(build_fingerprint)" ]]; then
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "make yaml-host: Go (1.26 or newer, https://go.dev/dl/) is needed to build the YAML language host pulumi-yaml $VERSION; install it and re-run make yaml-host" >&2
  exit 2
fi

started=$SECONDS
echo "Building the YAML language host pulumi-language-yaml (pulumi-yaml $VERSION) with $(go version | cut -d' ' -f3) into ${BIN#"$ROOT"/}."
echo "The first build downloads about 90 MB of Go modules (420 MB unpacked) and compiles for about 2 minutes on 2 cores; later builds take seconds."
mkdir -p "$BIN"
trap 'rm -f "$HOST.partial"' EXIT
# Built beside the host and moved over it, so a stopped build never leaves half a binary under the real name.
(
  cd "$TOOLS"
  go build -buildvcs=false -trimpath -ldflags "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=$VERSION" \
    -o "$HOST.partial" "$PACKAGE"
)
mv -f "$HOST.partial" "$HOST"
build_fingerprint >"$STAMP"
echo "Built pulumi-language-yaml $VERSION in $((SECONDS - started)) s."

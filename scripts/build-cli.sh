#!/usr/bin/env bash
# make cli: put the pulumi CLI, its Python language host and the SDK's two Python shims into .local/pulumi/bin,
# at exactly the version of the Python SDK pinned in requirements.txt.
#
# - A pulumi of exactly that version already on PATH (with its pulumi-language-python beside it) is linked in.
# - Otherwise the CLI is built with Go from the module github.com/pulumi/pulumi/pkg/v3 as pinned in
#   tools/pulumi/go.mod (go.sum checks every module), the language host from tools/pulumi/languagehost, and the
#   shims are copied out of the Go module cache (module github.com/pulumi/pulumi/sdk/v3).
# - A second run with everything in place returns at once.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${PULUMI_CLI_DIR:-$ROOT/.local/pulumi/bin}"
TOOLS="$ROOT/tools/pulumi"
BINARIES=(pulumi pulumi-language-python pulumi-language-python-exec pulumi-resource-pulumi-python)

VERSION="$(sed -n 's/^pulumi==\([0-9.]*\).*/\1/p' "$ROOT/requirements.txt")"
if [[ -z "$VERSION" ]]; then
  echo "make cli: requirements.txt must pin the Python SDK as pulumi==X.Y.Z" >&2
  exit 2
fi
for module in pkg sdk; do
  if ! grep -Eq "^\s*github.com/pulumi/pulumi/$module/v3 v${VERSION//./\\.}( |\$)" "$TOOLS/go.mod"; then
    echo "make cli: tools/pulumi/go.mod must require github.com/pulumi/pulumi/$module/v3 v$VERSION, as requirements.txt pins pulumi==$VERSION" >&2
    exit 2
  fi
done

version_of() { "$1" version 2>/dev/null | tr -d '[:space:]' || true; }

installed() {
  local name
  for name in "${BINARIES[@]}"; do
    [[ -x "$BIN/$name" ]] || return 1
  done
  [[ "$(version_of "$BIN/pulumi")" == "v$VERSION" ]] || return 1
  # A build from this tools module is kept only while the module and the language host are unchanged.
  [[ -L "$BIN/pulumi" ]] || [[ "$(cat "$BIN/.built-from" 2>/dev/null)" == "$(build_fingerprint)" ]]
}

build_fingerprint() {
  cat "$TOOLS/go.mod" "$TOOLS/go.sum" "$TOOLS"/languagehost/*.go | sha256sum | cut -d' ' -f1
}

link_from_path() {
  local cli dir name
  cli="$(command -v pulumi 2>/dev/null)" || return 1
  [[ "$(version_of "$cli")" == "v$VERSION" ]] || return 1
  dir="$(dirname "$(readlink -f "$cli")")"
  # Our own build, found through PATH, is never "a pulumi on PATH": it is rebuilt when out of date.
  [[ "$dir" -ef "$BIN" ]] && return 1
  for name in "${BINARIES[@]}"; do
    [[ -x "$dir/$name" ]] || return 1
  done
  mkdir -p "$BIN" || return 1
  for name in "${BINARIES[@]}"; do
    ln -sfn "$dir/$name" "$BIN/$name" || return 1
  done
  rm -f "$BIN/.built-from"
  echo "Using the pulumi v$VERSION found at $dir"
}

build_with_go() {
  local started ldflags sdk_dir
  if ! command -v go >/dev/null 2>&1; then
    echo "make cli: neither Go (1.26 or newer, https://go.dev/dl/) to build the pulumi CLI v$VERSION nor a pulumi v$VERSION on PATH (https://www.pulumi.com/docs/iac/download-install/versions/) was found; install one and re-run make cli" >&2
    exit 2
  fi
  started=$SECONDS
  echo "Building the pulumi CLI v$VERSION and its Python language host with $(go version | cut -d' ' -f3) into ${BIN#"$ROOT"/}."
  echo "The first build downloads about 450 MB of Go modules and compiles for 5 to 15 minutes on 2 cores; later builds take seconds."
  mkdir -p "$BIN"
  ldflags="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$VERSION"
  (
    cd "$TOOLS"
    echo "  [1/3] pulumi (module github.com/pulumi/pulumi/pkg/v3 v$VERSION)"
    go build -buildvcs=false -trimpath -ldflags "$ldflags" -o "$BIN/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
    echo "  [2/3] pulumi-language-python (tools/pulumi/languagehost, on github.com/pulumi/pulumi/sdk/v3 v$VERSION)"
    go build -buildvcs=false -trimpath -ldflags "$ldflags" -o "$BIN/pulumi-language-python" ./languagehost
  )
  echo "  [3/3] the SDK's shims pulumi-language-python-exec and pulumi-resource-pulumi-python"
  sdk_dir="$(cd "$TOOLS" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
  install -m 0755 "$sdk_dir/python/cmd/pulumi-language-python-exec" "$BIN/pulumi-language-python-exec"
  install -m 0755 "$sdk_dir/python/dist/pulumi-resource-pulumi-python" "$BIN/pulumi-resource-pulumi-python"
  build_fingerprint >"$BIN/.built-from"
  echo "Built pulumi $(version_of "$BIN/pulumi") in $((SECONDS - started)) s."
}

if installed; then
  exit 0
fi
link_from_path || build_with_go

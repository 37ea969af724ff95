#!/usr/bin/env bash
# Refreshes grammars/tree-sitter-go.wasm from the tree-sitter-go npm package.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${1:-0.25.0}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "tree-sitter-go@$VERSION" >/dev/null && tar xzf tree-sitter-go-*.tgz)
cp "$tmp/package/tree-sitter-go.wasm" grammars/tree-sitter-go.wasm
echo "grammars/tree-sitter-go.wasm <- tree-sitter-go@$VERSION ($(wc -c < grammars/tree-sitter-go.wasm) bytes); update grammars/README.md"

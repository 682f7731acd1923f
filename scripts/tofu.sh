#!/usr/bin/env bash
# Builds OpenTofu from tools/opentofu (a pinned Go module: the Go module
# proxy is the only source) into a cache directory once, and prints the
# path of the binary on stdout. Later runs reuse the binary as long as
# tools/opentofu/go.mod and go.sum are unchanged.
#
# The cold build takes about four minutes on two cores; Go's build cache
# makes a rebuild (for example after the cache directory was removed) fast.
#
#   scripts/tofu.sh              build if needed, print the path
#   TF_BIN=$(scripts/tofu.sh) scripts/check-examples.sh
#
# IMS_TOFU_CACHE overrides the cache directory (default: beside Go's build
# cache, $(go env GOCACHE)/../ims-tofu).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module="$root/tools/opentofu"

if ! command -v go >/dev/null 2>&1; then
	echo "tofu.sh: go is not on PATH; it is needed to build OpenTofu." >&2
	exit 1
fi

version="$(cd "$module" && go list -m -f '{{.Version}}' github.com/opentofu/opentofu)"
# As OpenTofu's own release build links it: without dev=no the binary calls
# itself "<version>-dev".
ldflags="-s -w -X github.com/opentofu/opentofu/version.dev=no"
# The key changes whenever the pinned module graph (a version bump, the hcl
# replace) or the flags do, so a stale binary is never reused.
key="$(printf '%s\n' "$ldflags" | cat - "$module/go.mod" "$module/go.sum" | sha256sum | cut -c1-12)"
gocache="$(go env GOCACHE)"
case "$gocache" in
/*) default_cache="$gocache/../ims-tofu" ;;
*) default_cache="${XDG_CACHE_HOME:-$HOME/.cache}/ims-tofu" ;; # GOCACHE=off
esac
cache="${IMS_TOFU_CACHE:-$default_cache}"
bin="$cache/$version-$key/tofu"

if [ ! -x "$bin" ]; then
	echo "tofu.sh: building OpenTofu $version into $bin (a few minutes the first time)" >&2
	mkdir -p "$(dirname "$bin")"
	# Build into a temporary name and rename, so an interrupted build never
	# leaves a half-written binary that a later run would trust.
	(cd "$module" && go build -trimpath -ldflags "$ldflags" -o "$bin.tmp.$$" github.com/opentofu/opentofu/cmd/tofu)
	mv "$bin.tmp.$$" "$bin"
fi

# Resolve ../ so the path printed is plain.
echo "$(cd "$(dirname "$bin")" && pwd)/tofu"

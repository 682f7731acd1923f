#!/usr/bin/env bash
# Builds Terraform 1.15 from tools/terraform (a pinned Go module: the Go
# module proxy is the only source; its go.mod says why a plain go install
# cannot build it) into a cache directory once, and prints the path of the
# binary on stdout. Later runs reuse the binary as long as
# tools/terraform/go.mod, go.sum, the stand-ins and the flags are unchanged.
#
# The cold build takes about five minutes on two cores; Go's build cache
# makes a rebuild (for example after the cache directory was removed) fast.
#
#   scripts/terraform15.sh       build if needed, print the path
#   TF_BIN=$(scripts/terraform15.sh) scripts/check-examples.sh
#
# IMS_TERRAFORM_CACHE overrides the cache directory (default: beside Go's
# build cache, $(go env GOCACHE)/../ims-terraform).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module="$root/tools/terraform"

if ! command -v go >/dev/null 2>&1; then
	echo "terraform15.sh: go is not on PATH; it is needed to build Terraform." >&2
	exit 1
fi

version="$(cd "$module" && go list -m -f '{{.Version}}' github.com/hashicorp/terraform)"
# As Terraform's own release build links it: without dev=no the binary
# calls itself "1.15.0-dev".
ldflags="-s -w -X github.com/hashicorp/terraform/version.dev=no"
# The key changes whenever the pinned module graph (a version bump, a
# stand-in) or the flags do, so a stale binary is never reused.
key="$(printf '%s\n' "$ldflags" | cat - "$module/go.mod" "$module/go.sum" $(cd "$module" && find standin -type f | LC_ALL=C sort | sed "s#^#$module/#") | sha256sum | cut -c1-12)"
gocache="$(go env GOCACHE)"
case "$gocache" in
/*) default_cache="$gocache/../ims-terraform" ;;
*) default_cache="${XDG_CACHE_HOME:-$HOME/.cache}/ims-terraform" ;; # GOCACHE=off
esac
cache="${IMS_TERRAFORM_CACHE:-$default_cache}"
bin="$cache/$version-$key/terraform"

if [ ! -x "$bin" ]; then
	echo "terraform15.sh: building Terraform $version into $bin (a few minutes the first time)" >&2
	mkdir -p "$(dirname "$bin")"
	# Build into a temporary name and rename, so an interrupted build never
	# leaves a half-written binary that a later run would trust.
	(cd "$module" && go build -trimpath -ldflags "$ldflags" -o "$bin.tmp.$$" github.com/hashicorp/terraform)
	mv "$bin.tmp.$$" "$bin"
fi

# Resolve ../ so the path printed is plain.
echo "$(cd "$(dirname "$bin")" && pwd)/terraform"

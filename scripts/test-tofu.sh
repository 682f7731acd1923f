#!/usr/bin/env bash
# make test-tofu: the provider's resource.UnitTest suite (and the TRACE-log
# secrets test) run by OpenTofu instead of Terraform, against the emulator.
#
# terraform-plugin-testing drives whatever binary TF_ACC_TERRAFORM_PATH
# names and serves the provider in-process (reattach). It names the
# provider <host>/hashicorp/ims, with <host> Terraform's registry by
# default; OpenTofu resolves the same unqualified "ims" to its own registry
# host, so a reattached provider under the default name is never used and
# every step fails "provider ... not available". TF_ACC_PROVIDER_HOST fixes
# the name; the host is read from the tofu binary itself (how it expands
# "cloudimages/ims"), never written down here.
#
# Extra arguments go to go test (for example -run TestParseOrganizationURN).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

tofu="$(bash scripts/tofu.sh)"
# A TF_CLI_CONFIG_FILE that names no file makes tofu print a warning on
# stdout before `version -json`, which terraform-plugin-testing then cannot
# parse ("unable to parse version"), failing every case: there is nothing
# to read in it anyway.
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -e "$TF_CLI_CONFIG_FILE" ]; then
	unset TF_CLI_CONFIG_FILE
fi
echo "==> tofu $("$tofu" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')"

work="$(mktemp -d "${TMPDIR:-/tmp}/ims-test-tofu.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cat >"$work/main.tf" <<'TF'
terraform {
  required_providers {
    ims = { source = "cloudimages/ims" }
  }
}
TF
# `tofu providers` prints provider[<host>/cloudimages/ims] and needs no init.
host="$(cd "$work" && CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$tofu" providers -no-color 2>&1 |
	sed -n 's#.*provider\[\([^/]*\)/cloudimages/ims\].*#\1#p')"
if [ -z "$host" ]; then
	echo "test-tofu: could not read the default provider host from $tofu providers" >&2
	exit 1
fi

export TF_ACC_TERRAFORM_PATH="$tofu"
export TF_ACC_PROVIDER_HOST="$host"
echo "==> go test ./internal/provider/ with TF_ACC_TERRAFORM_PATH=$tofu TF_ACC_PROVIDER_HOST=$host"
go test -count=1 -timeout 30m ${TEST_FLAGS:-} "$@" ./internal/provider/

#!/usr/bin/env bash
# make test-terraform15: the provider's resource.UnitTest suite (and the
# tests that run the CLI themselves: the TRACE-log secrets test, the
# adoption recipe) run by Terraform 1.15, built by scripts/terraform15.sh,
# against the emulator. The tests that need resource identity (1.12+) or
# `terraform query` (1.14+) run here; under an older CLI they skip with the
# reason.
#
# terraform-plugin-testing drives whatever binary TF_ACC_TERRAFORM_PATH
# names and serves the provider in-process (reattach); Terraform's own
# provider host is the default, so nothing else is needed.
#
# Extra arguments go to go test (for example -run TestImageShareList).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

terraform="$(bash scripts/terraform15.sh)"
echo "==> terraform $("$terraform" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')"

export TF_ACC_TERRAFORM_PATH="$terraform"
echo "==> go test ./internal/provider/ with TF_ACC_TERRAFORM_PATH=$terraform"
go test -count=1 -timeout 30m ${TEST_FLAGS:-} "$@" ./internal/provider/

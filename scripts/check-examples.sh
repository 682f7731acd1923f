#!/usr/bin/env bash
# Checks everything under examples/ against a provider built from this tree,
# offline:
#   1. terraform fmt -check -recursive examples
#   2. terraform validate in every example directory (a copy of it)
#   3. terraform test in every example directory with *.tftest.hcl files (in
#      it or in its tests/); the suites mock the provider or call only its
#      functions: no credentials, no network
#
# The provider is built into a temporary directory and used through a
# dev_overrides CLI configuration, so no `terraform init` and no registry are
# needed. Everything the script creates lives in one temporary directory that
# is removed on exit; the work tree is left as it was.
#
# Usage: scripts/check-examples.sh        (from anywhere in the repository)
#        TF_BIN=/path/to/tofu scripts/check-examples.sh   (the same under OpenTofu)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# TF_BIN is the CLI every step runs: terraform (the default) or tofu.
TF_BIN="${TF_BIN:-terraform}"
if ! command -v "$TF_BIN" >/dev/null 2>&1; then
	echo "check-examples: $TF_BIN is not on PATH." >&2
	echo "check-examples: install Terraform 1.8 or later or OpenTofu 1.8 or later (provider functions in examples/policy/project-wide and examples/demo; test with mock_provider), or set TF_BIN; CI runs Terraform 1.11.4 and 1.15.0 and OpenTofu 1.12.6." >&2
	exit 1
fi
tf_name="$(basename "$TF_BIN")"
if ! command -v go >/dev/null 2>&1; then
	echo "check-examples: go is not on PATH; it is needed to build the provider." >&2
	exit 1
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/ims-examples.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# OpenTofu reports its own version under the same key.
echo "==> $tf_name $("$TF_BIN" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')"

echo "==> building the provider"
mkdir -p "$tmp/bin"
go build -o "$tmp/bin/terraform-provider-ims" .

cat >"$tmp/cli.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "cloudimages/ims" = "$tmp/bin"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$tmp/cli.tfrc"
export TF_IN_AUTOMATION=1
export CHECKPOINT_DISABLE=1
# Terraform must not find real credentials or settings in the caller's
# environment: the checks are offline by design.
unset HW_ACCESS_KEY HW_SECRET_KEY HW_SECURITY_TOKEN HW_PROFILE HW_SHARED_CONFIG_FILE || true
# Any TF_VAR_* of the caller would change what the examples see.
while IFS= read -r name; do unset "$name"; done < <(env | sed -n 's/^\(TF_VAR_[A-Za-z0-9_]*\)=.*/\1/p')

failed=0

echo "==> $tf_name fmt -check -recursive examples"
if ! "$TF_BIN" fmt -check -recursive -diff examples; then
	echo "check-examples: examples are not formatted; run: $tf_name fmt -recursive examples" >&2
	failed=1
fi

# copy_module DIR COPY: the .tf files of DIR in COPY. The documentation
# snippets (data-source.tf, function.tf) have no terraform block, so the copy
# gets one: without it "ims" would mean hashicorp/ims, which no dev_overrides
# entry serves.
copy_module() {
	mkdir -p "$2"
	cp "$1"/*.tf "$2"/
	cp "$1"/*.tfquery.hcl "$2"/ 2>/dev/null || true
	if ! grep -q 'required_providers' "$2"/*.tf; then
		cat >"$2/zz_check_examples_providers.tf" <<'EOF'
terraform {
  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}
EOF
	fi
}

# Every directory holding .tf files is a root module of its own. Validate a
# copy so that nothing is written into the work tree.
echo "==> $tf_name validate"
# A CLI with `terraform query` (Terraform 1.14+) validates the list blocks
# of *.tfquery.hcl files too; older ones ignore those files.
validate_flags=()
if "$TF_BIN" validate -help 2>&1 | grep -q -- '-query'; then
	validate_flags=(-query)
fi
n=0
while IFS= read -r dir; do
	n=$((n + 1))
	copy="$tmp/validate/$n"
	copy_module "$dir" "$copy"
	if out="$(cd "$copy" && "$TF_BIN" validate -no-color "${validate_flags[@]}" 2>&1)"; then
		echo "ok   $dir"
	else
		echo "FAIL $dir" >&2
		echo "$out" >&2
		failed=1
	fi
done < <(find examples -name '*.tf' -not -path '*/.terraform/*' -printf '%h\n' | sort -u)

# Every module with a test suite (*.tftest.hcl in it or in its tests/), each
# in a copy of the module with its tests/.
echo "==> $tf_name test"
suites=0
while IFS= read -r dir; do
	suites=$((suites + 1))
	copy="$tmp/test/$(echo "$dir" | tr '/' '_')"
	copy_module "$dir" "$copy"
	cp "$dir"/*.tftest.hcl "$copy"/ 2>/dev/null || true
	[ ! -d "$dir/tests" ] || cp -r "$dir/tests" "$copy"/
	echo "--- $dir"
	if ! (cd "$copy" && "$TF_BIN" test -no-color) >"$tmp/test.log" 2>&1; then
		cat "$tmp/test.log"
		echo "check-examples: $tf_name test failed in $dir" >&2
		if grep -q 'expected object type, found tuple' "$tmp/test.log"; then
			cat >&2 <<'EOF'
check-examples: Terraform could not mock the data source's members. Terraform
  before the fix of hashicorp/terraform#38369 cannot put a list into an
  override_data or mock_data value for a nested attribute (a framework
  ListNestedAttribute). The members attribute has to be a ListAttribute whose
  ElementType is the member object type for terraform test to be able to mock
  it, as users of these recipes will.
EOF
		fi
		failed=1
	else
		cat "$tmp/test.log"
	fi
done < <(find examples -name '*.tftest.hcl' -not -path '*/.terraform/*' -printf '%h\n' | sed 's#/tests$##' | sort -u)
if [ "$suites" -eq 0 ]; then
	echo "check-examples: found no *.tftest.hcl under examples/" >&2
	failed=1
fi

if [ "$failed" -ne 0 ]; then
	echo "check-examples: FAILED" >&2
	exit 1
fi
echo "check-examples: all examples formatted, valid and their $suites test suites pass under $tf_name"

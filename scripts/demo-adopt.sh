#!/usr/bin/env bash
# make demo-adopt: the shares someone made in the console brought under
# configuration, against the bundled emulator (examples/adopt-existing-shares
# and the guide "Adopting existing shares"). With a CLI that has `terraform
# query` (Terraform 1.14+) it lists the shares and answers and writes their
# configuration with -generate-config-out; otherwise it reads them with
# ims_shared_images and ims_images and imports them with for_each import
# blocks. Either way the first plan must import every object with no change,
# the apply writes nothing, and the plan after it is empty. Leaves nothing
# behind. TF_BIN picks the CLI: terraform (the default) or tofu.
set -euo pipefail
cd "$(dirname "$0")/.."

script_name="make demo-adopt"
# shellcheck source=scripts/emulator-lib.sh
. scripts/emulator-lib.sh
need go "Install Go 1.26 or newer."
TF_BIN="${TF_BIN:-terraform}"
need "$TF_BIN" "Install Terraform 1.7 or newer or OpenTofu 1.7 or newer, for import blocks with for_each (CI runs Terraform 1.11.4 and 1.15.0 and OpenTofu 1.12.6), or point PATH or TF_BIN at it."
tf_name=$(basename "$TF_BIN")

serve_demo ""
color=""
[ -t 1 ] || color=-no-color
tf() { "$TF_BIN" -chdir="$work/config" "$@"; }

# demo_override DIR: the emulator's endpoint and the demo's credentials
# for the example's empty provider block, as an override file, so the
# example itself stays as a user would write it.
demo_override() {
  cat >"$1/demo_override.tf" <<TF
provider "ims" {
  region     = "$demo_region"
  access_key = "$demo_access_key"
  secret_key = "$demo_secret_key"
  endpoints  = { ims = "$emulator_url", iam = "$emulator_url" }
}
TF
}

# The demo data's project shares "web-golden" (26 members) and
# "batch-worker" (3), and answered two images the analytics project shared
# with it: 2 shares and 2 answers to adopt.
want_imports=4

if "$TF_BIN" query -help >/dev/null 2>&1; then
  cp -R examples/adopt-existing-shares/query "$work/config"
  demo_override "$work/config"
  echo "==> $tf_name query: every share and every answer the project has"
  tf query $color
  echo
  echo "==> $tf_name query -generate-config-out=generated.tf"
  tf query -generate-config-out=generated.tf $color >/dev/null
  sed -n '1,24p' "$work/config/generated.tf"
  echo "    ... ($(grep -c '^import {' "$work/config/generated.tf") import blocks in all)"
else
  echo "==> $tf_name has no query command (Terraform 1.14+): reading the shares with ims_shared_images and importing them with for_each"
  cp -R examples/adopt-existing-shares/for-each "$work/config"
  demo_override "$work/config"
  demo_override "$work/config/discover"
  "$TF_BIN" -chdir="$work/config/discover" apply -input=false -lock=false -auto-approve $color >/dev/null
  "$TF_BIN" -chdir="$work/config/discover" output -raw tfvars >"$work/config/adopted.auto.tfvars.json"
  echo "==> adopted.auto.tfvars.json, written by discover/:"
  cat "$work/config/adopted.auto.tfvars.json"
  echo
fi

echo
echo "==> $tf_name plan: every object imported, nothing changed"
tf plan -input=false -lock=false $color | tee "$work/plan.txt"
if ! grep -q "Plan: $want_imports to import, 0 to add, 0 to change, 0 to destroy." "$work/plan.txt"; then
  echo "$script_name: the adoption plan is not $want_imports imports and nothing else" >&2
  exit 1
fi

echo
echo "==> $tf_name apply: the imports; no write reaches the cloud"
tf apply -input=false -lock=false -auto-approve $color >/dev/null
if grep -qE ' (POST|PUT|DELETE) ' "$work/emulator.log"; then
  grep -E ' (POST|PUT|DELETE) ' "$work/emulator.log" >&2
  echo "$script_name: adopting wrote to the cloud" >&2
  exit 1
fi
tf plan -input=false -lock=false -detailed-exitcode $color >/dev/null || {
  echo "$script_name: the plan after adoption is not empty" >&2
  exit 1
}
echo "    the configuration now owns $want_imports objects; the plan after the apply is empty"

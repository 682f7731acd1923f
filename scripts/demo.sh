#!/usr/bin/env bash
# make demo: the provider reading image members from the bundled emulator,
# with no cloud account, ending with an account-wide audit (every region's
# projects, each behind its own emulated gateway at URL/{region}). Builds both, serves the demo data on a free
# loopback port, plans examples/demo through a dev_overrides CLI config,
# and leaves nothing behind. TF_BIN picks the CLI: terraform (the default)
# or tofu (make demo-tofu).
set -euo pipefail
cd "$(dirname "$0")/.."

script_name="make demo"
# shellcheck source=scripts/emulator-lib.sh
. scripts/emulator-lib.sh
need go "Install Go 1.26 or newer."
TF_BIN="${TF_BIN:-terraform}"
need "$TF_BIN" "Install Terraform 1.8 or newer or OpenTofu 1.7 or newer, for the demo's provider functions (CI runs Terraform 1.11.4 and 1.15.0 and OpenTofu 1.12.6), or point PATH or TF_BIN at it."
tf_name=$(basename "$TF_BIN")

serve_demo ""
# No project_id: the provider looks it up through the emulator's IAM.
export TF_VAR_page_size=10

echo "==> $tf_name plan in examples/demo"
color=""
[ -t 1 ] || color=-no-color
"$TF_BIN" -chdir=examples/demo plan -input=false -lock=false $color

echo
echo "==> what the emulator served (one line per signed request)"
grep -E '^[0-9:.]+ GET ' "$work/emulator.log" || grep -E 'GET ' "$work/emulator.log" || true

#!/usr/bin/env bash
# make demo: the provider reading image members from the bundled emulator,
# with no cloud account. Builds both, serves the demo data on a free
# loopback port, plans examples/demo through a dev_overrides CLI config,
# and leaves nothing behind.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1 || { echo "make demo: '$1' is not on PATH. $2" >&2; exit 1; }; }
need go "Install Go 1.26 or newer."
need terraform "Install Terraform 1.11 or newer (or point PATH at it)."

work=$(mktemp -d)
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "==> building the provider and the emulator"
mkdir -p "$work/bin"
go build -o "$work/bin/terraform-provider-ims" .
go build -o "$work/ims-emulator" ./cmd/ims-emulator

region=cn-north-4
project_id=0123456789abcdef0123456789abcdef
access_key=DEMOACCESSKEY0000001
secret_key=demo-secret-key-not-for-production

echo "==> starting the emulator on 127.0.0.1 (a free port)"
"$work/ims-emulator" -addr 127.0.0.1:0 -fixture cmd/ims-emulator/testdata/demo.json \
  -region "$region" -project-id "$project_id" -access-key "$access_key" -secret-key "$secret_key" \
  -write-addr "$work/url" -v >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/url" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; echo "make demo: the emulator did not start" >&2; exit 1; }
  sleep 0.1
done
[ -s "$work/url" ] || { cat "$work/emulator.log" >&2; echo "make demo: the emulator did not report its address" >&2; exit 1; }
url=$(cat "$work/url")
echo "    emulator at $url"

cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "cloudimages/ims" = "$work/bin"
  }
  direct {}
}
RC

export TF_CLI_CONFIG_FILE="$work/terraformrc"
export TF_DATA_DIR="$work/tfdata"
export TF_IN_AUTOMATION=1
export TF_VAR_endpoint="$url"
export TF_VAR_region="$region"
# No project_id: the provider looks it up through the emulator's IAM.
export TF_VAR_page_size=10
export TF_VAR_access_key="$access_key"
export TF_VAR_secret_key="$secret_key"

echo "==> terraform plan in examples/demo"
color=""
[ -t 1 ] || color=-no-color
terraform -chdir=examples/demo plan -input=false -lock=false $color

echo
echo "==> what the emulator served (one line per signed request)"
grep -E '^[0-9:.]+ GET ' "$work/emulator.log" || grep -E 'GET ' "$work/emulator.log" || true

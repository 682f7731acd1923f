#!/usr/bin/env bash
# make demo-share: sharing managed in configuration, against the bundled
# emulator. Applies examples/demo-share (a share, awaited through the
# cloud's job, and an acceptance), changes the world the way someone in
# the console would (the emulator's admin API shares the image with one
# more project), shows the plan that catches that drift, puts it back, and
# destroys everything. Leaves nothing behind. TF_BIN picks the CLI:
# terraform (the default) or tofu (make demo-tofu).
set -euo pipefail
cd "$(dirname "$0")/.."

script_name="make demo-share"
# shellcheck source=scripts/emulator-lib.sh
. scripts/emulator-lib.sh
need go "Install Go 1.26 or newer."
TF_BIN="${TF_BIN:-terraform}"
need "$TF_BIN" "Install Terraform 1.0 or newer or OpenTofu 1.6 or newer (CI runs Terraform 1.11.4 and 1.15.0 and OpenTofu 1.12.6), or point PATH or TF_BIN at it."
tf_name=$(basename "$TF_BIN")

serve_demo "; each share job runs for 1s" -job-duration 1s
# The configuration is copied so that its state stays in $work.
cp -R examples/demo-share "$work/config"
color=""
[ -t 1 ] || color=-no-color
tf() { "$TF_BIN" -chdir="$work/config" "$@"; }

echo "==> $tf_name apply: share the image and accept the one shared with us"
tf apply -input=false -lock=false -auto-approve $color

image_id=5b2b7a35-2f8b-4f3a-9d7e-0d5c3b1a2e4f
stranger=77777777777777777777777777777777
echo
echo "==> someone shares the image with project $stranger in the console (the emulator's admin API)"
"$work/ims-emulator" admin "$emulator_url/_emulator/members" \
  "{\"project_id\":\"$demo_project_id\",\"image_id\":\"$image_id\",\"members\":[{\"member_id\":\"$stranger\",\"member_type\":\"project\",\"status\":\"accepted\"}]}"

echo "==> $tf_name plan: the drift shows"
set +e
tf plan -input=false -lock=false -detailed-exitcode $color | tee "$work/drift.txt"
plan_status=${PIPESTATUS[0]}
set -e
if [ "$plan_status" -ne 2 ] || ! grep -q "$stranger" "$work/drift.txt"; then
  echo "$script_name: the plan did not show the member added outside Terraform (exit $plan_status)" >&2
  exit 1
fi

echo
echo "==> $tf_name apply: the configuration wins again"
tf apply -input=false -lock=false -auto-approve $color

echo
echo "==> $tf_name destroy (the share is removed; the acceptance becomes a rejection: the API cannot forget an answer)"
tf destroy -input=false -lock=false -auto-approve $color

echo
echo "==> the writes the emulator served, and the job polls"
grep -E ' (POST|PUT|DELETE) |/jobs/' "$work/emulator.log" || true

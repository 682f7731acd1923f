#!/usr/bin/env bash
# make bench-e2e: how long `terraform plan` of examples/demo takes against
# the bundled emulator, and how much of that is the provider. Builds the
# provider (release flags) and the emulator into a temp dir, starts the
# emulator on a free loopback port, plans through a dev_overrides CLI config
# with TF_VAR_* as scripts/demo.sh does, and leaves nothing behind.
#
# For each scenario: one untimed warm-up plan, then RUNS (default 5) plans
# under `/usr/bin/time -v` (median wall time, CPU time and max RSS of
# terraform and the provider processes it waited for), then RUNS plans with the provider binary wrapped in
# /usr/bin/time as well (median provider CPU time, user + system, over every
# provider process the plan started, and the largest provider RSS).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}

script_name="make bench-e2e"
# shellcheck source=scripts/emulator-lib.sh
. scripts/emulator-lib.sh
need go "Install Go 1.26 or newer."
need terraform "Install Terraform 1.8 or newer, for the demo's provider functions (the README's figures are from 1.11.4), or point PATH at it."

# GNU time gives max RSS; without it, bash's time gives wall time only.
gnu_time=/usr/bin/time
if ! [ -x "$gnu_time" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> installing GNU time (apt-get install time)"
  { apt-get update -qq && apt-get install -y -qq time; } >/dev/null 2>&1 || true
fi
if ! [ -x "$gnu_time" ] || ! "$gnu_time" -v true >/dev/null 2>&1; then
  gnu_time=""
  echo "make bench-e2e: GNU time is not available; falling back to bash's time (wall time only, no RSS, no provider-only time)" >&2
fi

work=$(mktemp -d)
cleanup() {
  stop_emulator
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "==> building the provider and the emulator"
mkdir -p "$work/real" "$work/plain" "$work/wrapped"
go build -trimpath -ldflags "-s -w" -o "$work/real/terraform-provider-ims" .
go build -o "$work/ims-emulator" ./cmd/ims-emulator
ln -s "$work/real/terraform-provider-ims" "$work/plain/terraform-provider-ims"
# The wrapper appends "wall user system maxrss_kb" per provider process.
cat >"$work/wrapped/terraform-provider-ims" <<SH
#!/bin/sh
exec $gnu_time -a -o "$work/provider-times" -f '%e %U %S %M' "$work/real/terraform-provider-ims" "\$@"
SH
chmod +x "$work/wrapped/terraform-provider-ims"

one_image=0e1b7a35-2f8b-4f3a-9d7e-0d5c3b1a2e4f

echo "==> starting the emulator on 127.0.0.1 (a free port)"
# The demo data set, plus one image with a single generated member.
start_emulator "$work/ims-emulator" -members 1 -image-id "$one_image"

cli_config "$work/plain" >"$work/plain.tfrc"
cli_config "$work/wrapped" >"$work/wrapped.tfrc"

export TF_DATA_DIR="$work/tfdata"
export TF_IN_AUTOMATION=1
export TF_VAR_endpoint="$emulator_url"
export TF_VAR_region="$demo_region"
# No project_id: the provider looks it up through the emulator's IAM, as
# in the demo.
export TF_VAR_access_key="$demo_access_key"
export TF_VAR_secret_key="$demo_secret_key"

median() { sort -g | awk '{v[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

# plan CONFIG OUTPUT_TIME_FILE: one terraform plan; fails the script if the
# plan fails or does not read what the scenario expects.
plan() {
  local tfrc=$1 timefile=$2
  local cmd=(terraform -chdir=examples/demo plan -input=false -lock=false -no-color -refresh=true)
  if [ -n "$gnu_time" ] && [ -n "$timefile" ]; then
    TF_CLI_CONFIG_FILE="$tfrc" "$gnu_time" -v -o "$timefile" "${cmd[@]}" >"$work/plan.log" 2>&1 || { cat "$work/plan.log" >&2; exit 1; }
  elif [ -n "$timefile" ]; then
    local TIMEFORMAT=%R
    { time TF_CLI_CONFIG_FILE="$tfrc" "${cmd[@]}" >"$work/plan.log" 2>&1; } 2>"$timefile" || { cat "$work/plan.log" >&2; exit 1; }
  else
    TF_CLI_CONFIG_FILE="$tfrc" "${cmd[@]}" >"$work/plan.log" 2>&1 || { cat "$work/plan.log" >&2; exit 1; }
  fi
  grep -q "members_total *= *$expect_members\$" "$work/plan.log" || {
    cat "$work/plan.log" >&2; echo "make bench-e2e: the plan did not read $expect_members member(s)" >&2; exit 1
  }
}

# wall seconds from a `time -v` report (h:mm:ss or m:ss.ss), or bash's %R.
wall_seconds() {
  if [ -n "$gnu_time" ]; then
    awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$1"
  else
    cat "$1"
  fi
}
cpu_seconds() { awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$1"; }
max_rss_mb() { awk -F': ' '/Maximum resident set size/ {printf "%.1f\n", $2 / 1024}' "$1"; }

scenario() { # name, expected members; TF_VAR_* set by the caller
  local name=$1
  expect_members=$2
  plan "$work/plain.tfrc" "" # warm-up: page cache, first provider start
  : >"$work/walls"
  : >"$work/rss"
  : >"$work/plancpu"
  for i in $(seq 1 "$RUNS"); do
    plan "$work/plain.tfrc" "$work/time.$i"
    wall_seconds "$work/time.$i" >>"$work/walls"
    [ -z "$gnu_time" ] || max_rss_mb "$work/time.$i" >>"$work/rss"
    [ -z "$gnu_time" ] || cpu_seconds "$work/time.$i" >>"$work/plancpu"
  done
  local wall rss plancpu cpu launches prss
  wall=$(median <"$work/walls")
  rss=$(median <"$work/rss")
  plancpu=$(median <"$work/plancpu")
  cpu=n/a launches=n/a prss=n/a
  if [ -n "$gnu_time" ]; then
    : >"$work/cpus"
    : >"$work/prss"
    for _ in $(seq 1 "$RUNS"); do
      : >"$work/provider-times"
      plan "$work/wrapped.tfrc" ""
      awk '{c += $2 + $3; if ($4 > m) m = $4} END {print c}' "$work/provider-times" >>"$work/cpus"
      awk '{if ($4 > m) m = $4} END {printf "%.1f\n", m / 1024}' "$work/provider-times" >>"$work/prss"
      launches=$(wc -l <"$work/provider-times")
    done
    cpu=$(median <"$work/cpus")
    prss=$(median <"$work/prss")
  fi
  printf '%-38s  wall %5ss  CPU %5ss  max RSS %5s MB  | provider: CPU %5ss in %s process(es), max RSS %5s MB\n' \
    "$name" "$wall" "$plancpu" "$rss" "$cpu" "$launches" "$prss"
}

echo "==> terraform plan of examples/demo, median of $RUNS (after one warm-up each)"
export TF_VAR_image_ids='[]'
export TF_VAR_image_id="$one_image"
scenario "one data source, one member" 1
unset TF_VAR_image_id
export TF_VAR_image_ids='[]'
scenario "no data source (Terraform alone)" 0
unset TF_VAR_image_ids
export TF_VAR_page_size=10
scenario "demo data set (3 images, 28 members)" 28

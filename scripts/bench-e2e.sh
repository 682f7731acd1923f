#!/usr/bin/env bash
# make bench-e2e: what a real `terraform plan` costs the provider process and
# Terraform, each apart, against the bundled emulator. Builds the provider
# (release flags) and the emulator into a temp dir, serves each scenario's
# data on a free loopback port, plans through a dev_overrides CLI config
# whose provider is a wrapper that runs the real binary under GNU time, and
# leaves nothing behind.
#
# Scenarios (DEVELOPMENT.md "Performance"):
#   demo         examples/demo as `make demo` plans it (3 images, 10 members a page)
#   for_each     scripts/bench/audit-for-each: ims_images + ims_image_members
#                over 200 images x 256 members, 20 ms latency, no throttling
#   one_read     scripts/bench/audit-one-read: one ims_shared_images of
#                1,000 images x 256 members, 256,000 members in one state
#   at_scale     (BENCH_E2E_AT_SCALE=1) the whole-project audit both ways over
#                1,000 images x 256 members, gateway throttled to 20/s
#   account      scripts/bench/audit-account: 5 regions x 200 shared images x
#                50 members, each region's gateway throttled to 20/s; the
#                account-wide read (all_projects), then each region's project
#                read alone, one after another, in the same run
#
# Each scenario: one untimed warm-up plan, then RUNS (default 3) timed plans;
# the script prints the median of each figure. The provider's figures add up
# every provider process of a plan (CPU) or take the largest (RSS).
# Terraform's CPU is its own: GNU time's total for terraform, which includes
# the processes it waited for, minus the provider's. Its peak RSS comes from
# wait4, which reports the largest of terraform and its children: it is
# Terraform's own whenever it exceeds the provider's, and printed as "<= X"
# otherwise.
#
#   RUNS=5 make bench-e2e                   more runs
#   SCENARIOS="for_each" make bench-e2e     some scenarios only
#   BENCH_E2E_AT_SCALE=1 make bench-e2e     add the throttled audit (minutes)
#   PROVIDER_ENV="GOGC=100" make bench-e2e  the provider (only) under a GC setting
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
SCENARIOS=${SCENARIOS:-"demo for_each one_read account"}
if [ "${BENCH_E2E_AT_SCALE:-}" = 1 ]; then SCENARIOS="$SCENARIOS at_scale"; fi

script_name="make bench-e2e"
# shellcheck source=scripts/emulator-lib.sh
. scripts/emulator-lib.sh
need go "Install Go 1.26 or newer."
need terraform "Install Terraform 1.8 or newer, for the demo's provider functions (DEVELOPMENT.md's figures are from 1.11.4), or point PATH at it."

gnu_time=/usr/bin/time
if ! [ -x "$gnu_time" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> installing GNU time (apt-get install time)"
  { apt-get update -qq && apt-get install -y -qq time; } >/dev/null 2>&1 || true
fi
if ! [ -x "$gnu_time" ] || ! "$gnu_time" -f %e true >/dev/null 2>&1; then
  echo "$script_name: needs GNU time at /usr/bin/time (apt-get install time) to measure the provider apart from Terraform" >&2
  exit 1
fi

make_work

echo "==> building the provider and the emulator"
mkdir -p "$work/real" "$work/wrapped"
go build -trimpath -ldflags "-s -w" -o "$work/real/terraform-provider-ims" .
go build -o "$work/ims-emulator" ./cmd/ims-emulator
# The wrapper appends "wall user system maxrss_kb" per provider process.
# PROVIDER_ENV (such as GOGC=400) reaches the provider only, not Terraform.
cat >"$work/wrapped/terraform-provider-ims" <<SH
#!/bin/sh
exec env ${PROVIDER_ENV:-} $gnu_time -a -o "$work/provider-times" -f '%e %U %S %M' "$work/real/terraform-provider-ims" "\$@"
SH
chmod +x "$work/wrapped/terraform-provider-ims"
cli_config "$work/wrapped" >"$work/wrapped.tfrc"

demo_cli_env "$work/wrapped.tfrc"

# serve FLAGS...: (re)starts the emulator with the demo data plus FLAGS.
serve() {
  stop_emulator
  rm -f "$work/url"
  start_emulator "$work/ims-emulator" "$@"
  export TF_VAR_endpoint="$emulator_url"
}

# api_span: seconds from the first to the last request the emulator logged
# (-v) during the last plan.
api_span() {
  tail -n +"$(($(cat "$work/log-start") + 1))" "$work/emulator.log" |
    awk '/^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]+ / {split($1, t, ":"); s = t[1] * 3600 + t[2] * 60 + t[3]; if (n++ == 0) a = s; b = s}
      END {if (n) printf "%.2f\n", b - a; else print 0}'
}

median() { sort -g | awk '{v[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

# plan DIR OUTPUT: one terraform plan of DIR; fails the script if the plan
# fails, and prints the number the plan's output OUTPUT shows.
plan() {
  local dir=$1 output=$2
  : >"$work/provider-times"
  wc -l <"$work/emulator.log" >"$work/log-start"
  "$gnu_time" -o "$work/terraform-time" -f '%e %U %S %M' \
    terraform -chdir="$dir" plan -input=false -lock=false -no-color -refresh=true >"$work/plan.log" 2>&1 ||
    { cat "$work/plan.log" >&2; echo "$script_name: the plan of $dir failed" >&2; exit 1; }
  local n
  n=$(sed -n "s/^ *+ *$output *= *\([0-9][0-9]*\)\$/\1/p" "$work/plan.log" | head -1)
  [ -n "$n" ] || { cat "$work/plan.log" >&2; echo "$script_name: the plan shows no $output" >&2; exit 1; }
  echo "$n"
}

printf '%-52s %7s %9s %9s %9s %5s %10s %10s\n' "" "wall" "provider" "provider" "provider" "procs" "terraform" "terraform"
printf '%-52s %7s %9s %9s %9s %5s %10s %10s\n' "scenario (median of $RUNS)" "s" "CPU s" "us/member" "peak MB" "" "CPU s" "peak MB"

# measure NAME DIR OUTPUT: warm-up, RUNS timed plans, one line of medians.
measure() {
  local name=$1 dir=$2 output=$3 members
  members=$(plan "$dir" "$output") # warm-up: page cache, first provider start
  for f in wall pcpu prss procs tcpu trss; do : >"$work/$f"; done
  for _ in $(seq 1 "$RUNS"); do
    members=$(plan "$dir" "$output")
    read -r twall tuser tsys tmax <"$work/terraform-time"
    awk '{c += $2 + $3; if ($4 > m) m = $4} END {printf "%.2f %d %d\n", c, m, NR}' "$work/provider-times" >"$work/p"
    read -r pcpu pmax procs <"$work/p"
    echo "$twall" >>"$work/wall"
    echo "$pcpu" >>"$work/pcpu"
    awk -v k="$pmax" 'BEGIN {printf "%.1f\n", k / 1024}' >>"$work/prss"
    echo "$procs" >>"$work/procs"
    awk -v u="$tuser" -v s="$tsys" -v p="$pcpu" 'BEGIN {printf "%.2f\n", u + s - p}' >>"$work/tcpu"
    # wait4's peak is max(terraform, provider): Terraform's own only when larger.
    awk -v t="$tmax" -v p="$pmax" 'BEGIN {if (t > p) printf "%.1f\n", t / 1024; else printf "-%.1f\n", t / 1024}' >>"$work/trss"
  done
  local pcpu per trss
  pcpu=$(median <"$work/pcpu")
  per=$(awk -v c="$pcpu" -v n="$members" 'BEGIN {if (n > 0) printf "%.1f", c * 1e6 / n; else print "n/a"}')
  trss=$(sort -g "$work/trss" | awk '{v[NR]=$1} END {x = v[int((NR+1)/2)]; if (x < 0) printf "<=%.1f", -x; else printf "%.1f", x}')
  printf '%-52s %7s %9s %9s %9s %5s %10s %10s\n' "$name ($members members)" "$(median <"$work/wall")" "$pcpu" "$per" \
    "$(median <"$work/prss")" "$(median <"$work/procs")" "$(median <"$work/tcpu")" "$trss"
}

for scenario in $SCENARIOS; do
  unset TF_VAR_project_id TF_VAR_image_ids TF_VAR_image_id TF_VAR_page_size TF_VAR_whole_project_audit
  case $scenario in
  demo)
    serve
    export TF_VAR_page_size=10
    measure "demo plan, 10 members a page" examples/demo members_total
    ;;
  for_each)
    serve -images 200 -members 256 -latency 20ms
    export TF_VAR_project_id="$demo_project_id"
    measure "audit for_each: 200 images, 20 ms latency" scripts/bench/audit-for-each members
    ;;
  one_read)
    serve -images 1000 -members 256
    export TF_VAR_project_id="$demo_project_id"
    measure "audit in one ims_shared_images read: 1,000 images" scripts/bench/audit-one-read members
    ;;
  at_scale)
    serve -images 1000 -members 256 -rate-limit 20 -burst 20
    export TF_VAR_project_id="$demo_project_id"
    measure "audit one read, 1,000 images, 20 req/s" scripts/bench/audit-one-read members
    measure "audit for_each, 1,000 images, 20 req/s" scripts/bench/audit-for-each members
    ;;
  account)
    # Five regions, each its own gateway at 20 requests/s (burst 20): the
    # account-wide read should take about as long as the slowest region
    # read alone (goal: within 1.3x), at no more provider CPU per member.
    more="ap-southeast-1,ap-southeast-2,af-south-1,tr-west-1"
    # -v logs each request's arrival: the span from the first to the last
    # request of the last timed plan is how long the provider's read took at
    # the API, without Terraform's own work on the state around it.
    serve -v -images 200 -members 50 -rate-limit 20 -burst 20 -more-regions "$more"
    unset TF_VAR_region
    measure "account-wide: 5 regions x 200 images, 20 req/s each" scripts/bench/audit-account members
    account_wall=$(median <"$work/wall") account_cpu=$(median <"$work/pcpu") account_span=$(api_span)
    slowest=0 slowest_span=0 single_cpu=0
    for region in cn-north-4 ${more//,/ }; do
      export TF_VAR_region=$region
      measure "  one region alone: $region" scripts/bench/audit-account members
      slowest=$(awk -v a="$slowest" -v b="$(median <"$work/wall")" 'BEGIN {print (b > a ? b : a)}')
      slowest_span=$(awk -v a="$slowest_span" -v b="$(api_span)" 'BEGIN {print (b > a ? b : a)}')
      single_cpu=$(awk -v a="$single_cpu" -v b="$(median <"$work/pcpu")" 'BEGIN {print a + b}')
    done
    export TF_VAR_region="$demo_region"
    awk -v w="$account_wall" -v s="$slowest" -v c="$account_cpu" -v sc="$single_cpu" -v aspan="$account_span" -v sspan="$slowest_span" 'BEGIN {
      printf "  account-wide plan %.2f s = %.2fx the slowest region alone (%.2f s; goal <= 1.3x)\n", w, w / s, s
      printf "  account-wide read at the API %.2f s = %.2fx the slowest region alone (%.2f s), first to last request of the last plan\n", aspan, aspan / sspan, sspan
      printf "  provider CPU %.2f s vs %.2f s for the five regions alone (%.0f%%)\n", c, sc, 100 * c / sc }'
    ;;
  *)
    echo "$script_name: unknown scenario $scenario" >&2
    exit 1
    ;;
  esac
done

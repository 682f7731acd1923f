# Shared by scripts/demo.sh, scripts/demo-share.sh and scripts/bench-e2e.sh: prerequisites, the
# emulator on a free loopback port, and a dev_overrides CLI config. Sourced,
# not run. The caller sets $work (a temp dir it removes) and $script_name.

# Credentials and project the emulator is started with and the demo uses.
demo_region=cn-north-4
demo_project_id=0123456789abcdef0123456789abcdef
demo_access_key=DEMOACCESSKEY0000001
demo_secret_key=demo-secret-key-not-for-production

need() { command -v "$1" >/dev/null 2>&1 || { echo "$script_name: '$1' is not on PATH. $2" >&2; exit 1; }; }

emulator_pid=""
stop_emulator() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
}

# start_emulator BINARY [FLAGS...]: serves the demo data set (plus FLAGS)
# and sets $emulator_url once it listens; its output goes to $work/emulator.log.
start_emulator() {
  local binary=$1
  shift
  "$binary" -addr 127.0.0.1:0 -fixture cmd/ims-emulator/testdata/demo.json \
    -region "$demo_region" -project-id "$demo_project_id" -access-key "$demo_access_key" -secret-key "$demo_secret_key" \
    -write-addr "$work/url" "$@" >"$work/emulator.log" 2>&1 &
  emulator_pid=$!
  for _ in $(seq 1 100); do
    [ -s "$work/url" ] && break
    kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; echo "$script_name: the emulator did not start" >&2; exit 1; }
    sleep 0.1
  done
  [ -s "$work/url" ] || { cat "$work/emulator.log" >&2; echo "$script_name: the emulator did not report its address" >&2; exit 1; }
  emulator_url=$(cat "$work/url")
}

# cli_config DIR: a Terraform CLI config that takes cloudimages/ims from DIR.
cli_config() {
  cat <<RC
provider_installation {
  dev_overrides {
    "cloudimages/ims" = "$1"
  }
  direct {}
}
RC
}

# make_work: $work, a temp dir removed on exit with the emulator stopped.
make_work() {
  work=$(mktemp -d)
  trap 'stop_emulator; rm -rf "$work"' EXIT INT TERM
}

# demo_cli_env CLI_CONFIG: exports what the CLI needs to plan against the
# emulator with the demo's credentials: the dev_overrides config, a data
# dir in $work, and the region and keys as TF_VAR_* (the endpoint is set
# once the emulator listens).
demo_cli_env() {
  export TF_CLI_CONFIG_FILE="$1"
  export TF_DATA_DIR="$work/tfdata"
  export TF_IN_AUTOMATION=1
  export TF_VAR_region="$demo_region"
  export TF_VAR_access_key="$demo_access_key"
  export TF_VAR_secret_key="$demo_secret_key"
}

# serve_demo NOTE [FLAGS...]: what make demo and make demo-share share.
# Makes $work, builds the provider and the emulator into it, starts the
# emulator (-v plus FLAGS; NOTE is printed with the start), and exports the
# CLI's settings (demo_cli_env) and TF_VAR_endpoint.
serve_demo() {
  local note=$1
  shift
  make_work

  echo "==> building the provider and the emulator"
  mkdir -p "$work/bin"
  go build -o "$work/bin/terraform-provider-ims" .
  go build -o "$work/ims-emulator" ./cmd/ims-emulator

  echo "==> starting the emulator on 127.0.0.1 (a free port)$note"
  start_emulator "$work/ims-emulator" -v "$@"
  echo "    emulator at $emulator_url"
  cli_config "$work/bin" >"$work/terraformrc"
  demo_cli_env "$work/terraformrc"
  export TF_VAR_endpoint="$emulator_url"
}

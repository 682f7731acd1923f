#!/usr/bin/env bash
# Fails when docs/ differs from a fresh tfplugindocs generation, then runs
# tfplugindocs validate. Uses the terraform on PATH; never downloads one.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v terraform >/dev/null 2>&1 || { echo "check-docs: terraform is not on PATH; tfplugindocs needs it to read the provider schema." >&2; exit 1; }

tfplugindocs() { go run -C tools github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs "$@"; }

tfplugindocs generate --provider-dir .. --provider-name ims
drift=$(git status --porcelain -- docs)
if [ -n "$drift" ]; then
  echo "check-docs: docs/ is out of date with the schema, templates or examples; run 'make generate' and commit:" >&2
  echo "$drift" >&2
  git --no-pager diff -- docs >&2 || true
  exit 1
fi
tfplugindocs validate --provider-dir .. --provider-name ims
echo "check-docs: docs/ is up to date and valid"

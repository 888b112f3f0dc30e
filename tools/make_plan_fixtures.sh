#!/usr/bin/env bash
# Regenerate tests/fixtures/plan/*.json: real `terraform show -json` plans, made offline with
# Terraform 1.11.4 and the AWS provider 5.100.0 from a filesystem mirror (default /opt/tf-plugins).
# Each source is copied to a scratch folder; every `provider "aws"` block gets fake credentials
# and the skip_* settings (a plan of new resources then makes no AWS call) and the provider is
# pinned to the mirrored version by an override file. Usage: tools/make_plan_fixtures.sh [MIRROR]
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
mirror=${1:-/opt/tf-plugins}
out="$repo/tests/fixtures/plan"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export TF_CLI_CONFIG_FILE=/dev/null TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

plan() { # plan NAME SOURCE_DIR
  local name=$1 source=$2 work="$scratch/$1"
  cp -R "$source" "$work"
  find "$work" -name '*.tf' -exec sed -i '/^provider "aws" {$/a\
  access_key                  = "AKIAPLANFIXTURE00000"\
  secret_key                  = "not-a-secret"\
  skip_credentials_validation = true\
  skip_requesting_account_id  = true\
  skip_metadata_api_check     = true\
  skip_region_validation      = true' {} +
  cat >"$work/offline_override.tf" <<'TF'
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}
TF
  terraform -chdir="$work" init -input=false -no-color -plugin-dir "$mirror" >/dev/null
  terraform -chdir="$work" plan -input=false -no-color -out plan.bin >/dev/null
  terraform -chdir="$work" show -json plan.bin | python3 -m json.tool --indent 1 >"$out/$name.json"
  echo "wrote $out/$name.json"
}

plan legacy-shop "$repo/samples/lint/legacy-shop"
plan modules "$out/src/modules"
plan read-data "$out/src/read-data"

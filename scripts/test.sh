#!/usr/bin/env bash
# Runs every check on a fresh machine: the same bootstrap as start.sh, then config check, type-check, lint,
# publish metadata and API reports, every jest test (unit, backend harness and integration tests against
# moto_server, which the tests start and stop themselves on free loopback ports), the build, the install check
# and the end-to-end journeys. Ends with one line: `N passed, N failed`.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
# The bootstrap runs with `set -e`; from here on a failing check is counted, not fatal.
set +e
cd "$ROOT"

passed=0
failed=0
step() {
  local name="$1"
  shift
  log "$name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    log "FAILED: $name"
  fi
}

source "$ROOT/scripts/postgres.sh"
start_postgres
trap stop_postgres EXIT

if ! command -v moto_server >/dev/null 2>&1; then
  log "moto_server is not installed; the integration tests need it:  pip install \"moto[server]\""
fi

# Tests never talk to real AWS: no ambient credentials or profiles reach them.
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true

step "config check (app-config.yaml)" yarn backstage-cli config:check --config app-config.yaml
step "config check (app-config.yaml + app-config.production.yaml)" \
  yarn backstage-cli config:check --lax --config app-config.yaml --config app-config.production.yaml
step "type-check" yarn tsc
step "type-check the benchmarks (tsc -p bench)" yarn tsc -p bench
step "lint" yarn backstage-cli repo lint
# What a published package needs: the metadata `repo fix --publish` would write, and the public surface of each
# package as its committed API report records it (a change of the surface must come with its report).
step "publish metadata (repo fix --publish --check)" yarn backstage-cli repo fix --publish --check
step "API reports unchanged (api-reports --ci)" yarn build:api-reports:only --ci \
  plugins/privatelink plugins/privatelink-backend plugins/catalog-backend-module-privatelink \
  plugins/scaffolder-privatelink plugins/privatelink-common plugins/privatelink-node

results="$ROOT/.tools/jest-results.json"
rm -f "$results"
log "jest (every package)"
CI=true yarn backstage-cli repo test --json --outputFile="$results"
jest_status=$?
if [ -f "$results" ]; then
  read -r jp jf < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites)' "$results")
  passed=$((passed + jp))
  failed=$((failed + jf))
  if [ "$jest_status" -ne 0 ] && [ "$jf" -eq 0 ]; then failed=$((failed + 1)); fi
else
  failed=$((failed + 1))
  log "jest wrote no results"
fi

# After jest, so that no built output is in the way of its module map.
step "build every package and the app (repo build --all)" yarn backstage-cli repo build --all

# The new user's path (packages/install-check): the built packages packed with `yarn pack` and served from a
# registry on loopback, a new app from @backstage/create-app, the README's install section applied to it, and
# that app's type-check, build, backend (against moto) and card in Chromium; one result per check.
log "install check (a new Backstage app with the README's install section)"
install_results="$ROOT/.tools/install-check-results.json"
rm -f "$install_results"
node --disable-warning=MODULE_TYPELESS_PACKAGE_JSON packages/install-check/src/cli.ts --results "$install_results"
install_status=$?
if [ -f "$install_results" ]; then
  read -r ip if_ < <(node -e 'const r=require(process.argv[1]);console.log(r.passed, r.failed)' "$install_results")
  passed=$((passed + ip))
  failed=$((failed + if_))
  if [ "$install_status" -ne 0 ] && [ "$if_" -eq 0 ]; then failed=$((failed + 1)); fi
else
  failed=$((failed + 1))
  log "the install check wrote no results"
fi

log "end-to-end journeys (headless Chromium against the started app)"
bash "$ROOT/scripts/e2e.sh"
e2e_status=$?
e2e_results="$ROOT/e2e-test-results/results.json"
if [ -f "$e2e_results" ]; then
  read -r ep ef < <(node -e 'const s=require(process.argv[1]).stats;console.log(s.expected + s.flaky, s.unexpected)' "$e2e_results")
  passed=$((passed + ep))
  failed=$((failed + ef))
  if [ "$e2e_status" -ne 0 ] && [ "$ef" -eq 0 ]; then failed=$((failed + 1)); fi
else
  failed=$((failed + 1))
  log "the end-to-end journeys wrote no results"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Runs the end-to-end journeys (e2e/tests) in headless Chromium against the app of scripts/start.sh, started
# here on the embedded default and stopped at the end. Screenshots of each step: e2e-test-results/screenshots.
# Used by scripts/test.sh; run alone with `./scripts/e2e.sh`.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
# The bootstrap runs with `set -e`; from here on a failing check is counted, not fatal.
set +e
cd "$ROOT"

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing Chromium from Debian"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) >&2
  fi
fi
command -v chromium >/dev/null 2>&1 || { log "Chromium is missing: apt-get install chromium"; exit 1; }
export CHROMIUM_PATH="$(command -v chromium)"

for port in 3000 7007; do
  if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    log "port $port is in use: stop the running app first"
    exit 1
  fi
done

rm -rf e2e-test-results
mkdir -p e2e-test-results
started=$(date +%s)
setsid ./scripts/start.sh >e2e-test-results/app.log 2>&1 &
app=$!
stop_app() {
  # TERM, not INT: a background job of a non-interactive shell ignores INT, and an ignored signal cannot be trapped.
  kill -TERM -- "-$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
}
trap stop_app EXIT

# Ready when the frontend answers and the first sync has put the seeded services in the catalog.
ready=""
for _ in $(seq 1 400); do
  kill -0 "$app" 2>/dev/null || break
  if curl -fs -o /dev/null http://localhost:3000 && [ -n "$(sed -n 's/^.*moto listening at \(http[^;]*\);.*$/\1/p' e2e-test-results/app.log | head -n 1)" ]; then
    token=$(curl -fs http://localhost:7007/api/auth/guest/refresh | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).backstageIdentity.token)}catch{}})')
    if [ -n "$token" ] && curl -fs -H "Authorization: Bearer $token" \
      'http://localhost:7007/api/catalog/entities/by-query?filter=kind=resource,spec.type=vpc-endpoint-service&limit=1' | grep -q '"items":\[{'; then
      ready=yes
      break
    fi
  fi
  sleep 1
done
if [ -z "$ready" ]; then
  tail -50 e2e-test-results/app.log >&2
  log "the app did not become ready"
  exit 1
fi
log "app ready after $(( $(date +%s) - started )) s"

export MOTO_ENDPOINT="$(sed -n 's/^.*moto listening at \(http[^;]*\);.*$/\1/p' e2e-test-results/app.log | head -n 1)"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
journeys_started=$(date +%s)
yarn playwright test --config e2e/playwright.config.ts "$@"
status=$?
log "journeys took $(( $(date +%s) - journeys_started )) s"
exit $status

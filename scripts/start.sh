#!/usr/bin/env bash
# Starts the whole demo: Node 22 and dependencies if missing, moto on a free loopback port seeded with the demo
# AWS organisation, then the Backstage backend (:7007) and frontend (:3000). Ctrl-C stops everything it started.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$ROOT"

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do
    # Each child runs in its own process group (set -m below), so the whole group goes.
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  log "stopped"
}
trap cleanup INT TERM EXIT
set -m

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_SESSION_TOKEN

if command -v moto_server >/dev/null 2>&1; then
  motolog="$TOOLS/moto.log"
  node --disable-warning=MODULE_TYPELESS_PACKAGE_JSON packages/dev-aws/src/cli.ts moto >"$motolog" 2>&1 &
  pids+=($!)
  endpoint=""
  # Wait for the line in which the launcher reports the endpoint; the launcher itself waits for readiness.
  for _ in $(seq 1 600); do
    endpoint="$(sed -n 's/^MOTO_ENDPOINT=//p' "$motolog" | head -n 1)"
    [ -n "$endpoint" ] && break
    kill -0 "${pids[0]}" 2>/dev/null || { cat "$motolog" >&2; log "moto did not start"; exit 1; }
    sleep 0.1
  done
  [ -n "$endpoint" ] || { cat "$motolog" >&2; log "moto did not report its endpoint"; exit 1; }
  log "moto listening at $endpoint; seeding the demo organisation"
  node --disable-warning=MODULE_TYPELESS_PACKAGE_JSON packages/dev-aws/src/cli.ts seed --endpoint "$endpoint"
  # Every AWS SDK client of the backend goes to moto: ours through privatelink.endpoint, the STS client of
  # @backstage/integration-aws-node (role assumption into the consumer accounts) through AWS_ENDPOINT_URL.
  export AWS_ENDPOINT_URL="$endpoint"
  export APP_CONFIG_privatelink_endpoint="\"$endpoint\""
  export APP_CONFIG_privatelink_emulator=true
  export APP_CONFIG_privatelink_sync_enabled=true
else
  log "moto_server is not installed: starting with the AWS sync off."
  log "To see the demo AWS data, install moto first:  pip install \"moto[server]\""
  export APP_CONFIG_privatelink_sync_enabled=false
fi

yarn start &
pids+=($!)
log "starting Backstage: frontend http://localhost:3000, backend http://localhost:7007 (Ctrl-C stops everything)"
wait "${pids[-1]}"

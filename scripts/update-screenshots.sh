#!/usr/bin/env bash
# Copies the README's screenshots, which the end-to-end journey e2e/tests/screenshots.spec.ts writes to
# e2e-test-results/screenshots/readme/<view>-<light|dark>.png, into docs/screenshots/. Run it after that journey
# passed, alone or in a full run:
#   ./scripts/e2e.sh screenshots && ./scripts/update-screenshots.sh
# (or after ./scripts/test.sh / ./scripts/e2e.sh). The other files of docs/screenshots are left as they are.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
from="$ROOT/e2e-test-results/screenshots/readme"
to="$ROOT/docs/screenshots"

shopt -s nullglob
shots=("$from"/*.png)
if [ ${#shots[@]} -eq 0 ]; then
  echo "no screenshots in ${from#"$ROOT"/}: run ./scripts/e2e.sh screenshots first" >&2
  exit 1
fi
mkdir -p "$to"
for shot in "${shots[@]}"; do
  cp "$shot" "$to/"
  echo "docs/screenshots/$(basename "$shot")"
done

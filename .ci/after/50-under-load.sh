#!/usr/bin/env bash
# The reliability and security suites (and the hardening tests) a second time, while two
# CPU-burning processes keep both cores busy: no assertion may depend on how fast the machine is.
set -euo pipefail
cd "$(dirname "$0")/../.."

burners=()
stop_burners() { local pid; for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_burners EXIT
for _ in 1 2; do
  # A bounded burner: it stops by itself after 40 minutes even if this script is killed.
  node -e 'const end = Date.now() + 40 * 60_000; while (Date.now() < end) { Math.sqrt(Math.random()); }' &
  burners+=("$!")
done
echo "== under load: burners ${burners[*]} on $(nproc) cores"

status=0
for folder in test/reliability test/security test/hardening; do
  echo "== under load: vitest run $folder"
  npx vitest run "$folder" || status=1
done
exit "$status"

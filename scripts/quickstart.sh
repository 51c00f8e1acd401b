#!/usr/bin/env bash
# The README's quick start: install what is missing, build, and sync the AWS overlay of
# overlays-example into an embedded Kubernetes API emulator, printing the plan, progress
# and result. Then a second sync shows the steady state (nothing to do).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --product tether
echo
echo "== tether sync --source . --path overlays-example/overlays/aws --emulator"
.build/debug/tether sync --source . --path overlays-example/overlays/aws --emulator "$@"

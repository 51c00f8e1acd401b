#!/usr/bin/env bash
# Runs the dashboard browser test: `tether run` syncs a Git copy of overlays-example
# (overlays/aws) into its embedded emulator, then headless Chromium checks the pages.
# Usage: Tests/Browser/run.sh [SCREENSHOT_DIR]   (default: a temporary directory)
# Needs a built .build/debug/tether, chromium, chromium-driver and kubectl.
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in chromium chromedriver kubectl; do
  command -v "$tool" >/dev/null || { echo "dashboard browser test: $tool is not installed (scripts/install-deps.sh installs it)"; exit 1; }
done
work=$(mktemp -d)
shots=${1:-$work/shots}
cp -r overlays-example "$work/repo"
git -C "$work/repo" init -q
git -C "$work/repo" add -A
git -C "$work/repo" -c user.name="Dana Example" -c user.email=dana@example.com commit -qm "Storefront on AWS"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
api=$(port); listen=$(port)
cat > "$work/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters: [{name: emulator, cluster: {server: "http://127.0.0.1:$api"}}]
contexts: [{name: emulator, context: {cluster: emulator, user: test}}]
users: [{name: test, user: {token: test}}]
current-context: emulator
KC
.build/debug/tether run --source "file://$work/repo" --path overlays/aws --emulator "127.0.0.1:$api" \
  --listen "127.0.0.1:$listen" --interval 2 >"$work/tether.log" 2>&1 &
tether=$!
trap 'kill $tether 2>/dev/null || true; wait $tether 2>/dev/null || true; rm -rf "$work/repo"' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$listen/readyz" >/dev/null && break
  sleep 0.2
done
curl -sf "http://127.0.0.1:$listen/readyz" >/dev/null || { echo "tether run did not become ready:"; cat "$work/tether.log"; exit 1; }
python3 Tests/Browser/dashboard_browser_test.py "http://127.0.0.1:$listen" overlays-aws "$work/kubeconfig" "$shots" "$work/repo"

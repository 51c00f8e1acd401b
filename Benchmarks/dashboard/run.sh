#!/usr/bin/env bash
# Dashboard benchmark (issue 19): the latency of every dashboard page and /api/v1
# document while `tether run --prune` manages OBJECTS objects (default 10000), and the
# API requests the dashboard adds meanwhile (target: none; it reads the watch cache).
#
#   run.sh [OBJECTS] [ROUNDS]
#
# The tree is `EngineBench generate`'s (four Namespaces, then ConfigMaps, Deployments,
# Services, Secrets and ServiceAccounts in rotation; Benchmarks/engine/main.swift), in a
# local git repository (file:// source), synced into a `tether emulator` process of its
# own. After /readyz, one Deployment is drifted (merge PATCH of its replicas) so the
# drift log and a live diff exist; then every path is fetched ROUNDS times (default 50)
# with curl, one request at a time on a new connection, and curl's time_total is
# reported as p50 / p90 / p99 / max in ms with the answer's size. Target: every page and
# document under 50 ms. The emulator's audit is reset before the first request and
# counted after the last (watches excluded).
#
# Environment: SKIP_BUILD=1 uses the binaries already in .build-daemon-bench/release (the
#   daemon benchmark's scratch directory, shared); BIN=DIR uses tether and EngineBench from
#   DIR; TETHER_FLAGS adds flags to `tether run`. `uptime` is printed: the machine has
#   2 cores that other work shares.
set -euo pipefail
shopt -s inherit_errexit
root=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-10000}
rounds=${2:-50}
work="$root/Benchmarks/.work/dashboard"
scratch="$root/.build-daemon-bench"
command -v jq >/dev/null || { echo "error: jq is not on PATH." >&2; exit 2; }
command -v git >/dev/null || { echo "error: git is not on PATH." >&2; exit 2; }
if [ -n "${BIN:-}" ]; then
    bin=$BIN
else
    if [ "${SKIP_BUILD:-}" != 1 ]; then
        for product in tether EngineBench; do
            (cd "$root" && swift build -c release --scratch-path "$scratch" --product "$product" >/dev/null)
        done
    fi
    bin=$(cd "$root" && swift build -c release --scratch-path "$scratch" --show-bin-path)
fi
read -r -a tether_flags <<<"${TETHER_FLAGS:-}"

emulator_pid="" daemon_pid=""
cleanup() {
    local pid
    for pid in "$daemon_pid" "$emulator_pid"; do
        if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    done
}
trap cleanup EXIT
load() { uptime | sed 's/.*load average: /load average /'; }

rm -rf "$work" && mkdir -p "$work"
"$bin/EngineBench" generate "$work/repo" "$n" >/dev/null
git -C "$work/repo" init -q -b main
git -C "$work/repo" add -A
git -C "$work/repo" -c user.name=bench -c user.email=bench@example.invalid commit -q -m "$n objects"

"$bin/tether" emulator --listen 127.0.0.1:0 >"$work/emulator.log" 2>"$work/emulator.err" &
emulator_pid=$!
emulator_url=""
for _ in $(seq 200); do
    emulator_url=$(grep -o -m1 'http://[0-9.:]*' "$work/emulator.log" 2>/dev/null || true)
    [ -n "$emulator_url" ] && break
    sleep 0.1
done
[ -n "$emulator_url" ] || { echo "error: the emulator did not start: $(cat "$work/emulator.err")" >&2; exit 1; }

# --qps 0: the first sync of 10,000 objects is not the subject here (docs/benchmarks.md,
# Daemon); a long --interval keeps polls out of the window.
: >"$work/daemon.log"
start=$(date +%s.%N)
"$bin/tether" run --source "file://$work/repo" --path overlays/bench --name bench --prune --qps 0 --interval 600 \
    --server "$emulator_url" --listen 127.0.0.1:0 --cache-dir "$work/cache" "${tether_flags[@]}" 2>"$work/daemon.log" &
daemon_pid=$!
url=""
for _ in $(seq 9000); do
    kill -0 "$daemon_pid" 2>/dev/null || { echo "error: tether run exited: $(tail -5 "$work/daemon.log")" >&2; exit 1; }
    [ -n "$url" ] || url=$(grep -o -m1 'on http://[0-9.:]*' "$work/daemon.log" | sed 's/^on //' || true)
    if [ -n "$url" ] && curl -sf "$url/readyz" >/dev/null; then break; fi
    sleep 0.1
done
curl -sf "$url/readyz" >/dev/null || { echo "error: tether run was not ready within 900 s" >&2; exit 1; }
printf 'first sync of %s objects ready after %.1f s\n' "$n" "$(echo "$(date +%s.%N) - $start" | bc -l)"

target=bench
objects=$(curl -sf "$url/api/v1/targets/$target" | jq -r .objects) || { echo "error: $url/api/v1/targets/$target: $(curl -s "$url/api/v1/targets/$target" | head -c 300)" >&2; exit 1; }
deployment=$(curl -sf "$url/api/v1/targets/$target/resources" | jq -r '[.items[] | select(.kind == "Deployment.apps")][0].id')
namespace=$(echo "$deployment" | cut -d/ -f2) name=$(echo "$deployment" | cut -d/ -f3)
curl -sf -X PATCH -H 'Content-Type: application/merge-patch+json' -d '{"spec":{"replicas":7}}' \
    "$emulator_url/apis/apps/v1/namespaces/$namespace/deployments/$name" >/dev/null
for _ in $(seq 100); do
    curl -sf "$url/api/v1/targets/$target/drift" | jq -e '.items[0].state == "corrected"' >/dev/null 2>&1 && break
    sleep 0.1
done
sleep 2
echo "$objects objects in the dashboard; drifted and corrected $deployment; $(load)"
curl -sf -X DELETE "$emulator_url/_emulator/audit" >/dev/null

paths=("/" "/targets/$target" "/targets/$target/diff/$deployment" "/api/v1/targets" "/api/v1/targets/$target"
       "/api/v1/targets/$target/resources" "/api/v1/targets/$target/history" "/api/v1/targets/$target/drift"
       "/api/v1/targets/$target/diff/$deployment" "/api/v1/targets/$target/diff/$deployment?sync=1")
printf '%-52s %8s %8s %8s %8s %10s  %s\n' path p50_ms p90_ms p99_ms max_ms bytes verdict
worst=0 failed=0
for path in "${paths[@]}"; do
    times=() size=0 status=""
    for _ in $(seq "$rounds"); do
        read -r t status size < <(curl -s -o /dev/null -w '%{time_total} %{http_code} %{size_download}\n' "$url$path")
        [ "$status" = 200 ] || { echo "error: $path answered $status" >&2; failed=1; break; }
        times+=("$(echo "$t * 1000" | bc -l)")
    done
    [ "$status" = 200 ] || continue
    mapfile -t sorted < <(printf '%s\n' "${times[@]}" | sort -g)
    count=${#sorted[@]}
    pct() { local i; i=$(( ($1 * count + 99) / 100 - 1 )); (( i < 0 )) && i=0; printf '%.1f' "${sorted[$i]}"; }
    p99=$(pct 99)
    verdict=$( (( $(echo "$p99 < 50" | bc -l) )) && echo pass || echo FAIL)
    [ "$verdict" = pass ] || failed=1
    (( $(echo "$p99 > $worst" | bc -l) )) && worst=$p99
    printf '%-52s %8s %8s %8s %8s %10s  %s\n' "$path" "$(pct 50)" "$(pct 90)" "$p99" "$(printf '%.1f' "${sorted[$((count - 1))]}")" "$size" "$verdict"
done
read -r total nonwatch < <(curl -sf "$emulator_url/_emulator/audit" | jq -r '.items as $i | "\($i | length) \([$i[] | select(.verb != "watch")] | length)"')
echo "API requests to the emulator while serving $(( ${#paths[@]} * rounds )) requests: $nonwatch (watches excluded; $total with them; target 0: $( (( nonwatch == 0 )) && echo pass || echo FAIL))"
echo "$n objects: worst p99 $worst ms (target < 50 ms: $( (( failed == 0 )) && echo pass || echo FAIL)); $(load)"

#!/usr/bin/env bash
# Reconcile engine benchmark: `tether sync --prune` beside `kubectl apply --server-side
# --prune --applyset` on generated kustomize trees, in the same run, each tool against a
# fresh `tether emulator` process of its own. For each size: the first sync, a
# steady-state sync with nothing changed, and a sync after 1% of the objects changed.
# Wall time and peak memory (maximum resident set) come from /usr/bin/time -v; requests
# from the emulator's audit log (GET /_emulator/audit).
#
# kubectl applies the same rendered objects (`tether render`, byte-identical to
# `kubectl kustomize`), one ApplySet per namespace: kubectl takes a namespaced parent's
# namespace only from -n, and -n refuses objects of any other namespace. The four
# Namespaces go into the ApplySet in bench-system. kubectl's time and memory are the sum
# and the maximum over those five processes.
#
# The steady-state and 1% syncs are each repeated REPEAT times (default 5) and the median
# wall time is reported (the 1% runs alternate between the changed and the original tree,
# so each changes the same 1%); requests are those of the last repetition.
#
# Usage: Benchmarks/engine/run.sh [SIZES] [KUBECTL_MAX]
#   SIZES        object counts, default "1000 10000"
#   KUBECTL_MAX  largest size kubectl is run at (default 10000); larger sizes are
#                reported as skipped
# Environment: REPEAT (default 5); TETHER_FLAGS adds flags to every `tether sync` (e.g. "--qps 0");
#   SKIP_BUILD=1 uses the binaries already built (tether in .build-bench-static, built
#   with --static-swift-stdlib as the Dockerfile does; EngineBench in .build-bench).
set -euo pipefail
shopt -s inherit_errexit
root=$(cd "$(dirname "$0")/../.." && pwd)
sizes=${1:-"1000 10000"}
kubectl_max=${2:-10000}
repeat=${REPEAT:-5}
work="$root/Benchmarks/.work/engine"
scratch="$root/.build-bench"
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time is missing; install the Debian package 'time'." >&2; exit 2; }
command -v kubectl >/dev/null || { echo "error: kubectl is not on PATH." >&2; exit 2; }
if [ "${SKIP_BUILD:-}" != 1 ]; then
    (cd "$root" && swift build -c release --scratch-path "$scratch-static" --static-swift-stdlib --product tether >/dev/null \
        && swift build -c release --scratch-path "$scratch" --product EngineBench >/dev/null)
fi
bin=$(cd "$root" && swift build -c release --scratch-path "$scratch" --show-bin-path)
# tether as the Dockerfile ships it: the Swift runtime and Foundation linked statically.
tether=$(cd "$root" && swift build -c release --scratch-path "$scratch-static" --static-swift-stdlib --show-bin-path)/tether
export KUBECTL_APPLYSET=true
read -r -a tether_flags <<<"${TETHER_FLAGS:-}"

emulator_pid=""
emulator_url=""
cleanup() { if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

# Starts `tether emulator` on a free port; sets emulator_pid and emulator_url.
start_emulator() {
    local log=$1
    "$tether" emulator --listen 127.0.0.1:0 >"$log" 2>"$log.err" &
    emulator_pid=$!
    emulator_url=""
    for _ in $(seq 200); do
        emulator_url=$(grep -o -m1 'http://[0-9.:]*' "$log" || true)
        [ -n "$emulator_url" ] && return 0
        sleep 0.1
    done
    echo "error: the emulator did not start: $(cat "$log.err")" >&2
    exit 1
}

stop_emulator() {
    kill "$emulator_pid"
    wait "$emulator_pid" 2>/dev/null || true
    emulator_pid=""
}

reset_audit() { curl -sf -X DELETE "$emulator_url/_emulator/audit" >/dev/null; }

# Prints "total writes lists gets dryruns discovery max_lists_per_kind".
audit() { curl -sf "$emulator_url/_emulator/audit" | "$bin/EngineBench" audit; }

# Runs one command under /usr/bin/time -v; prints "seconds peak_kb", fails with the
# command's output when it fails.
measure() {
    local out=$1; shift
    if ! /usr/bin/time -v -o "$out.time" "$@" >"$out" 2>"$out.err"; then
        echo "error: '$*' failed; its output:" >&2
        tail -20 "$out" "$out.err" >&2
        return 1
    fi
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
        /Maximum resident set size/ { kb = $2 } END { printf "%.2f %d\n", s, kb }' "$out.time"
}

# tether sync of the tree; prints "seconds peak_kb".
tether_sync() {
    local tree=$1 out=$2
    measure "$out" "$tether" sync --source "$tree" --path overlays/bench --name bench --prune \
        --server "$emulator_url" "${tether_flags[@]}"
}

# kubectl apply of the split rendered tree, one ApplySet per namespace (cluster-scoped
# objects first, in bench-system); prints "seconds peak_kb" (sum of seconds, max peak).
kubectl_sync() {
    local split=$1 out=$2 total=0 peak=0 s kb r
    for dir in "$split/bench-system" $(ls -d "$split"/* | grep -v '/bench-system$'); do
        local ns; ns=$(basename "$dir")
        r=$(measure "$out.$ns" kubectl --server "$emulator_url" --cache-dir "$work/kubectl-cache-$emulator_pid" \
            apply --server-side --prune --applyset=configmap/bench -n "$ns" -f "$dir" -R)
        read -r s kb <<<"$r"
        total=$(echo "$total + $s" | bc -l)
        (( kb > peak )) && peak=$kb
    done
    printf '%.2f %d\n' "$total" "$peak"
}

# The repeated steps; each takes the repetition number (the 1% steps alternate between
# the changed and the original objects) and prints "seconds peak_kb".
tether_steady() { tether_sync "$dir/tree" "$dir/tether-steady"; }
tether_changed() {
    if (( $1 % 2 )); then "$bin/EngineBench" generate "$dir/tree" "$n" changed >/dev/null
    else "$bin/EngineBench" generate "$dir/tree" "$n" >/dev/null; fi
    tether_sync "$dir/tree" "$dir/tether-changed"
}
kubectl_steady() { kubectl_sync "$dir/split" "$dir/kubectl-steady"; }
kubectl_changed() {
    local objects="$dir/split"
    if (( $1 % 2 )); then objects="$dir/split-changed"; fi
    kubectl_sync "$objects" "$dir/kubectl-changed"
}

# Runs step $1 REPEAT times, each with a fresh audit; prints the median seconds and the
# largest peak. The audit afterwards holds the last run's requests.
repeated() {
    local runs="" i
    for ((i = 1; i <= repeat; i++)); do
        reset_audit
        runs+="$("$1" "$i")"$'\n'
    done
    median <<<"${runs%$'\n'}"
}

row() { # size step tool seconds peak_kb audit...
    printf '%-7s %-13s %-8s %8s %8.1f %8s %7s %6s %6s %8s %6s %10s\n' "$1" "$2" "$3" "$4" "$(echo "$5/1024" | bc -l)" "${@:6}"
}

# Prints "median_seconds max_peak_kb" of lines "seconds peak_kb" on stdin.
median() { sort -n | awk '{ s[NR] = $1; if ($2 > kb) kb = $2 } END { printf "%.2f %d\n", s[int((NR + 1) / 2)], kb }'; }

ratio() { echo "$1/($2+0.005)" | bc -l | xargs printf '%.1f'; }

printf '%-7s %-13s %-8s %8s %8s %8s %7s %6s %6s %8s %6s %10s\n' objects step tool wall_s peak_MB requests writes lists gets dry_runs disc lists/kind
summary=()
for n in $sizes; do
    dir="$work/$n"
    rm -rf "$dir" && mkdir -p "$dir"
    "$bin/EngineBench" generate "$dir/tree" "$n"
    "$tether" render "$dir/tree/overlays/bench" >"$dir/rendered.yaml"
    objects=$(grep -c '^kind: ' "$dir/rendered.yaml")
    [ "$objects" = "$n" ] || { echo "error: the tree renders $objects objects, not $n" >&2; exit 1; }

    # tether: first sync, steady state, 1% changed.
    start_emulator "$dir/emulator-tether.log"
    r=$(tether_sync "$dir/tree" "$dir/tether-first")
    read -r t1 m1 <<<"$r"
    row "$n" "first sync" tether "$t1" "$m1" - - - - - - -
    read -r t2 m2 <<<"$(repeated tether_steady)"
    read -r -a a2 <<<"$(audit)"
    row "$n" "steady state" tether "$t2" "$m2" "${a2[@]}"
    changed=$("$bin/EngineBench" generate "$dir/tree" "$n" changed)
    read -r t3 m3 <<<"$(repeated tether_changed)"
    read -r -a a3 <<<"$(audit)"
    row "$n" "1% changed" tether "$t3" "$m3" "${a3[@]}"
    stop_emulator
    tether_peak=$(printf '%s\n' "$m1" "$m2" "$m3" | sort -n | tail -1)
    summary+=("$n: tether steady state: ${a2[1]} writes (target 0), ${a2[6]} lists per kind at most (target <= 1), ${a2[4]} dry runs; peak memory over the three syncs $(echo "$tether_peak/1024" | bc) MB")

    if (( n > kubectl_max )); then
        summary+=("$n: kubectl skipped (KUBECTL_MAX=$kubectl_max)")
        continue
    fi
    # kubectl: the same objects, rendered and split by namespace.
    "$bin/EngineBench" generate "$dir/tree" "$n" >/dev/null
    "$bin/EngineBench" split "$dir/rendered.yaml" "$dir/split" bench-system >/dev/null
    start_emulator "$dir/emulator-kubectl.log"
    printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bench-system\n' \
        | kubectl --server "$emulator_url" apply --server-side -f - >/dev/null
    r=$(kubectl_sync "$dir/split" "$dir/kubectl-first")
    read -r k1 km1 <<<"$r"
    row "$n" "first sync" kubectl "$k1" "$km1" - - - - - - -
    read -r k2 km2 <<<"$(repeated kubectl_steady)"
    read -r -a b2 <<<"$(audit)"
    row "$n" "steady state" kubectl "$k2" "$km2" "${b2[@]}"
    "$bin/EngineBench" generate "$dir/tree" "$n" changed >/dev/null
    "$tether" render "$dir/tree/overlays/bench" >"$dir/rendered-changed.yaml"
    rm -rf "$dir/split-changed" && "$bin/EngineBench" split "$dir/rendered-changed.yaml" "$dir/split-changed" bench-system >/dev/null
    read -r k3 km3 <<<"$(repeated kubectl_changed)"
    read -r -a b3 <<<"$(audit)"
    row "$n" "1% changed" kubectl "$k3" "$km3" "${b3[@]}"
    stop_emulator
    summary+=("$n: $changed objects changed; kubectl/tether wall time: first sync $(ratio "$k1" "$t1")x, steady state $(ratio "$k2" "$t2")x, 1% changed $(ratio "$k3" "$t3")x (target >= 10x)")
done
echo
printf '%s\n' "${summary[@]}"

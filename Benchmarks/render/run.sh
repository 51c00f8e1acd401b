#!/usr/bin/env bash
# Renderer benchmark: `tether render` beside `kubectl kustomize` on generated
# trees (a base plus dev, staging and prod overlays with patches and
# generators), wall time and peak memory from /usr/bin/time -v, same run.
#
# Usage: Benchmarks/render/run.sh [SIZES] [KUBECTL_MAX]
#   SIZES        resource counts, default "100 1000 5000 20000"
#   KUBECTL_MAX  largest size kubectl is run at (default 1000; it needs
#                ~330 s at 5000), larger sizes are reported as skipped
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
sizes=${1:-"100 1000 5000 20000"}
kubectl_max=${2:-1000}
work="$root/Benchmarks/.work/render"
scratch="$root/.build-render-release"
(cd "$root" && swift build -c release --scratch-path "$scratch" --product tether >/dev/null \
    && swift build -c release --scratch-path "$scratch" --product RenderBench >/dev/null)
bin=$(cd "$root" && swift build -c release --scratch-path "$scratch" --show-bin-path)
# Prints "seconds peak_kb" for one command run inside $1.
measure() {
    local dir=$1; shift
    (cd "$dir" && /usr/bin/time -v "$@" >/dev/null 2>/tmp/render-bench-time) || { echo "failed"; return; }
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
        /Maximum resident set size/ { kb = $2 } END { printf "%.3f %d\n", s, kb }' /tmp/render-bench-time
}
printf '%-9s %-8s %10s %10s %10s %10s %8s\n' resources overlay tether_s tether_MB kubectl_s kubectl_MB speedup
for n in $sizes; do
    tree="$work/$n"
    rm -rf "$tree" && mkdir -p "$tree"
    "$bin/RenderBench" generate "$tree" "$n"
    overlay=overlays/prod
    read -r ts tkb < <(measure "$tree" "$bin/tether" render "$overlay")
    if (( n <= kubectl_max )); then
        read -r ks kkb < <(measure "$tree" kubectl kustomize "$overlay")
        # Both must agree byte for byte, or the comparison means nothing.
        cmp -s <(cd "$tree" && "$bin/tether" render "$overlay") <(cd "$tree" && kubectl kustomize "$overlay") \
            || echo "warning: outputs differ at $n resources" >&2
        printf '%-9s %-8s %10s %10.1f %10s %10.1f %7.0fx\n' "$n" prod "$ts" "$(echo "$tkb/1024" | bc -l)" "$ks" \
            "$(echo "$kkb/1024" | bc -l)" "$(echo "$ks/($ts+0.0005)" | bc -l)"
    else
        printf '%-9s %-8s %10s %10.1f %10s %10s %8s\n' "$n" prod "$ts" "$(echo "$tkb/1024" | bc -l)" skipped - -
    fi
done

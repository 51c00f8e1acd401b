#!/usr/bin/env bash
# Renderer benchmark: `tether render` beside `kubectl kustomize` on generated
# trees (a base plus dev, staging and prod overlays with patches and
# generators): wall time, CPU time (user + system) and peak memory from
# /usr/bin/time, in the same run, and both ratios. CPU time is reported
# because the shared build machines are often loaded, which stretches wall
# times of both tools; on an idle machine the two agree for tether.
#
# Usage: Benchmarks/render/run.sh [SIZES] [KUBECTL_MAX]
#   SIZES        resource counts, default "100 1000 5000 20000"
#   KUBECTL_MAX  largest size kubectl is run at (default 5000; it is
#                quadratic, minutes at 5000), larger sizes are reported as
#                skipped
#   RENDERER=bench (environment) times `RenderBench render . PATH 1` (the
#                same Renderer in a fresh process, no CLI) instead of
#                `tether render`, and skips the release build of the whole
#                `tether` product; outputs are still compared with kubectl's
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
sizes=${1:-"100 1000 5000 20000"}
kubectl_max=${2:-5000}
work="$root/Benchmarks/.work/render"
scratch="$root/.build-render-release"
renderer=${RENDERER:-tether}
if [[ $renderer != bench ]]; then
    (cd "$root" && swift build -c release --scratch-path "$scratch" --product tether >/dev/null)
fi
(cd "$root" && swift build -c release --scratch-path "$scratch" --product RenderBench >/dev/null)
bin=$(cd "$root" && swift build -c release --scratch-path "$scratch" --show-bin-path)
# Renders $1 in the current directory to standard output.
render() {
    if [[ $renderer == bench ]]; then "$bin/RenderBench" print . "$1"; else "$bin/tether" render "$1"; fi
}
# Prints "wall_seconds cpu_seconds peak_kb" for one command run inside $1.
measure() {
    local dir=$1; shift
    (cd "$dir" && /usr/bin/time -f '%e %U %S %M' -o /tmp/render-bench-time "$@" >/dev/null) || { echo "failed"; return; }
    awk '{ printf "%.3f %.3f %d\n", $1, $2 + $3, $4 }' /tmp/render-bench-time
}
printf '%-9s %9s %8s %8s %10s %10s %8s %8s %8s\n' resources tether_s t_cpu_s tether_MB kubectl_s k_cpu_s kube_MB wall_x cpu_x
for n in $sizes; do
    tree="$work/$n"
    rm -rf "$tree" && mkdir -p "$tree"
    "$bin/RenderBench" generate "$tree" "$n"
    overlay=overlays/prod
    if [[ $renderer == bench ]]; then
        read -r tw tc tkb < <(measure "$tree" "$bin/RenderBench" render . "$overlay" 1)
    else
        read -r tw tc tkb < <(measure "$tree" "$bin/tether" render "$overlay")
    fi
    if (( n <= kubectl_max )); then
        read -r kw kc kkb < <(measure "$tree" kubectl kustomize "$overlay")
        # Both must agree byte for byte, or the comparison means nothing.
        cmp -s <(cd "$tree" && render "$overlay") <(cd "$tree" && kubectl kustomize "$overlay") \
            || echo "warning: outputs differ at $n resources" >&2
        printf '%-9s %9s %8s %8.1f %10s %10s %8.1f %7.0fx %7.0fx\n' "$n" "$tw" "$tc" "$(echo "$tkb/1024" | bc -l)" "$kw" "$kc" \
            "$(echo "$kkb/1024" | bc -l)" "$(echo "$kw/($tw+0.0005)" | bc -l)" "$(echo "$kc/($tc+0.0005)" | bc -l)"
    else
        printf '%-9s %9s %8s %8.1f %10s %10s %8s %8s %8s\n' "$n" "$tw" "$tc" "$(echo "$tkb/1024" | bc -l)" skipped - - - -
    fi
done

#!/usr/bin/env bash
# YAML codec benchmark: Tether's libyaml-based decoder/encoder against PyYAML's
# libyaml-backed CSafeLoader/CSafeDumper on the same generated stream, in the
# same run. Usage: Benchmarks/yaml/run.sh [DOCUMENTS] [REPEATS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
docs=${1:-20000}
repeats=${2:-3}
work="$root/Benchmarks/.work"
mkdir -p "$work"
stream="$work/stream-$docs.yaml"
python3 "$root/Benchmarks/yaml/gen-stream.py" "$docs" "$stream"
(cd "$root" && swift build -c release --product YAMLBench >/dev/null)
bin=$(cd "$root" && swift build -c release --show-bin-path)/YAMLBench
ours=$("$bin" "$stream" "$repeats")
theirs=$(python3 "$root/Benchmarks/yaml/python_yaml.py" "$stream" "$repeats")
python3 - "$ours" "$theirs" <<'PY'
import json, sys
o, t = json.loads(sys.argv[1]), json.loads(sys.argv[2])
mb = o["bytes"] / 1e6
print(f"stream: {o['documents']} documents, {mb:.1f} MB")
print(f"{'':28}{'MB/s':>10}{'docs/s':>12}")
def row(name, secs, size):
    print(f"{name:28}{size/1e6/secs:>10.1f}{o['documents']/secs:>12.0f}")
row("tether decode", o["decode_s"], o["bytes"])
row("PyYAML CSafeLoader", t["load_s"], t["bytes"])
row("tether encode", o["encode_s"], o["encode_bytes"])
row("PyYAML CSafeDumper", t["dump_s"], t["dump_bytes"])
print(f"decode speed-up vs CSafeLoader: {t['load_s']/o['decode_s']:.1f}x (target >= 1x)")
print(f"encode throughput: {o['encode_bytes']/1e6/o['encode_s']:.1f} MB/s (target >= 50 MB/s)")
PY

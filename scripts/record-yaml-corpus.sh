#!/usr/bin/env bash
# Records the expected output of every YAML corpus case from the reference
# renderer: fixtures/yaml/cases/NAME.yaml -> fixtures/yaml/expected/NAME.yaml
# (or NAME.error with the reference's message when it refuses the input).
# Usage: scripts/record-yaml-corpus.sh   (needs kubectl with kustomize v5.5.0)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cases="$root/fixtures/yaml/cases"
expected="$root/fixtures/yaml/expected"
mkdir -p "$expected"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
kubectl version --client 2>/dev/null | grep -i kustomize > "$expected/REFERENCE" || true
for f in "$cases"/*.yaml; do
  name=$(basename "$f" .yaml)
  rm -rf "$work/k" && mkdir -p "$work/k"
  cp "$f" "$work/k/resource.yaml"
  printf 'resources:\n- resource.yaml\n' > "$work/k/kustomization.yaml"
  rm -f "$expected/$name.yaml" "$expected/$name.error"
  if ! kubectl kustomize "$work/k" > "$expected/$name.yaml" 2> "$work/err"; then
    rm -f "$expected/$name.yaml"
    sed -e "s#$work/k#DIR#g" "$work/err" > "$expected/$name.error"
  fi
done
echo "recorded $(ls "$cases" | wc -l) cases into $expected"

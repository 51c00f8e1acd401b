#!/usr/bin/env bash
# Records the expected output of every renderer fixture from the reference,
# `kubectl kustomize` (see fixtures/kustomize/README.md for the version).
#
# Each case is fixtures/kustomize/<case>/: the input tree, and optionally a
# `build-path` file naming the directory to build (default: the case
# directory). Success writes expected.yaml; failure writes expected.error
# with the reference's message, which the maintainer then replaces with a
# substring of Tether's own message.
#
# Usage: scripts/record-kustomize-fixtures.sh [CASE...]   (default: every case)
set -euo pipefail
cd "$(dirname "$0")/../fixtures/kustomize"
if (( $# == 0 )); then set -- */; fi
for dir in "$@"; do
    name="${dir%/}"
    build="$name"
    if [[ -f "$name/build-path" ]]; then build="$name/$(cat "$name/build-path")"; fi
    if out="$(kubectl kustomize "$build" 2>/tmp/kustomize-err)"; then
        printf '%s\n' "$out" > "$name/expected.yaml"
        rm -f "$name/expected.error"
    else
        rm -f "$name/expected.yaml"
        if [[ ! -f "$name/expected.error" ]]; then grep -v '^# Warning' /tmp/kustomize-err | sed 's/^Error: //' | head -1 > "$name/expected.error"; fi
    fi
done

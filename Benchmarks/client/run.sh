#!/bin/sh
# Builds KubeBench in release mode and runs it: TetherKube and kubectl each read a manifest
# of OBJECTS ConfigMaps, server-side apply them and list them back, against a TetherEmulator
# in a child process (a fresh one per run), RUNS times (default 5), then print the median
# and the spread. MODE is http, https (the emulator with a CA and certificates made with
# openssl for each run; both clients verify it and authenticate with a client certificate)
# or both (default).
# Usage: run.sh [OBJECTS] [CONCURRENCY] [http|https|both]    environment: RUNS, SKIP_BUILD
set -e
cd "$(dirname "$0")/../.."
[ -n "$SKIP_BUILD" ] || swift build -c release --product KubeBench --scratch-path .build-kube-release >&2
mode="${3:-both}"
case "$mode" in
    http|https) modes="$mode" ;;
    both) modes="http https" ;;
    *) echo "usage: run.sh [OBJECTS] [CONCURRENCY] [http|https|both]" >&2; exit 2 ;;
esac
for scheme in $modes; do
    echo "## $scheme ($(uptime))"
    echo
    .build-kube-release/release/KubeBench "${1:-5000}" "${2:-32}" "$scheme" "${RUNS:-5}"
    echo
done

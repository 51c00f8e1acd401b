#!/bin/sh
# Builds KubeBench in release mode and runs it: TetherKube and kubectl each apply OBJECTS
# ConfigMaps with server-side apply and list them back, against one TetherEmulator in a
# child process. Usage: run.sh [OBJECTS] [CONCURRENCY]
set -e
cd "$(dirname "$0")/../.."
swift build -c release --product KubeBench --scratch-path .build-kube-release >&2
.build-kube-release/release/KubeBench "${1:-5000}" "${2:-32}"

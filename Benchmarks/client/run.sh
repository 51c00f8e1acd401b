#!/bin/sh
# Builds KubeBench in release mode and runs it: TetherKube against an in-process
# TetherEmulator, and kubectl against the same emulator. Usage: run.sh [OBJECTS] [REPEATS]
set -e
cd "$(dirname "$0")/../.."
swift build -c release --product KubeBench --scratch-path .build-kube-release >&2
.build-kube-release/release/KubeBench "${1:-500}" "${2:-3}"

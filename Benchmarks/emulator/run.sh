#!/bin/sh
# Builds EmulatorBench in release mode and runs it: OBJECTS ConfigMaps created over HTTP
# while a watch receives them, listed in one request, watched again from resourceVersion 0,
# and a server-side apply of an unchanged object, against an in-process TetherEmulator.
# Usage: run.sh [OBJECTS]
set -e
cd "$(dirname "$0")/../.."
swift build -c release --product EmulatorBench --scratch-path .build-emu-release >&2
.build-emu-release/release/EmulatorBench "${1:-20000}"

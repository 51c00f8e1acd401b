#!/usr/bin/env bash
# The README's quick start: install what is missing, build tether (quietly: the compiler's
# output goes to a log file), start the Kubernetes API emulator, sync the AWS overlay of
# overlays-example into it (the plan, progress and result), sync again to show the steady
# state (nothing to change), and say how to put tether on PATH. Arguments are passed to
# both syncs (e.g. --output json).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
mkdir -p .build
build_log=.build/quickstart-build.log
printf 'building tether (swift build --product tether; compiler output in %s)...' "$build_log"
started=$SECONDS
if ! swift build --product tether >"$build_log" 2>&1; then
  echo " failed:"
  grep -E 'error:' "$build_log" | head -n 20 || tail -n 20 "$build_log"
  echo "the whole compiler output is in $build_log"
  exit 1
fi
bin_dir=$PWD/.build/debug   # a link to the platform directory of the debug build
echo " done in $((SECONDS - started)) s: $bin_dir/tether"
tether="$bin_dir/tether"

# A separate emulator process, so that both syncs see the same cluster.
emulator_log=$(mktemp)
"$tether" emulator --listen 127.0.0.1:0 >"$emulator_log" 2>&1 &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null; rm -f "$emulator_log"' EXIT
server=""
for _ in $(seq 100); do
  server=$(sed -n 's/^emulator listening on \(http:[^ ]*\)$/\1/p' "$emulator_log")
  [ -n "$server" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$server" ]; then
  echo "the emulator did not start:"; cat "$emulator_log"; exit 1
fi
echo "emulator: a Kubernetes API on $server (stopped when this script ends)"

sync=("$tether" sync --source . --path overlays-example/overlays/aws --server "$server")
echo
echo "== 1. tether sync --source . --path overlays-example/overlays/aws --server $server"
"${sync[@]}" "$@"
echo
echo "== 2. the same command again: the steady state, nothing to change"
"${sync[@]}" "$@"
echo
echo "== to put tether on PATH: export PATH=\"$bin_dir:\$PATH\""
echo "   (or for good: sudo install -m 0755 $bin_dir/tether /usr/local/bin/)"

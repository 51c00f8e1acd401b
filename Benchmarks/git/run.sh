#!/usr/bin/env bash
# Benchmarks TetherGit against the git CLI on a generated repository served by git daemon
# on loopback: first clone, no-change poll, fetch + checkout of one new commit (several
# times in a row, as a reconcile loop would; the median is reported).
# Usage: Benchmarks/git/run.sh   (from the repository root; writes figures to stdout)
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK="${BENCH_WORK:-$(pwd)/Benchmarks/.work/git}"
SCRATCH="${BENCH_SCRATCH:-.build-git-bench}"
COMMITS="${BENCH_COMMITS:-2000}"
FILES="${BENCH_FILES:-5000}"
UPDATES="${BENCH_UPDATES:-5}"
rm -rf "$WORK"; mkdir -p "$WORK/base"
export GIT_CONFIG_NOSYSTEM=1

echo "== building GitBench (release)"
swift build -c release --scratch-path "$SCRATCH" --product GitBench >/dev/null
BENCH="$SCRATCH/release/GitBench"

echo "== generating $COMMITS commits, $FILES-file YAML tree"
git init -q --bare "$WORK/base/repo.git"
python3 - "$COMMITS" "$FILES" <<'PY' | git -C "$WORK/base/repo.git" fast-import --quiet
import sys
commits, files = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout.buffer
def data(b):
    out.write(b"data %d\n" % len(b)); out.write(b); out.write(b"\n")
for c in range(commits):
    out.write(b"commit refs/heads/main\n")
    out.write(b"committer Bench <bench@example.com> %d +0000\n" % (1700000000 + c))
    data(b"commit %d" % c)
    targets = range(files) if c == 0 else [c % files]
    for f in targets:
        body = (b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%d\n  namespace: app-%d\ndata:\n  revision: \"%d\"\n  payload: \"%s\"\n"
                % (f, f % 50, c, b"x" * 200))
        out.write(b"M 100644 inline manifests/app-%d/cm-%d.yaml\n" % (f % 50, f))
        data(body)
PY
git -C "$WORK/base/repo.git" symbolic-ref HEAD refs/heads/main
git -C "$WORK/base/repo.git" gc -q
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
/usr/lib/git-core/git-daemon --export-all --base-path="$WORK/base" --port="$PORT" --listen=127.0.0.1 --reuseaddr --enable=receive-pack "$WORK/base" 2>"$WORK/daemon.log" &
DAEMON=$!
trap 'kill $DAEMON 2>/dev/null || true' EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
URL="git://127.0.0.1:$PORT/repo.git"

now() { date +%s%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1000000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "== first clone"
T0=$(now); "$BENCH" "$URL" "$WORK/cache" > "$WORK/t1"; T1=$(now)
TETHER_CLONE=$(cut -d' ' -f1 "$WORK/t1"); TETHER_CLONE_WALL=$(ms $T0 $T1)
T0=$(now); git clone -q --depth 1 "$URL" "$WORK/cli"; T1=$(now); CLI_CLONE=$(ms $T0 $T1)

echo "== no-change poll"
T0=$(now); "$BENCH" "$URL" "$WORK/cache" > "$WORK/t2"; T1=$(now)
TETHER_POLL=$(cut -d' ' -f1 "$WORK/t2"); TETHER_POLL_WALL=$(ms $T0 $T1)
grep -q unchanged "$WORK/t2"
T0=$(now); git ls-remote "$URL" refs/heads/main >/dev/null; T1=$(now); CLI_POLL=$(ms $T0 $T1)

echo "== one new commit, $UPDATES times"
git clone -q "$WORK/base/repo.git" "$WORK/pusher"
TETHER_UPDATES=(); TETHER_UPDATES_WALL=(); CLI_UPDATES=()
for i in $(seq "$UPDATES"); do
  echo "extra: $i" > "$WORK/pusher/manifests/new.yaml"
  git -C "$WORK/pusher" add -A
  git -C "$WORK/pusher" -c user.name=Bench -c user.email=bench@example.com commit -q -m "one more ($i)"
  git -C "$WORK/pusher" push -q origin main
  T0=$(now); "$BENCH" "$URL" "$WORK/cache" > "$WORK/t3"; T1=$(now)
  grep -q " changed" "$WORK/t3"
  TETHER_UPDATES+=("$(cut -d' ' -f1 "$WORK/t3")"); TETHER_UPDATES_WALL+=("$(ms $T0 $T1)")
  T0=$(now); git -C "$WORK/cli" fetch -q origin main && git -C "$WORK/cli" checkout -q FETCH_HEAD; T1=$(now)
  CLI_UPDATES+=("$(ms $T0 $T1)")
done
TETHER_UPDATE=$(median "${TETHER_UPDATES[@]}"); TETHER_UPDATE_WALL=$(median "${TETHER_UPDATES_WALL[@]}"); CLI_UPDATE=$(median "${CLI_UPDATES[@]}")

echo
echo "libgit2 $(pkg-config --modversion libgit2), git $(git --version | cut -d' ' -f3), $COMMITS commits, $FILES files, $(nproc) cores"
printf '%-40s %12s %12s %12s %8s\n' "operation" "tether ms" "(wall ms)" "git CLI ms" "ratio"
printf '%-40s %12s %12s %12s %8s\n' "first clone (full vs --depth 1)" "$TETHER_CLONE" "$TETHER_CLONE_WALL" "$CLI_CLONE" "$(ratio $TETHER_CLONE $CLI_CLONE)"
printf '%-40s %12s %12s %12s %8s\n' "no-change poll (vs ls-remote)" "$TETHER_POLL" "$TETHER_POLL_WALL" "$CLI_POLL" "$(ratio $TETHER_POLL $CLI_POLL)"
printf '%-40s %12s %12s %12s %8s\n' "new commit, median (vs fetch+checkout)" "$TETHER_UPDATE" "$TETHER_UPDATE_WALL" "$CLI_UPDATE" "$(ratio $TETHER_UPDATE $CLI_UPDATE)"
echo
echo "each new commit: tether ms ${TETHER_UPDATES[*]} (wall ${TETHER_UPDATES_WALL[*]}); git CLI ms ${CLI_UPDATES[*]}"

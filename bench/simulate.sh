#!/usr/bin/env bash
# Benchmark: `drover simulate` (issue 14, point 1), the real rollout scheduler against the sim
# transport on a virtual clock, on generated fleets of 3 bots a host:
#   - 178 hosts (the guide's 534 bots): wall time per simulated run; target well under 1 s.
#   - 10,000 hosts: peak RSS (target <= 64 MB) and CPU (user + sys, target <= 2 s) of the
#     whole command with the default 200 runs.
# Each case runs the same command twice in the same run: with --runs N and with --runs 1 (the
# peer: the same process doing everything but the simulation: start, read and check the
# 10,000-host drover.toml, select the hosts). Per-run cost = (time_N - time_1) / (N - 1).
# Measured with /usr/bin/time -v (wait4's rusage: user, sys, max RSS). No Docker, no network.
# It prints one line per case with the figure, the target, and figure/target (< 1 meets it).
#
# usage: bench/simulate.sh [--drover PATH] [--runs N]
#   --drover PATH  the drover binary (default <repo>/build/drover)
#   --runs N       runs per simulation (default 200, the command's default)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
DROVER="$REPO/build/drover"
RUNS=200
while (($#)); do
  case "$1" in
    --drover) DROVER="${2:-}"; shift 2 || true ;;
    --runs) RUNS="${2:-}"; shift 2 || true ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "simulate: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ -x "$DROVER" ]] || { echo "simulate: no drover binary at $DROVER (build it first)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "simulate: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# fleet N: a drover.toml of N production hosts of 3 bots each (no history: an empty state dir).
fleet() {
  local n="$1" file="$WORK/fleet-$1.toml"
  {
    printf '[fleet]\nname = "bench-%s"\ntransport = "local"\nimage = "127.0.0.1:5000/bench/bot"\n' "$n"
    for ((i = 0; i < n; i++)); do
      printf '\n[[hosts]]\nname = "host-%d"\nbots = [%d, %d, %d]\ngroup = "production"\n' \
        "$((i + 1))" "$((10000 + 3 * i))" "$((10001 + 3 * i))" "$((10002 + 3 * i))"
    done
  } >"$file"
  echo "$file"
}

# measure CONFIG SPEED RUNS: sets WALL (s), CPU (user + sys, s), RSS (kB) of one simulate.
measure() {
  local config="$1" speed="$2" runs="$3" log="$WORK/time.log"
  DROVER_STATE_DIR="$WORK/state" /usr/bin/time -v "$DROVER" simulate all "$speed" --runs "$runs" \
    --seed 1 --config "$config" >"$WORK/out.txt" 2>"$log" || {
    cat "$WORK/out.txt" "$log" >&2
    exit 1
  }
  WALL="$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0;
    for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$log")"
  CPU="$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {print u + s}' "$log")"
  RSS="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }

echo "drover simulate benchmark: $(nproc) cores, $(uname -r), runs=$RUNS, $(date -u +%FT%TZ)"
small="$(fleet 178)"
large="$(fleet 10000)"

for speed in routine immediate; do
  measure "$small" "$speed" 1
  base_wall="$WALL"
  measure "$small" "$speed" "$RUNS"
  per_run="$(awk -v a="$WALL" -v b="$base_wall" -v n="$RUNS" 'BEGIN {printf "%.6f", (a - b) / (n - 1)}')"
  printf '178 hosts %-9s %d runs: wall %.2fs (1 run: %.2fs); per run %.2f ms; target 1000 ms: ratio %s\n' \
    "$speed" "$RUNS" "$WALL" "$base_wall" "$(awk -v p="$per_run" 'BEGIN {print p * 1000}')" \
    "$(ratio "$per_run" 1)"
done
sed -n '1,3p' "$WORK/out.txt" | sed 's/^/    /'

for speed in routine immediate; do
  measure "$large" "$speed" 1
  base_cpu="$CPU"
  base_rss="$RSS"
  measure "$large" "$speed" "$RUNS"
  printf '10000 hosts %-9s %d runs: cpu %.2fs (1 run: %.2fs), peak RSS %.1f MB (1 run: %.1f MB); targets 2 s, 64 MB: ratios %s, %s\n' \
    "$speed" "$RUNS" "$CPU" "$base_cpu" "$(awk -v r="$RSS" 'BEGIN {print r / 1024}')" \
    "$(awk -v r="$base_rss" 'BEGIN {print r / 1024}')" "$(ratio "$CPU" 2)" \
    "$(ratio "$RSS" $((64 * 1024)))"
done
sed -n '1,4p' "$WORK/out.txt" | sed 's/^/    /'

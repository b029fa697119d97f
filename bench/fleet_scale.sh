#!/usr/bin/env bash
# Benchmark: drover's cost at fleet scale (issue 11), with the stub agent
# (tests/support/stub-agent: the agent protocol without Docker, swaps of --swap-seconds, version
# from the real agent) so that a thousand hosts fit on one machine.
#
#   local  N hosts (default 1000) at `immediate` with the storm window set to 0 (every host
#          starts at once), under `prlimit --nofile=1024:1024` (the common ulimit, both limits).
#          It prints the wall time against the lower bound, the most threads and descriptors
#          drover held (sampled from /proc every 0.1 s), and its peak RSS and CPU.
#          Lower bound: the descriptor limit lets (1024 - 64) / 6 = 160 agents run at once, so
#          ceil(N / 160) waves of one swap each.
#   ssm    M instances (default 178) on the local AWS endpoint (tests/fake_aws, which runs each
#          SendCommand's script once per instance on this machine) at `routine` and at
#          `immediate` (storm window 0): SSM API calls per host by operation, as the endpoint
#          counted them, the peak calls in one second, and the wall time.
#   large  L instances (default 1000) on the local endpoint at `routine` and at `immediate`
#          (storm window 0), reported as for ssm. (--only large; slow: minutes.)
#   huge   H instances (default 10000) at `immediate` (storm window 0) with swaps of 0 s (the
#          endpoint answers at once): drover's peak RSS, CPU and threads for the whole deploy,
#          against issue 11's budget of 64 MB and 2 s. (--only huge; slow: many minutes, most of
#          it the endpoint running 30,000 stub scripts.)
#   throttled  T instances (default 1000) at `immediate` (storm window 0) on the local endpoint
#          throttling like AWS above a rate (a token bucket of R refilled at R a second, default
#          R = 25, over drover's default budget of 20): failed hosts (target 0), calls the
#          endpoint throttled, and the peak rate drover sent. (--only throttled; slow: minutes.)
#
# FLEET_SCALE_MAX_SCRIPTS sets how many scripts the endpoint runs at once for --only huge (64).
# Nothing is asserted: it prints figures and ratios. FLEET_SCALE_KEEP=1 keeps the work directory
# (configs, drover's output, the endpoint's log). FLEET_SCALE_WRAP="COMMAND ARGS --" runs each
# ssm deploy under that command, e.g. `perf record -F 499 --call-graph dwarf -o FILE --` or
# `valgrind --tool=massif --massif-out-file=FILE` (then the time and memory figures include it). Needs the built binaries and a registry
# with drover-test/bot:v2 (scripts/test-services.sh build), python3 and prlimit.
#
# usage: bench/fleet_scale.sh [--hosts N] [--instances M] [--swap-seconds S]
#                             [--only local|ssm|large|huge|throttled] [--throttled-instances T]
#                             [--rate R] [--large-instances L] [--huge-instances H]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
DROVER="${FLEET_SCALE_DROVER:-$REPO/build/drover}"  # another build to compare
AGENT="$REPO/build/drover-agent"
STUB="$REPO/tests/support/stub-agent"
REGISTRY="${DROVER_TEST_REGISTRY:-127.0.0.1:5000}"
HOSTS=1000
INSTANCES=178
SWAP=2
ONLY=""
THROTTLED=1000
RATE=25
LARGE=1000
HUGE=10000
while (($#)); do
  case "$1" in
    --hosts) HOSTS="${2:-}"; shift 2 || true ;;
    --instances) INSTANCES="${2:-}"; shift 2 || true ;;
    --swap-seconds) SWAP="${2:-}"; shift 2 || true ;;
    --only) ONLY="${2:-}"; shift 2 || true ;;
    --throttled-instances) THROTTLED="${2:-}"; shift 2 || true ;;
    --rate) RATE="${2:-}"; shift 2 || true ;;
    --large-instances) LARGE="${2:-}"; shift 2 || true ;;
    --huge-instances) HUGE="${2:-}"; shift 2 || true ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "fleet_scale: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
for bin in "$DROVER" "$AGENT"; do
  [[ -x "$bin" ]] || { echo "fleet_scale: no binary at $bin (build first)" >&2; exit 2; }
done
command -v prlimit >/dev/null || { echo "fleet_scale: needs prlimit (util-linux)" >&2; exit 2; }

WORK="$(mktemp -d)"
FAKE_PID=""
cleanup() {
  [[ -n "$FAKE_PID" ]] && kill "$FAKE_PID" 2>/dev/null && wait "$FAKE_PID" 2>/dev/null
  if [[ -n "${FLEET_SCALE_KEEP:-}" ]]; then echo "fleet_scale: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
export DROVER_STUB_REAL_AGENT="$AGENT" DROVER_STUB_SWAP_SECONDS="$SWAP"

fleet_head() { # NAME TRANSPORT
  printf '[fleet]\nname = "%s"\ntransport = "%s"\nimage = "%s/drover-test/bot"\n' "$1" "$2" "$REGISTRY"
  printf 'default_tag = "v1"\nlogin_probe = "health"\ndisk_floor_mb = 64\nagent_path = "%s"\n' "$STUB"
}

# watch PID OUT: samples the process's threads and open descriptors until it ends; writes
# "max_threads max_fds" to OUT. Bash builtins only: no process started per sample (30 a
# second), whose CPU would be taken from the 2 cores the measured process runs on.
watch() {
  local pid="$1" out="$2" threads=0 fds=0 t key value entries nap
  exec {nap}<> <(:)  # a pipe nobody writes to: `read -t` on it sleeps without a process
  while [[ -d "/proc/$pid" ]]; do
    t=0
    while read -r key value _; do
      [[ "$key" == Threads: ]] && t="$value" && break
    done <"/proc/$pid/status" 2>/dev/null || true
    entries=("/proc/$pid/fd/"*)
    [[ -e "${entries[0]}" ]] || entries=()
    ((t > threads)) && threads="$t"
    ((${#entries[@]} > fds)) && fds="${#entries[@]}"
    read -rt 0.1 -u "$nap" _ || true
  done
  exec {nap}<&-
  echo "$threads $fds" >"$out"
}

# stamp: copies stdin to stdout, each line prefixed with the seconds since it started.
stamp() {
  python3 -u -c '
import sys, time
t0 = time.monotonic()
for line in sys.stdin:
    sys.stdout.write("%.2f %s" % (time.monotonic() - t0, line))
'
}

# timed OUT ARGV...: runs ARGV under /usr/bin/time -v; sets WALL CPU RSS; the output in OUT.
timed() {
  local out="$1" log="$WORK/time.log"
  shift
  /usr/bin/time -v "$@" >"$out" 2>"$log" &
  local timer=$!
  sleep 0.2
  local pid
  pid="$(pgrep -P "$timer" | head -1 || true)"
  [[ -n "$pid" ]] && watch "$pid" "$WORK/watch" &
  local watcher=$!
  local rc=0
  wait "$timer" || rc=$?
  wait "$watcher" 2>/dev/null || true
  WALL="$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0;
    for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$log")"
  CPU="$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {print u + s}' "$log")"
  RSS="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")"
  read -r THREADS FDS <"$WORK/watch" 2>/dev/null || { THREADS="?"; FDS="?"; }
  return "$rc"
}

bench_local() {
  local config="$WORK/local.toml"
  {
    fleet_head bench-local local
    printf '\n[speeds.immediate]\njitter = 0\n'
    for ((i = 0; i < HOSTS; i++)); do
      printf '\n[[hosts]]\nname = "h%04d"\nbots = [%d]\n' "$i" "$((30000 + i))"
    done
  } >"$config"
  echo "local: $HOSTS hosts, immediate, storm window 0, swaps of ${SWAP}s, prlimit --nofile=1024:1024"
  if ! timed "$WORK/local.out" env DROVER_STATE_DIR="$WORK/state-local" prlimit --nofile=1024:1024 -- \
    "$DROVER" deploy all immediate v2 -y --straggler-wait 0 --config "$config"; then
    tail -20 "$WORK/local.out" >&2
    echo "local: the deploy failed" >&2
    return 1
  fi
  local result bound
  result="$(grep -- '--- result:' "$WORK/local.out" || true)"
  bound="$(python3 -c "import math; print(math.ceil($HOSTS / 160) * $SWAP)")"
  printf '  %s\n' "$result"
  printf '  wall %.1f s, lower bound %s s (ceil(%d / 160) waves of %ss): ratio %.2f\n' \
    "$WALL" "$bound" "$HOSTS" "$SWAP" "$(python3 -c "print($WALL / $bound)")"
  printf '  drover: at most %s threads and %s descriptors; peak RSS %d MB; CPU %.1f s\n' \
    "$THREADS" "$FDS" "$((RSS / 1024))" "$CPU"
}

start_fake_aws() { # N [MAX_SCRIPTS]
  python3 - "$1" "$WORK" >"$WORK/fleet.json" <<'EOF'
import json, sys
n, work = int(sys.argv[1]), sys.argv[2]
print(json.dumps({"instances": [
    {"id": "i-%017x" % (0xbe0000 + i), "ping_status": "Online", "computer_name": "h%04d" % i,
     "env": {"DROVER_AGENT_LOCK": "%s/lock-%d" % (work, i)}} for i in range(n)]}))
EOF
  python3 "$REPO/tests/fake_aws/fake_aws.py" --port 0 --port-file "$WORK/port" \
    --fleet "$WORK/fleet.json" --max-scripts "${2:-0}" 2>"$WORK/fake.log" &
  FAKE_PID=$!
  for _ in $(seq 100); do [[ -s "$WORK/port" ]] && break; sleep 0.1; done
  [[ -s "$WORK/port" ]] || { cat "$WORK/fake.log" >&2; echo "fleet_scale: fake_aws did not start" >&2; exit 1; }
  PORT="$(cat "$WORK/port")"
}

bench_ssm() { # SPEED [INSTANCES] [LABEL]
  local speed="$1" instances="${2:-$INSTANCES}" label="${3:-ssm}" config="$WORK/ssm-$1-${2:-m}.toml"
  {
    fleet_head "bench-ssm-$speed" ssm
    printf '\n[aws]\npoll_interval = 2\n\n[speeds.immediate]\njitter = 0\n'
    for ((i = 0; i < instances; i++)); do
      printf '\n[[hosts]]\nname = "h%04d"\naddress = "i-%017x"\nbots = [%d, %d, %d]\n' \
        "$i" "$((0xbe0000 + i))" "$((40000 + 3 * i))" "$((40001 + 3 * i))" "$((40002 + 3 * i))"
    done
  } >"$config"
  curl -fsS -X DELETE "http://127.0.0.1:$PORT/_fake/calls" >/dev/null
  local out="$WORK/ssm-$speed-$instances.out"
  if ! timed >(stamp >"$out") env DROVER_STATE_DIR="$WORK/state-ssm" \
    AWS_ENDPOINT_URL="http://127.0.0.1:$PORT" AWS_ACCESS_KEY_ID=AKIDDROVERTEST \
    AWS_SECRET_ACCESS_KEY='drover+test/secret/wJalrXUtnFEMIK7MDENG' AWS_REGION=eu-west-1 \
    AWS_EC2_METADATA_DISABLED=true ${FLEET_SCALE_WRAP:-} \
    "$DROVER" deploy all "$speed" v2 -y --straggler-wait 0 --config "$config"; then
    sleep 1
    tail -20 "$out" >&2
    echo "ssm: the $speed deploy failed" >&2
    return 1
  fi
  curl -fsS "http://127.0.0.1:$PORT/_fake/calls" >"$WORK/calls.json"
  echo "$label: $instances instances, $speed$([[ $speed == immediate ]] && echo ', storm window 0'), swaps of ${SWAP}s, poll 2 s"
  sleep 1  # the stamper's last lines
  printf '  %s\n' "$(grep -- '--- result:' "$out" | cut -d' ' -f2- || true)"
  # Phases, from each line's time since drover started: the preflight ends at the deploy id
  # line ("command: …"), the rollout at the last host's line, the verification at the end.
  awk '/ command: / && !p {p = $1} / \[[0-9]+\/[0-9]+\] / {r = $1} {e = $1}
    END {printf "  phases: preflight %.1f s, rollout %.1f s, verification %.1f s\n", p, r - p, e - r}' "$out"
  python3 - "$WORK/calls.json" "$instances" "$WALL" <<'EOF'
import collections, json, sys
calls, n, wall = json.load(open(sys.argv[1])), int(sys.argv[2]), float(sys.argv[3])
throttled = sum(1 for c in calls if c.get("error", "").startswith("Throttling"))
ops = collections.Counter(c["operation"] for c in calls)
times = sorted(c["time"] for c in calls)
peak, j = 0, 0
for i, t in enumerate(times):
    while j < len(times) and times[j] < t + 1.0:
        j += 1
    peak = max(peak, j - i)
print("  %d SSM/EC2 calls, %.2f per host (target <= 3: ratio %.2f); peak %d calls in one second"
      % (len(calls), len(calls) / n, len(calls) / n / 3, peak))
print("  by operation: " + ", ".join("%s %d" % kv for kv in ops.most_common()))
print("  %d calls throttled by the endpoint; wall %.1f s" % (throttled, wall))
EOF
  printf '  drover: at most %s threads and %s descriptors; peak RSS %d MB; CPU %.2f s\n' \
    "$THREADS" "$FDS" "$((RSS / 1024))" "$CPU"
}

if [[ -z "$ONLY" || "$ONLY" == local ]]; then bench_local; fi
if [[ -z "$ONLY" || "$ONLY" == ssm ]]; then
  start_fake_aws "$INSTANCES"
  bench_ssm routine
  bench_ssm immediate
fi
if [[ "$ONLY" == large ]]; then
  start_fake_aws "$LARGE"
  bench_ssm routine "$LARGE" "large"
  bench_ssm immediate "$LARGE" "large"
fi
if [[ "$ONLY" == huge ]]; then
  # The endpoint answers at once: swaps of 0 s, so what is measured is drover's own cost.
  export DROVER_STUB_SWAP_SECONDS=0
  SWAP=0
  # The real agent's `version` answer, saved once (tests/support/stub-agent), and at most 64
  # scripts at once on the endpoint: 10,000 instances on one 2-core machine.
  "$AGENT" version >"$WORK/version.json"
  export DROVER_STUB_VERSION_FILE="$WORK/version.json"
  start_fake_aws "$HUGE" "${FLEET_SCALE_MAX_SCRIPTS:-64}"
  bench_ssm immediate "$HUGE" "huge"
fi
if [[ "$ONLY" == throttled ]]; then
  start_fake_aws "$THROTTLED"
  curl -fsS -X POST "http://127.0.0.1:$PORT/_fake/config" \
    -d "{\"throttle_bucket\": {\"size\": $RATE, \"per_second\": $RATE}}" >/dev/null
  bench_ssm immediate "$THROTTLED" "throttled at $RATE/s"
fi

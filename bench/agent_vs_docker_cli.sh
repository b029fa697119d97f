#!/usr/bin/env bash
# Benchmark: drover-agent's swap of 3 bots against the same rollback-safe sequence done with
# docker CLI calls from a shell script (bench/docker_cli_swap.sh), same images, same
# timeouts, same run. See docs/benchmarks.md for what is measured and the figures.
#
# Each round runs both sides, alternating which goes first (odd rounds: agent first). Before
# each side the bench resets the host to the same state, untimed:
#   bot9101..bot9103 (and -prev) removed; 127.0.0.1:5000/drover-test/bot:v1 and :v2 pulled
#   (both sides' own pull then only checks the registry: the layers are local); the three
#   bots run v1 with bench/bot_config.sh's config and are healthy; 1 s pause.
# Then it times the whole command, `drover-agent swap ... --stop-timeout 10 --settle 3` or
# `bench/docker_cli_swap.sh` with the same arguments, from fork to exit (wall), and checks
# the result (ok, every bot on v2, no botN-prev left).
#
# Excluded from "adjusted" (both sides, from their own per-bot timings_ms): the stop and
# settle waits. The bots are swapped in parallel, so the bench subtracts the largest
# per-bot (stop + settle), not the sum:  adjusted = wall - max over bots (stop + settle).
#
# usage: bench/agent_vs_docker_cli.sh [--rounds N] [--agent PATH]
#   --rounds N    rounds (default 5)
#   --agent PATH  the drover-agent binary (default <repo>/build/drover-agent); it is copied
#                 to a temporary directory first, so a rebuild during the run changes nothing
# env: DROVER_TEST_REGISTRY (default 127.0.0.1:5000). Needs docker and jq, and the images
#      published by `scripts/test-services.sh build`.
# Prints a table per round and a summary; exits non-zero when a swap did not end as expected.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
# shellcheck source=bench/bot_config.sh
source "$HERE/bot_config.sh"

ROUNDS=5
AGENT="$REPO/build/drover-agent"
while (($#)); do
  case "$1" in
    --rounds) ROUNDS="${2:-}"; shift 2 || true ;;
    --agent) AGENT="${2:-}"; shift 2 || true ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "agent_vs_docker_cli: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "agent_vs_docker_cli: --rounds needs a positive number" >&2; exit 2; }

REGISTRY="${DROVER_TEST_REGISTRY:-127.0.0.1:5000}"
V1="$REGISTRY/drover-test/bot:v1"
V2="$REGISTRY/drover-test/bot:v2"
BOT_IDS=(9101 9102 9103)
BOTS="$(IFS=,; echo "${BOT_IDS[*]}")"
STOP_TIMEOUT=10
SETTLE=3

die() { echo "agent_vs_docker_cli: ERROR: $*" >&2; exit 1; }
note() { echo "agent_vs_docker_cli: $*" >&2; }

command -v jq >/dev/null || die "jq is not installed"
docker info >/dev/null 2>&1 || die "the Docker engine does not answer (scripts/setup.sh)"
[[ -x "$AGENT" ]] || die "$AGENT not found: ninja -C build drover-agent"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/agent-vs-docker-cli.XXXXXX")"
remove_bots() {
  local id
  for id in "${BOT_IDS[@]}"; do docker rm -f "bot$id" "bot$id-prev" >/dev/null 2>&1 || true; done
}
finish() {
  local rc=$?
  remove_bots
  if ((rc == 0)); then rm -rf "$WORK"; else note "logs kept in $WORK"; fi
}
trap finish EXIT
trap 'exit 130' INT TERM
cp "$AGENT" "$WORK/drover-agent"

reset_bots() {
  local id args deadline healthy
  remove_bots
  docker pull -q "$V1" >/dev/null || die "cannot pull $V1: run scripts/test-services.sh build"
  docker pull -q "$V2" >/dev/null || die "cannot pull $V2: run scripts/test-services.sh build"
  for id in "${BOT_IDS[@]}"; do
    mapfile -t args < <(bench_run_args "$id")
    docker run -d --name "bot$id" "${args[@]}" "$V1" >/dev/null
  done
  deadline=$((SECONDS + 30))
  while true; do
    healthy=0
    for id in "${BOT_IDS[@]}"; do
      [[ "$(docker inspect -f '{{.State.Health.Status}}' "bot$id" 2>/dev/null)" == healthy ]] &&
        healthy=$((healthy + 1))
    done
    ((healthy == ${#BOT_IDS[@]})) && break
    ((SECONDS < deadline)) || die "the v1 bots did not turn healthy within 30 s"
    sleep 0.2
  done
  sleep 1
}

# check_result FILE: the swap reported ok and the host is in the swapped state; else prints
# why and fails.
check_result() {
  local out="$1" image_id id
  if ! jq -e '.ok == true and (.bots | length) == 3 and all(.bots[]; .outcome == "swapped")' \
    "$out" >/dev/null 2>&1; then
    echo "the swap did not succeed: $(jq -c '[.error, (.bots[]? | .reason)] | unique' "$out" 2>/dev/null ||
      head -c 500 "$out")"
    return 1
  fi
  image_id="$(jq -r '.image.id' "$out")"
  for id in "${BOT_IDS[@]}"; do
    if [[ "$(docker inspect -f '{{.Image}} {{.State.Running}}' "bot$id" 2>/dev/null)" != "$image_id true" ]]; then
      echo "bot$id does not run $V2 ($image_id) after the swap"
      return 1
    fi
    if docker inspect "bot$id-prev" >/dev/null 2>&1; then
      echo "bot$id-prev was left over"
      return 1
    fi
  done
}

RESULTS="$WORK/results.tsv"
: >"$RESULTS"

# run_side SIDE ROUND ORDER: resets, runs one swap, appends a row to $RESULTS, prints it.
# This host may be shared: another process's `docker image prune -a` or image rebuild can
# delete or move the v2 tag mid-swap. A side that fails is reset and run again (up to 3
# attempts; the order column then reads e.g. "1st*2" and stderr says why); the failed
# attempt's times are discarded.
run_side() {
  local side="$1" round="$2" order="$3" out="$WORK/$1-$2.json" err="$WORK/$1-$2.err" t0 t1
  local wall excluded adjusted pull starts downs attempt why load
  for attempt in 1 2 3; do
    reset_bots
    read -r load _ </proc/loadavg
    if [[ "$side" == agent ]]; then
      stamp t0
      "$WORK/drover-agent" swap --bots "$BOTS" --image "$V2" --stop-timeout "$STOP_TIMEOUT" \
        --settle "$SETTLE" >"$out" 2>"$err" || true
      stamp t1
    else
      stamp t0
      "$HERE/docker_cli_swap.sh" --bots "$BOTS" --image "$V2" --stop-timeout "$STOP_TIMEOUT" \
        --settle "$SETTLE" >"$out" 2>"$err" || true
      stamp t1
    fi
    why="$(check_result "$out")" && break
    note "round $round, $side, attempt $attempt: $why"
    ((attempt < 3)) || die "$side failed 3 times in round $round (logs: $out, $err)"
    cp "$out" "$out.failed$attempt"
    cp "$err" "$err.failed$attempt"
    order="${order%\**}*$((attempt + 1))"
  done
  wall=$(((t1 - t0) / 1000))
  excluded="$(jq '[.bots[].timings_ms | .stop + .settle] | max' "$out")"
  adjusted=$((wall - excluded))
  pull="$(jq '.bots[0].timings_ms.pull' "$out")"
  starts="$(jq -r '[.bots[].timings_ms.start | tostring] | join(",")' "$out")"
  downs="$(jq -r '[.bots[].timings_ms.downtime | tostring] | join(",")' "$out")"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$side" "$order" "$wall" "$excluded" \
    "$adjusted" "$pull" "$starts" "$downs" "$load" >>"$RESULTS"
  printf '%5s  %-10s  %5s  %7s  %8s  %8s  %5s  %-15s  %-17s  %5s\n' "$round" "$side" "$order" \
    "$wall" "$excluded" "$adjusted" "$pull" "$starts" "$downs" "$load"
}

# median: the median of the numbers on stdin (one a line; the mean of the middle two when
# there is an even count).
median() {
  sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit }
    if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# column SIDE N: column N of $RESULTS for SIDE, one a line (comma lists split).
column() { awk -F'\t' -v s="$1" -v c="$2" '$2 == s { n = split($c, a, ","); for (i = 1; i <= n; i++) print a[i] }' "$RESULTS"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf (b > 0 ? "%.2f" : "n/a"), a / b }'; }

echo "drover-agent vs docker CLI: swap of bots $BOTS from $V1 to $V2,"
echo "stop timeout ${STOP_TIMEOUT}s, settle ${SETTLE}s, $ROUNDS round(s), order alternating"
echo "host: $(nproc) cores, $(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release), Docker $(docker version -f '{{.Server.Version}}'), agent $(sha256sum "$WORK/drover-agent" | cut -c1-12)"
echo
echo "times in ms; excluded = max over bots (stop + settle); adjusted = wall - excluded"
echo "load = the host's 1-minute load average just before the timed command (the host may be shared)"
printf '%5s  %-10s  %5s  %7s  %8s  %8s  %5s  %-15s  %-17s  %5s\n' round side order wall excluded \
  adjusted pull "start (3 bots)" "downtime (3 bots)" load
for ((round = 1; round <= ROUNDS; round++)); do
  if ((round % 2)); then
    run_side agent "$round" 1st
    run_side docker-cli "$round" 2nd
  else
    run_side docker-cli "$round" 1st
    run_side agent "$round" 2nd
  fi
done

echo
echo "summary: medians over $ROUNDS round(s); downtime and start over $((ROUNDS * ${#BOT_IDS[@]})) bot swaps per side"
printf '%-34s %9s %11s %18s\n' "" agent docker-cli "docker-cli/agent"
for row in "wall time (raw):4" "excluded (max stop+settle):5" "adjusted wall time:6" \
  "pull:7" "per-bot start (create+start):8" "per-bot downtime:9"; do
  label="${row%:*}" col="${row##*:}"
  a="$(column agent "$col" | median)"
  d="$(column docker-cli "$col" | median)"
  printf '%-34s %9s %11s %18s\n' "$label" "$a" "$d" "$(ratio "$d" "$a")"
done
# The same ratio paired within each round (both sides ran back to back there), which is
# less sensitive to load that drifts between rounds.
paired="$(awk -F'\t' '$2 == "agent" { a[$1] = $6 } $2 == "docker-cli" { d[$1] = $6 }
  END { for (r in a) if (r in d && a[r] > 0) print d[r] / a[r] }' "$RESULTS" | median)"
printf '%-34s %9s %11s %18s\n' "adjusted, per-round ratio (median)" "" "" "$(awk -v x="$paired" 'BEGIN { printf "%.2f", x }')"
printf '%-34s %9s %11s\n' "load average before the command" "$(column agent 10 | median)" \
  "$(column docker-cli 10 | median)"

#!/usr/bin/env bash
# Benchmark (issue 10): one fleet rollout, v1 -> v2, done by drover, by Docker Swarm and by
# Ansible on the same engine, in the same run, with the lower bound measured there too.
#
# The workload: 10 logical hosts x 3 bots (bot9201..bot9230), 5 hosts = 15 bots at a time
# (two waves), graceful stop grace 2 s, settle 2 s, images 127.0.0.1:5000/drover-test/bot:v1
# and :v2 (both carry a HEALTHCHECK every 1 s).
#   drover  `drover deploy all routine v2 -y` over a drover.toml with transport = "local",
#           10 hosts of 3 bots, [speeds.routine] concurrency 5, stop_timeout 2, settle 2,
#           jitter 0, no login poll; timed from fork to exit (its verification included).
#   swarm   `docker swarm init` on this engine; one service of 30 replicas (BOT_ID = the task
#           slot) created on v1, then timed: `docker service update --image v2` with
#           --update-parallelism 15 --update-order stop-first --update-monitor 2s
#           --update-delay 0s --stop-grace-period 2s (blocks until the update converged).
#           `docker swarm leave --force` at the end, whatever happens.
#   ansible Debian's ansible with community.docker: an inventory of the 10 hosts
#           (ansible_connection=local), `serial: 5`, per host a docker_image pull then
#           docker_container recreate of its 3 bots (stop_timeout 2, same config), then a
#           2 s pause per batch; timed ansible-playbook from fork to exit.
#   bound   the lower bound, measured: per wave, 15 old containers stopped in parallel
#           (Engine API, t=2) + 15 new ones, created beforehand, started in parallel + the
#           2 s settle; two waves. Nothing else (no pull, no create, no rename, no check).
# Each round runs the four in an order that rotates; before each the bots are reset untimed
# (30 v1 containers, healthy; v1 and v2 local). Per-bot downtime comes from Docker's own
# events: the old container's `die` to the new one's `start` (the same bot: its name, or for
# Swarm its task slot). For drover the journal's per-step timings (agent report) say where
# each bot's time went, which explains the gap to the bound.
# --broken adds one round per side (drover, swarm) deploying :broken (exits at once): how
# long until every bot runs v1 again, and how many run at the end.
#
# usage: bench/peer_rollout.sh [--rounds N] [--build DIR] [--broken]
# Needs: the docker lock held by the caller (flock -o /tmp/drover-docker.lock ...), the
# services of scripts/test-services.sh, jq, curl, ansible (Debian package).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
# shellcheck source=bench/bot_config.sh
source "$HERE/bot_config.sh"

ROUNDS=3
BUILD="$REPO/build"
BROKEN=false
while (($#)); do
  case "$1" in
    --rounds) ROUNDS="${2:-}"; shift 2 || true ;;
    --build) BUILD="${2:-}"; shift 2 || true ;;
    --broken) BROKEN=true; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "peer_rollout: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "peer_rollout: --rounds needs a positive number" >&2; exit 2; }

REGISTRY="${DROVER_TEST_REGISTRY:-127.0.0.1:5000}"
REPO_IMAGE="$REGISTRY/drover-test/bot"
V1="$REPO_IMAGE:v1"
V2="$REPO_IMAGE:v2"
BROKEN_IMAGE="$REPO_IMAGE:broken"
HOSTS=10
PER_HOST=3
FIRST_ID=9201
BOT_IDS=()
for ((i = 0; i < HOSTS * PER_HOST; i++)); do BOT_IDS+=($((FIRST_ID + i))); done
NBOTS=${#BOT_IDS[@]}
WAVE=15
STOP=2
SETTLE=2
SERVICE=drover-bench-swarm
SOCK=/var/run/docker.sock
API="http://localhost/v1.41"

die() { echo "peer_rollout: ERROR: $*" >&2; exit 1; }
note() { echo "peer_rollout: $*" >&2; }

for tool in jq curl ansible-playbook docker; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
docker info >/dev/null 2>&1 || die "the Docker engine does not answer (scripts/setup.sh)"
[[ -x "$BUILD/drover" && -x "$BUILD/drover-agent" ]] || die "build drover and drover-agent in $BUILD first"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/peer-rollout.XXXXXX")"
cp "$BUILD/drover" "$BUILD/drover-agent" "$WORK/"
SWARM_STARTED=false

remove_bots() {
  local names=() id
  for id in "${BOT_IDS[@]}"; do names+=("bot$id" "bot$id-prev" "bot$id-next" "lb$id"); done
  docker rm -f "${names[@]}" >/dev/null 2>&1 || true
}
leave_swarm() {
  if $SWARM_STARTED; then
    docker service rm "$SERVICE" >/dev/null 2>&1 || true
    docker swarm leave --force >/dev/null 2>&1 || true
    # the bridge `swarm init` made outlives the swarm (left alone when it was there before)
    $GWBRIDGE_OURS && { docker network rm docker_gwbridge >/dev/null 2>&1 || true; }
    SWARM_STARTED=false
  fi
}
finish() {
  local rc=$?
  [[ -z "${EVENTS_PID:-}" ]] || kill "$EVENTS_PID" 2>/dev/null || true
  leave_swarm
  remove_bots
  if ((rc == 0)); then rm -rf "$WORK"; else note "logs kept in $WORK"; fi
}
trap finish EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- the three tools' inputs

mkdir -p "$WORK/state"
{
  cat <<TOML
[fleet]
name = "peer-bench"
transport = "local"
image = "$REPO_IMAGE"
default_tag = "v2"

[speeds.routine]
concurrency = 5
stop_timeout = $STOP
settle = $SETTLE
jitter = 0
login_poll = false
TOML
  for ((h = 0; h < HOSTS; h++)); do
    printf '\n[[hosts]]\nname = "host-%d"\nbots = [%d, %d, %d]\ngroup = "production"\n' $((h + 1)) \
      "${BOT_IDS[h * 3]}" "${BOT_IDS[h * 3 + 1]}" "${BOT_IDS[h * 3 + 2]}"
  done
} >"$WORK/drover.toml"

{
  echo "[fleet]"
  for ((h = 0; h < HOSTS; h++)); do
    echo "host-$((h + 1)) ansible_connection=local bots='[${BOT_IDS[h * 3]},${BOT_IDS[h * 3 + 1]},${BOT_IDS[h * 3 + 2]}]'"
  done
  echo
  echo "[fleet:vars]"
  echo "ansible_python_interpreter=/usr/bin/python3"
} >"$WORK/inventory.ini"

cat >"$WORK/rollout.yml" <<YAML
- hosts: fleet
  serial: 5
  gather_facts: false
  vars:
    image: "{{ target_image }}"
  tasks:
    - name: pull the new image
      community.docker.docker_image:
        name: "{{ image }}"
        source: pull
        force_source: true
    - name: recreate each bot on it
      community.docker.docker_container:
        name: "bot{{ item }}"
        image: "{{ image }}"
        state: started
        recreate: true
        stop_timeout: $STOP
        restart_policy: unless-stopped
        env:
          BOT_ID: "{{ item | string }}"
        labels:
          drover.bench: agent_vs_docker_cli
          drover.bot: "{{ item | string }}"
        volumes:
          - /etc/resolv.conf:/etc/resolv.conf:ro
      loop: "{{ bots }}"
    - name: settle
      ansible.builtin.pause:
        seconds: $SETTLE
YAML

# ---------------------------------------------------------------- resets

wait_healthy() {
  local deadline=$((SECONDS + 90)) healthy
  while true; do
    healthy="$(docker ps --filter label=drover.bench --filter health=healthy -q | wc -l)"
    ((healthy >= NBOTS)) && return 0
    ((SECONDS < deadline)) || die "only $healthy of $NBOTS bots turned healthy within 90 s"
    sleep 0.5
  done
}

reset_bots() {
  remove_service
  remove_bots
  docker pull -q "$V1" >/dev/null || die "cannot pull $V1: run scripts/test-services.sh build"
  docker pull -q "$V2" >/dev/null || die "cannot pull $V2"
  local id args attempt
  # A loaded engine sometimes fails a start ("context deadline exceeded"): started again.
  for id in "${BOT_IDS[@]}"; do
    mapfile -t args < <(bench_run_args "$id")
    for attempt in 1 2 3; do
      docker rm -f "bot$id" >/dev/null 2>&1 || true
      docker run -d --name "bot$id" "${args[@]}" "$V1" >/dev/null 2>"$WORK/run.err" && break
      note "docker run bot$id (attempt $attempt): $(head -c 200 "$WORK/run.err")"
    done
  done
  wait_healthy
  sleep 1
}

# The swarm service's tasks are bots too: gone before any other side's reset.
remove_service() {
  $SWARM_STARTED || return 0
  docker service rm "$SERVICE" >/dev/null 2>&1 || true
  local deadline=$((SECONDS + 60))
  while [[ -n "$(docker ps -aq --filter "label=com.docker.swarm.service.name=$SERVICE")" ]]; do
    ((SECONDS < deadline)) || die "the old service's containers did not go away"
    sleep 0.5
  done
}

GWBRIDGE_OURS=false
start_swarm() {
  docker network inspect docker_gwbridge >/dev/null 2>&1 || GWBRIDGE_OURS=true
  docker info -f '{{.Swarm.LocalNodeState}}' | grep -qx inactive ||
    die "this engine is already in a swarm; the bench will not touch it"
  docker swarm init --advertise-addr 127.0.0.1 >/dev/null || die "docker swarm init failed"
  SWARM_STARTED=true
}

reset_swarm() {
  remove_bots
  remove_service
  docker pull -q "$V1" >/dev/null && docker pull -q "$V2" >/dev/null
  docker service create --detach=false --quiet --name "$SERVICE" --replicas "$NBOTS" \
    --env 'BOT_ID={{.Task.Slot}}' --container-label drover.bench=peer_rollout \
    --mount type=bind,src=/etc/resolv.conf,dst=/etc/resolv.conf,readonly \
    --restart-condition any --stop-grace-period "${STOP}s" \
    --update-parallelism "$WAVE" --update-order stop-first --update-monitor "${SETTLE}s" \
    --update-delay 0s --update-failure-action rollback \
    --rollback-parallelism "$WAVE" --rollback-order stop-first --rollback-monitor "${SETTLE}s" \
    "$V1" >/dev/null || die "docker service create failed"
  wait_healthy
  sleep 1
}

# ---------------------------------------------------------------- measuring

now_ns() { local t="$EPOCHREALTIME"; echo "${t/[.,]/}000"; }
EVENTS_PID=""

# Docker keeps only its last 1000 events, and the bots' health checks fill that in seconds: the
# container die/start events are streamed to a file while a side runs instead.
watch_events() {  # watch_events FILE
  docker events --filter type=container --filter event=die --filter event=start \
    --format '{{.TimeNano}} {{.Action}} {{index .Actor.Attributes "name"}}' >"$1" &
  EVENTS_PID=$!
  sleep 0.5
}
stop_events() {
  sleep 0.5
  kill "$EVENTS_PID" 2>/dev/null || true
  wait "$EVENTS_PID" 2>/dev/null || true
}

# downtimes FILE KEY: per-bot downtime in ms from the events in FILE, one a line: for each bot
# (KEY=name: the container name; KEY=slot: the swarm task slot) the first `start` after its
# first `die`.
downtimes() {
  local file="$1" key="$2"
  awk -v key="$key" -v service="$SERVICE" '
      { name = $3
        if (key == "slot") { split(name, p, "."); if (p[1] != service) next; name = p[2] }
        else if (name !~ /^bot92[0-9][0-9]$/) next
        if ($2 == "die" && !(name in died)) died[name] = $1
        else if ($2 == "start" && (name in died) && !(name in started)) started[name] = $1 }
      END { for (n in started) printf "%d\n", (started[n] - died[n]) / 1e6 }' "$file"
}

RESULTS="$WORK/results.tsv"
: >"$RESULTS"
DOWNS="$WORK/downtimes.tsv"
: >"$DOWNS"
STEPS="$WORK/steps.tsv"
: >"$STEPS"

record() {  # record ROUND SIDE WALL_MS EVENTS_FILE KEY LOAD
  local round="$1" side="$2" wall="$3" events="$4" key="$5" load="$6" d
  downtimes "$events" "$key" >"$WORK/down-$side-$round"
  while read -r d; do printf '%s\t%s\t%s\n' "$round" "$side" "$d" >>"$DOWNS"; done <"$WORK/down-$side-$round"
  local n med
  n="$(wc -l <"$WORK/down-$side-$round")"
  med="$(median <"$WORK/down-$side-$round")"
  printf '%s\t%s\t%s\t%s\n' "$round" "$side" "$wall" "$load" >>"$RESULTS"
  printf '%5s  %-8s  %8s  %12s  %9s  %5s\n' "$round" "$side" "$wall" "$med" "$n/$NBOTS" "$load"
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit }
    if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
minmax() { sort -n | awk 'NR == 1 { mn = $1 } { mx = $1 } END { printf "%s..%s", mn, mx }'; }

all_on() {  # all_on IMAGE: every bot runs IMAGE; else prints what does not
  local want id got bad=0
  want="$(docker image inspect -f '{{.Id}}' "$1")"
  for id in "${BOT_IDS[@]}"; do
    got="$(docker inspect -f '{{.Image}} {{.State.Running}}' "bot$id" 2>/dev/null || echo missing)"
    [[ "$got" == "$want true" ]] || { echo "bot$id: $got"; bad=1; }
  done
  return $bad
}

run_drover() {  # run_drover ROUND [TAG]
  local round="$1" tag="${2:-v2}" t0 t1 load rc=0
  reset_bots
  watch_events "$WORK/events-drover-$round-$tag"
  read -r load _ </proc/loadavg
  t0="$(now_ns)"
  DROVER_CONFIG="$WORK/drover.toml" DROVER_STATE_DIR="$WORK/state" \
    "$WORK/drover" deploy all routine "$tag" -y --straggler-wait 0 \
    >"$WORK/drover-$round-$tag.out" 2>"$WORK/drover-$round-$tag.err" || rc=$?
  t1="$(now_ns)"
  stop_events
  if [[ "$tag" == v2 ]]; then
    ((rc == 0)) || die "drover exited $rc in round $round (see $WORK/drover-$round-$tag.err)"
    all_on "$V2" >/dev/null || die "drover: not every bot runs v2 after round $round: $(all_on "$V2" | head -3)"
    drover_steps "$round"
  fi
  record "$round" "drover${tag#v2}" $(((t1 - t0) / 1000000)) "$WORK/events-drover-$round-$tag" name "$load"
  if [[ "$tag" != v2 ]]; then
    echo "        drover exit $rc; bots on v1 and running at the end: $((NBOTS - $(all_on "$V1" | wc -l)))/$NBOTS"
  fi
}

# The latest journal's per-bot step durations (the agent's report, journaled by drover).
drover_steps() {
  local journal
  journal="$(find "$WORK/state" -name '*.jsonl' -newer "$WORK/drover.toml" -printf '%T@ %p\n' |
    sort -n | tail -n 1 | cut -d' ' -f2-)"
  [[ -n "$journal" ]] || { note "no journal found under $WORK/state"; return 0; }
  jq -r --arg r "$1" 'select(.type == "host") | .bots[]? | .timings_ms |
    [$r, .pull, .create, .stop, .start, .settle, .cleanup, .prune, .downtime] | @tsv' \
    "$journal" >>"$STEPS"
  touch "$WORK/drover.toml"
}

run_swarm() {  # run_swarm ROUND [TAG]
  local round="$1" tag="${2:-v2}" t0 t1 load rc=0 running
  reset_swarm
  watch_events "$WORK/events-swarm-$round-$tag"
  read -r load _ </proc/loadavg
  t0="$(now_ns)"
  docker service update --detach=false --quiet --image "$REPO_IMAGE:$tag" "$SERVICE" \
    >"$WORK/swarm-$round-$tag.out" 2>&1 || rc=$?
  t1="$(now_ns)"
  stop_events
  record "$round" "swarm${tag#v2}" $(((t1 - t0) / 1000000)) "$WORK/events-swarm-$round-$tag" slot "$load"
  running="$(docker ps --filter "label=com.docker.swarm.service.name=$SERVICE" --filter health=healthy -q | wc -l)"
  if [[ "$tag" == v2 ]]; then
    ((rc == 0)) || die "docker service update exited $rc in round $round: $(tail -3 "$WORK/swarm-$round-$tag.out")"
  else
    echo "        swarm exit $rc; healthy tasks at the end: $running/$NBOTS ($(docker service inspect -f '{{.UpdateStatus.State}}' "$SERVICE"))"
  fi
}

run_ansible() {
  local round="$1" t0 t1 load rc=0
  reset_bots
  watch_events "$WORK/events-ansible-$round"
  read -r load _ </proc/loadavg
  t0="$(now_ns)"
  ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_FORKS=5 ANSIBLE_NOCOLOR=1 \
    ansible-playbook -i "$WORK/inventory.ini" -e "target_image=$V2" "$WORK/rollout.yml" \
    >"$WORK/ansible-$round.out" 2>&1 || rc=$?
  t1="$(now_ns)"
  stop_events
  ((rc == 0)) || die "ansible-playbook exited $rc in round $round: $(tail -5 "$WORK/ansible-$round.out")"
  all_on "$V2" >/dev/null || die "ansible: not every bot runs v2 after round $round"
  record "$round" ansible $(((t1 - t0) / 1000000)) "$WORK/events-ansible-$round" name "$load"
}

# The lower bound: two waves of (stop 15 in parallel, start 15 pre-created in parallel, settle).
run_bound() {
  local round="$1" t0 t1 load id w i ids pids
  reset_bots
  for id in "${BOT_IDS[@]}"; do
    curl -sf --unix-socket "$SOCK" -H 'Content-Type: application/json' \
      -d "{\"Image\":\"$V2\",\"Env\":[\"BOT_ID=$id\"],\"HostConfig\":{\"Binds\":[\"/etc/resolv.conf:/etc/resolv.conf:ro\"]}}" \
      "$API/containers/create?name=lb$id" >/dev/null || die "cannot create lb$id"
  done
  watch_events "$WORK/events-bound-$round"
  read -r load _ </proc/loadavg
  t0="$(now_ns)"
  for ((w = 0; w < NBOTS / WAVE; w++)); do
    ids=("${BOT_IDS[@]:w * WAVE:WAVE}")
    # waits for these calls only (a bare `wait` would wait for the event stream too)
    pids=()
    for id in "${ids[@]}"; do curl -sf --unix-socket "$SOCK" -X POST "$API/containers/bot$id/stop?t=$STOP" >/dev/null & pids+=($!); done
    wait "${pids[@]}"
    pids=()
    for id in "${ids[@]}"; do curl -sf --unix-socket "$SOCK" -X POST "$API/containers/lb$id/start" >/dev/null & pids+=($!); done
    wait "${pids[@]}"
    sleep "$SETTLE"
  done
  t1="$(now_ns)"
  stop_events
  # downtime per bot: bot<ID>'s die to lb<ID>'s start
  awk '{ n = $3; sub(/^(bot|lb)/, "", n)
         if ($2 == "die" && $3 ~ /^bot/) d[n] = $1; else if ($2 == "start" && $3 ~ /^lb/) s[n] = $1 }
       END { for (n in s) if (n in d) printf "%d\n", (s[n] - d[n]) / 1e6 }' "$WORK/events-bound-$round" >"$WORK/down-bound-$round"
  while read -r i; do printf '%s\tbound\t%s\n' "$round" "$i" >>"$DOWNS"; done <"$WORK/down-bound-$round"
  printf '%s\tbound\t%s\t%s\n' "$round" $(((t1 - t0) / 1000000)) "$load" >>"$RESULTS"
  printf '%5s  %-8s  %8s  %12s  %9s  %5s\n' "$round" bound $(((t1 - t0) / 1000000)) \
    "$(median <"$WORK/down-bound-$round")" "$(wc -l <"$WORK/down-bound-$round")/$NBOTS" "$load"
}

# ---------------------------------------------------------------- the run

echo "peer rollout: $HOSTS hosts x $PER_HOST bots (bot${BOT_IDS[0]}..bot${BOT_IDS[-1]}), $V1 -> $V2,"
echo "$WAVE bots (5 hosts) at a time, stop grace ${STOP}s, settle ${SETTLE}s, $ROUNDS round(s), order rotating"
echo "host: $(nproc) cores, $(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release), Docker $(docker version -f '{{.Server.Version}}'), $(ansible --version 2>/dev/null | sed -n 1p), drover-agent $(sha256sum "$WORK/drover-agent" | cut -c1-12)"
echo "load = the 1-minute load average just before the timed command (the machine is shared)"
echo
start_swarm
printf '%5s  %-8s  %8s  %12s  %9s  %5s\n' round side "wall ms" "downtime ms" bots load
SIDES=(drover swarm ansible bound)
for ((round = 1; round <= ROUNDS; round++)); do
  for ((k = 0; k < ${#SIDES[@]}; k++)); do
    side="${SIDES[(k + round - 1) % ${#SIDES[@]}]}"
    "run_$side" "$round"
  done
done
if $BROKEN; then
  echo
  echo "broken image ($BROKEN_IMAGE exits at once): every bot must run v1 again"
  run_drover b broken
  run_swarm b broken
fi
docker service rm "$SERVICE" >/dev/null 2>&1 || true
leave_swarm

col() { awk -F'\t' -v s="$1" '$2 == s { print $3 }' "$RESULTS"; }
dcol() { awk -F'\t' -v s="$1" '$2 == s && $1 != "b" { print $3 }' "$DOWNS"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf (b > 0 ? "%.2f" : "n/a"), a / b }'; }

echo
echo "summary over $ROUNDS round(s): wall ms and per-bot downtime ms (die -> start), min..max and median"
printf '%-8s  %16s  %8s  %16s  %8s\n' side "wall min..max" median "downtime min..max" median
for side in drover swarm ansible bound; do
  printf '%-8s  %16s  %8s  %16s  %8s\n' "$side" "$(col "$side" | minmax)" "$(col "$side" | median)" \
    "$(dcol "$side" | minmax)" "$(dcol "$side" | median)"
done
D="$(col drover | median)"
echo
echo "drover/swarm       $(ratio "$D" "$(col swarm | median)")   (target <= 0.6)"
echo "drover/ansible     $(ratio "$D" "$(col ansible | median)")"
echo "drover/lower bound $(ratio "$D" "$(col bound | median)")   (target <= 1.3)"
paired() {  # per-round ratio drover/OTHER, median
  awk -F'\t' -v o="$1" '$2 == "drover" { d[$1] = $3 } $2 == o { x[$1] = $3 }
    END { for (r in d) if (r in x && x[r] > 0) print d[r] / x[r] }' "$RESULTS" | median
}
echo "per-round ratios (median): drover/swarm $(paired swarm), drover/bound $(paired bound)"
echo
if [[ -s "$STEPS" ]]; then
  echo "drover's per-bot steps from the journal (agent report), median ms over $(wc -l <"$STEPS") bot swaps:"
  for c in "pull:2" "create (-next, before the stop):3" "stop:4" "start (2 renames + start):5" \
    "settle proof:6" "cleanup (-prev):7" "prune after the bots:8" "downtime (agent's clock):9"; do
    printf '  %-34s %8s\n' "${c%:*}" "$(cut -f"${c##*:}" "$STEPS" | median)"
  done
fi

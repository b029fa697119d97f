#!/usr/bin/env bash
# The peer of bench/agent_vs_docker_cli.sh: the rollback-safe swap drover-agent does, done
# with docker CLI calls from a shell script, the bots in parallel (background jobs, like the
# agent's threads):
#   docker pull REF (+ docker image inspect for its id)
#   per bot:  docker inspect botN                       (exists? already on REF? -> untouched)
#             docker stop -t S botN                     (timed: "stop")
#             docker rename botN botN-prev
#             docker run -d --name botN ... REF         (bench/bot_config.sh's config, with the
#                                                        read-only /etc/resolv.conf bind)
#             docker inspect every 0.5 s for the settle window: running, not restarting, restart
#                                                        count unchanged, not OOM, not unhealthy
#                                                        (timed: "settle")
#             docker rm -f botN-prev                    (or, if it did not settle: rm -f botN,
#                                                        rename botN-prev botN, start botN)
#   docker image prune -af
# The settle loop mirrors the agent's watch_settle: inspect, check, stop when the window has
# elapsed, else sleep min(0.5 s, what is left) and inspect again.
#
# usage: bench/docker_cli_swap.sh --bots 9101,9102,9103 --image REF --stop-timeout S --settle S
# stdout: one JSON line shaped like drover-agent's swap report, per bot
#   {"bot":N,"outcome":...,"timings_ms":{"pull","stop","start","settle","downtime"}}
#   (downtime = from the start of `docker stop` until `docker run -d` returned, as the agent
#   measures it), plus top-level pull_ms and prune_ms. Progress goes to stderr.
# exit: 0 when every bot was swapped (or already ran REF), 1 otherwise, 2 on usage errors.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/bot_config.sh
source "$HERE/bot_config.sh"

log() { printf 'docker-cli-swap: %s\n' "$*" >&2; }
usage() {
  echo "usage: $0 --bots 9101,9102,9103 --image REF --stop-timeout S --settle S" >&2
  exit 2
}

BOTS="" IMAGE="" STOP_TIMEOUT=35 SETTLE=10
while (($#)); do
  case "$1" in
    --bots) BOTS="${2:-}"; shift 2 || usage ;;
    --image) IMAGE="${2:-}"; shift 2 || usage ;;
    --stop-timeout) STOP_TIMEOUT="${2:-}"; shift 2 || usage ;;
    --settle) SETTLE="${2:-}"; shift 2 || usage ;;
    -h | --help) usage ;;
    *) echo "docker-cli-swap: unknown argument $1" >&2; usage ;;
  esac
done
[[ -n "$BOTS" && -n "$IMAGE" ]] || usage
[[ "$STOP_TIMEOUT" =~ ^[0-9]+$ ]] || usage
[[ "$SETTLE" =~ ^[0-9]+(\.[0-9]+)?$ ]] || usage
IFS=, read -r -a BOT_IDS <<<"$BOTS"
# Settle window in microseconds (bash has no floating point).
SETTLE_US=$(awk -v s="$SETTLE" 'BEGIN { printf "%d", s * 1000000 }')

WORK="$(mktemp -d "${TMPDIR:-/tmp}/docker-cli-swap.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

json_string() {
  local s="${1//\\/\\\\}"
  s="${s//\"/\\\"}"
  s="${s//$'\n'/ }"
  printf '"%s"' "$s"
}

# Sets STATE to "running restarting restart_count oom_killed health status exit_code" of
# container $1 (empty when it does not exist).
read_state() {
  STATE="$(docker inspect -f '{{.State.Running}} {{.State.Restarting}} {{.RestartCount}} {{.State.OOMKilled}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.Status}} {{.State.ExitCode}}' "$1" 2>/dev/null)" || STATE=""
}

# Sets WHY to why STATE is not "up" (empty when it is), given the initial restart count $1.
why_not_up() {
  local running restarting restarts oom health status code
  read -r running restarting restarts oom health status code <<<"$STATE"
  WHY=""
  if [[ -z "$running" ]]; then WHY="the container disappeared"
  elif [[ "$oom" == true ]]; then WHY="it was killed for running out of memory (OOM)"
  elif [[ "$restarting" == true ]] || ((restarts > $1)); then WHY="it is crash-looping"
  elif [[ "$running" != true ]]; then WHY="it exited with code $code ($status)"
  elif [[ "$health" == unhealthy ]]; then WHY="its health check reports unhealthy"
  fi
}

# settle_watch NAME: 0 when NAME stays up for the whole window; else 1 with WHY set.
settle_watch() {
  local began now elapsed left initial
  stamp began
  read_state "$1"
  initial="$(cut -d' ' -f3 <<<"$STATE")"
  initial="${initial:-0}"
  while true; do
    why_not_up "$initial"
    [[ -z "$WHY" ]] || return 1
    stamp now
    elapsed=$((now - began))
    ((elapsed >= SETTLE_US)) && return 0
    left=$((SETTLE_US - elapsed))
    ((left > 500000)) && left=500000
    sleep "$(printf '%d.%06d' $((left / 1000000)) $((left % 1000000)))"
    read_state "$1"
  done
}

# swap_one ID: swaps botID; writes its JSON object to $WORK/ID.json.
swap_one() {
  local id="$1" name="bot$1" prev="bot$1-prev"
  local outcome="failed" reason="" stop_ms=0 start_ms=0 settle_ms=0 downtime_ms=0
  local old old_id old_image old_running t0 t1 stop_began err run_args
  mapfile -t run_args < <(bench_run_args "$id")
  report() {
    printf '{"bot":%d,"outcome":"%s","reason":%s,"timings_ms":{"pull":%d,"stop":%d,"start":%d,"settle":%d,"downtime":%d}}\n' \
      "$id" "$outcome" "$( [[ -n "$reason" ]] && json_string "$reason" || echo null)" \
      "$PULL_MS" "$stop_ms" "$start_ms" "$settle_ms" "$downtime_ms" >"$WORK/$id.json"
  }
  if ! old="$(docker inspect -f '{{.Id}} {{.Image}} {{.State.Running}}' "$name" 2>&1)"; then
    reason="cannot inspect $name: $old"
    report
    return
  fi
  read -r old_id old_image old_running <<<"$old"
  if [[ "$old_running" == true && "$old_image" == "$IMAGE_ID" ]]; then
    log "bot$id: already runs $IMAGE; left untouched"
    outcome=unchanged
    report
    return
  fi

  log "bot$id: stopping (graceful, up to ${STOP_TIMEOUT}s)"
  stamp stop_began
  if ! err="$(docker stop -t "$STOP_TIMEOUT" "$old_id" 2>&1 >/dev/null)"; then
    docker start "$old_id" >/dev/null 2>&1
    reason="graceful stop failed: $err"
    report
    return
  fi
  stamp t1
  stop_ms=$(((t1 - stop_began) / 1000))
  if ! err="$(docker rename "$old_id" "$prev" 2>&1)"; then
    docker start "$old_id" >/dev/null 2>&1
    reason="renaming it to $prev failed: $err"
    report
    return
  fi

  stamp t0
  if err="$(docker run -d --name "$name" "${run_args[@]}" "$IMAGE" 2>&1 >/dev/null)"; then
    stamp t1
    start_ms=$(((t1 - t0) / 1000))
    downtime_ms=$(((t1 - stop_began) / 1000))
    log "bot$id: started on $IMAGE; confirming it stays up for ${SETTLE}s"
    stamp t0
    if settle_watch "$name"; then
      stamp t1
      settle_ms=$(((t1 - t0) / 1000))
      if ! err="$(docker rm -f "$prev" 2>&1)"; then
        reason="swapped, but removing $prev failed: $err"
      fi
      outcome=swapped
      log "bot$id: swapped to $IMAGE (downtime $downtime_ms ms)"
      report
      return
    fi
    stamp t1
    settle_ms=$(((t1 - t0) / 1000))
    err="$WHY"
  else
    err="it could not be started: $err"
  fi

  log "bot$id: new container rejected ($err); rolling back"
  docker rm -f "$name" >/dev/null 2>&1
  if docker rename "$prev" "$name" 2>/dev/null && docker start "$name" >/dev/null 2>&1; then
    outcome=rolled_back
    reason="new container rejected, old container restored: $err"
  else
    reason="new image rejected ($err) and the rollback did not complete"
  fi
  stamp t1
  downtime_ms=$(((t1 - stop_began) / 1000))
  report
}

log "pulling $IMAGE"
stamp T0
if ! err="$(docker pull -q "$IMAGE" 2>&1)" ||
  ! IMAGE_ID="$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>&1)"; then
  log "pulling $IMAGE failed: ${err:-$IMAGE_ID}; no bot was touched"
  printf '{"command":"swap","tool":"docker-cli","ok":false,"error":%s,"bots":[]}\n' \
    "$(json_string "pulling $IMAGE failed: ${err:-$IMAGE_ID}")"
  exit 1
fi
stamp T1
PULL_MS=$(((T1 - T0) / 1000))

pids=()
for id in "${BOT_IDS[@]}"; do
  swap_one "$id" &
  pids+=($!)
done
wait "${pids[@]}"

stamp T0
docker image prune -af >/dev/null 2>&1 || log "warning: image prune failed"
stamp T1
PRUNE_MS=$(((T1 - T0) / 1000))
log "pruned unused images"

ok=true
bots=""
for id in "${BOT_IDS[@]}"; do
  line="$(cat "$WORK/$id.json" 2>/dev/null)" ||
    line="{\"bot\":$id,\"outcome\":\"failed\",\"reason\":\"no result\",\"timings_ms\":null}"
  [[ "$line" == *'"outcome":"swapped"'* || "$line" == *'"outcome":"unchanged"'* ]] || ok=false
  bots+="${bots:+,}$line"
done
printf '{"command":"swap","tool":"docker-cli","ok":%s,"image":{"ref":"%s","id":"%s"},"pull_ms":%d,"prune_ms":%d,"bots":[%s],"error":null}\n' \
  "$ok" "$IMAGE" "$IMAGE_ID" "$PULL_MS" "$PRUNE_MS" "$bots"
[[ "$ok" == true ]]

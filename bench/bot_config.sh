# shellcheck shell=bash
# Sourced by the bench scripts: the one container configuration both sides of
# bench/agent_vs_docker_cli.sh give a bench bot, so the agent (which clones it from the old
# container) and bench/docker_cli_swap.sh (which re-creates it from this list) start the
# same thing: env, labels, restart policy and the read-only /etc/resolv.conf bind the agent
# enforces on every container it creates.

# bench_run_args ID: the `docker run` options for bot ID (name excluded).
bench_run_args() {
  local id="$1"
  printf '%s\n' \
    --env "BOT_ID=$id" \
    --label "drover.bench=agent_vs_docker_cli" \
    --label "drover.bot=$id" \
    --restart unless-stopped \
    --volume /etc/resolv.conf:/etc/resolv.conf:ro
}

# stamp VAR: stores microseconds since the epoch in VAR, without a fork (bash 5's
# EPOCHREALTIME), so the timing itself costs the shell side nothing measurable.
stamp() {
  local t="$EPOCHREALTIME"
  printf -v "$1" '%s' "${t/[.,]/}"
}

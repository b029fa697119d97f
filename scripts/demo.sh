#!/usr/bin/env bash
# The main job on an embedded default: a demo fleet of bots on this machine's Docker,
# rolled from v1 to v2 by drover-agent, the way drover drives it on every host.
#   1. scripts/setup.sh (packages, dockerd), build, local registry + demo images;
#   2. a demo fleet: 4 "hosts" x 3 bots (bot101..bot112) running drover-demo/bot:v1;
#   3. each host swapped to v2 in turn (rollback-safe), then a broken image that rolls back;
#   4. every bot's status: image, running, logged in.
# Safe to re-run. env: DROVER_STATE_DIR (default <repo>/.state)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$REPO/build"
REGISTRY=127.0.0.1:5000
IMAGE="$REGISTRY/drover-demo/bot"
HOSTS=("101,102,103" "104,105,106" "107,108,109" "110,111,112")

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

say "setting up (packages, dockerd, build)"
bash "$REPO/scripts/setup.sh"
cmake -S "$REPO" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" --target drover-agent drover-demo-bot -- -j2
AGENT="$BUILD/drover-agent"

say "starting the local registry and publishing the demo images"
bash "$REPO/scripts/test-services.sh" "$BUILD" >/dev/null
for tag in v1 v2 broken; do
  docker pull -q "$REGISTRY/drover-test/bot:$tag" >/dev/null
  docker tag "$REGISTRY/drover-test/bot:$tag" "$IMAGE:$tag"
  docker push -q "$IMAGE:$tag" >/dev/null
done

# drover pins every deploy to a digest at plan time; the demo does the same.
pinned() { docker image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$IMAGE:$1" | grep -m1 "^$IMAGE@"; }
V1=$(pinned v1)
V2=$(pinned v2)
BROKEN=$(pinned broken)

# The container template for bots that have no container yet: drover.toml's [container].
TEMPLATE='{"Env":["BOT_ID={id}"],"Labels":{"drover.demo":"true"},"HostConfig":{"RestartPolicy":{"Name":"unless-stopped"}}}'

swap_host() { # swap_host BOTS IMAGE: one host's swap, the agent's JSON summarised
  "$AGENT" swap --bots "$1" --image "$2" --stop-timeout 5 --settle 3 --login-wait 10 \
    --template "$TEMPLATE" 2>/dev/null |
    python3 "$REPO/demo/summarise_report.py" || true
}

say "demo fleet on v1 (bots with no container are created from the template)"
for bots in "${HOSTS[@]}"; do swap_host "$bots" "$V1"; done

say "rolling the fleet to v2 ($V2), one host at a time"
for bots in "${HOSTS[@]}"; do
  echo " host with bots $bots:"
  swap_host "$bots" "$V2"
done

say "a broken image (exits at once) on the first host: rolled back, no bot down"
swap_host "${HOSTS[0]}" "$BROKEN"

say "status of every bot (expected image v2)"
all=$(IFS=,; echo "${HOSTS[*]}")
"$AGENT" status --bots "$all" --expect-image "$V2" 2>/dev/null |
  python3 "$REPO/demo/summarise_report.py" || true

say "done. Next: docker ps --filter label=drover.demo; $AGENT --help; README.md"

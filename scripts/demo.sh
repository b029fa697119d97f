#!/usr/bin/env bash
# The main job on an embedded default: a demo fleet (demo/drover.toml: 4 production hosts x 3
# bots and a staging host, all on this machine's Docker) rolled from v1 to v2 by a real
#   drover deploy all routine -y
# Steps: scripts/setup.sh (packages, dockerd); build drover, drover-agent and the demo bot; a
# local registry with the demo images; the fleet seeded on v1 (bots created from the config's
# container template); then the deploy, its verification, and where to look next.
# Safe to re-run. env: DROVER_STATE_DIR (default <repo>/.state/drover)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$REPO/build"
REGISTRY=127.0.0.1:5000
IMAGE="$REGISTRY/drover-demo/bot"
export DROVER_CONFIG="$REPO/demo/drover.toml"
export DROVER_STATE_DIR="${DROVER_STATE_DIR:-$REPO/.state/drover}"

say() { printf '\n==> %s\n' "$*"; }

say "setting up (packages, dockerd, build)"
bash "$REPO/scripts/setup.sh"
# The same build type and flags as scripts/test.sh (so the two share build/ and ccache's
# objects), but a release agent: without the test-only crash switch.
launcher=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$REPO")}"
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$REPO" -B "$BUILD" -G Ninja "${launcher[@]}" -DCMAKE_BUILD_TYPE=Release \
  "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" -DDROVER_TEST_HOOKS=OFF >/dev/null
cmake --build "$BUILD" --target drover drover-agent drover-demo-bot -- -j2
DROVER="$BUILD/drover"

say "starting the local registry and publishing the demo images (v1, v2)"
bash "$REPO/scripts/test-services.sh" "$BUILD" >/dev/null
for tag in v1 v2; do
  docker pull -q "$REGISTRY/drover-test/bot:$tag" >/dev/null
  docker tag "$REGISTRY/drover-test/bot:$tag" "$IMAGE:$tag"
  docker push -q "$IMAGE:$tag" >/dev/null
done

say "seeding the demo fleet on v1 (bots without a container are created from [container])"
"$DROVER" deploy all routine v1 -y --json --straggler-wait 10 >/dev/null || true
"$DROVER" deploy staging routine v1 -y --json --straggler-wait 10 >/dev/null || true
"$DROVER" verify all v1 --straggler-wait 10 | tail -n 6

say "drover deploy all routine -y   (the fleet's default tag is v2)"
status=0
"$DROVER" deploy all routine -y --straggler-wait 20 || status=$?

say "done (exit $status). Where to look next:"
cat <<NEXT
  $DROVER history                      past deploys (journal: $DROVER_STATE_DIR)
  $DROVER show <deploy id>             everything recorded about one deploy
  $DROVER verify all v2                re-check every bot's image and Steam login
  $DROVER deploy staging               the interactive flow (speed table, plan, confirmation)
  docker ps --filter label=drover.demo the bots themselves
  (all with DROVER_CONFIG=$DROVER_CONFIG DROVER_STATE_DIR=$DROVER_STATE_DIR)
NEXT
exit "$status"

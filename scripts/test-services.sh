#!/usr/bin/env bash
# Starts the services the integration tests use and publishes the test images:
#   - docker-registry on 127.0.0.1:5000 (filesystem storage under the state dir)
#   - a second docker-registry on 127.0.0.1:5001 with htpasswd authentication (plain HTTP:
#     neither the registry nor the engine insists on TLS for a loopback registry), users
#     drover-test and AWS (the fake ECR token's user) with the test passwords below, holding
#     drover-test/bot:{v1,v2,private} (private: v2 plus a label, a digest only it has),
#     pushed with a throwaway DOCKER_CONFIG (root's is never touched)
#   - redis-server    on 127.0.0.1:6390 (no persistence)
#   - images 127.0.0.1:5000/drover-test/{busybox:latest,bot:v1,bot:v2,bot:broken,bot:nohealth,
#     bot:neverhealthy,bot:v1-rollback} built FROM scratch (demo/images/<name>/<tag>/Dockerfile)
#     and pushed.
# A service that already answers is left alone; an image is rebuilt only when its build context
# changed, and pushed on every run (the registry may have been restarted empty).
# Idempotent; runs as the ctest fixture `integration_services`. Needs a running dockerd
# (scripts/setup.sh starts one).
#
# usage: scripts/test-services.sh [BUILD_DIR]   (default: <repo>/build; the bot binary is
#        BUILD_DIR/demo/drover-demo-bot)
# env:   DROVER_STATE_DIR (default <repo>/.state), DROVER_TEST_REGISTRY, DROVER_TEST_REDIS,
#        DROVER_TEST_AUTH_REGISTRY (127.0.0.1:5001)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${1:-$REPO/build}"
STATE="${DROVER_STATE_DIR:-$REPO/.state}"
REGISTRY="${DROVER_TEST_REGISTRY:-127.0.0.1:5000}"
REDIS="${DROVER_TEST_REDIS:-127.0.0.1:6390}"
AUTH_REGISTRY="${DROVER_TEST_AUTH_REGISTRY:-127.0.0.1:5001}"
# Test credentials, also in tests/support/auth_registry.h. Distinctive on purpose: the secret
# tests grep every output, log and state file for them.
AUTH_USER=drover-test
AUTH_PASSWORD=Tst-Pw-5001-c0ffee42
ECR_PASSWORD=Ecr-Tkn-5001-feed7b3a
BOT_BIN="$BUILD_DIR/demo/drover-demo-bot"
BUSYBOX_BIN=/bin/busybox

log() { echo "test-services: $*"; }
die() {
  echo "test-services: ERROR: $*" >&2
  exit 1
}

mkdir -p "$STATE"
STATE="$(cd "$STATE" && pwd)"

# One run at a time (ctest fixtures of two build trees, or a developer and ctest). The
# services started below must not inherit fd 9, or they would hold the lock forever.
exec 9>"$STATE/test-services.lock"
flock -w 300 9 || die "another test-services.sh has held $STATE/test-services.lock for 300 s"

# http_status HOST:PORT PATH: prints the status line of an HTTP GET; fails when none answers.
http_status() {
  local host="${1%:*}" port="${1##*:}"
  # shellcheck disable=SC2016 # expanded by the inner shell
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf "GET %s HTTP/1.0\r\nHost: %s:%s\r\n\r\n" "$3" "$1" "$2" >&3
    IFS= read -r line <&3 || exit 1
    printf "%s\n" "${line%$'"'"'\r'"'"'}"' _ "$host" "$port" "$2" 2>/dev/null
}

redis_pings() {
  local host="${1%:*}" port="${1##*:}"
  # shellcheck disable=SC2016 # expanded by the inner shell
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf "PING\r\n" >&3
    IFS= read -r line <&3 || exit 1
    [[ "$line" == "+PONG"* ]]' _ "$host" "$port" 2>/dev/null
}

# wait_for SECONDS COMMAND...: polls COMMAND every 0.2 s.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

gone() { ! kill -0 "$1" 2>/dev/null; }

# Stops a process we started earlier (pid file) that no longer answers.
stop_stale() {
  local pidfile="$1" pid
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
    log "stopping unresponsive pid $pid ($pidfile)"
    kill "$pid" 2>/dev/null || true
    wait_for 10 gone "$pid" || kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

command -v docker >/dev/null || die "docker is not installed: run scripts/setup.sh"
docker info >/dev/null 2>&1 || die "the Docker engine does not answer: run scripts/setup.sh"
[[ -x "$BOT_BIN" ]] || die "$BOT_BIN not found: build the drover-demo-bot target first"
[[ -x "$BUSYBOX_BIN" ]] || die "$BUSYBOX_BIN not found: install busybox-static (scripts/setup.sh)"

# close_inherited_fds: closes every descriptor above 2 in the calling (sub)shell. A service
# outlives this script, so it must not keep what the caller's caller opened: a lock taken with
# `flock FILE command` (its fd 3) held by a registry would block every later taker for ever.
close_inherited_fds() {
  local fd
  for fd in /proc/"$BASHPID"/fd/*; do
    fd="${fd##*/}"
    if ((fd > 2)); then eval "exec ${fd}>&-"; fi
  done
}

# ---------------------------------------------------------------- registry
# serve_registry NAME CONFIG READY WHAT: starts docker-registry on CONFIG in the background
# (pid $STATE/NAME.pid, log $STATE/NAME.log) and waits up to 30 s for the check READY; dies
# with "docker-registry WHAT" and the log's tail when it does not pass.
serve_registry() {
  local name="$1" config="$2" ready="$3" what="$4"
  (
    close_inherited_fds
    exec setsid docker-registry serve "$config" </dev/null >>"$STATE/$name.log" 2>&1
  ) &
  echo $! >"$STATE/$name.pid"
  if ! wait_for 30 "$ready"; then
    tail -n 20 "$STATE/$name.log" >&2 || true
    die "docker-registry $what within 30 s (log: $STATE/$name.log)"
  fi
}

registry_ready() {
  local status
  status="$(http_status "$REGISTRY" /v2/)" && [[ "$status" == "HTTP/1."?" 200"* ]]
}

start_registry() {
  local status
  if status="$(http_status "$REGISTRY" /v2/)" && [[ "$status" == HTTP/* ]]; then
    log "registry  $REGISTRY already answers ($status)"
    return
  fi
  command -v docker-registry >/dev/null || die "docker-registry is not installed: run scripts/setup.sh"
  stop_stale "$STATE/registry.pid"
  mkdir -p "$STATE/registry/data"
  cat >"$STATE/registry/config.yml" <<EOF
version: 0.1
log:
  accesslog:
    disabled: true
  level: warn
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: $STATE/registry/data
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $REGISTRY
  headers:
    X-Content-Type-Options: [nosniff]
EOF
  serve_registry registry "$STATE/registry/config.yml" registry_ready \
    "did not answer at http://$REGISTRY/v2/"
  log "registry  $REGISTRY started (pid $(cat "$STATE/registry.pid"), data $STATE/registry/data)"
}

# ---------------------------------------------------------------- authenticated registry
auth_registry_accepts() {
  # The status line of /v2/ with the test user's Basic credentials.
  local host="${AUTH_REGISTRY%:*}" port="${AUTH_REGISTRY##*:}" basic
  basic="$(printf '%s:%s' "$AUTH_USER" "$AUTH_PASSWORD" | base64 -w0)"
  # shellcheck disable=SC2016 # expanded by the inner shell
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf "GET /v2/ HTTP/1.0\r\nHost: %s:%s\r\nAuthorization: Basic %s\r\n\r\n" "$1" "$2" "$3" >&3
    IFS= read -r line <&3 || exit 1
    [[ "$line" == "HTTP/1."?" 200"* ]]' _ "$host" "$port" "$basic" 2>/dev/null
}

start_auth_registry() {
  local status dir="$STATE/auth-registry"
  if status="$(http_status "$AUTH_REGISTRY" /v2/)" && [[ "$status" == HTTP/* ]]; then
    auth_registry_accepts ||
      die "a server on $AUTH_REGISTRY answers ($status) but refuses the test credentials: stop it"
    log "registry  $AUTH_REGISTRY (htpasswd) already answers"
    return
  fi
  command -v htpasswd >/dev/null || die "htpasswd is not installed: run scripts/setup.sh (apache2-utils)"
  stop_stale "$STATE/auth-registry.pid"
  mkdir -p "$dir/data"
  # bcrypt is the only hash docker-registry's htpasswd accepts.
  htpasswd -Bbn "$AUTH_USER" "$AUTH_PASSWORD" >"$dir/htpasswd.new"
  htpasswd -Bbn AWS "$ECR_PASSWORD" >>"$dir/htpasswd.new"
  mv "$dir/htpasswd.new" "$dir/htpasswd"
  cat >"$dir/config.yml" <<EOF
version: 0.1
log:
  accesslog:
    disabled: true
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $AUTH_REGISTRY
auth:
  htpasswd:
    realm: drover-test
    path: $dir/htpasswd
EOF
  serve_registry auth-registry "$dir/config.yml" auth_registry_accepts \
    "did not accept the test user at http://$AUTH_REGISTRY/v2/"
  log "registry  $AUTH_REGISTRY (htpasswd) started (pid $(cat "$STATE/auth-registry.pid"))"
}

# push_to_auth_registry TAG [FROM]: pushes FROM (default drover-test/bot:TAG, built above, on
# the public test registry) to the authenticated one as drover-test/bot:TAG, logged in through
# a throwaway DOCKER_CONFIG.
push_to_auth_registry() {
  local tag="$1" from="${2:-$REGISTRY/drover-test/bot:$1}" to out config
  to="$AUTH_REGISTRY/drover-test/bot:$tag"
  config="$(mktemp -d "${TMPDIR:-/tmp}/drover-auth-push.XXXXXX")"
  docker tag "$from" "$to"
  if ! out="$(printf '%s' "$AUTH_PASSWORD" |
    DOCKER_CONFIG="$config" docker login "$AUTH_REGISTRY" -u "$AUTH_USER" --password-stdin 2>&1 &&
    DOCKER_CONFIG="$config" docker push "$to" 2>&1)"; then
    rm -rf "$config"
    docker rmi "$to" >/dev/null 2>&1 || true
    echo "$out" >&2
    die "pushing $to failed"
  fi
  rm -rf "$config"
  docker rmi "$to" >/dev/null 2>&1 || true
  printf 'test-services: image     %-45s pushed (authenticated)\n' "$to"
}

# ---------------------------------------------------------------- redis
start_redis() {
  if redis_pings "$REDIS"; then
    log "redis     $REDIS already answers PING"
    return
  fi
  command -v redis-server >/dev/null || die "redis-server is not installed: run scripts/setup.sh"
  stop_stale "$STATE/redis.pid"
  mkdir -p "$STATE/redis"
  (
    close_inherited_fds
    exec redis-server --bind "${REDIS%:*}" --port "${REDIS##*:}" --daemonize yes \
      --save "" --appendonly no \
      --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log" --dir "$STATE/redis" \
      </dev/null >/dev/null 2>&1
  ) ||
    die "redis-server failed to start (log: $STATE/redis.log)"
  if ! wait_for 15 redis_pings "$REDIS"; then
    tail -n 20 "$STATE/redis.log" >&2 || true
    die "redis-server did not answer PING at $REDIS within 15 s (log: $STATE/redis.log)"
  fi
  log "redis     $REDIS started (pid $(cat "$STATE/redis.pid" 2>/dev/null || echo '?'))"
}

# ---------------------------------------------------------------- images
WORK="$(mktemp -d "${TMPDIR:-/tmp}/drover-images.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# make_context DIR NAME: the build context of demo/images/NAME/<tag>.
make_context() {
  local ctx="$1" name="$2" applet
  case "$name" in
    bot)
      cp "$BOT_BIN" "$ctx/bot"
      chmod 0755 "$ctx/bot"
      ;;
    busybox)
      mkdir "$ctx/bin"
      cp "$BUSYBOX_BIN" "$ctx/bin/busybox"
      chmod 0755 "$ctx/bin/busybox"
      for applet in $("$BUSYBOX_BIN" --list); do
        [[ "$applet" == busybox || "$applet" == */* ]] || ln -s busybox "$ctx/bin/$applet"
      done
      ;;
    *) die "demo/images/$name: no build context is defined for it in test-services.sh" ;;
  esac
  # Fixed times and modes: the same inputs give the same hash (and the same layers).
  find "$ctx" -exec touch -h -d @0 {} +
}

context_hash() {
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$1" -cf - . | sha256sum |
    cut -d' ' -f1
}

publish_image() {
  local dockerfile="$1" dir name tag ref ctx hash current action out digest
  dir="$(dirname "$dockerfile")"
  tag="$(basename "$dir")"
  name="$(basename "$(dirname "$dir")")"
  ref="$REGISTRY/drover-test/$name:$tag"
  ctx="$WORK/$name-$tag"
  mkdir -p "$ctx"
  cp "$dockerfile" "$ctx/Dockerfile"
  make_context "$ctx" "$name"
  hash="$(context_hash "$ctx")"
  current="$(docker image inspect -f '{{index .Config.Labels "drover.test.context"}}' "$ref" \
    2>/dev/null || true)"
  if [[ "$current" == "$hash" ]]; then
    action="up to date"
  else
    # The legacy builder is what Debian's Docker 20.10 has (no buildx); it needs nothing else.
    if ! out="$(DOCKER_BUILDKIT=0 docker build --quiet --label "drover.test.context=$hash" \
      -t "$ref" "$ctx" 2>&1)"; then
      echo "$out" >&2
      die "building $ref failed"
    fi
    action="built"
  fi
  if ! out="$(docker push "$ref" 2>&1)"; then
    echo "$out" >&2
    die "pushing $ref failed"
  fi
  digest="$(sed -n 's/.*digest: \(sha256:[0-9a-f]*\).*/\1/p' <<<"$out" | tail -n 1)"
  printf 'test-services: image     %-45s %-10s pushed %s\n' "$ref" "$action" "${digest:-?}"
}

start_registry
start_auth_registry
start_redis

shopt -s nullglob
dockerfiles=("$REPO"/demo/images/*/*/Dockerfile)
((${#dockerfiles[@]})) || die "no demo/images/<name>/<tag>/Dockerfile found"
for dockerfile in "${dockerfiles[@]}"; do
  publish_image "$dockerfile"
done
for tag in v1 v2; do push_to_auth_registry "$tag"; done
# :private is v2 with a label, so its digest exists only in the authenticated registry: the
# engine serves a pull by digest from its own cache without asking the registry, so a test
# that a host without credentials is refused needs an image no test has pulled from :5000.
private_from="drover-test-private-build:v2"
if ! out="$(printf 'FROM %s\nLABEL drover.test.private=yes\n' "$REGISTRY/drover-test/bot:v2" |
  DOCKER_BUILDKIT=0 docker build --quiet -t "$private_from" - 2>&1)"; then
  echo "$out" >&2
  die "building the private test image failed"
fi
push_to_auth_registry private "$private_from"
docker rmi "$private_from" >/dev/null 2>&1 || true
log "ready: registry http://$REGISTRY, http://$AUTH_REGISTRY (htpasswd), redis $REDIS, ${#dockerfiles[@]} images"

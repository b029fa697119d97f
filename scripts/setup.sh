#!/usr/bin/env bash
# Prepares a Debian 12 machine (as root) to build and test drover:
#   1. installs every package the project needs (apt-get update only when one is missing);
#   2. starts dockerd in the background when `docker info` does not answer (no systemd needed).
# Idempotent: a second run installs and starts nothing.
# State (logs, pids) lives in ${DROVER_STATE_DIR:-<repo>/.state}.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${DROVER_STATE_DIR:-$REPO/.state}"
DOCKERD_WAIT_SECONDS=60

PACKAGES=(
  # toolchain and libraries
  build-essential cmake ninja-build pkg-config g++ git ca-certificates clang-format python3 ccache
  libboost-dev libhiredis-dev libssl-dev nlohmann-json3-dev libtomlplusplus-dev libcli11-dev
  libfmt-dev libgtest-dev libgmock-dev libcurl4-openssl-dev libpugixml-dev libsimdjson-dev libpng-dev
  # services and tools the integration tests drive
  docker.io docker-registry apache2-utils redis-server openssh-server openssh-client busybox-static
  iproute2 procps systemd
  # the browser the page of `drover show --html` is opened in (tests/browser)
  chromium
)

log() { echo "setup: $*"; }
die() {
  echo "setup: ERROR: $*" >&2
  exit 1
}

mkdir -p "$STATE"

# ---------------------------------------------------------------- packages
installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" == installed ]]
}

missing=()
for package in "${PACKAGES[@]}"; do
  installed "$package" || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  log "all ${#PACKAGES[@]} packages are installed"
else
  ((EUID == 0)) || die "missing packages (${missing[*]}); run this script as root to install them"
  log "installing ${#missing[@]} missing package(s): ${missing[*]}"
  # Package scripts must not start their own services (redis on 6379, a registry on :5000,
  # dockerd): we start exactly what the tests need, where they expect it.
  policy_created=false
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    policy_created=true
  fi
  cleanup_policy() { if [[ "$policy_created" == true ]]; then rm -f /usr/sbin/policy-rc.d; fi; }
  trap cleanup_policy EXIT
  export DEBIAN_FRONTEND=noninteractive
  apt_opts=(-o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0)
  apt-get "${apt_opts[@]}" update -q >"$STATE/apt-update.log" 2>&1 ||
    { tail -n 20 "$STATE/apt-update.log" >&2; die "apt-get update failed (log: $STATE/apt-update.log)"; }
  apt-get "${apt_opts[@]}" install -y -q --no-install-recommends "${missing[@]}" \
    </dev/null >"$STATE/apt-install.log" 2>&1 ||
    { tail -n 30 "$STATE/apt-install.log" >&2; die "apt-get install failed (log: $STATE/apt-install.log)"; }
  for package in "${missing[@]}"; do
    installed "$package" || die "package $package is still not installed after apt-get install"
  done
  cleanup_policy
  trap - EXIT
  log "installed: ${missing[*]}"
fi

# ---------------------------------------------------------------- dockerd
docker_answers() { docker info >/dev/null 2>&1; }

alive() { [[ "$1" =~ ^[0-9]+$ ]] && kill -0 "$1" 2>/dev/null; }

if docker_answers; then
  log "docker answers ($(docker version -f '{{.Server.Version}}' 2>/dev/null || echo '?'))"
else
  ((EUID == 0)) || die "the Docker engine does not answer and only root can start dockerd"
  command -v dockerd >/dev/null || die "dockerd not found although docker.io is installed"
  pid=""
  [[ -f /var/run/docker.pid ]] && pid="$(cat /var/run/docker.pid 2>/dev/null || true)"
  if alive "$pid"; then
    log "dockerd (pid $pid) is running but does not answer yet; waiting for it"
  else
    # A pid file left by a dockerd that died (say, a machine reused) stops a new one.
    rm -f /var/run/docker.pid
    # Without systemd nobody mounts the cgroup hierarchies; dockerd needs them.
    if ! grep -q ' /sys/fs/cgroup' /proc/mounts && command -v cgroupfs-mount >/dev/null; then
      cgroupfs-mount || true
    fi
    log "starting dockerd (log: $STATE/dockerd.log)"
    # dockerd outlives this script: it keeps no descriptor above 2 of its caller's (a lock
    # taken with `flock FILE scripts/test.sh` would otherwise be held until dockerd stops).
    (
      for fd in /proc/"$BASHPID"/fd/*; do
        fd="${fd##*/}"
        if ((fd > 2)); then eval "exec ${fd}>&-"; fi
      done
      exec setsid dockerd </dev/null >>"$STATE/dockerd.log" 2>&1
    ) &
    pid=$!
    echo "$pid" >"$STATE/dockerd.pid"
  fi
  deadline=$((SECONDS + DOCKERD_WAIT_SECONDS))
  until docker_answers; do
    if ! alive "$pid"; then
      tail -n 30 "$STATE/dockerd.log" >&2 || true
      die "dockerd exited before it answered (log: $STATE/dockerd.log)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 30 "$STATE/dockerd.log" >&2 || true
      die "dockerd did not answer \`docker info\` within ${DOCKERD_WAIT_SECONDS} s (log: $STATE/dockerd.log)"
    fi
    sleep 0.5
  done
  log "dockerd answers (pid $pid, $(docker version -f '{{.Server.Version}}' 2>/dev/null || echo '?'))"
fi

#!/bin/bash
# ensure-docker.sh: make a Docker engine answer on /var/run/docker.sock and the local test images exist.
#
# Why: the container tests, the demo and .ci/run need a real dockerd plus two small images built
# without any registry. Works on a bare Debian 12 machine as root; idempotent (a running engine and
# existing images are left alone).
#
# Usage: scripts/ensure-docker.sh [--engine-only] [busybox|debian|all]
#   --engine-only   install/start the engine, build no image
#   busybox|debian|all  which test images to build if missing (default: all); see build-test-images.sh
# Environment: QUIRE_DOCKER_WAIT (seconds to wait for the engine, default 60),
#              QUIRE_DOCKERD_LOG (dockerd log file, default /var/log/quire-dockerd.log)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SOCK=/var/run/docker.sock
WAIT=${QUIRE_DOCKER_WAIT:-60}
LOG=${QUIRE_DOCKERD_LOG:-/var/log/quire-dockerd.log}
ENGINE_ONLY=0
IMAGES=all
for a in "$@"; do
  case "$a" in
    --engine-only) ENGINE_ONLY=1 ;;
    busybox|debian|all) IMAGES=$a ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "ensure-docker.sh: unknown argument '$a' (expected --engine-only, busybox, debian or all)" >&2; exit 2 ;;
  esac
done

say() { echo "[ensure-docker] $*"; }

engine_answers() {
  # The CLI may be newer than the engine: it negotiates the API version down by itself.
  timeout 10 docker -H "unix://$SOCK" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

install_engine() {
  if [ "$(id -u)" != 0 ]; then
    echo "ensure-docker.sh: the Docker engine is missing and installing it needs root" >&2; exit 1
  fi
  say "installing Debian's docker.io (engine + CLI) ..."
  export DEBIAN_FRONTEND=noninteractive
  # Do not let the package's maintainer scripts try to start services (no init system here).
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created_policy=1; fi
  if ! apt-get install -y -qq docker.io >/tmp/quire-apt-docker.log 2>&1; then
    say "apt-get install failed; running apt-get update once and retrying"
    apt-get update -qq >>/tmp/quire-apt-docker.log 2>&1 || true
    apt-get install -y -qq docker.io >>/tmp/quire-apt-docker.log 2>&1 \
      || { [ $created_policy = 1 ] && rm -f "$policy"; tail -20 /tmp/quire-apt-docker.log >&2;
           echo "ensure-docker.sh: could not install docker.io (log: /tmp/quire-apt-docker.log)" >&2; exit 1; }
  fi
  [ $created_policy = 1 ] && rm -f "$policy"
  say "docker.io installed"
}

# A dockerd process exists (no pgrep: procps may be missing on a bare machine).
dockerd_running() {
  local c
  for c in /proc/[0-9]*/comm; do
    [ "$(cat "$c" 2>/dev/null)" = dockerd ] && return 0
  done
  return 1
}

start_engine() {
  # A stale pid file from a dead daemon makes dockerd refuse to start.
  if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid 2>/dev/null)" 2>/dev/null; then
    rm -f /var/run/docker.pid
  fi
  if dockerd_running; then
    say "a dockerd process exists but does not answer yet; waiting for it"
  else
    mkdir -p "$(dirname "$LOG")"
    say "starting dockerd in the background (log: $LOG)"
    setsid nohup dockerd -H "unix://$SOCK" >>"$LOG" 2>&1 < /dev/null &
  fi
  local i=0
  until engine_answers; do
    i=$((i + 1))
    if [ "$i" -ge "$WAIT" ]; then
      echo "ensure-docker.sh: the Docker engine did not answer on $SOCK within ${WAIT}s; last lines of $LOG:" >&2
      tail -20 "$LOG" >&2 2>/dev/null || true
      exit 1
    fi
    sleep 1
  done
}

if engine_answers; then
  say "engine already answering on $SOCK ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
else
  if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then install_engine; fi
  start_engine
  say "engine answering on $SOCK ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
fi

if [ $ENGINE_ONLY = 0 ]; then
  "$HERE/build-test-images.sh" "$IMAGES"
fi

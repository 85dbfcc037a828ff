#!/usr/bin/env bash
# Installs, through the machine's own apt configuration, what building and testing Quire CI needs on a bare Debian
# machine: a JDK 17, Maven, git, curl and lua5.2 (the reference interpreter of the differential tests).
# Idempotent: installs only what is missing.
set -euo pipefail

need=()
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v git >/dev/null 2>&1 || need+=(git)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v lua5.2 >/dev/null 2>&1 || need+=(lua5.2)
if ((${#need[@]})); then
  if [ "$(id -u)" != 0 ]; then
    echo "install-prereqs: missing ${need[*]}; run as root or install them with apt-get" >&2
    exit 1
  fi
  echo "install-prereqs: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

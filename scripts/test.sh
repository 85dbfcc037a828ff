#!/usr/bin/env bash
# Runs every test of Quire CI on this machine: installs the prerequisites, starts Docker and builds the local test
# images if needed, then runs the unit tests, packages quire-ci.jar / quire-ci.hpi and runs the integration tests
# against them (real dockerd, real hudson.war 1.395).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-prereqs.sh
if [ -f scripts/ensure-docker.sh ]; then bash scripts/ensure-docker.sh; fi
exec mvn -B verify "$@"

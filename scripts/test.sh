#!/usr/bin/env bash
# Runs every test of Quire CI on this machine: installs the prerequisites, starts Docker and builds the local test
# images if needed, then runs the unit tests, packages quire-ci.jar / quire-ci.hpi and runs the integration tests
# against them (real dockerd, real hudson.war 1.395, headless Chromium). Fails if any test left a container behind.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-prereqs.sh
bash scripts/ensure-docker.sh
status=0
mvn -B verify -Dquire.require.lua52=true "$@" || status=$?
orphans=$(docker ps -aq --filter label=io.quire.owner)
if [ -n "$orphans" ]; then
  echo "ERROR: the test suite left Quire CI containers behind:" >&2
  docker ps -a --filter label=io.quire.owner --format '{{.ID}} {{.Labels}} {{.Status}}' >&2
  status=1
else
  echo "No Quire CI container left behind."
fi
exit $status

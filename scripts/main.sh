#!/usr/bin/env bash
# The main job: builds quire-ci.jar / quire-ci.hpi and validates the bundled example pipeline with the command-line
# runner (the Jenkins demo server arrives with the Jenkins integration).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-prereqs.sh
mvn -B -q package -DskipTests
echo "== java -jar target/quire-ci.jar validate --file examples/ci.fnl"
java -jar target/quire-ci.jar validate --file examples/ci.fnl

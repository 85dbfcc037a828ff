#!/usr/bin/env bash
# Runs the benchmarks: JUnit classes tagged "benchmark" (*Benchmark in the unit tests, *BenchmarkIT against the
# packaged jar), which print figures and assert no times.
# Everything they print is also kept in target/benchmark-run.log.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-prereqs.sh
if [ -f scripts/ensure-docker.sh ]; then bash scripts/ensure-docker.sh; fi
mkdir -p target
mvn -B verify -Dsurefire.excludedGroups=none -Dgroups=benchmark -Dtest='*Benchmark' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false "$@" 2>&1 | tee target/benchmark-run.log

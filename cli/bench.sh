#!/usr/bin/env bash
# Runs a benchmark main class from the test sources of cli, platform and dashboard against this checkout's modules
# (not ~/.m2's).
#   cli/bench.sh io.moescope.platform.metrics.SuiteBenchmark [decisions] [layers] [experts]
#   cli/bench.sh io.moescope.platform.alerts.AlertLatencyBenchmark [decisions/s] [seconds]
#   cli/bench.sh io.moescope.platform.metrics.LiveStreamBenchmark [decisions/s] [seconds] [requests] [settled]
#   cli/bench.sh io.moescope.browser.RunViewBenchmark [decisions] [layers] [experts] [opens]  (default 10 opens)
#   cli/bench.sh io.moescope.dashboard.run.LiveViewBenchmark [decisions/s] [seconds] [pollMillis]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CP_FILE="$(mktemp)"
# One reactor build: the moescope modules resolve to this checkout's compiled classes, never to installed jars
# (a fresh clone has none). Each module writes CP_FILE in turn; cli, the last, leaves its own classpath there.
mvn -B -q -ntp -o -f "$ROOT/pom.xml" -pl cli -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >&2
DEPS="$(tr ':' '\n' < "$CP_FILE" | grep -v '/io/moescope/' | paste -sd: -)"
rm -f "$CP_FILE"
MODULES="$ROOT/cli/target/test-classes:$ROOT/cli/target/classes"
for m in platform dashboard; do MODULES="$MODULES:$ROOT/$m/target/test-classes:$ROOT/$m/target/classes"; done
for m in analytics routing-events ingest inference-probe; do MODULES="$MODULES:$ROOT/$m/target/classes"; done
exec java -Xmx2g -cp "$MODULES:$DEPS" "$@"

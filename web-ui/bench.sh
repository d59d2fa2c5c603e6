#!/usr/bin/env bash
# Runs a benchmark main class from web-ui's test sources against this checkout's modules (not ~/.m2's).
#   web-ui/bench.sh io.moescope.app.metrics.SuiteBenchmark [decisions] [layers] [experts]
#   web-ui/bench.sh io.moescope.app.alerts.AlertLatencyBenchmark [decisions/s] [seconds]
#   web-ui/bench.sh io.moescope.browser.RunViewBenchmark [decisions] [layers] [experts] [opens]
#   web-ui/bench.sh io.moescope.ui.run.LiveViewBenchmark [decisions/s] [seconds] [pollMillis]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CP_FILE="$(mktemp)"
# One reactor build: the moescope modules resolve to this checkout's compiled classes, never to installed jars
# (a fresh clone has none). Each module writes CP_FILE in turn; web-ui, the last, leaves its own classpath there.
mvn -B -q -ntp -o -f "$ROOT/pom.xml" -pl web-ui -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >&2
DEPS="$(tr ':' '\n' < "$CP_FILE" | grep -v '/io/moescope/' | paste -sd: -)"
rm -f "$CP_FILE"
MODULES="$ROOT/web-ui/target/test-classes:$ROOT/web-ui/target/classes"
for m in analytics routing-events ingest inference-probe; do MODULES="$MODULES:$ROOT/$m/target/classes"; done
exec java -Xmx2g -cp "$MODULES:$DEPS" "$@"

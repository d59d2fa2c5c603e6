#!/usr/bin/env bash
# Runs a benchmark main class from web-ui's test sources against this checkout's modules (not ~/.m2's).
#   web-ui/bench.sh io.moescope.app.metrics.SuiteBenchmark [decisions] [layers] [experts]
#   web-ui/bench.sh io.moescope.app.alerts.AlertLatencyBenchmark [decisions/s] [seconds]
#   web-ui/bench.sh io.moescope.browser.RunViewBenchmark [decisions] [layers] [experts] [opens]
#   web-ui/bench.sh io.moescope.ui.run.LiveViewBenchmark [decisions/s] [seconds] [pollMillis]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mvn -B -q -ntp -o -f "$ROOT/pom.xml" -pl web-ui -am test-compile -DskipTests >&2
CP_FILE="$(mktemp)"
mvn -B -q -ntp -o -f "$ROOT/web-ui/pom.xml" dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$CP_FILE" >&2
DEPS="$(tr ':' '\n' < "$CP_FILE" | grep -v '/io/moescope/' | paste -sd: -)"
rm -f "$CP_FILE"
MODULES="$ROOT/web-ui/target/test-classes:$ROOT/web-ui/target/classes"
for m in analytics routing-events ingest inference-probe; do MODULES="$MODULES:$ROOT/$m/target/classes"; done
exec java -Xmx2g -cp "$MODULES:$DEPS" "$@"

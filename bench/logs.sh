#!/usr/bin/env bash
# Unified-log throughput: exports (events/s) and native tracev3 (MB/s) with LZ4 decompression of the
# same data as the ceiling; jq over the same NDJSON as a reference parser.
# Usage: bench/logs.sh [EVENTS]   (after `mvn -q -DskipTests package`; VESTIGE_CORPUS for tracev3 input)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=analyzer/target/vestige.jar
[ -f "$JAR" ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 1; }
N=${1:-300000}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
J="java -Xmx512m -cp $JAR io.vestige.bench.LogsBench"
for s in ndjson json text; do
  $J write $s "$N" "$TMP/export.$s"
done
$J export "$TMP/export.ndjson" "$TMP/export.json" "$TMP/export.text"
if command -v jq >/dev/null; then
  t0=$(date +%s.%N); tail -n +2 "$TMP/export.ndjson" | jq -c . >/dev/null; t1=$(date +%s.%N)
  python3 -c "import sys; t=$t1-$t0; print('reference jq -c . export.ndjson  %d events  %.3f s  %.0f events/s' % ($N, t, $N/t))"
fi
CORPUS=${VESTIGE_CORPUS:-../shared/corpus}
FILES=$(ls "$CORPUS"/unified-logs/dtformats/*.tracev3 "$CORPUS"/unified-logs/plaso_AUL/private/var/db/Diagnostics/*/*.tracev3 2>/dev/null || true)
if [ -n "$FILES" ]; then
  # shellcheck disable=SC2086
  $J tracev3 20 $FILES
else
  echo "no tracev3 corpus files under $CORPUS; skipped the native benchmark"
fi

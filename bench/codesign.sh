#!/usr/bin/env bash
# Code-signature verification throughput vs plain SHA-256 over the same bytes, same run.
# Usage (after `mvn -q -DskipTests package`): bench/codesign.sh [SIZE_MIB] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=analyzer/target/vestige.jar
[ -f "$JAR" ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 1; }
SIZE=${1:-128}
RUNS=${2:-5}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FILE="$TMP/bench.macho"
java -Xmx2g -cp "$JAR" io.vestige.bench.CodesignBench --size "$SIZE" --runs "$RUNS" --out "$FILE"
# reference tools on the same file: sha256sum / openssl (single-threaded whole-file SHA-256)
for tool in "sha256sum" "openssl dgst -sha256"; do
  set -- $tool
  if command -v "$1" >/dev/null; then
    $tool "$FILE" >/dev/null   # warm the page cache
    start=$(date +%s.%N); $tool "$FILE" >/dev/null; end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" -v f="$(stat -c %s "$FILE")" -v t="$tool" \
      'BEGIN { d = e - s; printf "%-24s: %.3f s  %8.1f MiB/s\n", t, d, f / 1048576 / d }'
  fi
done

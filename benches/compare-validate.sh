#!/usr/bin/env bash
# Times `hocba validate` over 1,000 record files against libxml2's XSD check of the same files
# (`xmllint --noout --schema schemas/hocba-1.xsd`, one process each), in one run, and prints
# the ratio (performance.md target: hocba, parsing and running every rule, at least 5x faster
# than xmllint's XSD check alone). Also times --jobs 1 against --jobs 2 (target: >= 1.8x).
#
#   benches/compare-validate.sh [N_FILES] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
rounds=${2:-3}
command -v xmllint >/dev/null || { echo "needs xmllint (apt-get install libxml2-utils)" >&2; exit 2; }
cargo build --release -q -p hocba-cli
hocba=target/release/hocba
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# 1,000 one-year records with 30 KB portraits: the five grade fixtures in turn.
src=(fixtures/records/valid/grade-{1,2,3,4,5}.xml)
for i in $(seq 1 "$n"); do
  cp "${src[$((i % 5))]}" "$dir/$(printf '%05d' "$i").xml"
done
sync
files=("$dir"/*.xml)
bytes=$(cat "${files[@]}" | wc -c)
echo "files: ${#files[@]}, $((bytes / 1024)) KiB in all"

# Best of `rounds` wall-clock seconds of a command.
best() {
  local b=""
  for _ in $(seq 1 "$rounds"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    b=$(echo "$t0 $t1 ${b:-999999}" | awk '{d=$2-$1; print (d<$3)?d:$3}')
  done
  echo "$b"
}
t_xmllint=$(best xmllint --noout --schema schemas/hocba-1.xsd "${files[@]}")
t_hocba1=$(best "$hocba" --format json validate --jobs 1 "${files[@]}")
t_hocba2=$(best "$hocba" --format json validate --jobs 2 "${files[@]}")
awk -v x="$t_xmllint" -v h1="$t_hocba1" -v h2="$t_hocba2" -v n="${#files[@]}" 'BEGIN {
  printf "xmllint --schema (XSD only):   %.3f s  (%.0f files/s)\n", x, n / x
  printf "hocba validate --jobs 1:       %.3f s  (%.0f files/s)\n", h1, n / h1
  printf "hocba validate --jobs 2:       %.3f s  (%.0f files/s)\n", h2, n / h2
  printf "ratio xmllint / hocba (1 job): %.1fx (target >= 5x)\n", x / h1
  printf "speed-up --jobs 2 / --jobs 1:  %.2fx (target >= 1.8x)\n", h1 / h2
}'

#!/usr/bin/env bash
# Renders every valid fixture (each of its school years) to PDF with hocba-core, then every page
# to a small PNG in docs/images/ (pdftoppm -r 60), so reviewers can look at the pages.
# Needs poppler-utils (pdftoppm); the PDFs themselves are left in target/previews/.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v pdftoppm >/dev/null || { echo "render-previews: pdftoppm missing (apt-get install -y poppler-utils)" >&2; exit 2; }
out="$PWD/target/previews"
rm -rf "$out"
mkdir -p "$out" docs/images
# The render test writes every document it checks into HOCBA_RENDER_OUT.
HOCBA_RENDER_OUT="$out" cargo test -q -p hocba-core --test render every_fixture_year_renders_valid_and_deterministic >/dev/null
rm -f docs/images/*.png
for pdf in "$out"/*.pdf; do
  name="$(basename "$pdf" .pdf)"
  pdftoppm -r 60 -png "$pdf" "docs/images/$name"
done
ls -l docs/images/*.png | awk '{ total += $5 } END { printf "render-previews: %d pages, %d KB in docs/images/\n", NR, total / 1024 }'

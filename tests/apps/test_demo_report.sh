#!/bin/bash
# The main job end to end at toy size: `dforge demo` on a tiny generated dataset (3 training steps),
# then its report opened in headless Chromium. The report's load script marks
# <body data-images-ok=N data-images-broken=M> (apps/report/html_report.h); all six images (four
# synthesis grids, the last seggan and pseudo sample grids) must decode, and the loss charts and the metric
# table must be there. Exits 77 (ctest: skipped) without Chromium.
# Usage: test_demo_report.sh <dforge binary>
set -euo pipefail
dforge=$1
chromium=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $chromium ]]; then
  echo "SKIPPED: chromium not found (scripts/install-deps.sh installs it)"
  exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$dforge" datagen --out "$work/data" --surfaces plain_weave,printed,wood,twill --normal 12 --defective 4 \
  --size 64 --quiet
"$dforge" demo --data "$work/data" --out "$work/demo" --steps 3 --preset cpu --quiet > "$work/demo.log"
cat "$work/demo.log"
grep -qF "report written to $work/demo/report.html" "$work/demo.log"

dom=$(timeout 30 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/profile" \
  --virtual-time-budget=3000 --dump-dom "file://$work/demo/report.html" 2> "$work/chromium.log") || {
  echo "chromium failed:"; tail -20 "$work/chromium.log"; exit 1; }

failures=0
expect() {  # expect <text that must appear in the rendered DOM>
  if grep -qF -- "$1" <<< "$dom"; then echo "ok: report has $1"; else echo "FAIL: report lacks $1"; failures=$((failures + 1)); fi
}
expect 'data-images-ok="6"'
expect 'data-images-broken="0"'
expect 'data-series="d_y" stroke-width'
expect 'SSIM out'
expect 'twill (unseen)'
expect 'pixel AUROC'
exit $((failures > 0))

#!/bin/bash
# The main job end to end at toy size: `dforge demo` on a tiny generated dataset (3 training steps),
# then its report opened in headless Chromium. The report's load script marks
# <body data-images-ok=N data-images-broken=M> (apps/report/html_report.h); all six images (four
# synthesis grids, the last seggan and pseudo sample grids) must decode, and the loss charts and the metric
# table must be there. Exits 77 (ctest: skipped) without Chromium.
# Usage: test_demo_report.sh <dforge binary>
set -euo pipefail
dforge=$1
source "$(dirname "$0")/chromium.sh"

"$dforge" datagen --out "$work/data" --surfaces plain_weave,printed,wood,twill --normal 12 --defective 4 \
  --size 64 --quiet
"$dforge" demo --data "$work/data" --out "$work/demo" --steps 3 --preset cpu --quiet > "$work/demo.log"
cat "$work/demo.log"
grep -qF "report written to $work/demo/report.html" "$work/demo.log"

dom=$(render "$work/demo/report.html" 3000)
expect report "$dom" 'data-images-ok="6"'
expect report "$dom" 'data-images-broken="0"'
expect report "$dom" 'data-series="d_y" stroke-width'
expect report "$dom" 'SSIM out'
expect report "$dom" 'twill (unseen)'
expect report "$dom" 'pixel AUROC'
exit $((failures > 0))

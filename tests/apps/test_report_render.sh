#!/bin/bash
# Renders the sample reports in headless Chromium and checks that their images decode: the
# report's own load script marks <body data-images-ok=N data-images-broken=M> (see
# apps/report/html_report.h), and --dump-dom prints the DOM after it ran. good.html must show both
# its images; broken.html (one image is not a PNG) must count one broken image and show the
# warning banner, which proves the check can fail. Exits 77 (ctest: skipped) without Chromium.
# Usage: test_report_render.sh <dforge_tests binary>
set -euo pipefail
tests_binary=$1
source "$(dirname "$0")/chromium.sh"

DFORGE_REPORT_SAMPLE_DIR=$work "$tests_binary" "[.report-sample]" > "$work/writer.log" || {
  cat "$work/writer.log"; exit 1; }

good=$(render "$work/good.html")
expect good.html "$good" 'data-images-ok="2"'
expect good.html "$good" 'data-images-broken="0"'
expect good.html "$good" '<polyline class="series"'
expect good.html "$good" '<div id="image-warning" class="warning" hidden=""></div>'

broken=$(render "$work/broken.html")
expect broken.html "$broken" 'data-images-ok="1"'
expect broken.html "$broken" 'data-images-broken="1"'
expect broken.html "$broken" '1 image(s) in this report could not be displayed.'

exit $((failures > 0))

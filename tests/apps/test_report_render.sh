#!/bin/bash
# Renders the sample reports in headless Chromium and checks that their images decode: the
# report's own load script marks <body data-images-ok=N data-images-broken=M> (see
# apps/report/html_report.h), and --dump-dom prints the DOM after it ran. good.html must show both
# its images; broken.html (one image is not a PNG) must count one broken image and show the
# warning banner, which proves the check can fail. Exits 77 (ctest: skipped) without Chromium.
# Usage: test_report_render.sh <dforge_tests binary>
set -euo pipefail
tests_binary=$1
chromium=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $chromium ]]; then
  echo "SKIPPED: chromium not found (scripts/install-deps.sh installs it)"
  exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
DFORGE_REPORT_SAMPLE_DIR=$work "$tests_binary" "[.report-sample]" > "$work/writer.log" || {
  cat "$work/writer.log"; exit 1; }

# Prints the rendered DOM of $1. A private profile per run so parallel runs do not collide.
render() {
  timeout 30 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/profile" \
    --virtual-time-budget=2000 --dump-dom "file://$1" 2> "$work/chromium.log" || {
    echo "chromium failed on $1:"; tail -20 "$work/chromium.log"; exit 1; }
}

failures=0
expect() {  # expect <name> <dom> <text that must appear>
  if grep -qF -- "$3" <<< "$2"; then echo "ok: $1 has $3"; else echo "FAIL: $1 lacks $3"; failures=$((failures + 1)); fi
}

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

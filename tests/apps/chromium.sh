# Sourced by the headless-Chromium report tests (test_report_render.sh, test_demo_report.sh).
# Without Chromium it exits 77 (ctest: skipped). Otherwise it makes $work (removed on exit) and
# defines
#   render FILE [BUDGET_MS]  prints the DOM of FILE after its scripts ran (--dump-dom); a private
#                            profile per run so parallel runs do not collide
#   expect NAME DOM TEXT     "ok: NAME has TEXT", or "FAIL: NAME lacks TEXT" counted in $failures
chromium=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $chromium ]]; then
  echo "SKIPPED: chromium not found (scripts/install-deps.sh installs it)"
  exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

render() {
  timeout 30 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/profile" \
    --virtual-time-budget="${2:-2000}" --dump-dom "file://$1" 2> "$work/chromium.log" || {
    echo "chromium failed on $1:" >&2; tail -20 "$work/chromium.log" >&2; exit 1; }
}

failures=0
expect() {
  if grep -qF -- "$3" <<< "$2"; then echo "ok: $1 has $3"; else echo "FAIL: $1 lacks $3"; failures=$((failures + 1)); fi
}

#!/usr/bin/env bash
# Paper 000's Table II on the built-in data: seggan variants trained on three surfaces (plain
# weave, printed fabric, wood), asked to paint defects at new random masks onto the defect-free
# test images of those surfaces (seen) and of twill (unseen), scored inside ("seg") and outside
# ("back") the masks. Variants: U-Net with lambda_clip 0 (the weighting on) and 1 (off), and the
# ResNet generator with lambda_clip 0. CPU-sized (64-pixel crops, ngf/ndf 32, the demo's cpu
# preset); STEPS, DEVICE, VARIANTS and the sizes can be overridden from the environment.
# Usage: scripts/seggan-table2.sh [OUT]   (default runs/table2; writes OUT/table2.md)
set -euo pipefail
cd "$(dirname "$0")/.."
dforge=${DFORGE:-build/dforge}
data=${DATA:-runs/builtin-data}
out=${1:-runs/table2}
steps=${STEPS:-1500}
device=${DEVICE:-cpu}
size_flags=${SIZE_FLAGS:---crop 64 --ngf 32 --ndf 32}
seen=(plain_weave printed wood)
unseen=(twill)

[ -f "$data/datagen.json" ] || "$dforge" datagen --out "$data" --quiet
for variant in ${VARIANTS:-unet:0.0 unet:1.0 resnet:0.0}; do
  gen=${variant%%:*} clip=${variant##*:}
  run="$out/$gen-clip$clip"
  resume=(); [ -f "$run/checkpoint.safetensors" ] && resume=(--resume)
  echo "== $run"
  # shellcheck disable=SC2086
  "$dforge" train seggan --data "$data" --surfaces "$(IFS=,; echo "${seen[*]}")" --gen "$gen" --lambda-clip "$clip" \
    $size_flags --steps "$steps" --sample-every 500 --checkpoint-every 500 --device "$device" --out "$run" \
    "${resume[@]}" --quiet
  for surface in "${seen[@]}" "${unseen[@]}"; do
    rm -rf "$run/synth/$surface"
    "$dforge" synth seggan --ckpt "$run/checkpoint.safetensors" --images "$data/$surface/test/good" \
      --random-masks 1 --seed 1000 --device "$device" --out "$run/synth/$surface" --quiet
    "$dforge" eval synth --input "$data/$surface/test/good" --output "$run/synth/$surface/images" \
      --masks "$run/synth/$surface/masks" --json "$run/synth/$surface/eval.json" > /dev/null
  done
done
/usr/bin/python3 scripts/seggan_table2.py "$out" "${seen[*]}" "${unseen[*]}" > "$out/table2.md"
cat "$out/table2.md"

#!/usr/bin/env bash
# The comparison papers 000 and 004 argue about, per surface of the built-in data: which inspector
# finds real defects best when no real defect is used for training?
#   pseudo       `dforge train pseudo` on the surface's train/good (paper 004's procedural defects)
#   autoencoder  `dforge inspect train --kind autoencoder` on the same normals (paper 000's baseline)
#   segmenter    `dforge inspect train --kind segmenter` on the normals + seggan's synthetic defects
#                (paper 000). seggan learns defects from <surface>/test/<defect>, so it is trained on
#                the OTHER surfaces (leave-one-out) and paints random masks onto this surface's
#                train/good images: the evaluated surface's real defects are never seen in training.
# All three are evaluated by `dforge inspect eval` on the surface's test split (real defects) at the
# same image size (pseudo is trained with --resize SIZE so it is evaluated at SIZE too), with each
# kind's own threshold (0.5 for the two segmenters, mean + 3 std of training scores for the
# autoencoder). Prints one markdown table and writes it to OUT/comparison.md.
# CPU-sized defaults (a surface takes a few minutes); override from the environment:
#   SURFACES (comma list; default every surface of DATA), STEPS (inspectors and pseudo, 200),
#   SEGGAN_STEPS (300), SIZE (64), BATCH (8), SYNTH_PER_IMAGE (1), DEVICE (cpu), DATA, DFORGE.
# Usage: scripts/inspect-comparison.sh [OUT]   (default runs/inspect-comparison)
set -euo pipefail
cd "$(dirname "$0")/.."
dforge=${DFORGE:-build/dforge}
data=${DATA:-runs/builtin-data}
out=${1:-runs/inspect-comparison}
steps=${STEPS:-200}
seggan_steps=${SEGGAN_STEPS:-300}
size=${SIZE:-64}
batch=${BATCH:-8}
per_image=${SYNTH_PER_IMAGE:-1}
device=${DEVICE:-cpu}

[ -f "$data/datagen.json" ] || "$dforge" datagen --out "$data" --quiet
all_surfaces=()
for folder in "$data"/*/; do [ -d "$folder/train/good" ] && all_surfaces+=("$(basename "$folder")"); done
IFS=, read -r -a surfaces <<< "${SURFACES:-$(IFS=,; echo "${all_surfaces[*]}")}"
mkdir -p "$out"

# train_once RUN COMMAND...: runs the training command unless RUN already holds a finished run.
train_once() {
  local run=$1; shift
  [ -f "$run/done" ] && return 0
  rm -rf "$run"
  "$@" --out "$run" --device "$device" --quiet
  touch "$run/done"
}

# evaluate SURFACE MODEL CHECKPOINT: one inspect eval, its JSON kept as OUT/SURFACE/MODEL.json.
evaluate() {
  "$dforge" inspect eval --ckpt "$3" --data "$data/$1" --device "$device" --json "$out/$1/$2.json" --quiet > /dev/null
}

for surface in "${surfaces[@]}"; do
  echo "== $surface" >&2
  others=()
  for other in "${all_surfaces[@]}"; do [ "$other" != "$surface" ] && others+=("$other"); done
  dir="$out/$surface"
  mkdir -p "$dir"

  train_once "$dir/pseudo" "$dforge" train pseudo --data "$data" --surfaces "$surface" --resize "$size" \
    --crop "$size" --steps "$steps" --batch "$batch" --sample-every 0 --checkpoint-every 0
  evaluate "$surface" pseudo "$dir/pseudo/checkpoint.safetensors"

  train_once "$dir/autoencoder" "$dforge" inspect train --kind autoencoder --data "$data/$surface" --size "$size" \
    --steps "$steps" --batch "$batch" --checkpoint-every 0
  evaluate "$surface" autoencoder "$dir/autoencoder/checkpoint.safetensors"

  train_once "$dir/seggan" "$dforge" train seggan --data "$data" --surfaces "$(IFS=,; echo "${others[*]}")" \
    --crop 64 --ngf 32 --ndf 32 --steps "$seggan_steps" --sample-every 0 --checkpoint-every 0
  if [ ! -f "$dir/synth/done" ]; then
    rm -rf "$dir/synth"
    "$dforge" synth seggan --ckpt "$dir/seggan/checkpoint.safetensors" --images "$data/$surface/train/good" \
      --random-masks "$per_image" --seed 1000 --device "$device" --out "$dir/synth" --quiet
    touch "$dir/synth/done"
  fi
  train_once "$dir/segmenter" "$dforge" inspect train --kind segmenter --data "$data/$surface" \
    --defects "$dir/synth" --size "$size" --steps "$steps" --batch "$batch" --checkpoint-every 0
  evaluate "$surface" segmenter "$dir/segmenter/checkpoint.safetensors"
done

/usr/bin/python3 - "$out" "${surfaces[@]}" > "$out/comparison.md" <<'PYTHON'
import json, sys
out, surfaces = sys.argv[1], sys.argv[2:]
models = {"pseudo": "pseudo (paper 004)", "autoencoder": "autoencoder (baseline)",
          "segmenter": "segmenter on seggan defects (paper 000)"}
def cell(value):
    return "-" if value is None else f"{value:.3f}"
print("| surface | model | image AUROC | DR | FAR | pixel AUROC | mIoU |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for surface in surfaces:
    for model, name in models.items():
        e = json.load(open(f"{out}/{surface}/{model}.json"))
        print(f"| {surface} | {name} | {cell(e['image_auroc'])} | {cell(e['dr'])} | {cell(e['far'])} | "
              f"{cell(e.get('pixel_auroc'))} | {cell(e.get('miou'))} |")
PYTHON
cat "$out/comparison.md"

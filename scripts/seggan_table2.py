"""Formats scripts/seggan-table2.sh's evaluations as paper 000's Table II (markdown): per variant,
L1 / L2 / SSIM outside ("back") and inside ("seg") the masks, averaged over the seen surfaces'
images and over the unseen surface's images.
Usage: seggan_table2.py OUT "seen surfaces" "unseen surfaces"
"""
import json
import os
import sys

out, seen, unseen = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
variants = sorted(d for d in os.listdir(out) if os.path.isdir(os.path.join(out, d)))


def mean_over(variant, surfaces, key):
    values = []
    for surface in surfaces:
        with open(os.path.join(out, variant, "synth", surface, "eval.json")) as f:
            values += [image[key] for image in json.load(f)["per_image"] if image[key] is not None]
    return sum(values) / len(values)


print("| variant | fabrics | L1 back | L1 seg | L2 back | L2 seg | SSIM back | SSIM seg |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for variant in variants:
    for label, surfaces in (("seen", seen), ("unseen", unseen)):
        cells = [f"{mean_over(variant, surfaces, key):.4f}"
                 for key in ("l1_out", "l1_in", "l2_out", "l2_in", "ssim_out", "ssim_in")]
        print(f"| {variant} | {label} ({', '.join(surfaces)}) | " + " | ".join(cells) + " |")

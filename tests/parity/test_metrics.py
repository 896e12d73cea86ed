"""Parity of metrics/ with scikit-image and scikit-learn.

- SSIM, L1, L2 over the whole image, inside a mask and outside it, against
  skimage.metrics.structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
  data_range=R, channel_axis=0). Inside / outside SSIM are the means of skimage's full SSIM map
  (averaged over channels, cropped by 5 pixels per side) over the mask's pixels: our definition.
- AUROC against sklearn.metrics.roc_auc_score (rtol 1e-6) and the best F1 over the thresholds of
  sklearn.metrics.precision_recall_curve, on random and adversarial cases (all ties, heavy ties,
  tiny n, perfectly separated, reversed).
- `dforge eval detect` on a scores file, against the same references.
"""
import json
import os
import subprocess

import numpy as np
import torch
from skimage.metrics import structural_similarity
from sklearn.metrics import precision_recall_curve, roc_auc_score

from harness import Parity

CROP = 5  # (win_size - 1) // 2 for the 11-tap window of sigma 1.5
EXACT = dict(rtol=0, atol=1e-15)  # thresholds and the like: the same double (atol keeps 0 / 0 out)
AUROC = dict(rtol=1e-6, atol=1e-15)
F1 = dict(rtol=1e-9, atol=1e-15)


def f64(value):
    return torch.tensor(value, dtype=torch.float64)


def reference_image_metrics(a, b, mask, data_range):
    """[l1, l2, ssim] for all, inside, outside (NaN for an empty region)."""
    _, full = structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                                    data_range=data_range, channel_axis=0, full=True)
    whole = structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                                  data_range=data_range, channel_axis=0)
    ssim_map = full.mean(axis=0)
    in_crop = np.zeros(mask.shape[1:], dtype=bool)
    in_crop[CROP:-CROP, CROP:-CROP] = True
    inside = mask[0] > 0.5
    difference = a - b

    def region(pixels):
        if not pixels.any():
            return [np.nan, np.nan, np.nan]
        d = difference[:, pixels]
        s = ssim_map[pixels & in_crop]
        return [np.abs(d).mean(), (d * d).mean(), s.mean() if s.size else np.nan]

    everything = np.ones_like(inside)
    values = region(everything)
    values[2] = whole  # skimage's own mean, the number users compare with
    return values + region(inside) + region(~inside)


def compare_nan_aware(parity, label, ours, theirs, rtol):
    ours = ours.to(torch.float64)
    theirs = torch.tensor(theirs, dtype=torch.float64)
    both_nan = torch.isnan(ours) & torch.isnan(theirs)
    if (torch.isnan(ours) != torch.isnan(theirs)).any():
        parity.checks += 1
        parity.failures += 1
        print(f"FAIL {label}: NaN pattern differs: ours {ours.tolist()} vs {theirs.tolist()}")
        return
    parity.compare(label, torch.where(both_nan, torch.zeros_like(ours), ours),
                   torch.where(both_nan, torch.zeros_like(theirs), theirs), rtol=rtol, atol=1e-9)


def image_cases(rng):
    def random_mask(h, w, fraction):
        return (rng.random((1, h, w)) < fraction).astype(np.float32)

    def blob_mask(h, w):
        mask = np.zeros((1, h, w), dtype=np.float32)
        mask[0, h // 4:h // 2, w // 3:w - 2] = 1
        return mask

    cases = []
    for channels, h, w in [(1, 11, 11), (3, 16, 16), (4, 32, 24), (3, 48, 64)]:
        a = rng.random((channels, h, w)).astype(np.float32)
        b = np.clip(a + 0.1 * rng.standard_normal(a.shape), 0, 1).astype(np.float32)
        cases.append((f"random {channels}x{h}x{w}", a, b, blob_mask(h, w), 1.0))
    a = rng.random((3, 20, 20)).astype(np.float32)
    cases.append(("identical", a, a.copy(), random_mask(20, 20, 0.3), 1.0))
    cases.append(("constant shift", np.full((1, 16, 16), 0.25, np.float32), np.full((1, 16, 16), 0.5, np.float32),
                  blob_mask(16, 16), 1.0))
    cases.append(("empty mask", a, rng.random(a.shape).astype(np.float32), np.zeros((1, 20, 20), np.float32), 1.0))
    cases.append(("full mask", a, rng.random(a.shape).astype(np.float32), np.ones((1, 20, 20), np.float32), 1.0))
    border = np.zeros((1, 20, 20), np.float32)
    border[0, :3, :] = 1
    cases.append(("mask in the cropped border", a, rng.random(a.shape).astype(np.float32), border, 1.0))
    c = (rng.random((2, 24, 24)) * 255).astype(np.float32)
    cases.append(("data range 255", c, np.clip(c + 20 * rng.standard_normal(c.shape), 0, 255).astype(np.float32),
                  random_mask(24, 24, 0.5), 255.0))
    return cases


def detection_cases(rng):
    cases = []
    for n in [2, 3, 5, 50, 1000]:
        labels = rng.integers(0, 2, n)
        labels[0], labels[-1] = 0, 1
        cases.append((f"random n={n}", rng.random(n), labels))
        cases.append((f"heavy ties n={n}", rng.integers(0, 3, n).astype(np.float64), labels))
    labels = np.array([0, 1, 0, 1, 1, 0])
    cases.append(("all ties", np.full(6, 0.7), labels))
    cases.append(("perfectly separated", labels + 0.1 * rng.random(6), labels))
    cases.append(("reversed", 1 - labels + 0.1 * rng.random(6), labels))
    cases.append(("one positive", np.array([0.2, 0.9, 0.4, 0.4]), np.array([0, 0, 1, 0])))
    big = rng.integers(0, 2, 200000)
    big[0], big[1] = 0, 1
    cases.append(("n=200000 with ties", np.round(rng.random(200000) + 0.3 * big, 3), big))
    return cases


def reference_best_f1(scores, labels):
    precision, recall, thresholds = precision_recall_curve(labels, scores)
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.nan_to_num(2 * precision * recall / (precision + recall))[:-1]
    best = int(np.argmax(f1))
    unique = np.sum(np.isclose(f1, f1[best], rtol=1e-12, atol=0)) == 1
    return f1[best], thresholds[best], unique


def main():
    parity = Parity()
    rng = np.random.default_rng(0)

    for label, a, b, mask, data_range in image_cases(rng):
        ours = parity.run("metrics.image", {"case": "metrics.image", "data_range": data_range},
                          {"input0": torch.from_numpy(a), "input1": torch.from_numpy(b), "input2": torch.from_numpy(mask)})
        if ours is not None:
            expected = reference_image_metrics(a.astype(np.float64), b.astype(np.float64), mask, data_range)
            compare_nan_aware(parity, f"image metrics, {label}", ours["values"], expected, rtol=1e-5)

    for label, scores, labels in detection_cases(rng):
        ours = parity.run("metrics.detection", {"case": "metrics.detection"},
                          {"input0": torch.from_numpy(np.asarray(scores, np.float64)),
                           "input1": torch.from_numpy(np.asarray(labels, np.float64))})
        if ours is None:
            continue
        parity.compare(f"auroc, {label}", ours["auroc"], f64(roc_auc_score(labels, scores)), **AUROC)
        f1, threshold, unique = reference_best_f1(scores, labels)
        parity.compare(f"best f1, {label}", ours["best_f1"], f64(f1), **F1)
        if unique:
            parity.compare(f"best f1 threshold, {label}", ours["best_f1_threshold"], f64(threshold), **EXACT)

    # The command line: dforge eval detect on a scores file.
    scores, labels = rng.random(40).round(1), rng.integers(0, 2, 40)
    labels[0], labels[1] = 0, 1
    scores_path = os.path.join(parity.workdir, "scores.txt")
    with open(scores_path, "w") as stream:
        stream.write("# name score label\n")
        for i, (score, label) in enumerate(zip(scores, labels)):
            stream.write(f"img{i:03d}.png {score!r} {label}\n")
    json_path = os.path.join(parity.workdir, "detect.json")
    completed = subprocess.run([parity.args.dforge, "eval", "detect", "--scores", scores_path, "--json", json_path],
                               capture_output=True, text=True)
    if completed.returncode != 0:
        parity.checks += 1
        parity.failures += 1
        print(f"FAIL dforge eval detect exited {completed.returncode}: {completed.stderr.strip()}")
    else:
        with open(json_path) as stream:
            result = json.load(stream)
        parity.compare("dforge eval detect auroc", f64(result["auroc"]), f64(roc_auc_score(labels, scores)), **AUROC)
        parity.compare("dforge eval detect best f1", f64(result["best_f1"]), f64(reference_best_f1(scores, labels)[0]),
                       **F1)
    parity.finish()


if __name__ == "__main__":
    main()

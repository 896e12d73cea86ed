#!/usr/bin/env python3
"""Export the pretrained weights that `dforge eval` needs for LPIPS and FID to safetensors.

Run on a machine with internet and `pip install torch torchvision lpips pytorch-fid` (it downloads
torchvision's ImageNet VGG16, the lpips v0.1 "lin" layers and pytorch-fid's pt_inception-2015-12-05
weights). This repository's machines have no internet, so the script has not been run here: it is
written against the packages' public module names, the same names our networks use
(models/nets/vgg16.h, metrics/lpips.h, models/nets/inception_v3.h), and it checks that every exported
name has the expected form before writing.

    python3 tools/export_metric_weights.py --lpips lpips_vgg16.safetensors --fid fid_inception_v3.safetensors
    dforge eval synth ... --lpips-weights lpips_vgg16.safetensors
    dforge eval fid --real DIR --fake DIR --weights fid_inception_v3.safetensors

LPIPS file: features.<i>.weight|bias (VGG16 convs at i = 0, 2, 5, ..., 28, taken from the lpips model's
own vgg16 slices, which keep torchvision's indices) and lin<k>.model.1.weight (k = 0..4).
FID file: pytorch-fid's fid_inception_v3() state dict (torchvision Inception3 names, FID blocks)
without fc.* and AuxLogits.*, BatchNorm running statistics included.
"""
import argparse
import json
import re
import struct

import torch

DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64", torch.int32: "I32"}


def save_safetensors(path, tensors):
    """Minimal safetensors writer: 8-byte little-endian header size, JSON header, raw little-endian data."""
    header, offset, blobs = {}, 0, []
    for name, tensor in tensors.items():
        data = tensor.detach().cpu().contiguous().numpy().tobytes()
        header[name] = {"dtype": DTYPES[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    header["__metadata__"] = {"source": "tools/export_metric_weights.py"}
    encoded = json.dumps(header).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as stream:
        stream.write(struct.pack("<Q", len(encoded)))
        stream.write(encoded)
        for blob in blobs:
            stream.write(blob)


def lpips_tensors():
    import lpips  # richzhang/PerceptualSimilarity

    model = lpips.LPIPS(net="vgg", version="0.1", lpips=True, pretrained=True, pnet_rand=False)
    out = {}
    for name, tensor in model.state_dict().items():
        vgg = re.fullmatch(r"net\.slice[1-5]\.(\d+)\.(weight|bias)", name)
        if vgg:
            out[f"features.{vgg.group(1)}.{vgg.group(2)}"] = tensor.float()
        elif re.fullmatch(r"lin[0-4]\.model\.1\.weight", name):
            out[name] = tensor.float()
    convs = sorted({int(k.split(".")[1]) for k in out if k.startswith("features.")})
    assert convs == [0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28], convs
    assert all(f"lin{k}.model.1.weight" in out for k in range(5)), sorted(out)
    return out


def fid_tensors():
    from pytorch_fid.inception import fid_inception_v3  # mseitzer/pytorch-fid

    model = fid_inception_v3()  # downloads pt_inception-2015-12-05-6726825d.pth
    out = {name: tensor for name, tensor in model.state_dict().items()
           if not name.startswith(("fc.", "AuxLogits."))}
    assert "Mixed_7c.branch_pool.conv.weight" in out and "Conv2d_1a_3x3.bn.running_var" in out
    return {name: (t.float() if t.is_floating_point() else t) for name, t in out.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lpips", default="lpips_vgg16.safetensors", help="LPIPS output file ('' to skip)")
    parser.add_argument("--fid", default="fid_inception_v3.safetensors", help="FID output file ('' to skip)")
    args = parser.parse_args()
    if args.lpips:
        tensors = lpips_tensors()
        save_safetensors(args.lpips, tensors)
        print(f"wrote {args.lpips}: {len(tensors)} tensors")
    if args.fid:
        tensors = fid_tensors()
        save_safetensors(args.fid, tensors)
        print(f"wrote {args.fid}: {len(tensors)} tensors")


if __name__ == "__main__":
    main()

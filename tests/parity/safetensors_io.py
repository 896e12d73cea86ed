"""Safetensors reading and writing for the PyTorch parity scripts, with struct/json/torch only (no
`safetensors` package on these machines). Same format and layout as runtime/io/safetensors.cpp:

    8 bytes  N, the header length, unsigned little-endian
    N bytes  JSON {"__metadata__": {str: str}, "name": {"dtype", "shape", "data_offsets"}, ...},
             padded with spaces to a multiple of 8
    data     each tensor's bytes at data_offsets [begin, end), little-endian, row-major

save() writes the header the way defectforge does (metadata first, tensors in the given order,
packed back to back, compact JSON), so a file saved from the same tensors by either side has the
same bytes. Writing is atomic: a temporary file, flushed and fsync'ed, renamed over the target.

    python3 safetensors_io.py             runs the self-test
    python3 safetensors_io.py FILE...     prints each tensor (name, dtype, shape, values)
"""

import json
import os
import struct
import sys
import tempfile

import torch

DTYPES = {
    "F64": torch.float64,
    "F32": torch.float32,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "I64": torch.int64,
    "I32": torch.int32,
    "I16": torch.int16,
    "I8": torch.int8,
    "U8": torch.uint8,
    "BOOL": torch.bool,
}
NAMES = {dtype: name for name, dtype in DTYPES.items()}
METADATA_KEY = "__metadata__"


def _element_size(dtype):
    return torch.empty((), dtype=dtype).element_size()


def _check(condition, path, message):
    if not condition:
        raise ValueError(f"safetensors_io: {path}: {message}")


def _parse_header(path, blob):
    _check(len(blob) >= 8, path, f"file is {len(blob)} bytes, shorter than the 8-byte header length")
    (length,) = struct.unpack("<Q", blob[:8])
    _check(length <= len(blob) - 8, path, f"header length {length} exceeds the file")

    def no_duplicates(pairs):
        keys = [key for key, _ in pairs]
        _check(len(keys) == len(set(keys)), path, f"duplicate names in {keys}")
        return dict(pairs)

    try:
        header = json.loads(blob[8 : 8 + length].decode("utf-8"), object_pairs_hook=no_duplicates)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"safetensors_io: {path}: header is not valid JSON ({error})") from None
    _check(isinstance(header, dict), path, "header is not a JSON object")
    return header, 8 + length


def load_with_metadata(path):
    """Returns ({name: tensor} in header order, {key: value} metadata). Tensors keep their dtype."""
    with open(path, "rb") as file:
        blob = file.read()
    header, data_start = _parse_header(path, blob)
    buffer_size = len(blob) - data_start
    metadata = header.pop(METADATA_KEY, {}) or {}
    _check(all(isinstance(value, str) for value in metadata.values()), path, "metadata values must be strings")
    tensors = {}
    for name, entry in header.items():
        _check(entry.get("dtype") in DTYPES, path, f"tensor '{name}' has unsupported dtype {entry.get('dtype')!r}")
        dtype = DTYPES[entry["dtype"]]
        shape = entry["shape"]
        begin, end = entry["data_offsets"]
        numel = 1
        for size in shape:
            numel *= size
        _check(end - begin == numel * _element_size(dtype), path,
               f"tensor '{name}' {entry['dtype']}{shape} does not match data_offsets [{begin}, {end}]")
        _check(0 <= begin <= end <= buffer_size, path, f"tensor '{name}' data_offsets [{begin}, {end}] out of the buffer")
        raw = bytearray(blob[data_start + begin : data_start + end])
        flat = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(shape)
    return tensors, metadata


def load(path):
    """Returns {name: torch.Tensor} in the file's header order."""
    return load_with_metadata(path)[0]


def _tensor_bytes(tensor):
    return tensor.detach().cpu().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes()


def save(path, tensors, metadata=None):
    """Writes {name: tensor} (in dict order) and optional {str: str} metadata, atomically."""
    header = {}
    if metadata:
        _check(all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()), path,
               "metadata keys and values must be strings")
        header[METADATA_KEY] = dict(metadata)
    blobs = []
    offset = 0
    for name, tensor in tensors.items():
        _check(name != METADATA_KEY, path, f"'{METADATA_KEY}' is reserved, not a tensor name")
        _check(tensor.dtype in NAMES, path, f"tensor '{name}' has unsupported dtype {tensor.dtype}")
        data = _tensor_bytes(tensor)
        header[name] = {"dtype": NAMES[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    temporary = f"{path}.tmp-{os.getpid()}"
    try:
        with open(temporary, "wb") as file:
            file.write(struct.pack("<Q", len(text)))
            file.write(text)
            for data in blobs:
                file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def _self_test():
    with tempfile.TemporaryDirectory() as directory:
        # The bytes defectforge writes for the same tensors (tests/runtime/test_safetensors.cpp).
        tiny = os.path.join(directory, "tiny.safetensors")
        save(tiny, {"a": torch.tensor([1.0, -2.0]), "b": torch.tensor(7, dtype=torch.uint8)}, {"k": "v"})
        header = (b'{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},'
                  b'"b":{"dtype":"U8","shape":[],"data_offsets":[8,9]}}      ')
        expected = struct.pack("<Q", 136) + header + b"\x00\x00\x80\x3f\x00\x00\x00\xc0\x07"
        with open(tiny, "rb") as file:
            assert file.read() == expected, "tiny file bytes differ from defectforge's"

        path = os.path.join(directory, "all.safetensors")
        tensors = {
            "z.f32": torch.tensor([[1.5, -2.25, 0.0], [1e-3, 3e8, -7.0]]),
            "f64": torch.tensor([0.1, -1e300], dtype=torch.float64),
            "f16": torch.tensor([1.0, -2.0, 65504.0], dtype=torch.float16),
            "bf16": torch.tensor([1.0, -3.0, 3.140625], dtype=torch.bfloat16),
            "i64": torch.tensor([-3, 0, 2**40], dtype=torch.int64),
            "i32": torch.tensor([-7, 2**31 - 1], dtype=torch.int32),
            "u8": torch.tensor([[0, 1], [128, 255]], dtype=torch.uint8),
            "bool": torch.tensor([True, False]),
            "scalar": torch.tensor(3.5),
            "empty": torch.empty(0, 4),
        }
        metadata = {"config": '{"lr": 0.0002}', "unit": "\u00b5m"}
        save(path, tensors, metadata)
        loaded, loaded_metadata = load_with_metadata(path)
        assert list(loaded) == list(tensors), "order changed"
        assert loaded_metadata == metadata
        for name, tensor in tensors.items():
            assert loaded[name].dtype == tensor.dtype and loaded[name].shape == tensor.shape, name
            assert torch.equal(loaded[name], tensor), name
        assert sorted(os.listdir(directory)) == ["all.safetensors", "tiny.safetensors"], "temporary file left"
    print("safetensors_io self-test passed")


def _print_file(path):
    tensors, metadata = load_with_metadata(path)
    print(f"{path}: metadata {metadata}")
    for name, tensor in tensors.items():
        print(f"  {name}: {NAMES[tensor.dtype]} {list(tensor.shape)} {tensor.tolist()}")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        for argument in sys.argv[1:]:
            _print_file(argument)
    else:
        _self_test()

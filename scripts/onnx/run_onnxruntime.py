"""Runs ONNX models with ONNX Runtime for Kouzi's parity tests.

Usage: python3 run_onnxruntime.py DIR...

Each DIR holds `model.onnx` and `inputs.safetensors` (one tensor per graph input, by name), and `inputs.json` for
string inputs (name → list of strings, one per row). The script checks the
model with `onnx.checker.check_model(full_check=True)`, runs it on one thread and writes every graph output to
`outputs.safetensors` in the same folder. A failure is written to `error.txt` instead, so one bad case does not hide
the others.
"""
import json
import os
import sys
import traceback

import numpy as np
import onnx
import onnxruntime as ort
from safetensors.numpy import load_file, save_file


def run(folder):
    path = os.path.join(folder, "model.onnx")
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    inputs = load_file(os.path.join(folder, "inputs.safetensors"))
    strings = os.path.join(folder, "inputs.json")
    if os.path.exists(strings):
        with open(strings) as f:
            inputs.update({name: np.array(values, dtype=object) for name, values in json.load(f).items()})
    feeds = {}
    for spec in session.get_inputs():
        value = inputs[spec.name]
        if spec.type == "tensor(int64)":
            value = value.astype(np.int64)
        elif spec.type == "tensor(int32)":
            value = value.astype(np.int32)
        feeds[spec.name] = value
    outputs = session.run(None, feeds)
    names = [o.name for o in session.get_outputs()]
    save_file({n: np.ascontiguousarray(v.astype(np.float32)) for n, v in zip(names, outputs)},
              os.path.join(folder, "outputs.safetensors"))


def main():
    for folder in sys.argv[1:]:
        try:
            run(folder)
        except Exception:  # noqa: BLE001 - reported per case
            with open(os.path.join(folder, "error.txt"), "w") as f:
                f.write(traceback.format_exc())


if __name__ == "__main__":
    main()

"""Calls a deployment of an uploaded ONNX model with the stock tritonclient and compares with ONNX Runtime.

Usage: python3 triton_onnx_check.py HOST:PORT TOKEN DEPLOYMENT FOLDER
FOLDER holds inputs.safetensors and outputs.safetensors (ONNX Runtime's outputs), as foreign_models.py writes them.
Every output must agree to 1e-5 relative (1e-6 absolute), with binary and with JSON tensors.
"""
import sys

import numpy as np
import tritonclient.http as httpclient
from safetensors.numpy import load_file


def main():
    url, token, model, folder = sys.argv[1:5]
    auth = {"Authorization": f"Bearer {token}"}
    client = httpclient.InferenceServerClient(url=url)
    assert client.is_model_ready(model, headers=dict(auth)), "model not ready"
    inputs = load_file(f"{folder}/inputs.safetensors")
    expected = load_file(f"{folder}/outputs.safetensors")
    metadata = client.get_model_metadata(model, headers=dict(auth))
    assert sorted(i["name"] for i in metadata["inputs"]) == sorted(inputs), metadata["inputs"]
    for binary in (True, False):
        request = []
        for name, value in inputs.items():
            tensor = httpclient.InferInput(name, list(value.shape), "FP32")
            tensor.set_data_from_numpy(value.astype(np.float32), binary_data=binary)
            request.append(tensor)
        outputs = [httpclient.InferRequestedOutput(name, binary_data=binary) for name in expected]
        result = client.infer(model, request, outputs=outputs, headers=dict(auth))
        for name, reference in expected.items():
            served = result.as_numpy(name)
            assert served.shape == reference.shape, f"{name}: shape {served.shape} vs {reference.shape}"
            assert np.allclose(served, reference, rtol=1e-5, atol=1e-6), f"{name} (binary={binary}): {served} vs {reference}"
    print("ok")


if __name__ == "__main__":
    main()

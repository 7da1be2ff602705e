"""Calls a Kouzi deployment with the stock tritonclient HTTP client (Open Inference Protocol, KServe V2).

Usage: python3 scripts/triton_client_check.py HOST:PORT TOKEN MODEL
The model is a classifier of the table x1 (number), x2 (number), shade (text) with classes a, b, c, as the
server tests train it. Exits non-zero with a message on the first answer that is not as expected.
"""
import sys

import numpy as np
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException


def main():
    url, token, model = sys.argv[1], sys.argv[2], sys.argv[3]
    headers = {"Authorization": f"Bearer {token}"}
    client = httpclient.InferenceServerClient(url=url)
    assert client.is_server_live(), "server not live"
    assert client.is_server_ready(), "server not ready"
    assert client.is_model_ready(model, headers=headers), "model not ready"
    metadata = client.get_model_metadata(model, headers=headers)
    names = [i["name"] for i in metadata["inputs"]]
    assert names == ["x1", "x2", "shade"], f"inputs {names}"
    assert {o["name"] for o in metadata["outputs"]} == {"probabilities", "label", "class_id"}, metadata["outputs"]

    x1 = httpclient.InferInput("x1", [3], "FP32")
    x1.set_data_from_numpy(np.array([0.1, 3.0, 0.0], dtype=np.float32), binary_data=False)
    x2 = httpclient.InferInput("x2", [3], "FP64")
    x2.set_data_from_numpy(np.array([0.0, 0.1, 3.1], dtype=np.float64), binary_data=False)
    shade = httpclient.InferInput("shade", [3], "BYTES")
    shade.set_data_from_numpy(np.array(["dark", "light", "dark"], dtype=np.object_), binary_data=False)
    outputs = [httpclient.InferRequestedOutput(name, binary_data=False) for name in ("label", "probabilities", "class_id")]
    result = client.infer(model, [x1, x2, shade], outputs=outputs, request_id="triton-1", headers=headers)
    labels = [v.decode() if isinstance(v, bytes) else v for v in result.as_numpy("label").tolist()]
    assert labels == ["a", "b", "c"], f"labels {labels}"
    probabilities = result.as_numpy("probabilities")
    assert probabilities.shape == (3, 3), probabilities.shape
    assert np.allclose(probabilities.sum(axis=1), 1, atol=1e-4), probabilities
    assert result.as_numpy("class_id").tolist() == [0, 1, 2], result.as_numpy("class_id")
    assert result.get_response()["id"] == "triton-1", result.get_response()

    # Errors come back as InferenceServerException with the server's message.
    bad = httpclient.InferInput("x1", [2], "FP32")
    bad.set_data_from_numpy(np.array([1.0, 2.0], dtype=np.float32), binary_data=False)
    try:
        client.infer(model, [bad, x2, shade], headers=headers)
        raise AssertionError("rows of different lengths were accepted")
    except InferenceServerException as error:
        assert "x" in str(error), str(error)
    try:
        client.get_model_metadata("no-such-model", headers=headers)
        raise AssertionError("an unknown model answered")
    except InferenceServerException as error:
        assert "not found" in str(error), str(error)
    print("tritonclient: live, ready, metadata, infer (FP32, FP64, BYTES), errors: ok")


if __name__ == "__main__":
    main()

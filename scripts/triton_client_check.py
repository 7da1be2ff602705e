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
    # The client adds Inference-Header-Content-Length to the headers dict of a binary request; a dict given again
    # would then declare a stale length on a later JSON request, so each call gets a copy.
    auth = {"Authorization": f"Bearer {token}"}
    client = httpclient.InferenceServerClient(url=url)
    assert client.is_server_live(), "server not live"
    assert client.is_server_ready(), "server not ready"
    assert client.is_model_ready(model, headers=dict(auth)), "model not ready"
    metadata = client.get_model_metadata(model, headers=dict(auth))
    names = [i["name"] for i in metadata["inputs"]]
    assert names == ["x1", "x2", "shade"], f"inputs {names}"
    assert {o["name"] for o in metadata["outputs"]} == {"probabilities", "label", "class_id"}, metadata["outputs"]

    def inputs(binary):
        x1 = httpclient.InferInput("x1", [3], "FP32")
        x1.set_data_from_numpy(np.array([0.1, 3.0, 0.0], dtype=np.float32), binary_data=binary)
        x2 = httpclient.InferInput("x2", [3], "FP64")
        x2.set_data_from_numpy(np.array([0.0, 0.1, 3.1], dtype=np.float64), binary_data=binary)
        shade = httpclient.InferInput("shade", [3], "BYTES")
        shade.set_data_from_numpy(np.array(["dark", "light", "dark"], dtype=np.object_), binary_data=binary)
        return [x1, x2, shade]

    def check(result, request_id):
        labels = [v.decode() if isinstance(v, bytes) else v for v in result.as_numpy("label").tolist()]
        assert labels == ["a", "b", "c"], f"labels {labels}"
        probabilities = result.as_numpy("probabilities")
        assert probabilities.shape == (3, 3), probabilities.shape
        assert np.allclose(probabilities.sum(axis=1), 1, atol=1e-4), probabilities
        assert result.as_numpy("class_id").tolist() == [0, 1, 2], result.as_numpy("class_id")
        assert result.get_response()["id"] == request_id, result.get_response()
        return probabilities

    names = ("label", "probabilities", "class_id")
    # JSON tensors both ways.
    as_json = [httpclient.InferRequestedOutput(name, binary_data=False) for name in names]
    json_result = client.infer(model, inputs(False), outputs=as_json, request_id="triton-1", headers=dict(auth))
    assert all("data" in o for o in json_result.get_response()["outputs"]), json_result.get_response()
    reference = check(json_result, "triton-1")
    # The client's defaults: binary tensors both ways (the binary tensor data extension).
    as_binary = [httpclient.InferRequestedOutput(name) for name in names]
    binary_result = client.infer(model, inputs(True), outputs=as_binary, request_id="triton-2", headers=dict(auth))
    assert all("binary_data_size" in o.get("parameters", {}) for o in binary_result.get_response()["outputs"]), \
        binary_result.get_response()
    assert np.array_equal(check(binary_result, "triton-2"), reference), "binary and JSON answers differ"
    # No outputs named: every output in binary (binary_data_output); binary inputs with JSON outputs also mix.
    check(client.infer(model, inputs(True), request_id="triton-3", headers=dict(auth)), "triton-3")
    check(client.infer(model, inputs(True), outputs=as_json, request_id="triton-4", headers=dict(auth)), "triton-4")
    assert "binary_tensor_data" in client.get_server_metadata()["extensions"]

    # Errors come back as InferenceServerException with the server's message.
    bad = httpclient.InferInput("x1", [2], "FP32")
    bad.set_data_from_numpy(np.array([1.0, 2.0], dtype=np.float32))
    try:
        client.infer(model, [bad] + inputs(True)[1:], headers=dict(auth))
        raise AssertionError("rows of different lengths were accepted")
    except InferenceServerException as error:
        assert "x" in str(error), str(error)
    try:
        client.get_model_metadata("no-such-model", headers=dict(auth))
        raise AssertionError("an unknown model answered")
    except InferenceServerException as error:
        assert "not found" in str(error), str(error)
    print("tritonclient: live, ready, metadata, infer (FP32, FP64, BYTES; JSON and binary tensors), errors: ok")


if __name__ == "__main__":
    main()

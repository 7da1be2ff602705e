"""Writes ONNX models the way other frameworks write them, for Kouzi's import tests.

Usage: python3 foreign_models.py OUTDIR

For each model a folder OUTDIR/NAME receives `model.onnx`, `inputs.safetensors` and `outputs.safetensors` (ONNX
Runtime's outputs on those inputs). Models built with the `onnx` helper API always; models exported by
`torch.onnx.export` when torch is installed. Prints the names written, one per line.
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import save_file

rng = np.random.default_rng(7)


def weight(*shape, scale=0.3):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def save(out, name, model, inputs):
    onnx.checker.check_model(model, full_check=True)
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "model.onnx")
    onnx.save(model, path)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    outputs = session.run(None, inputs)
    save_file({k: np.ascontiguousarray(v) for k, v in inputs.items()}, os.path.join(folder, "inputs.safetensors"))
    save_file({o.name: np.ascontiguousarray(v.astype(np.float32)) for o, v in zip(session.get_outputs(), outputs)},
              os.path.join(folder, "outputs.safetensors"))
    print(name)


def helper_mlp(out):
    """Gemm with transposed weights (PyTorch's Linear layout), Relu, Gemm, Softmax, opset 13."""
    inits = [numpy_helper.from_array(weight(16, 10), "w1"), numpy_helper.from_array(weight(16), "b1"),
             numpy_helper.from_array(weight(4, 16), "w2"), numpy_helper.from_array(weight(4), "b2")]
    nodes = [helper.make_node("Gemm", ["x", "w1", "b1"], ["h"], transB=1, name="fc1"),
             helper.make_node("Relu", ["h"], ["r"], name="relu"),
             helper.make_node("Gemm", ["r", "w2", "b2"], ["z"], transB=1, alpha=0.5, beta=2.0, name="fc2"),
             helper.make_node("Softmax", ["z"], ["probabilities"], axis=1, name="softmax")]
    graph = helper.make_graph(nodes, "mlp", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 10])],
                              [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 4])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    save(out, "helper_mlp", model, {"x": rng.standard_normal((5, 10)).astype(np.float32)})


def helper_cnn(out):
    """Channels-first convolutions with batch normalisation, pooling, a residual sum and a classifier, opset 17."""
    c = 6
    inits = [numpy_helper.from_array(weight(c, 3, 3, 3), "k1"), numpy_helper.from_array(weight(c), "c1"),
             numpy_helper.from_array((1 + weight(c, scale=0.1)), "gamma"), numpy_helper.from_array(weight(c), "beta"),
             numpy_helper.from_array(weight(c), "mean"), numpy_helper.from_array(np.abs(weight(c)) + 0.5, "var"),
             numpy_helper.from_array(weight(c, c, 3, 3), "k2"),
             numpy_helper.from_array(weight(c, 5), "w"), numpy_helper.from_array(weight(5), "b")]
    nodes = [helper.make_node("Conv", ["image", "k1", "c1"], ["a"], kernel_shape=[3, 3], pads=[1, 1, 1, 1], name="conv1"),
             helper.make_node("BatchNormalization", ["a", "gamma", "beta", "mean", "var"], ["bn"], epsilon=1e-3, name="bn"),
             helper.make_node("Relu", ["bn"], ["r"], name="relu1"),
             helper.make_node("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[2, 2], name="pool"),
             helper.make_node("Conv", ["p", "k2"], ["q"], kernel_shape=[3, 3], pads=[1, 1, 1, 1], name="conv2"),
             helper.make_node("Add", ["p", "q"], ["s"], name="residual"),
             helper.make_node("Relu", ["s"], ["t"], name="relu2"),
             helper.make_node("GlobalAveragePool", ["t"], ["g"], name="gap"),
             helper.make_node("Flatten", ["g"], ["f"], axis=1, name="flatten"),
             helper.make_node("MatMul", ["f", "w"], ["m"], name="fc"),
             helper.make_node("Add", ["m", "b"], ["logits"], name="fc_bias")]
    graph = helper.make_graph(nodes, "cnn", [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 3, 12, 12])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 5])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    save(out, "helper_cnn", model, {"image": rng.standard_normal((3, 3, 12, 12)).astype(np.float32)})


def helper_recurrent(out):
    """Batch-first sequences the way PyTorch writes them: Transpose to steps-first, LSTM, Squeeze of the last state,
    a classifier; and a bidirectional GRU whose steps are averaged. Opset 17."""
    steps, features, hidden = 5, 3, 4
    inits = [numpy_helper.from_array(weight(1, 4 * hidden, features), "W"), numpy_helper.from_array(weight(1, 4 * hidden, hidden), "R"),
             numpy_helper.from_array(weight(1, 8 * hidden), "B"), numpy_helper.from_array(np.array([0], dtype=np.int64), "axis0"),
             numpy_helper.from_array(weight(hidden, 2), "w"), numpy_helper.from_array(weight(2), "b")]
    nodes = [helper.make_node("Transpose", ["x"], ["xt"], perm=[1, 0, 2], name="steps_first"),
             helper.make_node("LSTM", ["xt", "W", "R", "B"], ["", "h"], hidden_size=hidden, name="lstm"),
             helper.make_node("Squeeze", ["h", "axis0"], ["last"], name="squeeze"),
             helper.make_node("Gemm", ["last", "w", "b"], ["y"], name="classifier")]
    graph = helper.make_graph(nodes, "lstm", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", steps, features])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 2])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    save(out, "helper_lstm", model, {"x": rng.standard_normal((3, steps, features)).astype(np.float32)})

    inits = [numpy_helper.from_array(weight(2, 3 * hidden, features), "W"), numpy_helper.from_array(weight(2, 3 * hidden, hidden), "R"),
             numpy_helper.from_array(weight(2, 6 * hidden), "B"),
             numpy_helper.from_array(np.array([0, 0, 2 * hidden], dtype=np.int64), "shape"),
             numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1")]
    nodes = [helper.make_node("Transpose", ["x"], ["xt"], perm=[1, 0, 2], name="steps_first"),
             helper.make_node("GRU", ["xt", "W", "R", "B"], ["y"], hidden_size=hidden, direction="bidirectional",
                              linear_before_reset=1, name="gru"),
             helper.make_node("Transpose", ["y"], ["yb"], perm=[2, 0, 1, 3], name="batch_first"),
             helper.make_node("Reshape", ["yb", "shape"], ["joined"], name="join_directions"),
             helper.make_node("ReduceMean", ["joined", "axis1"], ["mean"], keepdims=0, name="average_steps")]
    graph = helper.make_graph(nodes, "bigru", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", steps, features])],
                              [helper.make_tensor_value_info("mean", TensorProto.FLOAT, ["N", 2 * hidden])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    save(out, "helper_bigru", model, {"x": rng.standard_normal((3, steps, features)).astype(np.float32)})


def torch_models(out):
    try:
        import torch
        from torch import nn
    except ImportError:
        return
    torch.manual_seed(0)
    mlp = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Linear(16, 3)).eval()
    cnn = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(4, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 3)).eval()

    class LastStep(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(6, 5, batch_first=True)
            self.out = nn.Linear(5, 2)

        def forward(self, x):
            _, (h, _) = self.lstm(x)
            return self.out(h[0])

    for name, module, shape in [("torch_mlp", mlp, (4, 10)), ("torch_cnn", cnn, (2, 1, 10, 10)),
                                ("torch_lstm", LastStep().eval(), (3, 7, 6))]:
        x = torch.randn(*shape)
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        torch.onnx.export(module, (x,), os.path.join(folder, "model.onnx"), input_names=["x"], output_names=["y"],
                          dynamic_axes={"x": {0: "batch"}}, opset_version=17, dynamo=False)
        save(out, name, onnx.load(os.path.join(folder, "model.onnx")), {"x": x.numpy()})


if __name__ == "__main__":
    target = sys.argv[1]
    helper_mlp(target)
    helper_cnn(target)
    helper_recurrent(target)
    torch_models(target)

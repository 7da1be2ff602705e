#!/usr/bin/env python3
"""Writes PyTorch reference numbers that the Swift tests compare against.

Run from the repository root:  python3 scripts/make_fixtures.py   (needs `pip install torch`)
Output: Tests/KouziNNTests/Fixtures/*.json (committed).
"""
import json
import math
import os

import torch

torch.manual_seed(0)
OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "KouziNNTests", "Fixtures")


def values(shape, seed, scale=1.0):
    g = torch.Generator().manual_seed(seed)
    return (torch.rand(shape, generator=g) * 2 - 1) * scale


def optimizer_cases():
    cases = []
    configs = [
        ("sgd", {"lr": 0.1}),
        ("sgd", {"lr": 0.05, "weight_decay": 0.1}),
        ("sgd", {"lr": 0.1, "momentum": 0.9}),
        ("sgd", {"lr": 0.1, "momentum": 0.9, "dampening": 0.5}),
        ("sgd", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
        ("adam", {"lr": 0.01}),
        ("adam", {"lr": 0.003, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.1}),
        ("adamw", {"lr": 0.01}),
        ("adamw", {"lr": 0.01, "weight_decay": 0.2, "betas": (0.85, 0.995)}),
        ("rmsprop", {"lr": 0.01}),
        ("rmsprop", {"lr": 0.01, "alpha": 0.9, "momentum": 0.5, "centered": True, "weight_decay": 0.05}),
        ("adagrad", {"lr": 0.1}),
        ("adagrad", {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.1, "initial_accumulator_value": 0.1}),
    ]
    classes = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW,
               "rmsprop": torch.optim.RMSprop, "adagrad": torch.optim.Adagrad}
    for i, (name, kw) in enumerate(configs):
        init = values((3, 4), 100 + i)
        p = torch.nn.Parameter(init.clone())
        opt = classes[name]([p], **kw)
        grads, after = [], []
        for step in range(5):
            g = values((3, 4), 1000 + 10 * i + step, scale=0.5)
            p.grad = g.clone()
            opt.step()
            grads.append(g.flatten().tolist())
            after.append(p.detach().flatten().tolist())
        options = {k: (list(v) if isinstance(v, tuple) else (1.0 if v is True else v)) for k, v in kw.items()}
        cases.append({"optimizer": name, "options": options, "shape": [3, 4],
                      "initial": init.flatten().tolist(), "gradients": grads, "after": after})
    return cases


def clipping_case():
    a = torch.nn.Parameter(values((2, 3), 7))
    b = torch.nn.Parameter(values((4,), 8))
    ga, gb = values((2, 3), 9, 3.0), values((4,), 10, 3.0)
    a.grad, b.grad = ga.clone(), gb.clone()
    torch.nn.utils.clip_grad_norm_([a, b], max_norm=1.0)
    opt = torch.optim.SGD([a, b], lr=0.1)
    opt.step()
    return {"a": values((2, 3), 7).flatten().tolist(), "b": values((4,), 8).flatten().tolist(),
            "ga": ga.flatten().tolist(), "gb": gb.flatten().tolist(), "max_norm": 1.0, "lr": 0.1,
            "a_after": a.detach().flatten().tolist(), "b_after": b.detach().flatten().tolist()}


def schedule_cases():
    def run(make, epochs=12):
        p = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([p], lr=0.5)
        sched = make(opt)
        rates = []
        for _ in range(epochs):
            rates.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        return rates
    S = torch.optim.lr_scheduler
    return {
        "base": 0.5,
        "step": run(lambda o: S.StepLR(o, step_size=3, gamma=0.5)),
        "exponential": run(lambda o: S.ExponentialLR(o, gamma=0.9)),
        "cosine": run(lambda o: S.CosineAnnealingLR(o, T_max=8, eta_min=0.01)),
        "linear_warmup": run(lambda o: S.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=4)),
    }


def loss_cases():
    F = torch.nn.functional
    out = []

    def case(name, options, pred, target, fn, sparse=False):
        p = pred.clone().requires_grad_(True)
        loss = fn(p, target)
        loss.backward()
        out.append({"loss": name, "options": options, "pred_shape": list(pred.shape),
                    "pred": pred.flatten().tolist(), "target_shape": list(target.shape),
                    "target": target.flatten().tolist(), "sparse": sparse,
                    "value": loss.item(), "grad": p.grad.flatten().tolist()})

    x = values((4, 3), 1, 2.0)
    y = values((4, 3), 2, 2.0)
    case("mse", {}, x, y, F.mse_loss)
    case("mae", {}, x, y, F.l1_loss)
    case("huber", {"delta": 0.7}, x, y, lambda a, b: F.huber_loss(a, b, delta=0.7))
    probs = torch.sigmoid(values((6, 1), 3, 3.0))
    labels = (values((6, 1), 4) > 0).float()
    case("binary_crossentropy", {}, probs, labels, F.binary_cross_entropy)
    logits = values((6, 1), 5, 4.0)
    case("binary_crossentropy", {"from_logits": 1}, logits, labels, F.binary_cross_entropy_with_logits)
    z = values((5, 4), 6, 3.0)
    cls = torch.tensor([0, 3, 1, 1, 2])
    case("sparse_categorical_crossentropy", {"from_logits": 1}, z, cls, F.cross_entropy, sparse=True)
    sm = torch.softmax(z, dim=1)
    case("sparse_categorical_crossentropy", {}, sm, cls, lambda a, b: F.nll_loss(torch.log(a), b), sparse=True)
    onehot = F.one_hot(cls, 4).float()
    case("categorical_crossentropy", {"from_logits": 1}, z, onehot, lambda a, b: F.cross_entropy(a, b))
    case("categorical_crossentropy", {}, sm, onehot, lambda a, b: -(b * torch.log(a)).sum(1).mean())
    return out


def activation_cases():
    x = torch.linspace(-4, 4, 33)
    res = {"x": x.tolist()}
    for name, fn in [("relu", torch.relu), ("sigmoid", torch.sigmoid), ("tanh", torch.tanh),
                     ("leaky_relu", lambda t: torch.nn.functional.leaky_relu(t, 0.01)),
                     ("gelu", torch.nn.functional.gelu), ("softplus", torch.nn.functional.softplus)]:
        t = x.clone().requires_grad_(True)
        y = fn(t)
        y.sum().backward()
        res[name] = {"y": y.detach().tolist(), "grad": t.grad.tolist()}
    m = values((3, 5), 11, 3.0)
    res["softmax_in"] = m.flatten().tolist()
    res["softmax"] = torch.softmax(m, 1).flatten().tolist()
    res["log_softmax"] = torch.log_softmax(m, 1).flatten().tolist()
    return res


def main():
    os.makedirs(OUT, exist_ok=True)
    data = {
        "torch_version": torch.__version__,
        "optimizers": optimizer_cases(),
        "clip_grad_norm": clipping_case(),
        "schedules": schedule_cases(),
        "losses": loss_cases(),
        "activations": activation_cases(),
    }
    path = os.path.join(OUT, "torch_reference.json")
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
    print("wrote", os.path.relpath(path))


if __name__ == "__main__":
    main()

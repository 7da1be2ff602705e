"""The shap package's KernelExplainer on the twin of kouzi-bench's explanation workload: one row of a 30-64-2 network
(tanh, softmax; NumPy in float32) against 100 background rows, with the same budget of 2 * 30 + 2048 coalitions and
no feature selection (l1_reg=False), as Kouzi computes it."""
import warnings

import numpy as np
import shap

from .common import median_time

REFERENCE = "shap " + shap.__version__


def kernel_shap():
    rng = np.random.default_rng(5)
    w1 = rng.normal(0, 0.2, (30, 64)).astype(np.float32)
    b1 = np.zeros(64, np.float32)
    w2 = rng.normal(0, 0.2, (64, 2)).astype(np.float32)
    b2 = np.zeros(2, np.float32)

    def model(rows):
        h = np.tanh(rows.astype(np.float32) @ w1 + b1)
        z = h @ w2 + b2
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    background = rng.standard_normal((100, 30)).astype(np.float32)
    row = rng.standard_normal((1, 30)).astype(np.float32)
    explainer = shap.KernelExplainer(model, background)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return median_time(lambda: explainer.shap_values(row, nsamples=2 * 30 + 2048, l1_reg=False, silent=True),
                           warmup=1, min_runs=5)


WORKLOADS = {"kernel_shap_30f_bg100": kernel_shap}

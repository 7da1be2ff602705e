#!/usr/bin/env bash
# Installs what Kouzi needs on Debian 12, for one purpose:
#   bash scripts/setup.sh demo   building Kouzi and its demo: OpenBLAS, zlib and SQLite headers, and the
#                                Fashion-MNIST package the demo uploads — nothing else
#   bash scripts/setup.sh        the tests as well: PostgreSQL (the server tests start a real one), Chromium and
#                                its WebDriver (the console's browser test), and Python's safetensors (interop
#                                test), the mlflow and tritonclient clients, selenium and Schemathesis (the API
#                                fuzzing run), and onnx + onnxruntime (ONNX parity tests), when missing
# Safe to run repeatedly; does nothing when everything is present.
set -euo pipefail

purpose="${1:-test}"
packages=(libopenblas-dev zlib1g-dev libsqlite3-dev dataset-fashion-mnist)
[ "$purpose" = "demo" ] || packages+=(postgresql chromium chromium-driver)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "setup: not root and no sudo; install ${packages[*]} by hand" >&2
    fi
fi

missing=()
for pkg in "${packages[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ "$purpose" = "demo" ] && exit 0

if ! python3 -c "import safetensors.numpy" >/dev/null 2>&1; then
    echo "setup: installing Python packages safetensors, numpy"
    python3 -m pip install -q safetensors numpy || echo "setup: pip install failed; the Python interop test will skip" >&2
fi

if ! python3 -c "import mlflow" >/dev/null 2>&1; then
    echo "setup: installing Python package mlflow"
    python3 -m pip install -q mlflow || echo "setup: pip install mlflow failed; MLflowClientTests will fail (KOUZI_SKIP_MLFLOW=1 skips it)" >&2
fi

if ! python3 -c "import tritonclient.http" >/dev/null 2>&1; then
    echo "setup: installing Python package tritonclient[http]"
    python3 -m pip install -q "tritonclient[http]" || echo "setup: pip install tritonclient failed; TritonClientTests will fail (KOUZI_SKIP_TRITON=1 skips it)" >&2
fi

# The API fuzzing run is pinned to one Schemathesis: its generation (deterministic here) differs between releases.
if ! python3 -c "import schemathesis, sys; sys.exit(schemathesis.__version__ != '4.32.5')" >/dev/null 2>&1; then
    echo "setup: installing Python package schemathesis 4.32.5"
    python3 -m pip install -q "schemathesis==4.32.5" || echo "setup: pip install schemathesis failed; the API fuzzing phase of the tests will fail" >&2
fi

if ! python3 -c "import onnx, onnxruntime" >/dev/null 2>&1; then
    echo "setup: installing Python packages onnx, onnxruntime"
    python3 -m pip install -q onnx onnxruntime || echo "setup: pip install onnx onnxruntime failed; the ONNX parity tests will fail (KOUZI_SKIP_ONNX=1 skips them)" >&2
fi

if ! python3 -c "import selenium.webdriver" >/dev/null 2>&1; then
    echo "setup: installing Python package selenium"
    python3 -m pip install -q selenium || echo "setup: pip install selenium failed; the console test will fail (KOUZI_SKIP_CONSOLE=1 skips it)" >&2
fi

"""NumPy twins of the FFT workloads (np.fft on float32/complex64 input computes in single precision)."""
import numpy as np

from .common import median_time

REFERENCE = "numpy"


def rfft(rows, n):
    x = np.random.default_rng(1).standard_normal((rows, n)).astype(np.float32)
    return median_time(lambda: np.fft.rfft(x, axis=-1), warmup=10, min_runs=50)


def irfft(rows, n):
    pairs = np.random.default_rng(2).standard_normal((rows, n // 2 + 1, 2)).astype(np.float32)
    x = pairs[..., 0] + 1j * pairs[..., 1]
    x = x.astype(np.complex64)
    return median_time(lambda: np.fft.irfft(x, n=n, axis=-1), warmup=10, min_runs=50)


WORKLOADS = {
    "rfft_100x512": lambda: rfft(100, 512),
    "irfft_100x512": lambda: irfft(100, 512),
    "rfft_1x4096": lambda: rfft(1, 4096),
    "rfft_1x65536": lambda: rfft(1, 65536),
    "rfft_1x16000": lambda: rfft(1, 16000),
    "rfft_1x10007": lambda: rfft(1, 10007),
}

"""PyTorch twins of the recurrent workloads."""
import torch  # noqa: F401

from .common import median_time  # noqa: F401

WORKLOADS = {}

"""PyTorch twins of the transformer workloads."""
import torch

from .common import median_time


def transformer_train_step():
    torch.manual_seed(1)
    layer = torch.nn.TransformerEncoderLayer(64, 4, dim_feedforward=128, dropout=0.1, batch_first=True)
    encoder = torch.nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
    head = torch.nn.Linear(64, 2)
    params = list(encoder.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    x = torch.randn(32, 64, 64)
    y = torch.arange(32) % 2
    loss_fn = torch.nn.CrossEntropyLoss()
    encoder.train()

    def step():
        opt.zero_grad()
        loss = loss_fn(head(encoder(x).mean(dim=1)), y)
        loss.backward()
        opt.step()
    return median_time(step, warmup=5, min_runs=30)


WORKLOADS = {"transformer_train_step_b32": transformer_train_step}

"""PyTorch twins of the MLP and GEMM workloads."""
import torch

from .common import median_time
def mlp():
    torch.manual_seed(1)
    return torch.nn.Sequential(
        torch.nn.Linear(784, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 10))


def gemm(n):
    a, b = torch.randn(n, n), torch.randn(n, n)
    return median_time(lambda: torch.mm(a, b), warmup=3, min_runs=10)


def mlp_train_step(batch):
    model = mlp()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(batch, 784)
    y = torch.arange(batch) % 10
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    return median_time(step, warmup=20, min_runs=200)


def mlp_infer(batch):
    model = mlp().eval()
    x = torch.rand(batch, 784)

    def infer():
        with torch.inference_mode():
            torch.softmax(model(x), dim=1)
    return median_time(infer, warmup=50, min_runs=2000 if batch == 1 else 200)


WORKLOADS = {
    "gemm_tensor_1024": lambda: gemm(1024),
    "mlp_train_step_b64": lambda: mlp_train_step(64),
    "mlp_infer_b1": lambda: mlp_infer(1),
    "mlp_infer_b256": lambda: mlp_infer(256),
}



"""PyTorch twins of the convolution workloads (NCHW, as PyTorch stores images)."""
import torch

from .common import median_time


def cnn():
    torch.manual_seed(1)
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(32, 64, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(64 * 5 * 5, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, 10))


def cnn_train_step(batch):
    model = cnn()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(batch, 1, 28, 28)
    y = torch.arange(batch) % 10
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    return median_time(step, warmup=10, min_runs=50)


def cnn_infer(batch):
    model = cnn().eval()
    x = torch.rand(batch, 1, 28, 28)

    def infer():
        with torch.inference_mode():
            torch.softmax(model(x), dim=1)
    return median_time(infer, warmup=10, min_runs=100)


WORKLOADS = {
    "cnn_train_step_b32": lambda: cnn_train_step(32),
    "cnn_infer_b32": lambda: cnn_infer(32),
}

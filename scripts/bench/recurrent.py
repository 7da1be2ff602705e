"""PyTorch twins of the recurrent workloads."""
import torch

from .common import median_time


class LSTMClassifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(10000, 64)
        self.lstm = torch.nn.LSTM(64, 64, batch_first=True)
        self.dense = torch.nn.Linear(64, 2)

    def forward(self, x):
        _, (h, _) = self.lstm(self.embedding(x))
        return self.dense(h[0])


def lstm_train_step(batch, steps):
    torch.manual_seed(1)
    model = LSTMClassifier()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randint(0, 10000, (batch, steps))
    y = torch.arange(batch) % 2
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    return median_time(step, warmup=10, min_runs=50)


WORKLOADS = {
    "lstm_train_step_b32": lambda: lstm_train_step(32, 100),
}

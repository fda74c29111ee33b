"""One PyTorch training step (Adam, cross-entropy, batch 128) of the selfkd models, timed.

Usage: /usr/bin/python3 torch_step.py MODEL THREADS WARMUP STEPS
Prints one JSON object: {"times": [ms per step...], "threads": n, "torch": version}.
The architectures mirror @selfkd/models (packages/models/src/architectures): the same layers,
widths, strides and paddings, in NCHW as PyTorch prefers.
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(7 * 7 * 64, 128), nn.ReLU(), nn.Linear(128, 10),
    )


class BasicBlock(nn.Module):
    def __init__(self, inputs, filters, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inputs, filters, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(filters)
        self.conv2 = nn.Conv2d(filters, filters, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(filters)
        projects = stride != 1 or inputs != filters
        self.shortcut = nn.Sequential(nn.Conv2d(inputs, filters, 1, stride, bias=False), nn.BatchNorm2d(filters)) if projects else nn.Identity()

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + self.shortcut(x))


class ResNet18(nn.Module):
    """CIFAR ResNet-18: 3×3 stem at stride 1, no max-pool, 4 stages × 2 blocks, global average pool."""

    def __init__(self, width):
        super().__init__()
        base = round(64 * width)
        self.stem = nn.Sequential(nn.Conv2d(3, base, 3, 1, 1, bias=False), nn.BatchNorm2d(base), nn.ReLU())
        blocks, inputs = [], base
        for stage, stride in enumerate([1, 2, 2, 2]):
            filters = base * 2**stage
            blocks += [BasicBlock(inputs, filters, stride), BasicBlock(filters, filters, 1)]
            inputs = filters
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(inputs, 10)

    def forward(self, x):
        return self.head(F.adaptive_avg_pool2d(self.blocks(self.stem(x)), 1).flatten(1))


MODELS = {
    "mlp": (mlp, (1, 28, 28)),
    "cnn": (cnn, (1, 28, 28)),
    "resnet18": (lambda: ResNet18(0.25), (3, 32, 32)),
    "resnet18-full": (lambda: ResNet18(1), (3, 32, 32)),
}


def main():
    name, threads, warmup, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    if threads > 0:
        torch.set_num_threads(threads)
    torch.manual_seed(0)
    build, shape = MODELS[name]
    model = build()
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(128, *shape)
    y = torch.arange(128) % 10

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    for _ in range(warmup):
        step()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"times": times, "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()

"""The step a regularizer with branches sees, in PyTorch: taps (NHWC feature maps or vectors),
penultimate features f and a linear head z = f @ W + b, and one branch per tap: a 1x1 convolution
(a matmul over the channel axis) with bias and ReLU, a global average pool, a linear classifier.
Every tensor arrives as {"shape", "values"}; gradients go back flat."""
import torch
import torch.nn.functional as F
from io_helpers import tensor


def flat_tensor(t, grad=True):
    return tensor(t["values"], grad=grad).reshape(t["shape"]).detach().requires_grad_(grad)


def distill_kl(y_s, y_t, t):
    """Self-KD-Lib's DistillKL: T^2 * KL(softmax(y_t/T) || softmax(y_s/T)), batchmean."""
    return F.kl_div(F.log_softmax(y_s / t, dim=1), F.softmax(y_t / t, dim=1), reduction="batchmean") * t * t


def step_inputs(case):
    """The case's leaf tensors by the names the TypeScript side uses for its gradients."""
    leaves = {f"tap:{name}": flat_tensor(t) for name, t in case["taps"].items()}
    leaves["features"] = flat_tensor(case["features"])
    leaves["headKernel"] = flat_tensor(case["headKernel"])
    leaves["headBias"] = flat_tensor(case["headBias"])
    for i, weights in enumerate(case["branches"]):
        for j, w in enumerate(weights):
            leaves[f"branch{i}.{j}"] = flat_tensor(w)
    return leaves


def branch(tap, bottleneck_w, bottleneck_b, classifier_w, classifier_b):
    """(pooled features, logits) of one branch."""
    projected = F.relu(tap @ bottleneck_w + bottleneck_b)
    pooled = projected.mean(dim=(1, 2)) if projected.dim() == 4 else projected
    return pooled, pooled @ classifier_w + classifier_b


def branches(case, leaves):
    return [branch(leaves[f"tap:{name}"], *(leaves[f"branch{i}.{j}"] for j in range(4))) for i, name in enumerate(case["tapOrder"])]


def gradients(total, leaves):
    grads = torch.autograd.grad(total, list(leaves.values()), allow_unused=True)
    return {name: (torch.zeros_like(x) if g is None else g).reshape(-1).tolist() for (name, x), g in zip(leaves.items(), grads)}

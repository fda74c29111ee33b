"""BYOT as Self-KD-Lib's methods/byot.py computes it (with DistillKL from its utils.py): CE on every
exit, DistillKL(shallow exit, deepest exit detached) for each shallow exit, and
0.5 * 0.1 * mean((shallow feature - deepest feature detached)^2) for each shallow exit (the hint
weight is the case's). Here the deepest exit is the model's own logits z = f @ W + b and its
feature is f; the shallow exits are the branches on the taps. The deepest CE is the task loss."""
import torch
import torch.nn.functional as F
from io_helpers import serve
from tap_branches import branches, distill_kl, gradients, step_inputs


def compute(case):
    leaves = step_inputs(case)
    features = leaves["features"]
    logits = features @ leaves["headKernel"] + leaves["headBias"]
    targets = torch.tensor(case["labels"], dtype=torch.long)
    term = 0.0
    for pooled, branch_logits in branches(case, leaves):
        term = term + F.cross_entropy(branch_logits, targets)
        term = term + distill_kl(branch_logits, logits.detach(), case["temperature"])
        term = term + case["hintWeight"] * ((pooled - features.detach()) ** 2).mean()
    total = F.cross_entropy(logits, targets) + case["weight"] * term
    return {"term": term.item(), "total": total.item(), "grads": gradients(total, leaves)}


serve(compute)

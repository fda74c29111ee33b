"""DKS as Self-KD-Lib's methods/dks.py computes it (with DistillKL from its utils.py): over the
exits [deepest, branch 1, ...], CE on every exit, and DistillKL(exit, other exit detached) for every
ordered pair of distinct exits. Here the deepest exit is the model's own logits z = f @ W + b (its
CE is the task loss) and the other exits are the branches on the taps."""
import torch
import torch.nn.functional as F
from io_helpers import serve
from tap_branches import branches, distill_kl, gradients, step_inputs


def compute(case):
    leaves = step_inputs(case)
    logits = leaves["features"] @ leaves["headKernel"] + leaves["headBias"]
    targets = torch.tensor(case["labels"], dtype=torch.long)
    outputs = [logits] + [branch_logits for _, branch_logits in branches(case, leaves)]
    term = 0.0
    for j, output in enumerate(outputs):
        if j != 0:
            term = term + F.cross_entropy(output, targets)
        for k, counterpart in enumerate(outputs):
            if k != j:
                term = term + distill_kl(output, counterpart.detach(), case["temperature"])
    total = F.cross_entropy(logits, targets) + case["weight"] * term
    return {"term": term.item(), "total": total.item(), "grads": gradients(total, leaves)}


serve(compute)

"""DDGSD as Self-KD-Lib's methods/ddsgd.py computes it on one forward pass over both views (rows
[0, B) one view, [B, 2B) the other): CE(logit, cat(y, y)) / 2 + DistillKL(v1, v2.detach())
+ DistillKL(v2, v1.detach()) + 5e-4 * (mean(f1) - mean(f2))^2, DistillKL = T^2 * KL batchmean.
The logits are a linear head on the features, so the gradient reaches features, weights and bias."""
import torch
import torch.nn.functional as F
from io_helpers import grad_of, serve, tensor, values


def distill_kl(y_s, y_t, t):
    return F.kl_div(F.log_softmax(y_s / t, dim=1), F.softmax(y_t / t, dim=1), reduction="batchmean") * t * t


def compute(case):
    features = tensor(case["features"], grad=True)
    weight = tensor(case["weight"], grad=True)
    bias = tensor(case["bias"], grad=True)
    targets = torch.tensor(case["labels"], dtype=torch.long)
    t = case["temperature"]
    logit = features @ weight + bias
    b = logit.size(0) // 2
    loss_cls = F.cross_entropy(logit, torch.cat([targets, targets], dim=0)) / 2
    loss_div = distill_kl(logit[:b], logit[b:].detach(), t) + distill_kl(logit[b:], logit[:b].detach(), t)
    loss_div = loss_div + case["mmdWeight"] * (features[:b].mean() - features[b:].mean()) ** 2
    total = loss_cls + loss_div
    g_f, g_w, g_b = grad_of(total, [features, weight, bias])
    return {"div": values(loss_div), "total": values(total), "features": g_f, "weight": g_w, "bias": g_b}


serve(compute)

"""Tf-KD-reg as the authors' loss_kd_regularization (yuanli2333/Teacher-free-Knowledge-Distillation,
my_loss_function.py) computes it: (1 - alpha) * CE + alpha * multiplier * KLDivLoss()(log_softmax(z),
softmax(teacher / T)), where KLDivLoss's default reduction averages over all B*K entries."""
import torch
import torch.nn.functional as F
from io_helpers import grad_of, serve, tensor, values


def compute(case):
    logits = tensor(case["logits"], grad=True)
    labels = torch.tensor(case["labels"], dtype=torch.long)
    alpha, t, correct_prob = case["alpha"], case["temperature"], case["correctProb"]
    k = logits.size(1)
    teacher = torch.full_like(logits, (1 - correct_prob) / (k - 1)).detach()
    teacher[torch.arange(logits.size(0)), labels] = correct_prob
    ce = F.cross_entropy(logits, labels)
    regu = F.kl_div(F.log_softmax(logits, dim=1), F.softmax(teacher / t, dim=1), reduction="mean") * case["multiplier"]
    total = (1.0 - alpha) * ce + alpha * regu
    (g_logits,) = grad_of(total, [logits])
    return {"total": values(total), "term": values(regu), "logits": g_logits}


serve(compute)

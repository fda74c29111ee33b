"""Tf-KD-self as the authors' loss_fn_kd (yuanli2333/Teacher-free-Knowledge-Distillation,
my_loss_function.py) computes it: KLDivLoss()(log_softmax(z / T), softmax(t / T)) * (alpha * T * T)
+ CE(z) * (1 - alpha), with the teacher's logits t constants and KLDivLoss's default reduction
averaging over all B*K entries."""
import torch
import torch.nn.functional as F
from io_helpers import grad_of, serve, tensor, values


def compute(case):
    logits = tensor(case["logits"], grad=True)
    teacher = tensor(case["teacherLogits"])
    labels = torch.tensor(case["labels"], dtype=torch.long)
    alpha, t = case["alpha"], case["temperature"]
    kd = F.kl_div(F.log_softmax(logits / t, dim=1), F.softmax(teacher / t, dim=1), reduction="mean") * t * t
    total = kd * alpha + F.cross_entropy(logits, labels) * (1.0 - alpha)
    (g_logits,) = grad_of(total, [logits])
    return {"total": values(total), "term": values(kd), "logits": g_logits}


serve(compute)

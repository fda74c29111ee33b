"""PS-KD: alpha_t, the soft targets, and the task loss against them with its gradient w.r.t. the logits."""
from io_helpers import grad_of, serve, tensor, values
from kd_reference import ps_kd_alpha, ps_kd_targets, soft_target_cross_entropy


def compute(case):
    alpha = ps_kd_alpha(case["alphaT"], case["epoch"], case["totalEpochs"])
    targets = ps_kd_targets(tensor(case["oneHot"]), tensor(case["memory"]), alpha)
    logits = tensor(case["logits"], grad=True)
    loss = soft_target_cross_entropy(logits, targets)
    (g_logits,) = grad_of(loss, [logits])
    return {"alpha": alpha, "targets": values(targets), "loss": values(loss), "logits": g_logits}


serve(compute)

"""One training-step loss of a config that combines the methods, as the papers' code would add them up.

Target transforms in order from onehot(y) (label smoothing, PS-KD), task loss = soft-target CE of the
clean logits z = f @ W + b, plus weighted CS-KD (pair logits given, detached) and SD-Dropout (masks given)
terms. Returns every term and the gradients of the total w.r.t. the features and the head.
"""
from io_helpers import grad_of, serve, tensor, values
from kd_reference import cs_kd_loss, ps_kd_alpha, ps_kd_targets, sd_dropout_loss, soft_target_cross_entropy


def compute(case):
    features = tensor(case["features"], grad=True)
    weight = tensor(case["weight"], grad=True)
    bias = tensor(case["bias"], grad=True)
    logits = features @ weight + bias
    target = tensor(case["oneHot"])
    num_classes = target.shape[1]
    terms = {}
    for step in case["steps"]:
        kind = step["type"]
        if kind == "label-smoothing":
            target = (1 - step["epsilon"]) * target + step["epsilon"] / num_classes
        elif kind == "ps-kd":
            alpha = ps_kd_alpha(step["alphaT"], case["epoch"], case["totalEpochs"])
            target = ps_kd_targets(target, tensor(step["memory"]), alpha)
        elif kind == "cs-kd":
            terms[kind] = (step["weight"], cs_kd_loss(logits, tensor(step["pairLogits"]), step["temperature"]))
        elif kind == "sd-dropout":
            masks = [tensor(m) for m in step["masks"]]
            loss = sd_dropout_loss(features, weight, bias, masks, step["temperature"], step["direction"], step["detach"])
            terms[kind] = (step["weight"], loss)
        else:
            raise ValueError(f"unknown step type {kind!r}")
    task = soft_target_cross_entropy(logits, target)
    total = task + sum(w * term for w, term in terms.values())
    g_features, g_weight, g_bias = grad_of(total, [features, weight, bias])
    return {
        "total": values(total),
        "terms": {"task": values(task), **{name: values(term) for name, (_, term) in terms.items()}},
        "features": g_features,
        "weight": g_weight,
        "bias": g_bias,
    }


serve(compute)

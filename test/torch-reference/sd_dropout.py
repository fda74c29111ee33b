"""SD-Dropout loss and its gradients w.r.t. the features, the head weight and the head bias."""
from io_helpers import grad_of, serve, tensor, values
from kd_reference import sd_dropout_loss


def compute(case):
    features = tensor(case["features"], grad=True)
    weight = tensor(case["weight"], grad=True)
    bias = tensor(case["bias"], grad=True)
    masks = [tensor(m) for m in case["masks"]]
    loss = sd_dropout_loss(features, weight, bias, masks, case["temperature"], case["direction"], case["detach"])
    g_features, g_weight, g_bias = grad_of(loss, [features, weight, bias])
    return {"loss": values(loss), "features": g_features, "weight": g_weight, "bias": g_bias}


serve(compute)

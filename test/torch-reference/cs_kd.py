"""CS-KD loss and its gradients w.r.t. the anchor logits and the (detached) pair logits."""
from io_helpers import grad_of, serve, tensor, values
from kd_reference import cs_kd_loss


def compute(case):
    anchor = tensor(case["anchor"], grad=True)
    pair = tensor(case["pair"], grad=True)
    loss = cs_kd_loss(anchor, pair, case["temperature"])
    g_anchor, g_pair = grad_of(loss, [anchor, pair])
    return {"loss": values(loss), "anchor": g_anchor, "pair": g_pair}


serve(compute)

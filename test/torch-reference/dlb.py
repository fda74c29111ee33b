"""DLB's step as Meta-knowledge-Lab/DLB dlb.py computes it, given this step's logits of the repeated
samples (out_pre), of the new samples (out) and the last step's logits of the repeated ones (pre_out):
CE(cat(out_pre, out), cat(pre_label, label)) + alpha * KL_batchmean(log_softmax(out_pre/T), softmax(pre_out.detach()/T)) * T^2."""
import torch
import torch.nn.functional as F
from io_helpers import grad_of, serve, tensor, values


def compute(case):
    out_pre = tensor(case["repeated"], grad=True)
    out = tensor(case["fresh"], grad=True)
    pre_out = tensor(case["last"], grad=True)
    labels = torch.tensor(case["repeatedLabels"] + case["freshLabels"], dtype=torch.long)
    t = case["temperature"]
    ce = F.cross_entropy(torch.cat((out_pre, out), dim=0), labels)
    dml = F.kl_div(F.log_softmax(out_pre / t, dim=1), F.softmax(pre_out.detach() / t, dim=1), reduction="batchmean") * t * t
    total = ce + case["alpha"] * dml
    g_pre, g_out, g_last = grad_of(total, [out_pre, out, pre_out])
    return {"dml": values(dml), "total": values(total), "repeated": g_pre, "fresh": g_out, "last": g_last}


serve(compute)

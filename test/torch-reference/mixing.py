"""Mixup and CutMix as Self-KD-Lib's methods/mixup.py and methods/cutmix.py write them, with the
random draws (lambda, box centre, permutation) given, on a linear classifier over the flattened
images: loss = CE(z, y_a) * lam + CE(z, y_b) * (1 - lam), and its gradients w.r.t. images and weights.

Images arrive NHWC (as tfjs holds them) and are mixed in NCHW, indexed exactly as the reference does
(its `W = size[2]` is the image height and `H = size[3]` the width).
"""
import math

import torch
import torch.nn.functional as F
from io_helpers import grad_of, serve, tensor, values


def rand_bbox(size, lam, cx, cy):
    W = size[2]
    H = size[3]
    cut_rat = math.sqrt(1.0 - lam)
    cut_w = int(W * cut_rat)
    cut_h = int(H * cut_rat)
    clip = lambda v, hi: min(max(v, 0), hi)
    return clip(cx - cut_w // 2, W), clip(cy - cut_h // 2, H), clip(cx + cut_w // 2, W), clip(cy + cut_h // 2, H)


def compute(case):
    x_nhwc = tensor(case["x"], grad=True)
    weight = tensor(case["weight"], grad=True)
    y = torch.tensor(case["labels"], dtype=torch.long)
    index = torch.tensor(case["partners"], dtype=torch.long)
    x = x_nhwc.permute(0, 3, 1, 2)
    lam = case["lambda"]
    result = {}
    if case["method"] == "mixup":
        mixed = lam * x + (1 - lam) * x[index, :]
    else:
        bbx1, bby1, bbx2, bby2 = rand_bbox(x.size(), lam, case["centerRow"], case["centerCol"])
        mixed = x.clone()
        mixed[:, :, bbx1:bbx2, bby1:bby2] = x[index, :, bbx1:bbx2, bby1:bby2]
        lam = 1 - ((bbx2 - bbx1) * (bby2 - bby1) / (x.size()[-1] * x.size()[-2]))
        result["box"] = {"top": bbx1, "bottom": bbx2, "left": bby1, "right": bby2}
    logit = mixed.permute(0, 2, 3, 1).reshape(x.size(0), -1) @ weight
    loss = F.cross_entropy(logit, y) * lam + F.cross_entropy(logit, y[index]) * (1.0 - lam)
    g_x, g_w = grad_of(loss, [x_nhwc, weight])
    result.update({"loss": values(loss), "lambda": lam, "mixed": values(mixed.permute(0, 2, 3, 1)), "x": g_x, "weight": g_w})
    return result


serve(compute)

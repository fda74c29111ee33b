"""FRSKD's loss besides the model's own CE, as the authors' code computes it (MingiJi/FRSKD,
classification/: models/bifpnc.py BiFPNc with one BiFPN_layer and preact=False, models/utils.py
DepthConvBlock and MaxPool2dStaticSamePadding, distill_loss/AT.py Attention, distill_loss/KD.py
DistillKL, utils.py train): CE(bifpn logits) + alpha * DistillKL(z, bifpn logits)
+ beta * sum(at_loss(model feature, bifpn feature.detach())).

The self-teacher is rebuilt here as torch modules whose state_dict keys are the names the TypeScript
side gives its variables; weights arrive channels-last and are permuted to PyTorch's layouts."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from io_helpers import serve, tensor, values


class SamePool(nn.Module):
    def forward(self, x):
        h, w = x.shape[-2:]
        extra_h = (math.ceil(w / 2) - 1) * 2 - w + 3
        extra_v = (math.ceil(h / 2) - 1) * 2 - h + 3
        x = F.pad(x, [extra_h // 2, extra_h - extra_h // 2, extra_v // 2, extra_v - extra_v // 2])
        return F.max_pool2d(x, 3, 2)


class Block(nn.Module):
    def __init__(self, cin, cout, kernel, depth):
        super().__init__()
        if kernel == 1:
            stages = [nn.Sequential(nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())]
        else:
            stages = [nn.Sequential(nn.Conv2d(cin, cin, 3, padding=1, bias=False, groups=cin), nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout))]
            for _ in range(depth - 1):
                stages.append(nn.Sequential(nn.ReLU(), nn.Conv2d(cout, cout, 3, padding=1, bias=False, groups=cout), nn.Conv2d(cout, cout, 1, bias=False), nn.BatchNorm2d(cout)))
        self.conv = nn.Sequential(*stages)

    def forward(self, x):
        return self.conv(x)


class SelfTeacher(nn.Module):
    def __init__(self, channels, num_classes, width, depth):
        super().__init__()
        n = len(channels)
        self.lat_conv = nn.ModuleList([Block(c, c * width, 1, depth) for c in channels])
        self.lat_conv2 = nn.ModuleList([Block(channels[i], channels[i] * width, 1, depth) for i in range(1, n)])
        self.down_conv = nn.ModuleList([Block(channels[i] * width, channels[i] * width, 3, depth) for i in range(1, n)])
        self.down_weight = nn.ParameterList([nn.Parameter(torch.ones(3 if i < n - 1 else 2)) for i in range(1, n)])
        self.down_sample = nn.ModuleList([nn.Sequential(SamePool(), Block(channels[i - 1] * width, channels[i] * width, 1, 1)) for i in range(1, n)])
        self.up_sample = nn.ModuleList([nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), Block(channels[i + 1] * width, channels[i] * width, 1, 1)) for i in range(n - 1)])
        self.up_conv = nn.ModuleList([Block(channels[i] * width, channels[i] * width, 3, depth) for i in range(n - 1)])
        self.up_weight = nn.ParameterList([nn.Parameter(torch.ones(2)) for _ in range(n - 1)])
        self.fc = nn.Linear(channels[-1] * width, num_classes)

    def forward(self, feats):
        eps = 1e-6
        trans = [self.lat_conv2[i - 1](F.relu(feats[i])) for i in range(1, len(feats))]
        inputs = [self.lat_conv[i](F.relu(f)) for i, f in enumerate(feats)]
        up = [inputs[-1]]
        for i in range(1, len(inputs)):
            w = F.relu(self.up_weight[-i])
            w = w / (w.sum() + eps)
            up.insert(0, self.up_conv[-i](w[0] * F.relu(inputs[-i - 1]) + w[1] * self.up_sample[-i](F.relu(up[0]))))
        out = [up[0]]
        for i in range(1, len(inputs)):
            w = F.relu(self.down_weight[i - 1])
            w = w / (w.sum() + eps)
            fused = w[0] * F.relu(trans[i - 1])
            if i < len(inputs) - 1:
                fused = fused + w[1] * F.relu(up[i]) + w[2] * self.down_sample[i - 1](F.relu(out[-1]))
            else:
                fused = fused + w[1] * self.down_sample[i - 1](F.relu(out[-1]))
            out.append(self.down_conv[i - 1](fused))
        out = [F.relu(f) for f in out]
        logits = self.fc(F.adaptive_avg_pool2d(F.relu(out[-1]), (1, 1)).flatten(1))
        return out, logits


def at(f):
    return F.normalize(f.pow(2).mean(1).view(f.size(0), -1))


def compute(case):
    feats = [tensor(f, grad=True) for f in case["features"]]  # NHWC
    logits = tensor(case["logits"], grad=True)
    labels = torch.tensor(case["labels"], dtype=torch.long)
    nchw = [f.permute(0, 3, 1, 2) for f in feats]
    model = SelfTeacher([f.shape[1] for f in nchw], logits.shape[1], case["width"], case["depth"]).double()
    params = dict(model.named_parameters())
    assert sorted(params) == sorted(case["names"]), (sorted(params), sorted(case["names"]))
    with torch.no_grad():
        for name, value, shape in zip(case["names"], case["values"], case["shapes"]):
            t = torch.tensor(value, dtype=torch.float64).reshape(shape)
            if len(shape) == 4:  # every 3x3 kernel is depthwise [3, 3, C, 1], every 1x1 pointwise [1, 1, in, out]
                t = t.permute(2, 3, 0, 1) if shape[0] == 3 else t.permute(3, 2, 0, 1)
            elif name == "fc.weight":
                t = t.t()
            params[name].copy_(t)
    model.train()
    bi_feats, bi_logits = model(nchw)
    T = case["temperature"]
    kd = F.kl_div(F.log_softmax(logits / T, dim=1), F.softmax(bi_logits / T, dim=1).detach(), reduction="sum") * T ** 2 / logits.shape[0]
    att = sum((at(s) - at(t.detach())).pow(2).mean() for s, t in zip(nchw, bi_feats))
    term = F.cross_entropy(bi_logits, labels) + case["alpha"] * kd + case["beta"] * att
    ordered = [params[name] for name in case["names"]]
    grads = torch.autograd.grad(term, [logits, *feats, *ordered])
    param_grads = []
    for name, g in zip(case["names"], grads[1 + len(feats):]):
        if g.dim() == 4:
            g = g.permute(2, 3, 0, 1) if g.shape[2] == 3 else g.permute(2, 3, 1, 0)
        elif name == "fc.weight":
            g = g.t()
        param_grads.append(values(g.reshape(-1)))
    return {
        "term": values(term),
        "teacherLogits": values(bi_logits),
        "logits": values(grads[0]),
        "features": [values(g) for g in grads[1:1 + len(feats)]],
        "params": param_grads,
    }


serve(compute)

"""PyTorch (float64) reference for @selfkd/models, written from the architecture descriptions.

Reads JSON from stdin: {"cases": [{"kind", "options", "weights": {layer: [{"shape", "data"}]},
"x": {"shape", "data"} (NHWC), "labels": [..]}]}; weights are in tfjs layout and order (conv kernel
[kh, kw, in, out], dense kernel [in, out], BatchNorm [gamma, beta, moving_mean, moving_variance]).
For each case writes: eval-mode logits; train-mode features and logits; the gradient of the mean
cross-entropy of the train-mode logits for every trainable weight (tfjs layout and order); and,
per BatchNorm, the running statistics after that one train-mode pass with torch momentum 0.1.
`running_var` follows tfjs/Keras, which averages in the biased batch variance (PyTorch would use
the unbiased one); `running_mean` is PyTorch's own update.
"""
import json
import sys

import torch
import torch.nn.functional as F

BN_MOMENTUM = 0.1
BN_EPS = 1e-5


def tensor(entry, grad):
    t = torch.tensor(entry["data"], dtype=torch.float64).reshape(entry["shape"])
    return t.requires_grad_(grad)


class Net:
    def __init__(self, weights, training):
        self.training = training
        self.params = {}
        self.running = {}
        for name, entries in weights.items():
            is_bn = len(entries) == 4
            # gamma and beta train; moving mean and variance do not.
            self.params[name] = [tensor(e, grad=not (is_bn and i >= 2)) for i, e in enumerate(entries)]

    def conv(self, x, name, stride):
        kernel, *bias = self.params[name]
        kh = kernel.shape[0]
        # padding=(k-1)/2 on every side, PyTorch's convention for the CIFAR ResNet.
        return F.conv2d(x, kernel.permute(3, 2, 0, 1), bias[0] if bias else None, stride=stride, padding=(kh - 1) // 2)

    def bn(self, x, name):
        gamma, beta, mean, var = self.params[name]
        running_mean, running_var = mean.detach().clone(), var.detach().clone()
        y = F.batch_norm(x, running_mean, running_var, gamma, beta, training=self.training, momentum=BN_MOMENTUM, eps=BN_EPS)
        if self.training:
            biased = x.detach().var(dim=(0, 2, 3), unbiased=False)
            keras_var = (1 - BN_MOMENTUM) * var.detach() + BN_MOMENTUM * biased
            self.running[name] = {"running_mean": running_mean.tolist(), "running_var": keras_var.tolist()}
        return y

    def dense(self, x, name):
        kernel, bias = self.params[name]
        return x @ kernel + bias


def flatten_channels_last(x_nchw):
    # tfjs is channels-last, so its Flatten orders the features (h, w, c).
    return x_nchw.permute(0, 2, 3, 1).flatten(1)


def mlp_features(net, x_nhwc, options):
    h = x_nhwc.flatten(1)
    hidden = options["hidden"]
    for i in range(len(hidden)):
        h = F.relu(net.dense(h, "features" if i == len(hidden) - 1 else f"hidden{i + 1}"))
    return h


def cnn_features(net, x_nhwc, options):
    h = x_nhwc.permute(0, 3, 1, 2)
    for i in range(len(options["channels"])):
        name = f"conv{i + 1}"
        h = net.conv(h, name, 1)
        if options["batchNorm"]:
            h = net.bn(h, f"{name}_bn")
        h = F.max_pool2d(F.relu(h), 2)
    return F.relu(net.dense(flatten_channels_last(h), "features"))


def basic_block(net, x, name, stride):
    out = F.relu(net.bn(net.conv(x, f"{name}_conv1", stride), f"{name}_bn1"))
    out = net.bn(net.conv(out, f"{name}_conv2", 1), f"{name}_bn2")
    shortcut = net.bn(net.conv(x, f"{name}_proj", stride), f"{name}_proj_bn") if f"{name}_proj" in net.params else x
    return F.relu(out + shortcut)


def resnet18_features(net, x_nhwc, _options):
    h = F.relu(net.bn(net.conv(x_nhwc.permute(0, 3, 1, 2), "stem_conv", 1), "stem_bn"))
    for s, stride in enumerate([1, 2, 2, 2]):
        h = basic_block(net, h, f"stage{s + 1}_block1", stride)
        h = basic_block(net, h, f"stage{s + 1}_block2", 1)
    return h.mean(dim=(2, 3))


FEATURES = {"mlp": mlp_features, "cnn": cnn_features, "resnet18": resnet18_features}


def run(case):
    x = tensor(case["x"], grad=False)
    labels = torch.tensor(case["labels"], dtype=torch.long)
    features_of = FEATURES[case["kind"]]

    with torch.no_grad():
        eval_net = Net(case["weights"], training=False)
        eval_logits = eval_net.dense(features_of(eval_net, x, case["options"]), "head")

    net = Net(case["weights"], training=True)
    features = features_of(net, x, case["options"])
    logits = net.dense(features, "head")
    F.cross_entropy(logits, labels).backward()
    grads = {name: [p.grad.tolist() for p in ps if p.requires_grad] for name, ps in net.params.items()}
    return {
        "evalLogits": eval_logits.tolist(),
        "trainFeatures": features.detach().tolist(),
        "trainLogits": logits.detach().tolist(),
        "grads": grads,
        "batchNorm": net.running,
    }


def main():
    request = json.load(sys.stdin)
    json.dump({"results": [run(case) for case in request["cases"]]}, sys.stdout)


if __name__ == "__main__":
    main()

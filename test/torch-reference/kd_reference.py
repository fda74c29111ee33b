"""The methods' formulas (each package README states its own, with the published code it follows) written in PyTorch, as the papers' code writes them.

Every function takes float64 tensors; callers mark the ones to differentiate with requires_grad.
"""
import torch
import torch.nn.functional as F


def kl_div_loss(student, teacher, t):
    """KLDivLoss(log_softmax(student/T), softmax(teacher/T), reduction='batchmean')."""
    return F.kl_div(F.log_softmax(student / t, dim=1), F.softmax(teacher / t, dim=1), reduction="batchmean")


def sd_dropout_loss(features, weight, bias, masks, t, direction="both", detach=False):
    """SD_Dropout.calculate_loss of yechanp/self_kd with the dropout masks given (entries 0 or 1/(1-p)).

    Two masks give T^2 (KL(z1||z2) + KL(z2||z1)); more masks average that over all pairs i<j.
    """
    logits = [(features * mask) @ weight + bias for mask in masks]
    target = (lambda z: z.detach()) if detach else (lambda z: z)
    terms = []
    for i in range(len(logits)):
        for j in range(i + 1, len(logits)):
            if direction in ("both", "forward"):
                terms.append(kl_div_loss(logits[i], target(logits[j]), t))
            if direction in ("both", "reverse"):
                terms.append(kl_div_loss(logits[j], target(logits[i]), t))
    pairs = len(logits) * (len(logits) - 1) / 2
    return t * t * sum(terms) / pairs


def cs_kd_loss(anchor_logits, pair_logits, t):
    """KDLoss of alinlab/cs-kd train.py: T^2 * KL_T(anchor || pair) with the pair detached."""
    return t * t * kl_div_loss(anchor_logits, pair_logits.detach(), t)


def ps_kd_alpha(alpha_t, epoch, total_epochs):
    """lgcnsai/PS-KD-Pytorch main.py: alpha_t = alpha_T * (epoch + 1) / E, epochs from 0."""
    return max(0.0, alpha_t * (epoch + 1) / total_epochs)


def ps_kd_targets(one_hot, memory_rows, alpha):
    return (1 - alpha) * one_hot + alpha * memory_rows


def soft_target_cross_entropy(logits, targets):
    """Custom_CrossEntropy_PSKD of lgcnsai/PS-KD-Pytorch: mean_b sum_k -target * log_softmax(z)."""
    return torch.mean(torch.sum(-targets * F.log_softmax(logits, dim=1), dim=1))

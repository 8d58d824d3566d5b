"""Golden cases for @emgkit/ctc's ctcLoss: torch.nn.functional.ctc_loss values and gradients.

Run with Debian's python3 (python3-torch):  /usr/bin/python3 scripts/make_ctc_golden.py
Writes test/golden/ctc-loss.json. Deterministic (fixed seeds).

Inputs are float32 log-probabilities (what the tfjs op receives); the reference is computed by
PyTorch in float64 on exactly those values, and the gradient is that of the reduced loss w.r.t.
log_probs as an autograd leaf. For reduction "none" the reduced loss is sum(weights * losses)
with the stored weights, so per-sequence output gradients are exercised too.
"""

import json
import math
from pathlib import Path

import torch
import torch.nn.functional as F

OUT = Path(__file__).resolve().parent.parent / "test" / "golden" / "ctc-loss.json"


def number(value, digits):
    """JSON-safe float: non-finite values as strings."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return float(f"{value:.{digits}g}")


def random_log_probs(generator, frames, batch, classes, spread):
    logits = torch.randn(frames, batch, classes, generator=generator) * spread
    return logits.log_softmax(2).float()


def random_targets(generator, lengths, classes, blank, repeat_every=0):
    """One label list per length, never the blank; every `repeat_every`-th label repeats the last."""
    targets = []
    for length in lengths:
        labels = []
        for i in range(length):
            if repeat_every and i > 0 and i % repeat_every == 0:
                labels.append(labels[-1])
                continue
            label = int(torch.randint(0, classes - 1, (1,), generator=generator))
            labels.append(label if label < blank else label + 1)
        targets.append(labels)
    return targets


def case(name, log_probs, targets, input_lengths, blank, reduction, zero_infinity, layout,
         seed_weights=None):
    frames, batch, classes = log_probs.shape
    target_lengths = [len(labels) for labels in targets]
    if layout == "padded":
        width = max(1, max(target_lengths))
        # Padding with a valid non-blank label: it must be ignored.
        pad = 1 if blank != 1 else 2
        stored_targets = [labels + [pad] * (width - len(labels)) for labels in targets]
        torch_targets = torch.tensor(stored_targets, dtype=torch.long)
    else:
        stored_targets = [label for labels in targets for label in labels]
        torch_targets = torch.tensor(stored_targets, dtype=torch.long)

    leaf = log_probs.double().requires_grad_()
    loss = F.ctc_loss(leaf, torch_targets, torch.tensor(input_lengths), torch.tensor(target_lengths),
                      blank=blank, reduction=reduction, zero_infinity=zero_infinity)
    weights = None
    if reduction == "none":
        generator = torch.Generator().manual_seed(seed_weights)
        weights = (torch.rand(batch, generator=generator, dtype=torch.float64) + 0.5)
        objective = (loss * weights).sum()
    else:
        objective = loss
    (gradient,) = torch.autograd.grad(objective, leaf)

    # How far PyTorch's own float32 computation is from the float64 reference, for the record.
    leaf32 = log_probs.clone().requires_grad_()
    loss32 = F.ctc_loss(leaf32, torch_targets, torch.tensor(input_lengths),
                        torch.tensor(target_lengths), blank=blank, reduction=reduction,
                        zero_infinity=zero_infinity)
    objective32 = (loss32 * weights.float()).sum() if weights is not None else loss32
    (gradient32,) = torch.autograd.grad(objective32, leaf32)
    finite = torch.isfinite(gradient)
    print(f"{name}: loss {loss.detach().flatten().tolist()[:4]} "
          f"torch f32 vs f64 max|dgrad| {(gradient32.double() - gradient)[finite].abs().max():.2e}")

    return {
        "name": name,
        "shape": [frames, batch, classes],
        "blank": blank,
        "reduction": reduction,
        "zeroInfinity": zero_infinity,
        "layout": layout,
        "targets": stored_targets,
        "inputLengths": input_lengths,
        "targetLengths": target_lengths,
        "weights": None if weights is None else [float(w) for w in weights],
        "logProbs": [float(f"{v:.9g}") for v in log_probs.flatten().tolist()],
        "loss": [number(v, 15) for v in loss.detach().flatten().tolist()],
        "gradient": [number(v, 7) for v in gradient.flatten().tolist()],
    }


def peaky_log_probs(frames, classes, blank, label, spans, penalty):
    """Log-probs near 0 for `label` inside `spans`, for the blank elsewhere, -penalty otherwise:
    two bursts of one label against a one-label target give alignments whose probabilities differ
    by far more than float64's range (the log-space fallback case)."""
    log_probs = torch.full((frames, 1, classes), -penalty, dtype=torch.float64)
    log_probs[:, 0, blank] = 0.0
    for start, end in spans:
        log_probs[start:end, 0, blank] = -penalty
        log_probs[start:end, 0, label] = 0.0
    return log_probs.log_softmax(2).float()


def main():
    g = torch.Generator().manual_seed(20240611)
    cases = []

    lp = random_log_probs(g, 12, 3, 6, 1.0)
    cases.append(case("small padded mean blank 0", lp, random_targets(g, [4, 2, 3], 6, 0),
                      [12, 10, 7], 0, "mean", False, "padded"))

    lp = random_log_probs(g, 16, 3, 7, 1.5)
    cases.append(case("repeats concatenated sum blank 3", lp,
                      [[2, 2, 5, 5, 5], [1, 1], [6, 4, 4, 2]], [16, 9, 14], 3, "sum", False,
                      "concatenated"))

    lp = random_log_probs(g, 40, 4, 99, 2.0)
    cases.append(case("emg2qwerty classes blank 98 none", lp,
                      random_targets(g, [12, 5, 15, 1], 99, 98, repeat_every=4), [40, 33, 40, 20],
                      98, "none", False, "padded", seed_weights=1))

    lp = random_log_probs(g, 10, 4, 5, 1.0)
    impossible = [[1, 2, 3], [1, 1, 1, 1, 1, 1], [4, 2], [2, 2, 2]]
    for zero_infinity, reduction in [(True, "mean"), (False, "none"), (True, "none"),
                                     (False, "sum")]:
        cases.append(case(f"impossible target zeroInfinity {zero_infinity} {reduction}", lp,
                          impossible, [10, 10, 1, 5], 0, reduction, zero_infinity,
                          "concatenated", seed_weights=2))

    lp = random_log_probs(g, 9, 3, 4, 1.0)
    cases.append(case("target length 0 mean", lp, [[], [3, 1], []], [9, 6, 4], 0, "mean", False,
                      "padded"))
    cases.append(case("target length 0 none concatenated", lp, [[], [3, 1], []], [9, 6, 4], 2,
                      "none", False, "concatenated", seed_weights=3))

    lp = random_log_probs(g, 25, 2, 8, 4.0)
    cases.append(case("peaky inputs sum blank 7", lp, random_targets(g, [6, 8], 8, 7),
                      [25, 22], 7, "sum", False, "padded"))

    lp = peaky_log_probs(90, 4, 0, 2, [(5, 25), (55, 80)], 200.0)
    cases.append(case("dynamic range beyond float64", lp, [[2]], [90], 0, "sum", False,
                      "concatenated"))

    lp = random_log_probs(g, 2000, 1, 8, 2.0)
    cases.append(case("long T 2000", lp, random_targets(g, [300], 8, 0, repeat_every=7), [2000],
                      0, "mean", False, "padded"))

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"torch": torch.__version__, "cases": cases}, separators=(",", ":")))
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KiB, {len(cases)} cases)")


if __name__ == "__main__":
    main()

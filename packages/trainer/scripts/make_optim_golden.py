"""Golden vectors for @emgkit/trainer's optimiser, gradient clipping and LR schedule.

Writes three files under test/golden/:

- optim-adam.json: torch.optim.Adam (non-fused, foreach=False) on a few float32
  parameters of different shapes, several steps with given gradients and
  learning rates, with and without weight decay: the parameters after every
  step and the final per-parameter state (step, exp_avg, exp_avg_sq).
- optim-clip.json: torch.nn.utils.clip_grad_norm_ cases (no clipping, clipping,
  all-zero gradients): the total norm and the clipped gradients.
- optim-lr-schedule.json: learning rates per epoch of pl_bolts'
  LinearWarmupCosineAnnealingLR as Lightning steps it (once per epoch, after the
  step the scheduler takes in its constructor), for emg2qwerty's configuration
  and a short one that runs past max_epochs. pl_bolts is not installed here, so
  `WarmupCosineFromDocs` restates its chainable `get_lr` from its documented
  semantics and is driven by torch's own _LRScheduler over a real Adam; the
  closed form is written alongside.

Float32 values are written with 9 significant digits, which read back as the
same float32; learning rates are Python floats written exactly.

Run with Debian's python3 (torch 1.13): /usr/bin/python3 scripts/make_optim_golden.py
"""

import json
import math
import pathlib

import torch

OUT = pathlib.Path(__file__).resolve().parent.parent / "test" / "golden"

SHAPES = {"encoder.weight": [3, 4], "encoder.bias": [5], "block.0.kernel": [2, 2, 3], "scale": []}


def values(tensor):
    # 9 significant digits read back as the same float32.
    return [float(f"{v:.9g}") for v in tensor.detach().flatten().tolist()]


def named(tensors):
    return {name: {"shape": list(t.shape), "values": values(t)} for name, t in tensors.items()}


def adam_case(name, seed, steps, lrs, options):
    gen = torch.Generator().manual_seed(seed)
    params = {n: torch.randn(s, generator=gen).requires_grad_() for n, s in SHAPES.items()}
    initial = {n: p.detach().clone() for n, p in params.items()}
    optimizer = torch.optim.Adam(list(params.values()), lr=lrs[0], foreach=False, **options)
    grads_per_step, params_per_step = [], []
    for step in range(steps):
        # Gradients of mixed scale, so the moments and denominators differ a lot between entries.
        grads = {n: torch.randn(s, generator=gen) * (0.01 if step % 2 else 1.0) for n, s in SHAPES.items()}
        for n, p in params.items():
            p.grad = grads[n].clone()
        for group in optimizer.param_groups:
            group["lr"] = lrs[step]
        optimizer.step()
        grads_per_step.append(named(grads))
        params_per_step.append(named({n: p for n, p in params.items()}))
    state = optimizer.state_dict()["state"]
    final_state = {
        n: {
            "step": int(state[i]["step"].item()),
            "expAvg": values(state[i]["exp_avg"]),
            "expAvgSq": values(state[i]["exp_avg_sq"]),
        }
        for i, n in enumerate(params)
    }
    return {
        "name": name,
        "options": {
            "betas": list(options.get("betas", (0.9, 0.999))),
            "eps": options.get("eps", 1e-8),
            "weightDecay": options.get("weight_decay", 0.0),
        },
        "lrs": lrs,
        "initial": named(initial),
        "grads": grads_per_step,
        "params": params_per_step,
        "state": final_state,
    }


def clip_case(name, seed, max_norm, scale):
    gen = torch.Generator().manual_seed(seed)
    params = {n: torch.zeros(s, requires_grad=True) for n, s in SHAPES.items()}
    grads = {n: torch.randn(s, generator=gen) * scale for n, s in SHAPES.items()}
    for n, p in params.items():
        p.grad = grads[n].clone()
    total = torch.nn.utils.clip_grad_norm_(list(params.values()), max_norm)
    return {
        "name": name,
        "maxNorm": max_norm,
        "grads": named(grads),
        "totalNorm": float(f"{total.item():.9g}"),
        "clipped": named({n: p.grad for n, p in params.items()}),
    }


class WarmupCosineFromDocs(torch.optim.lr_scheduler._LRScheduler):
    """pl_bolts LinearWarmupCosineAnnealingLR's chainable get_lr, restated.

    Epoch 0: warmup_start_lr. Warm-up: add (base - start) / (warmup - 1) to the
    current lr. At warmup_epochs: base. Afterwards: scale (lr - eta_min) by the
    ratio of consecutive cosine factors, except where that ratio's denominator
    vanishes (epochs max + 1 + k * 2 * (max - warmup)), where one cosine step is added.
    """

    def __init__(self, optimizer, warmup_epochs, max_epochs, warmup_start_lr, eta_min):
        self.warmup, self.max, self.start, self.eta = warmup_epochs, max_epochs, warmup_start_lr, eta_min
        super().__init__(optimizer)

    def get_lr(self):
        e, w, span = self.last_epoch, self.warmup, self.max - self.warmup
        out = []
        for base, group in zip(self.base_lrs, self.optimizer.param_groups):
            lr = group["lr"]
            if e == 0:
                out.append(self.start)
            elif e < w:
                out.append(lr + (base - self.start) / (w - 1))
            elif e == w:
                out.append(base)
            elif (e - 1 - self.max) % (2 * span) == 0:
                out.append(lr + (base - self.eta) * (1 - math.cos(math.pi / span)) / 2)
            else:
                ratio = (1 + math.cos(math.pi * (e - w) / span)) / (1 + math.cos(math.pi * (e - w - 1) / span))
                out.append(ratio * (lr - self.eta) + self.eta)
        return out


def closed_form(e, base, w, m, start, eta):
    if e < w:
        return start + e * (base - start) / (w - 1)
    return eta + 0.5 * (base - eta) * (1 + math.cos(math.pi * (e - w) / (m - w)))


def schedule_case(name, base_lr, warmup_epochs, max_epochs, warmup_start_lr, eta_min, epochs):
    optimizer = torch.optim.Adam([torch.zeros(1, requires_grad=True)], lr=base_lr)
    scheduler = WarmupCosineFromDocs(optimizer, warmup_epochs, max_epochs, warmup_start_lr, eta_min)
    recursive = []
    for _ in range(epochs):
        # Lightning (interval: epoch) trains epoch e with the lr left after e scheduler steps.
        recursive.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    closed = [closed_form(e, base_lr, warmup_epochs, max_epochs, warmup_start_lr, eta_min) for e in range(epochs)]
    return {
        "name": name,
        "options": {
            "baseLr": base_lr,
            "warmupEpochs": warmup_epochs,
            "maxEpochs": max_epochs,
            "warmupStartLr": warmup_start_lr,
            "etaMin": eta_min,
        },
        "recursive": recursive,
        "closedForm": closed,
    }


def write(name, payload):
    path = OUT / name
    path.write_text(json.dumps(payload, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes)")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    write(
        "optim-adam.json",
        {
            "torch": torch.__version__,
            "cases": [
                adam_case("defaults", 1, 6, [1e-3, 2e-3, 5e-4, 1e-2, 3e-3, 1e-3], {}),
                adam_case(
                    "weight-decay",
                    2,
                    7,
                    [0.1, 0.05, 0.02, 0.01, 0.05, 0.1, 0.001],
                    {"betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.01},
                ),
            ],
        },
    )
    write(
        "optim-clip.json",
        {
            "torch": torch.__version__,
            "cases": [
                clip_case("no-clipping", 3, 100.0, 1.0),
                clip_case("clipping", 4, 1.0, 1.0),
                clip_case("clipping-small-grads", 5, 0.01, 0.1),
                clip_case("zero-grads", 6, 1.0, 0.0),
            ],
        },
    )
    write(
        "optim-lr-schedule.json",
        {
            "torch": torch.__version__,
            "cases": [
                schedule_case("emg2qwerty", 1e-3, 10, 150, 1e-8, 1e-6, 320),
                schedule_case("short", 0.02, 3, 12, 0.0, 0.0, 50),
            ],
        },
    )


if __name__ == "__main__":
    main()

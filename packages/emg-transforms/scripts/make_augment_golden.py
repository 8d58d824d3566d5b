#!/usr/bin/python3
"""Golden vectors for the @emgkit/emg-transforms augmentations, from Debian's torch/torchaudio.

Run with the system Python (python3-torch, python3-torchaudio):

    /usr/bin/python3 packages/emg-transforms/scripts/make_augment_golden.py

Writes test/golden/augment-roll.json and test/golden/augment-masks.json. Deterministic.

- roll: emg2qwerty's ForEach(RandomBandRotation) on a (T, 2, 16) window is torch.roll of each
  band's (T, 16) slice along the channels; stored for fixed offsets per band.
- masks: torchaudio's TimeMasking / FrequencyMasking (iid_masks=True, and not iid) on a
  (band, channel, freq, time) tensor of ones, with torch.rand replaced by fixed float32 draws,
  so the exact [start, end) per channel that torchaudio derives from (u, v) is recorded.
"""

import json
from pathlib import Path

import numpy as np
import torch
import torchaudio

GOLDEN = Path(__file__).resolve().parent.parent / "test" / "golden"
BANDS, ELECTRODES = 2, 16


def roll_cases():
    rng = np.random.default_rng(20241121)
    window = rng.standard_normal((5, BANDS, ELECTRODES)).astype(np.float32)
    cases = []
    for offsets in [(-1, 1), (0, -1), (1, 0), (3, -5), (16, -17), (0, 0)]:
        tensor = torch.from_numpy(window)
        rolled = torch.stack(
            [band.roll(int(off), dims=-1) for band, off in zip(tensor.unbind(1), offsets)], dim=1
        )
        cases.append({"offsets": list(offsets), "output": rolled.flatten().tolist()})
    return {"frames": 5, "input": window.flatten().tolist(), "cases": cases}


class FixedRand:
    """Stands in for torch.rand: hands out the given float32 values, in torch's call order."""

    def __init__(self, values):
        self.values = list(values)

    def __call__(self, *size, device=None, dtype=None):
        shape = size[0] if len(size) == 1 and isinstance(size[0], (tuple, list, torch.Size)) else size
        count = int(np.prod(shape)) if len(shape) else 1
        taken, self.values = self.values[:count], self.values[count:]
        return torch.tensor(taken, dtype=dtype or torch.float32).reshape(shape)


def float32_draws(rng, count):
    # torch.rand's float32 grid: k / 2**24.
    return (rng.integers(0, 2**24, count) / 2**24).tolist()


def mask_ranges(masked, axis):
    """[start, end) per (band, channel) of the zeros along time (axis 3) or freq (axis 2)."""
    ranges = []
    for b in range(masked.shape[0]):
        for c in range(masked.shape[1]):
            line = masked[b, c, :, 0] if axis == "freq" else masked[b, c, 0, :]
            zeros = torch.nonzero(line == 0).flatten().tolist()
            ranges.append([zeros[0], zeros[-1] + 1] if zeros else [0, 0])
    return ranges


def mask_cases():
    rng = np.random.default_rng(7)
    channels = BANDS * ELECTRODES
    cases = []
    settings = [
        ("time", 25, 40, True),
        ("time", 25, 10, True),  # param > size: starts may come out negative, then clipped
        ("time", 3, 7, True),
        ("freq", 4, 33, True),
        ("freq", 4, 5, True),
        ("time", 25, 40, False),
        ("freq", 4, 33, False),
    ]
    real_rand = torch.rand
    for axis, param, size, iid in settings:
        draws = channels if iid else 1
        u = float32_draws(rng, draws)
        v = float32_draws(rng, draws)
        freqs, frames = (size, 3) if axis == "freq" else (3, size)
        ones = torch.ones(BANDS, ELECTRODES, freqs, frames)
        masking = (
            torchaudio.transforms.TimeMasking(param, iid_masks=iid)
            if axis == "time"
            else torchaudio.transforms.FrequencyMasking(param, iid_masks=iid)
        )
        torch.rand = FixedRand(u + v)
        try:
            masked = masking(ones, mask_value=0.0)
        finally:
            torch.rand = real_rand
        cases.append(
            {
                "axis": axis,
                "param": param,
                "size": size,
                "iid": iid,
                "u": u,
                "v": v,
                "ranges": mask_ranges(masked, axis),
            }
        )
    return {"torchaudio": torchaudio.__version__, "cases": cases}


def main():
    GOLDEN.mkdir(parents=True, exist_ok=True)
    (GOLDEN / "augment-roll.json").write_text(json.dumps(roll_cases()) + "\n")
    (GOLDEN / "augment-masks.json").write_text(json.dumps(mask_cases()) + "\n")


if __name__ == "__main__":
    main()

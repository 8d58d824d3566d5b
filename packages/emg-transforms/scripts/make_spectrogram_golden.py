#!/usr/bin/env python3
"""Golden vectors for logSpectrogram, from torchaudio (as emg2qwerty's LogSpectrogram).

Run with Debian's python3 (python3-torch, python3-torchaudio):

    /usr/bin/python3 packages/emg-transforms/scripts/make_spectrogram_golden.py

Inputs are made by an integer generator that test/deterministic-signal.ts repeats
exactly, so only the outputs are stored: test/golden/spectrogram.json.
"""

import json
from pathlib import Path

import torch
import torchaudio

OUT = Path(__file__).resolve().parent.parent / "test" / "golden" / "spectrogram.json"


def deterministic_signal(frames: int, channels: int, seed: int) -> torch.Tensor:
    """(frames, channels) float32: an LCG's values mapped to [-20, 20] in steps of 1/500,
    plus a slow ramp per channel so spectra are not flat."""
    state = seed & 0xFFFFFFFF
    values = []
    for t in range(frames):
        for c in range(channels):
            state = (1664525 * state + 1013904223) & 0xFFFFFFFF
            noise = ((state >> 8) % 20001 - 10000) / 500.0
            ramp = ((t * (c + 1)) % 200 - 100) / 10.0
            values.append(noise + ramp)
    return torch.tensor(values, dtype=torch.float32).reshape(frames, channels)


def log_spectrogram(x: torch.Tensor, n_fft: int, hop: int) -> torch.Tensor:
    spec = torchaudio.transforms.Spectrogram(n_fft=n_fft, hop_length=hop, normalized=True, center=False)
    return torch.log10(spec(x.movedim(0, -1)) + 1e-6).movedim(-1, 0)  # (T', C, freq)


CASES = [
    # (frames, channels, n_fft, hop, seed, keep every k-th value)
    (1000, 32, 64, 16, 1, 7),  # emg2qwerty's settings on (T, 2 x 16)
    (300, 4, 32, 8, 2, 1),  # 1 kHz equivalent
    (200, 3, 16, 4, 3, 1),
    (100, 2, 8, 2, 4, 1),
    (64, 2, 4, 1, 5, 1),  # 125 Hz: hop 1
    (500, 2, 128, 33, 6, 1),  # odd hop
    (160, 3, 16, 16, 7, 1),  # no overlap
]


def main() -> None:
    cases = []
    for frames, channels, n_fft, hop, seed, step in CASES:
        out = log_spectrogram(deterministic_signal(frames, channels, seed), n_fft, hop)
        flat = out.reshape(-1).tolist()
        cases.append({
            "frames": frames, "channels": channels, "nFft": n_fft, "hopLength": hop, "seed": seed,
            "shape": list(out.shape), "step": step,
            "values": [round(v, 6) for v in flat[::step]],
        })
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"torchaudio": torchaudio.__version__, "cases": cases}) + "\n")
    print(f"{len(cases)} cases written to {OUT}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Golden vectors for windowing, from emg2qwerty's WindowedEMGDataset.

Run with Debian's python3 (python3-h5py, python3-torch, python3-torchaudio) and an
emg2qwerty checkout:

    /usr/bin/python3 packages/emg-transforms/scripts/make_windowing_golden.py --emg2qwerty /path/to/emg2qwerty

Writes test/fixtures/windowing.hdf5 (a small h5py session with fast typing) and
test/golden/windowing.json (each window's rows, sums and labels, without jitter).
"""

import argparse
import json
import sys
from pathlib import Path

import h5py
import numpy as np

TEST_DIR = Path(__file__).resolve().parent.parent / "test"
SAMPLES = 2000
T0 = 1_622_765_527.0


def write_fixture(path: Path) -> None:
    rng = np.random.default_rng(3)
    data = np.zeros(SAMPLES, dtype=[("time", "<f8"), ("emg_left", "<f4", (16,)), ("emg_right", "<f4", (16,))])
    data["time"] = T0 + np.arange(SAMPLES) / 2000.0
    data["emg_left"] = rng.standard_normal((SAMPLES, 16)).astype("<f4")
    data["emg_right"] = rng.standard_normal((SAMPLES, 16)).astype("<f4")
    text = "The quick brown fox, ok?\n"
    keys = []
    t = T0 + 0.01
    for ch in text:
        if ch.isupper():
            keys.append({"key": "Key.shift", "start": t, "end": t + 0.05})
            t += 0.01
        key = {" ": "Key.space", "\n": "Key.enter"}.get(ch, ch)
        keys.append({"key": key, "start": t, "end": t + 0.02})
        t += 0.037
    with h5py.File(path, "w") as f:
        g = f.create_group("emg2qwerty")
        g.create_dataset("timeseries", data=data)
        g.attrs.update({"session_name": "windowing", "user": "u", "condition": "on_keyboard",
                        "duration_mins": SAMPLES / 2000 / 60, "keystrokes": json.dumps(keys),
                        "prompts": json.dumps([{"start": T0, "end": t, "payload": {"text": text}}])})


CONFIGS = [
    {"window_length": 500, "stride": None, "padding": [0, 0]},
    {"window_length": 400, "stride": 150, "padding": [100, 50]},
    {"window_length": 300, "stride": 300, "padding": [180, 20]},
    {"window_length": None, "stride": None, "padding": [0, 0]},
    {"window_length": SAMPLES, "stride": None, "padding": [10, 10]},
    {"window_length": 64, "stride": 1000, "padding": [1800, 200]},
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--emg2qwerty", required=True)
    args = parser.parse_args()
    sys.path.insert(0, args.emg2qwerty)
    from emg2qwerty.data import WindowedEMGDataset

    fixture = TEST_DIR / "fixtures" / "windowing.hdf5"
    fixture.parent.mkdir(parents=True, exist_ok=True)
    write_fixture(fixture)
    out = []
    for config in CONFIGS:
        ds = WindowedEMGDataset(fixture, window_length=config["window_length"], stride=config["stride"],
                                padding=tuple(config["padding"]), jitter=False)
        windows = []
        for i in range(len(ds)):
            emg, labels = ds[i]  # emg: (T, 2, 16)
            windows.append({"rows": int(emg.shape[0]), "sum": float(emg.double().sum()),
                            "first": emg[0, 0, :4].tolist(), "labels": labels.tolist()})
        out.append({**config, "count": len(ds), "windows": windows})
    (TEST_DIR / "golden").mkdir(exist_ok=True)
    (TEST_DIR / "golden" / "windowing.json").write_text(json.dumps({"samples": SAMPLES, "configs": out}, indent=1) + "\n")
    print("windowing golden written")


if __name__ == "__main__":
    main()

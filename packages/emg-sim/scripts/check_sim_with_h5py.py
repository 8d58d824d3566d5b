#!/usr/bin/python3
"""Open a simulated session the way emg2qwerty's EMGSessionData does (h5py,
group "emg2qwerty", compound dataset "timeseries", keystrokes and prompts
parsed with json.loads) and check what a simulated file should hold.

    /usr/bin/python3 scripts/check_sim_with_h5py.py FILE.hdf5

Prints what h5py sees; exits non-zero when a check fails.
"""

import json
import sys

import h5py
import numpy as np


def main(path):
    with h5py.File(path, "r") as file:
        group = file["emg2qwerty"]
        timeseries = group["timeseries"]
        fields = timeseries.dtype.fields
        print("dtype:", timeseries.dtype)
        assert fields["time"][0] == np.dtype("<f8")
        assert fields["emg_left"][0] == np.dtype(("<f4", (16,)))
        assert fields["emg_right"][0] == np.dtype(("<f4", (16,)))
        attrs = {
            key: json.loads(val) if key in ("keystrokes", "prompts") else val
            for key, val in group.attrs.items()
        }
        rows = timeseries[:]

    time = rows["time"]
    emg = np.stack([rows["emg_left"], rows["emg_right"]], axis=1)  # (T, 2, 16)
    keystrokes, prompts = attrs["keystrokes"], attrs["prompts"]
    print("attrs:", {k: v for k, v in attrs.items() if k not in ("keystrokes", "prompts")})
    print("rows:", len(rows), "emg shape:", emg.shape, "seconds:", round(float(time[-1] - time[0]), 3))
    print("sample rate Hz:", round(float(1 / np.median(np.diff(time))), 3))
    print("keystrokes:", len(keystrokes), "first:", keystrokes[:3])
    print("prompts:", len(prompts), "first text:", prompts[0]["payload"]["text"] if prompts else None)

    assert attrs["condition"] == "on_keyboard"
    assert np.all(np.diff(time) > 0)
    starts = [k["start"] for k in keystrokes]
    assert starts == sorted(starts), "keystrokes not sorted by start"
    assert all(set(k) == {"key", "start", "end"} for k in keystrokes)
    assert all(set(p) == {"start", "end", "payload"} and "text" in p["payload"] for p in prompts)

    rms = np.sqrt(np.mean(emg.astype(np.float64) ** 2, axis=0))  # (2, 16)
    print("RMS per electrode (uV), left: ", np.round(rms[0], 1).tolist())
    print("RMS per electrode (uV), right:", np.round(rms[1], 1).tolist())
    means = np.abs(emg.mean(axis=0)).max()
    print("largest |mean| of a channel (high-passed, so near 0):", round(float(means), 3))
    assert means < 2

    spectrum = np.abs(np.fft.rfft(emg[:, 0, :] - emg[:, 0, :].mean(axis=0), axis=0)).mean(axis=1)
    freqs = np.fft.rfftfreq(len(emg), 1 / 2000)
    def band_power(lo, hi):
        return float(spectrum[(freqs >= lo) & (freqs < hi)].mean())
    hum_ratio = spectrum[np.argmin(np.abs(freqs - 60))] / band_power(45, 55)
    print("60 Hz line over 45-55 Hz mean (left band):", round(float(hum_ratio), 1))
    assert hum_ratio > 3

    left_keys = set("qwertasdfgzxcvbQWERTASDFGZXCVB12345")
    def window_rms(band, press):
        i = int(round((press - time[0]) * 2000))
        return float(np.sqrt(np.mean(emg[max(0, i - 120): i + 40, band].astype(np.float64) ** 2)))
    left = [k["start"] for k in keystrokes if k["key"] in left_keys]
    if left:
        rise = np.mean([window_rms(0, t) for t in left]) / np.mean([window_rms(1, t) for t in left])
        print("left-hand presses: left/right band RMS ratio:", round(float(rise), 2))
        assert rise > 1
    print("OK")


if __name__ == "__main__":
    main(sys.argv[1])

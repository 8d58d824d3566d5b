#!/usr/bin/python3
"""Open an emgkit-written session file exactly as emg2qwerty's EMGSessionData
does (h5py, group "emg2qwerty", dataset "timeseries", attrs loaded with
json.loads for keystrokes/prompts), check its layout, and report what h5py sees.

    /usr/bin/python3 scripts/check_with_h5py.py FILE [--report OUT.json] [--timing]

Exits non-zero when a check fails. The report holds no timings unless --timing
is given, so a committed report stays reproducible.
"""

import argparse
import json
import sys
import time

import h5py
import numpy as np

HDF5_GROUP = "emg2qwerty"
TIMESERIES = "timeseries"
EMG_LEFT, EMG_RIGHT, TIMESTAMPS = "emg_left", "emg_right", "time"
KEYSTROKES, PROMPTS = "keystrokes", "prompts"
WINDOW = 10_000


def load_like_emg_session_data(path):
    """The few lines of EMGSessionData.__post_init__, unchanged in substance."""
    file = h5py.File(path, "r")
    group = file[HDF5_GROUP]
    timeseries = group[TIMESERIES]
    assert timeseries.dtype.fields is not None
    assert EMG_LEFT in timeseries.dtype.fields
    assert EMG_RIGHT in timeseries.dtype.fields
    assert TIMESTAMPS in timeseries.dtype.fields
    metadata = {}
    for key, val in group.attrs.items():
        if key in {KEYSTROKES, PROMPTS}:
            metadata[key] = json.loads(val)
        else:
            metadata[key] = val
    return file, timeseries, metadata


def row_report(rows):
    return {
        "time": [float(t) for t in rows[TIMESTAMPS]],
        "emg_left": rows[EMG_LEFT].astype(float).tolist(),
        "emg_right": rows[EMG_RIGHT].astype(float).tolist(),
    }


def check(path, timing):
    failures = []

    def expect(condition, message):
        if not condition:
            failures.append(message)

    opened = time.perf_counter()
    file, timeseries, metadata = load_like_emg_session_data(path)
    open_s = time.perf_counter() - opened
    dtype = timeseries.dtype
    expected_dtype = np.dtype(
        [("time", "<f8"), ("emg_left", "<f4", (16,)), ("emg_right", "<f4", (16,))]
    )
    expect(dtype == expected_dtype, f"dtype {dtype} != {expected_dtype}")
    expect(dtype.itemsize == 136, f"itemsize {dtype.itemsize}")
    expect(timeseries.ndim == 1, f"rank {timeseries.ndim}")

    attr_types = {key: type(val).__name__ for key, val in file[HDF5_GROUP].attrs.items()}
    for key in ("session_name", "user", "condition", KEYSTROKES, PROMPTS):
        expect(attr_types.get(key) == "str", f"attribute {key} is {attr_types.get(key)}, not str")
    expect(attr_types.get("duration_mins") == "float64", "duration_mins is not float64")
    expect(isinstance(metadata.get(KEYSTROKES), list), "keystrokes JSON is not a list")
    expect(isinstance(metadata.get(PROMPTS), list), "prompts JSON is not a list")

    n = len(timeseries)
    # EMGSessionData.timestamps: the whole time column, asserted monotonic.
    read_started = time.perf_counter()
    timestamps = timeseries[TIMESTAMPS]
    timestamps_s = time.perf_counter() - read_started
    expect(bool((np.diff(timestamps) >= 0).all()), "timestamps are not monotonic")

    # EMGSessionData.slice: searchsorted on the timestamps, then a row slice.
    mid = timestamps[n // 2]
    start_idx, end_idx = timestamps.searchsorted([mid, mid + 0.5])
    window = timeseries[start_idx:end_idx]
    expect(len(window) == end_idx - start_idx, "slice length")

    whole_started = time.perf_counter()
    sums = {"time": 0.0, "emg_left": 0.0, "emg_right": 0.0}
    step = 100_000
    for begin in range(0, n, step):
        block = timeseries[begin : begin + step]
        for field in sums:
            sums[field] += float(block[field].astype(np.float64).sum())
    whole_s = time.perf_counter() - whole_started

    window_starts = np.linspace(0, max(n - WINDOW, 0), num=20, dtype=np.int64)
    windows_started = time.perf_counter()
    for begin in window_starts:
        timeseries[int(begin) : int(begin) + WINDOW]
    window_ms = (time.perf_counter() - windows_started) / len(window_starts) * 1000

    picks = sorted({0, 1, n // 3, n // 2, n - 2, n - 1} - {-1})
    report = {
        "file": path.split("/")[-1],
        "h5py": h5py.__version__,
        "hdf5": h5py.version.hdf5_version,
        "fields": {
            name: {"dtype": str(spec[0].base), "shape": list(spec[0].shape), "offset": spec[1]}
            for name, spec in dtype.fields.items()
        },
        "itemsize": dtype.itemsize,
        "shape": list(timeseries.shape),
        "chunks": list(timeseries.chunks) if timeseries.chunks else None,
        "compression": timeseries.compression,
        "attribute_types": attr_types,
        "session_name": metadata.get("session_name"),
        "user": metadata.get("user"),
        "condition": metadata.get("condition"),
        "duration_mins": float(metadata["duration_mins"]),
        "keystrokes": metadata[KEYSTROKES][:5],
        "keystroke_count": len(metadata[KEYSTROKES]),
        "prompts": metadata[PROMPTS][:5],
        "prompt_count": len(metadata[PROMPTS]),
        "rows": {str(i): row_report(timeseries[i : i + 1]) for i in picks},
        "slice": {"start": int(start_idx), "end": int(end_idx)},
        "sums": sums,
        "failures": failures,
    }
    if timing:
        report["timing"] = {
            "open_s": open_s,
            "read_all_timestamps_s": timestamps_s,
            "read_whole_dataset_s": whole_s,
            f"read_{WINDOW}_row_window_ms": window_ms,
        }
    file.close()
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--report", help="write the JSON report here as well")
    parser.add_argument("--timing", action="store_true", help="add read timings to the report")
    args = parser.parse_args()
    report = check(args.file, args.timing)
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if args.report:
        with open(args.report, "w", encoding="utf-8") as out:
            out.write(text)
    summary = {key: report[key] for key in ("shape", "chunks", "attribute_types", "failures")}
    print(json.dumps(summary, ensure_ascii=False))
    if "timing" in report:
        print(json.dumps(report["timing"]))
    sys.exit(1 if report["failures"] else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Golden vectors for @emgkit/emg-io, computed by emg2qwerty's own Python code.

Run with Debian's python3 (python3-h5py, python3-unidecode, python3-torch) and an
emg2qwerty checkout (facebookresearch/emg2qwerty) on the import path:

    /usr/bin/python3 packages/emg-io/scripts/make_golden.py --emg2qwerty /path/to/emg2qwerty

Writes, under packages/emg-io/test/:
  golden/charset.json         charset results on tricky strings and key lists
  golden/unidecode-map.json   the transliteration the charset applies, per code point
  golden/label-windows.json   LabelData of keystroke and prompt windows
  golden/h5py-fixtures.json   what emg2qwerty's EMGSessionData reads from the fixtures
  fixtures/*.hdf5             small sessions written by h5py (good and bad)
The tests compare emg-io against these files; they never run Python.
"""

import argparse
import json
import math
import random
import string
import sys
from pathlib import Path

import h5py
import numpy as np
import unidecode

HERE = Path(__file__).resolve().parent
TEST_DIR = HERE.parent / "test"

TRICKY_STRINGS = [
    "", "aa", "\n\r\b\x08", "⏎\n⇧⌫\b", "⏎\n⇧⌫\ufffd\b", "\u2019\u201c\u201d\u2014",
    string.ascii_letters, string.digits, string.punctuation,
    "\x08⌫⏎\n\r \x20⇧", "Hello, World!", "the\x08⏎\n",
    "café", "naïve résumé", "Ærøskøbing", "straße", "Œuvre œuvre", "ﬁnancial ﬂow",
    "Ünïcödé", "São Paulo", "Łódź", "İstanbul ıi", "Dvořák", "Ångström", "ñandú",
    "ȷ ǲ ǅ", "½ ¼ ¾", "² ³ ¹", "µ ° ± × ÷", "« guillemets »", "‹single›",
    "…ellipsis", "en–dash", "‘single quotes’", "„low quote“", "‚", "′ ″",
    "\u00a0non\u00a0breaking\u00a0space", "\u2003em space\u2009thin", "\u200bzero\u200bwidth",
    "\t tab \t", "\u21e5 tab symbol", "⌃ ctrl ⌘ cmd", "↑ shift_l ⇡ shift_r",
    "\u2028line sep\u2029para sep", "\x00\x01\x7f control", "\x85 next line", "\u0085",
    "emoji 😀👍🏽", "𝐀𝐁𝐂 math bold", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "Ｆｕｌｌｗｉｄｔｈ", "①②③",
    "日本語テキスト", "Привет мир", "Ελληνικά", "עברית", "العربية", "한국어",
    "ﬀ ﬃ", "™ © ®", "€ £ ¥ ¢", "§ ¶ †", "• · ∙", "√ ∞ ≈ ≠", "← → ↔", "♠♥♦♣",
    "\r\n windows newline", "a\u0301 combining", "e\u0308", "\ufeffBOM",
    "mixed ⌫⌫ backspaces⏎ and ⇧Shift", "   ", "⏎⏎⏎",
]

KEY_LISTS = [
    [], ["a", "B", "1", "!"],
    ["Key.backspace", "Key.enter", "Key.space", "Key.shift"],
    ["Key.tab", "Key.ctrl", "Key.cmd", "Key.shift_l", "Key.shift_r", "Key.caps_lock", "Key.alt"],
    ["⌫", "⏎", "⇧", " ", "\r", "\n", "\b", "\t", "⇥", "⌃", "⌘", "↑", "⇡"],
    ["é", "ß", "\u2019", "\u201c", "\u2014", "😀", "Ö", "ñ"],
]


def charset_golden(charset):
    cs = charset()
    strings = []
    for s in TRICKY_STRINGS:
        keys = cs.str_to_keys(s)
        labels = cs.str_to_labels(s)
        strings.append({
            "input": s,
            "clean_str": cs.clean_str(s),
            "normalize_str": cs._normalize_str(s),
            "str_to_keys": keys,
            "str_to_labels": labels,
            "labels_to_str": cs.labels_to_str(labels),
        })
    key_lists = []
    for keys in KEY_LISTS:
        cleaned = cs.clean_keys(keys)
        key_lists.append({
            "input": keys,
            "normalize_keys": cs._normalize_keys(keys),
            "clean_keys": cleaned,
            "keys_to_str": cs.keys_to_str(cleaned),
        })
    return {
        "len": len(cs),
        "num_classes": cs.num_classes,
        "null_class": cs.null_class,
        "allowed_keys": list(cs.allowed_keys),
        "allowed_unicodes": list(cs.allowed_unicodes),
        "allowed_chars": list(cs.allowed_chars),
        "str": str(cs),
        "strings": strings,
        "key_lists": key_lists,
    }


def unidecode_map(charset):
    """Code point -> the single character the charset transliterates it to.

    Mirrors the condition in CharacterSet._normalize_str: the character is
    neither a key nor a key symbol, and unidecode gives one character that is.
    """
    cs = charset()

    def spurious(c):
        return c not in cs and c not in cs.UNICHAR_TO_KEY

    out = {}
    for cp in range(0x80, 0x20000):
        if 0xD800 <= cp < 0xE000:
            continue
        c = chr(cp)
        if not spurious(c):
            continue
        t = unidecode.unidecode(c)
        if t != c and len(t) == 1 and not spurious(t):
            out[str(cp)] = t
    return {"unidecode_version": getattr(unidecode, "__version__", "1.3.6"), "range": [0x80, 0x20000], "map": out}


def make_keystrokes(rng, t0, text):
    """Keylogger-style keystrokes for a text, with shift for capitals and odd keys mixed in."""
    strokes = []
    t = t0
    for ch in text:
        t += rng.uniform(0.08, 0.3)
        if ch.isupper():
            strokes.append({"key": "Key.shift", "start": t, "end": t + 0.25})
            t += rng.uniform(0.03, 0.08)
        key = {" ": "Key.space", "\n": "Key.enter", "\b": "Key.backspace"}.get(ch, ch)
        strokes.append({"key": key, "start": t, "end": t + rng.uniform(0.05, 0.12)})
    return strokes


KEYSTROKE_TEXT = "Hello, World! The café\b\be is ready.\nTab\tcomma\u2019s \u201cquote\u201d \u2014 ß done\n"
EXTRA_KEYS = ["Key.tab", "Key.ctrl", "Key.caps_lock", "Key.shift_r", "\x08", "Key.cmd", "⌫", "😀"]


def session_keystrokes(rng, t0):
    strokes = make_keystrokes(rng, t0, KEYSTROKE_TEXT)
    for key in EXTRA_KEYS:  # unusual keys at random places, times kept sorted
        i = rng.randrange(1, len(strokes))
        t = (strokes[i - 1]["start"] + strokes[i]["start"]) / 2
        strokes.insert(i, {"key": key, "start": t, "end": t + 0.05})
    return strokes


def session_prompts(t0):
    texts = ["Hello, World!", "The café is ready.", None, "comma\u2019s \u201cquote\u201d \u2014 ß done⏎", ""]
    prompts = []
    for i, text in enumerate(texts):
        start = t0 + 3.0 * i
        payload = None if text is None else {"text": text, "id": i}
        prompts.append({"start": start, "end": start + 2.5, "payload": payload})
    return prompts


def label_windows_golden(LabelData):
    rng = random.Random(7)
    t0 = 1_622_765_527.0
    strokes = session_keystrokes(rng, t0)
    prompts = session_prompts(t0)
    starts = [k["start"] for k in strokes]
    windows = [(-math.inf, math.inf), (t0, t0 + 1.0), (starts[3], starts[9]), (starts[0], starts[0]),
               (starts[10] + 1e-9, starts[20] - 1e-9), (starts[-1], math.inf), (-math.inf, starts[5]),
               (t0 + 100, t0 + 200), (starts[7], starts[6])]
    for _ in range(25):
        a = rng.uniform(t0 - 1, starts[-1] + 1)
        windows.append((a, a + rng.uniform(0.2, 6.0)))

    def enc(x):
        return None if math.isinf(x) else x

    out = []
    for start_t, end_t in windows:
        ld = LabelData.from_keystrokes(strokes, start_t=start_t, end_t=end_t)
        lp = LabelData.from_prompts(prompts, start_t=start_t, end_t=end_t)
        out.append({
            "start_t": enc(start_t) if start_t != -math.inf else None,
            "end_t": enc(end_t),
            "keystrokes": {"text": ld.text, "labels": ld.labels.tolist(), "timestamps": ld.timestamps.tolist()},
            "prompts": {"text": lp.text, "labels": lp.labels.tolist()},
        })
    single = []
    for prompt in prompts + ["plain text prompt", "ends with enter⏎", ""]:
        for enforce in (True, False):
            single.append({"prompt": prompt, "enforce_newline": enforce,
                           "text": LabelData.from_prompt(prompt, enforce_newline=enforce).text})
    return {"keystrokes": strokes, "prompts": prompts, "windows": out, "from_prompt": single}


def write_h5py_session(path, n, t0, rng, fields_order, chunks, compression, keystrokes, prompts, condition="on_keyboard"):
    dtype = np.dtype([(name, {"time": "<f8", "emg_left": ("<f4", (16,)), "emg_right": ("<f4", (16,))}[name])
                      for name in fields_order])
    data = np.zeros(n, dtype=dtype)
    data["time"] = t0 + np.arange(n) / 2000.0
    data["emg_left"] = rng.standard_normal((n, 16)).astype("<f4") * 10
    data["emg_right"] = rng.standard_normal((n, 16)).astype("<f4") * 10
    with h5py.File(path, "w") as f:
        g = f.create_group("emg2qwerty")
        g.create_dataset("timeseries", data=data, chunks=chunks, compression=compression,
                         maxshape=(None,) if chunks else None)
        g.attrs["session_name"] = path.stem
        g.attrs["user"] = "89335547"
        g.attrs["condition"] = condition
        g.attrs["duration_mins"] = n / 2000.0 / 60.0
        g.attrs["keystrokes"] = json.dumps(keystrokes)
        g.attrs["prompts"] = json.dumps(prompts)
    return data


def read_like_emg2qwerty(EMGSessionData, path, windows):
    """What emg2qwerty's EMGSessionData gives for a file: metadata, rows, ground truth."""
    with EMGSessionData(path) as s:
        rows = {}
        for a, b in [(0, 5), (100, 137), (len(s) - 3, len(s))]:
            w = s[a:b]
            rows[f"{a}:{b}"] = {
                "time": w["time"].tolist(),
                "emg_left_sum": float(np.float64(w["emg_left"]).sum()),
                "emg_right_sum": float(np.float64(w["emg_right"]).sum()),
                "emg_left_first": w["emg_left"][0].tolist(),
                "emg_right_last": w["emg_right"][-1].tolist(),
            }
        truths = []
        for start_t, end_t in windows:
            gt = s.ground_truth(start_t, end_t)
            sl = s.slice(start_t, end_t)
            truths.append({"start_t": start_t, "end_t": end_t, "text": gt.text, "labels": gt.labels.tolist(),
                           "slice_len": len(sl),
                           "slice_first_time": float(sl["time"][0]) if len(sl) else None})
        return {
            "fields": s.fields,
            "length": len(s),
            "session_name": s.session_name,
            "user": s.user,
            "condition": s.condition,
            "duration_mins": s.duration_mins,
            "num_keystrokes": len(s.keystrokes),
            "num_prompts": len(s.prompts),
            "str": str(s),
            "rows": rows,
            "ground_truth": truths,
        }


def fixtures_golden(EMGSessionData):
    fixtures_dir = TEST_DIR / "fixtures"
    rng = np.random.default_rng(2021)
    prng = random.Random(11)
    t0 = 1_622_765_527.25
    n = 1200
    strokes = make_keystrokes(prng, t0, "Quick test, ok.\n")
    prompts = session_prompts(t0)
    specs = {
        "h5py-chunked.hdf5": dict(fields_order=["time", "emg_left", "emg_right"], chunks=(256,), compression=None),
        "h5py-gzip-reordered.hdf5": dict(fields_order=["emg_right", "time", "emg_left"], chunks=(300,), compression="gzip"),
        "h5py-contiguous.hdf5": dict(fields_order=["emg_left", "emg_right", "time"], chunks=None, compression=None),
    }
    windows = [(t0 + 0.1, t0 + 0.4), (t0, t0 + 0.6), (t0 - 5, t0 + 0.05), (t0 + 0.3, t0 + 0.3)]
    out = {}
    for name, spec in specs.items():
        path = fixtures_dir / name
        write_h5py_session(path, n, t0, rng, keystrokes=strokes, prompts=prompts, **spec)
        out[name] = read_like_emg2qwerty(EMGSessionData, path, windows)

    # Bad files: each breaks one thing emg-io must report clearly.
    small = dict(n=16, t0=t0, rng=rng, chunks=None, compression=None, keystrokes=strokes, prompts=prompts)
    with h5py.File(fixtures_dir / "bad-no-group.hdf5", "w") as f:
        f.create_group("something_else").attrs["user"] = "x"
    path = fixtures_dir / "bad-fields.hdf5"
    with h5py.File(path, "w") as f:
        g = f.create_group("emg2qwerty")
        g.create_dataset("timeseries", data=np.zeros(4, dtype=[("time", "<f8"), ("emg", "<f4", (32,))]))
        for k, v in {"session_name": "bad-fields", "user": "u", "condition": "on_keyboard", "duration_mins": 0.0,
                     "keystrokes": "[]", "prompts": "[]"}.items():
            g.attrs[k] = v
    path = fixtures_dir / "bad-keystrokes-json.hdf5"
    write_h5py_session(path, fields_order=["time", "emg_left", "emg_right"], **small)
    with h5py.File(path, "a") as f:
        f["emg2qwerty"].attrs["keystrokes"] = '[{"key": "a", "start": 1.0,'
    path = fixtures_dir / "bad-time-backwards.hdf5"
    data = write_h5py_session(path, fields_order=["time", "emg_left", "emg_right"], **small)
    with h5py.File(path, "a") as f:
        ts = f["emg2qwerty"]["timeseries"]
        row = ts[10]
        row["time"] = data["time"][3]
        ts[10] = row
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--emg2qwerty", required=True, help="path of an emg2qwerty checkout (holds emg2qwerty/)")
    args = parser.parse_args()
    sys.path.insert(0, args.emg2qwerty)
    from emg2qwerty.charset import charset
    from emg2qwerty.data import EMGSessionData, LabelData

    golden = TEST_DIR / "golden"
    golden.mkdir(parents=True, exist_ok=True)
    (TEST_DIR / "fixtures").mkdir(parents=True, exist_ok=True)

    def dump(name, obj):
        (golden / name).write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    dump("charset.json", charset_golden(charset))
    dump("unidecode-map.json", unidecode_map(charset))
    dump("label-windows.json", label_windows_golden(LabelData))
    dump("h5py-fixtures.json", fixtures_golden(EMGSessionData))
    print("golden vectors written to", golden)


if __name__ == "__main__":
    main()

"""Golden vectors for @emgkit/ctc's CTC decoders, from emg2qwerty's own decoders.

Runs emg2qwerty's CTCGreedyDecoder and CTCBeamDecoder (with and without the
Reuters character 3-gram LM) on seeded emissions and on the scenarios of
emg2qwerty's decoder_test.py, and writes test/golden/decode-*.json.

    mkdir -p /tmp/e2q && git --git-dir=/work/.mirror/facebookresearch+emg2qwerty/repo \\
        archive HEAD emg2qwerty | tar -x -C /tmp/e2q
    /usr/bin/python3 scripts/make_decoder_golden.py /tmp/e2q

`import kenlm` resolves to scripts/kenlm_compat (an ARPA back-off scorer with
KenLM's API), put first on sys.path. Emissions are float32 values (stored as
base64 little-endian float32) handed to Python as float64, so both sides do the
same float64 arithmetic on the same numbers.
"""

from __future__ import annotations

import base64
import json
import math
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PACKAGE / "scripts" / "kenlm_compat"))
if len(sys.argv) < 2:
    sys.exit("usage: make_decoder_golden.py <directory holding the emg2qwerty package>")
sys.path.insert(1, sys.argv[1])

import kenlm  # noqa: E402  (the stand-in)
import numpy as np  # noqa: E402
from emg2qwerty.charset import charset  # noqa: E402
from emg2qwerty.decoder import CTCBeamDecoder, CTCGreedyDecoder  # noqa: E402

GOLDEN = PACKAGE / "test" / "golden"
LM_FIXTURE = PACKAGE / "test" / "fixtures" / "reuters-3-gram-char-lm.arpa"
LM_SHARED = Path("/work/shared/reference/lm/reuters-3-gram-char-lm.arpa")
LM_PATH = str(LM_FIXTURE if LM_FIXTURE.exists() else LM_SHARED)

CHARSET = charset()
C = CHARSET.num_classes
BLANK = CHARSET.null_class
BACKSPACE = CHARSET.key_to_label("Key.backspace")
SPACE = CHARSET.key_to_label("Key.space")
LOWER = [CHARSET.key_to_label(c) for c in "abcdefghijklmnopqrstuvwxyz"]
UPPER = [CHARSET.key_to_label(c) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
OTHER = [CHARSET.key_to_label(k) for k in list("0123456789.,'!?-;") + ["Key.enter"]]
BEST_K = 5


def number(x: float) -> float | None:
    """JSON-safe float: -inf (a prefix no path reaches) becomes null."""
    x = float(x)
    return None if math.isinf(x) and x < 0 else x


def encode_f32(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array, dtype="<f4").tobytes()).decode()


def log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def pick_key(rng: np.random.Generator) -> int:
    u = rng.random()
    if u < 0.6:
        return int(rng.choice(LOWER))
    if u < 0.72:
        return BACKSPACE
    if u < 0.84:
        return SPACE
    if u < 0.92:
        return int(rng.choice(UPPER))
    return int(rng.choice(OTHER))


def typing_emissions(seed: int, frames: int, ties: bool = False) -> np.ndarray:
    """(T, C) float32 log-probabilities shaped like typing: runs of blanks, then a
    key held for a frame or two, often with a rival key close behind so that the
    beam has real choices. With `ties`, logits take few distinct values, so rows
    hold many equal emissions (NumPy's argsort tie order then matters)."""
    rng = np.random.default_rng(seed)
    targets: list[int] = []
    while len(targets) < frames:
        targets += [BLANK] * int(rng.integers(1, 5))
        targets += [pick_key(rng)] * int(rng.integers(1, 3))
    targets = targets[:frames]
    if ties:
        logits = rng.integers(0, 3, size=(frames, C)).astype(np.float64)
        boost, rival = 4.0, 3.0
    else:
        logits = rng.normal(0.0, 1.0, size=(frames, C))
        boost, rival = 6.0 + rng.normal(0.0, 1.5, size=frames), 4.5
    logits[np.arange(frames), targets] += boost
    for t in range(frames):
        if rng.random() < 0.4:
            logits[t, pick_key(rng) if rng.random() < 0.7 else BLANK] += rival
    return log_softmax(logits).astype(np.float32)


def timestamps_for(seed: int, frames: int) -> np.ndarray:
    """Unix-second frame times at 125 Hz starting at an odd offset."""
    return 1.6e9 + seed * 37.25 + np.arange(frames) * 0.008


def label_data_json(data) -> dict:
    labels = [int(x) for x in data.labels]
    stamps = [] if data.timestamps is None else [float(x) for x in data.timestamps]
    return {"labels": labels, "text": data.text, "timestamps": stamps}


def beam_json(decoder: CTCBeamDecoder) -> list[dict]:
    return [
        {
            "labels": [int(x) for x in b.decoding],
            "timestamps": [float(x) for x in b.timestamps],
            "pBlank": number(b.p_b),
            "pNonBlank": number(b.p_nb),
            "pTotal": number(b.p_total),
        }
        for b in decoder.beam[:BEST_K]
    ]


def run_beam(decoder: CTCBeamDecoder, emissions: np.ndarray, stamps: np.ndarray,
             chunks: list[int]) -> dict:
    """Decodes chunk by chunk, then finishes; records what each call returned."""
    emissions = emissions.astype(np.float64)
    decoder.reset()
    steps, start = [], 0
    for size in chunks:
        end = start + size
        steps.append(label_data_json(decoder.decode(emissions[start:end], stamps[start:end])))
        start = end
    assert start == len(emissions)
    before_finish = beam_json(decoder)
    finished = label_data_json(decoder.finish())
    return {
        "steps": steps,
        "best": before_finish,
        "finished": finished,
        "bestFinished": beam_json(decoder),
    }


def main() -> None:
    sets = {
        "A": typing_emissions(11, 120),
        "B": typing_emissions(12, 120),
        "C": typing_emissions(13, 240),
        "ties": typing_emissions(14, 80, ties=True),
        "long": typing_emissions(15, 500),
    }
    stamps = {name: timestamps_for(i, len(e)) for i, (name, e) in enumerate(sets.items())}

    beam_cases = []

    def add_case(name: str, set_name: str, chunks: list[int] | None = None, **options) -> None:
        emissions = sets[set_name]
        lm = options.pop("lm", False)
        decoder = CTCBeamDecoder(lm_path=LM_PATH if lm else None, **options)
        result = run_beam(decoder, emissions, stamps[set_name], chunks or [len(emissions)])
        beam_cases.append({
            "name": name,
            "emissions": set_name,
            "chunks": chunks or [len(emissions)],
            "options": {**{k: v for k, v in options.items()}, "lm": lm},
            **result,
        })
        print(f"{name}: {result['finished']['text']!r}", file=sys.stderr)

    for set_name in ("A", "B"):
        add_case(f"{set_name} beam 1", set_name, beam_size=1)
        add_case(f"{set_name} beam 5 top 5", set_name, beam_size=5, max_labels_per_timestep=5)
        add_case(f"{set_name} beam 20 top 10", set_name, beam_size=20, max_labels_per_timestep=10)
        add_case(f"{set_name} beam 50 all", set_name, beam_size=50)
    add_case("C beam 50 top 10", "C", beam_size=50, max_labels_per_timestep=10)
    add_case("ties beam 8 all", "ties", beam_size=8)
    add_case("ties beam 8 top 4", "ties", beam_size=8, max_labels_per_timestep=4)
    add_case("ties beam 50 top 10", "ties", beam_size=50, max_labels_per_timestep=10)
    add_case("long beam 50 top 10", "long", beam_size=50, max_labels_per_timestep=10)

    lm_options = [
        dict(beam_size=50, max_labels_per_timestep=10, lm_weight=2.0, insertion_bonus=2.0),
        dict(beam_size=20, max_labels_per_timestep=-1, lm_weight=1.2, insertion_bonus=1.5),
        dict(beam_size=5, max_labels_per_timestep=5, lm_weight=0.5, insertion_bonus=1.0),
        dict(beam_size=50, max_labels_per_timestep=10, lm_weight=2.0, insertion_bonus=2.0,
             delete_key=None),
    ]
    for set_name in ("A", "B", "C", "ties"):
        for options in lm_options:
            label = " ".join(f"{k}={v}" for k, v in options.items())
            add_case(f"{set_name} LM {label}", set_name, lm=True, **options)
    add_case("long LM beam 50 top 10", "long", lm=True, beam_size=50, max_labels_per_timestep=10)

    # Online decoding: the same search fed in chunks of uneven sizes.
    add_case("A LM chunked", "A", chunks=[1, 7, 30, 2, 80], lm=True, beam_size=30,
             max_labels_per_timestep=8)
    add_case("B chunked", "B", chunks=[50, 1, 1, 68], beam_size=10, max_labels_per_timestep=-1)
    add_case("C LM chunked", "C", chunks=[100, 0, 140], lm=True, beam_size=50,
             max_labels_per_timestep=10)

    beam_cases += onset_scenarios()
    lm_score_cases = lm_score_scenarios()

    batch_lengths = [100, 80, 120]
    batch = np.zeros((max(batch_lengths), len(batch_lengths), C), dtype=np.float32)
    for n, (set_name, length) in enumerate(zip(("A", "B", "C"), batch_lengths)):
        batch[:length, n] = sets[set_name][:length]
    batch_decoder = CTCBeamDecoder(lm_path=LM_PATH, beam_size=20, max_labels_per_timestep=10)
    beam_batch = [label_data_json(d) for d in batch_decoder.decode_batch(
        batch.astype(np.float64), np.array(batch_lengths))]
    greedy_batch = [label_data_json(d) for d in CTCGreedyDecoder().decode_batch(
        batch.astype(np.float64), np.array(batch_lengths))]

    write("decode-beam.json", {
        "lmFile": "reuters-3-gram-char-lm.arpa",
        "emissions": {
            name: {"frames": len(e), "data": encode_f32(e),
                   "timestamps": [float(x) for x in stamps[name]]}
            for name, e in sets.items()
        },
        "cases": beam_cases,
        "lmScore": lm_score_cases,
        "batch": {
            "lengths": batch_lengths,
            "options": {"beam_size": 20, "max_labels_per_timestep": 10, "lm": True},
            "beam": beam_batch,
            "greedy": greedy_batch,
        },
    })
    write("decode-greedy.json", greedy_golden(sets, stamps))
    write("decode-argsort.json", argsort_golden())


def onset_scenarios() -> list[dict]:
    """decoder_test.py's test_timestamps, on the full charset: paths 'abb' and
    'aab' both decode to 'ab' but put the onset of 'b' at 1 or 2. Emissions are
    log(1e-10) except log(1) on each path's labels, so most labels tie."""
    cases = []
    a, b = CHARSET.key_to_label("a"), CHARSET.key_to_label("b")
    paths = {"abb": [a, b, b], "aab": [a, a, b]}
    for chosen, beam_size in ((["abb"], 1), (["aab"], 1), (["abb", "aab"], 1),
                              (["abb", "aab"], 2), (["aab"], 5)):
        frames = 3
        emissions = np.full((frames, C), 1e-10)
        for name in chosen:
            emissions[range(frames), paths[name]] = 1.0
        emissions = np.log(emissions).astype(np.float32)
        decoder = CTCBeamDecoder(lm_path=LM_PATH, delete_key=None, beam_size=beam_size)
        result = run_beam(decoder, emissions, np.arange(frames, dtype=np.float64), [frames])
        cases.append({
            "name": f"onsets {'+'.join(chosen)} beam {beam_size}",
            "emissions": {"frames": frames, "data": encode_f32(emissions),
                          "timestamps": list(range(frames))},
            "chunks": [frames],
            "options": {"beam_size": beam_size, "delete_key": None, "lm": True},
            **result,
        })
    return cases


def lm_score_scenarios() -> list[dict]:
    """decoder_test.py's test_lm_score through the public API: emissions force
    one path ('the quick  brown' with typo + backspace pairs inserted), so the
    best prefix's log probability is its LM terms alone, which must equal
    lm_weight * (word scores) + insertion_bonus * len(sentence)."""
    lm = kenlm.Model(LM_PATH)
    sentence = "the quick  brown"
    words_score = 0.0
    words = sentence.split(" ")
    for i, word in enumerate(words):
        if word:
            words_score += lm.score(" ".join(word), bos=True, eos=i != len(words) - 1)
        else:
            words_score += lm.score("<unk>", bos=False, eos=False)
    cases = []
    rng = np.random.default_rng(7)
    for num_deletes, lm_weight, insertion_bonus in ((0, 2.0, 2.0), (1, 1.0, 0.5),
                                                    (5, 0.5, 1.0), (12, 2.0, 2.0)):
        labels = CHARSET.str_to_labels(sentence)
        for _ in range(num_deletes):
            position = int(rng.integers(0, len(labels) + 1))
            typo = int(rng.integers(0, CHARSET.num_classes - 1))
            while typo == BACKSPACE:
                typo = int(rng.integers(0, CHARSET.num_classes - 1))
            labels[position:position] = [typo, BACKSPACE]
        # One frame per label, each followed by a blank frame (repeats stay apart).
        frames = 2 * len(labels)
        emissions = np.full((frames, C), -50.0, dtype=np.float32)
        for i, label in enumerate(labels):
            emissions[2 * i, label] = 0.0
            emissions[2 * i + 1, BLANK] = 0.0
        decoder = CTCBeamDecoder(lm_path=LM_PATH, beam_size=4, max_labels_per_timestep=1,
                                 lm_weight=lm_weight, insertion_bonus=insertion_bonus)
        decoded = decoder.decode(emissions.astype(np.float64), np.arange(frames) * 1.0)
        cases.append({
            "name": f"{num_deletes} typos lm_weight={lm_weight} insertion_bonus={insertion_bonus}",
            "sentence": sentence,
            "labels": labels,
            "lmWeight": lm_weight,
            "insertionBonus": insertion_bonus,
            "wordsScore": words_score,
            "expectedLogProb": lm_weight * words_score + insertion_bonus * len(sentence),
            "decodedText": decoded.text,
            "logProb": number(decoder.beam[0].p_total),
        })
    return cases


def greedy_golden(sets: dict, stamps: dict) -> dict:
    """decoder_test.py's greedy strings ('\\b' = blank) plus seeded emissions,
    whole and in chunks."""
    strings = [("\b", ""), ("\b\b\b\b", ""), ("hello", "helo"), ("hh\b\beeell\bloo", "hello")]
    string_cases = []
    for text, expected in strings:
        emissions = np.zeros((len(text), C))
        for t, key in enumerate(text):
            emissions[t, BLANK if key == "\b" else CHARSET.key_to_label(key)] = 1
        decoded = CTCGreedyDecoder().decode(emissions, np.arange(len(text)))
        assert decoded.text == expected
        string_cases.append({"input": text, **label_data_json(decoded)})
    random_cases = []
    for set_name, chunks in (("A", [120]), ("A", [3, 0, 40, 77]), ("long", [500]),
                             ("long", [1] * 20 + [480]), ("ties", [80])):
        decoder = CTCGreedyDecoder()
        start, steps = 0, []
        emissions = sets[set_name].astype(np.float64)
        for size in chunks:
            steps.append(label_data_json(decoder.decode(
                emissions[start:start + size], stamps[set_name][start:start + size])))
            start += size
        random_cases.append({"emissions": set_name, "chunks": chunks, "steps": steps})
    return {"strings": string_cases, "random": random_cases}


def argsort_golden() -> dict:
    """np.argsort on rows full of ties (and a few NaNs), lengths around NumPy's
    insertion-sort cutoff and the charset's 99."""
    rng = np.random.default_rng(3)
    rows = []
    for length in [1, 2, 5, 15, 16, 17, 18, 33, 64, 99, 99, 99, 99, 130]:
        for distinct in (1, 2, 3, 5, 20):
            values = rng.integers(0, distinct, size=length).astype(np.float64) * 0.5
            if distinct == 20 and length > 10:
                values[rng.integers(0, length, size=2)] = np.nan
            rows.append({
                "values": [None if math.isnan(v) else float(v) for v in values],
                "argsort": [int(i) for i in np.argsort(values)],
            })
    return {"numpy": np.__version__, "rows": rows}


def write(name: str, content: dict) -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    path = GOLDEN / name
    path.write_text(json.dumps(content, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB)", file=sys.stderr)


if __name__ == "__main__":
    main()

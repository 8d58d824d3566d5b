#!/usr/bin/python3
"""Golden vectors for @emgkit/cer-metrics from python-Levenshtein (Debian's 0.12.2).

Run with the system Python that has python3-levenshtein installed:

    /usr/bin/python3 packages/cer-metrics/scripts/make_golden.py

Writes test/golden/editops.json next to this script's package. Deterministic (fixed seed).
For each pair it stores Levenshtein.editops(prediction, target) and the op counts, and for a
few groups of pairs the CharacterErrorRates rates computed as emg2qwerty computes them.
"""

import json
import random
from collections import Counter
from pathlib import Path

import Levenshtein

SEED = 20241027
OUTPUT = Path(__file__).resolve().parent.parent / "test" / "golden" / "editops.json"
# Above this many ops only the counts are stored, to keep the file small.
MAX_LISTED_OPS = 4000

SENTENCES = [
    "the quick brown fox jumps over the lazy dog",
    "pack my box with five dozen liquor jugs",
    "how vexingly quick daft zebras jump",
    "she sells sea shells by the sea shore",
    "a journey of a thousand miles begins with a single step",
    "typing on a keyboard produces muscle activity in the forearm",
    "surface electromyography records electrical signals from muscles",
    "the meeting has been moved to thursday afternoon at three",
    "please remember to bring the documents to the office tomorrow",
    "it was the best of times, it was the worst of times",
    "all happy families are alike; each unhappy family is unhappy in its own way",
    "call me when you get home so i know you arrived safely",
    "the committee will review the proposal before making a decision",
    "my grandmother bakes the most wonderful apple pies in autumn",
    "Hello, World! How are you doing today?",
    "Can't stop, won't stop: 42 reasons to keep going.",
]

# Neighbouring keys on a qwerty keyboard, for realistic substitutions.
QWERTY_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
NEIGHBOURS = {}
for row in QWERTY_ROWS:
    for index, key in enumerate(row):
        NEIGHBOURS[key] = row[max(0, index - 1) : index] + row[index + 1 : index + 2]


def typo(rng, text, rate, alphabet="abcdefghijklmnopqrstuvwxyz ⌫⏎⇧"):
    """A noisy copy of text: substitutions (often neighbouring keys), drops, extra keys,
    doubled letters and swapped neighbours, each character hit with probability rate."""
    out = []
    index = 0
    while index < len(text):
        char = text[index]
        if rng.random() >= rate:
            out.append(char)
            index += 1
            continue
        kind = rng.choice(["sub", "sub", "drop", "extra", "double", "swap"])
        if kind == "sub":
            out.append(rng.choice(NEIGHBOURS.get(char, alphabet) or alphabet))
        elif kind == "extra":
            out.append(rng.choice(alphabet))
            out.append(char)
        elif kind == "double":
            out.append(char + char)
        elif kind == "swap" and index + 1 < len(text):
            out.append(text[index + 1] + char)
            index += 1
        elif kind != "drop":
            out.append(char)
        index += 1
    return "".join(out)


def random_string(rng, alphabet, low, high):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(low, high)))


def build_pairs(rng):
    pairs = []

    def add(category, prediction, target):
        pairs.append((category, prediction, target))

    for prediction, target in [("", ""), ("", "a"), ("a", ""), ("", "hello"), ("hello", ""),
                               ("", "⌫⏎⇧😀"), ("😀👍", "")]:
        add("empty", prediction, target)
    for text in ["a", "hello world", "⌫⏎⇧", "naïve café 😀", SENTENCES[0]]:
        add("identical", text, text)
    base = "keyboard"
    for index in range(len(base)):
        add("single-substitution", base[:index] + "x" + base[index + 1 :], base)
        add("single-deletion", base[:index] + base[index + 1 :], base)
        add("single-insertion", base[:index] + "z" + base[index:], base)
    for prediction, target in [("ab", "ba"), ("abc", "acb"), ("abc", "bac"), ("abcd", "badc"),
                               ("teh", "the"), ("recieve", "receive"), ("form", "from"),
                               ("abcdef", "fedcba"), ("ba", "ab"), ("xyz", "zyx")]:
        add("transposition", prediction, target)
    for prediction, target in [("aaa", "aaaa"), ("aaaa", "aaa"), ("aa", "aaaaaa"),
                               ("aaaaaa", "aa"), ("abab", "baba"), ("aabb", "abab"),
                               ("letter", "leter"), ("leter", "letter"), ("mississippi", "misisipi"),
                               ("bookkeeper", "bokeper"), ("aaabbb", "bbbaaa"), ("ababab", "aabbaa")]:
        add("repeated-letters", prediction, target)
    for prediction, target in [("hello⌫", "hell"), ("hell", "hello⌫"), ("⇧hi⏎", "⇧hi"),
                               ("⇧h⇧i", "⇧hi"), ("a⌫b⌫c", "abc"), ("⏎⏎", "⏎"),
                               ("⌫⌫⌫", "⇧⇧⇧"), ("the⌫⌫⌫that⏎", "that⏎"), ("⇧⏎⌫", "⌫⏎⇧")]:
        add("emg2qwerty-keys", prediction, target)
    for prediction, target in [("café", "cafe"), ("cafe\u0301", "café"), ("naïve", "naive"),
                               ("ñandú", "nandu"), ("Zürich", "Zurich"), ("😀", "😃"),
                               ("a😀b", "ab"), ("ab", "a😀b"), ("👍🏽", "👍"), ("😀😀😀", "😀😃😀"),
                               ("𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "Unicode"), ("日本語", "日本"), ("ab😀cd", "abcd😀")]:
        add("unicode", prediction, target)
    for alphabet in ["ab", "abc", "aab", "ab⌫", "a😀"]:
        for _ in range(24):
            add("random-tiny-alphabet:" + alphabet, random_string(rng, alphabet, 0, 12),
                random_string(rng, alphabet, 0, 12))
    for alphabet in ["ab", "abcd"]:
        for _ in range(8):
            add("random-tiny-alphabet-medium:" + alphabet, random_string(rng, alphabet, 40, 160),
                random_string(rng, alphabet, 40, 160))
    for sentence in SENTENCES:
        for rate in (0.05, 0.15, 0.3):
            add("typo-sentence", typo(rng, sentence, rate), sentence)
    for sentence in SENTENCES[:6]:
        add("typo-sentence-swapped-roles", sentence, typo(rng, sentence, 0.2))
    # More distinct target characters than the library caches match masks for (64).
    for first, count in [(0x4E00, 300), (0x1F300, 200)]:
        alphabet = "".join(chr(first + index) for index in range(count))
        text = random_string(rng, alphabet, 400, 400)
        add("many-distinct-characters", typo(rng, text, 0.3, alphabet), text)
    words = " ".join(SENTENCES).lower().split()
    for length, rate in [(2000, 0.2), (3000, 0.3), (4500, 0.4), (6000, 0.25)]:
        text = ""
        while len(text) < length:
            text += rng.choice(words) + rng.choice([" ", " ", " ", "⏎", ", "])
        text = text[:length]
        add("long-noisy-copy", typo(rng, text, rate), text)
    add("long-unrelated", random_string(rng, "abcdefgh", 2500, 2500),
        random_string(rng, "abcdefgh", 2000, 2000))
    return pairs


def rates(group):
    """emg2qwerty CharacterErrorRates.compute() over the pairs in group."""
    insertions = sum(pair["counts"]["insertions"] for pair in group)
    deletions = sum(pair["counts"]["deletions"] for pair in group)
    substitutions = sum(pair["counts"]["substitutions"] for pair in group)
    target_len = sum(len(pair["target"]) for pair in group)
    return {
        "CER": (insertions + deletions + substitutions) / target_len * 100.0,
        "IER": insertions / target_len * 100.0,
        "DER": deletions / target_len * 100.0,
        "SER": substitutions / target_len * 100.0,
    }


def main():
    rng = random.Random(SEED)
    records = []
    for index, (category, prediction, target) in enumerate(build_pairs(rng)):
        ops = Levenshtein.editops(prediction, target)
        counts = Counter(op for op, _, _ in ops)
        records.append({
            "id": index,
            "category": category,
            "prediction": prediction,
            "target": target,
            "counts": {
                "insertions": counts["insert"],
                "deletions": counts["delete"],
                "substitutions": counts["replace"],
            },
            "ops": [list(op) for op in ops] if len(ops) <= MAX_LISTED_OPS else None,
        })
    groups = {
        "typo-sentences": [r for r in records if r["category"] == "typo-sentence"],
        "emg2qwerty-keys-and-unicode": [
            r for r in records if r["category"] in ("emg2qwerty-keys", "unicode")
        ],
        "long-noisy-copies": [r for r in records if r["category"] == "long-noisy-copy"],
        "everything-with-a-target": [r for r in records if r["target"]],
        "including-empty-targets": records[:12],
    }
    aggregates = [
        {"name": name, "pairIds": [r["id"] for r in group], "rates": rates(group)}
        for name, group in groups.items()
    ]
    golden = {
        "reference": "python-Levenshtein 0.12.2 (Debian python3-levenshtein), Levenshtein.editops",
        "generator": "packages/cer-metrics/scripts/make_golden.py",
        "seed": SEED,
        "pairs": records,
        "aggregates": aggregates,
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(golden, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {len(records)} pairs and {len(aggregates)} aggregates to {OUTPUT}")


if __name__ == "__main__":
    main()

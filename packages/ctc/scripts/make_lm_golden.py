"""Golden vectors for NGramLM: KenLM's Python API (through the KenLM-compatible
stand-in in scripts/kenlm_compat) on the Reuters 3-gram character LM.

    /usr/bin/python3 scripts/make_lm_golden.py   # from packages/ctc

writes test/golden/lm-reuters.json:

- sentences: Model.score(text, bos, eos) for every bos/eos combination, as the
  stand-in computes it (float64 sums), and as KenLM computes it (`kenlmScore`:
  each BaseScore rounded to float32 and summed in float32, which is what
  KenLM's C++ and its `cdef float total` do; the stand-in omits that rounding).
- sequences: per-token BaseScore from BeginSentenceWrite or NullContextWrite,
  and whether the stand-in's state after each token equals the <s> state.

Texts: Reuters-like sentences, lowercase and as typed (capitals and unusual
characters fall outside the vocabulary), pseudo-random strings over the
vocabulary, explicit <unk>, <s> and </s>, whole words as single tokens (out of
vocabulary), long words, and empty input. Seeded, so reruns give the same file.
"""

from __future__ import annotations

import json
import random
import struct
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PACKAGE / "scripts" / "kenlm_compat"))

import kenlm  # noqa: E402  (the stand-in, first on sys.path)

ARPA = PACKAGE / "test" / "fixtures" / "reuters-3-gram-char-lm.arpa"
OUT = PACKAGE / "test" / "golden" / "lm-reuters.json"

PHRASES = [
    "asian exporters fear damage from u.s.-japan rift",
    "china daily says vermin eat 7-12 pct grain stocks",
    "the bank of japan said it would intervene if the dollar fell below 140 yen",
    "shares in the company rose 2.5 pct to 34-1/2 dlrs on the new york stock exchange",
    "opec ministers meet in vienna on monday, oil prices steady",
    "u.k. money market shortage forecast at 250 mln stg",
    "the quick brown fox jumps over the lazy dog",
    "qualified zebras quietly vex jumpy wizards",
    "net profit 4.5 mln vs 3.2 mln; revs 120.3 mln vs 98.7 mln",
    "\"we expect a strong quarter,\" the spokesman said (reuter)",
    "Asian Exporters Fear Damage From U.S.-Japan Rift",
    "café société über naïve résumé",
    "emg⌫ typing ⏎ with ⇧shift keys",
    "x",
    "zzzz qqqq jjjj",
]


def characters(text: str) -> str:
    """A text as the character LM's tokens: one token per character, spaces as '_'."""
    return " ".join("_" if c == " " else c for c in text)


def float32(x: float) -> float:
    return struct.unpack("f", struct.pack("f", x))[0]


def texts(vocab: list[str], rng: random.Random) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for phrase in PHRASES:
        out.append(("phrase", characters(phrase)))
        out.append(("phrase-as-words", phrase))
    letters = [w for w in vocab if w not in ("<s>", "</s>", "<unk>")]
    common = list("etaoinshrdlcumwfgypbvkjxqz")
    for i in range(120):
        length = rng.choice([1, 2, 3, 5, 8, 13, 21, 34, 55])
        pool = letters if i % 2 else common
        out.append(("random", " ".join(rng.choice(pool) for _ in range(length))))
    for _ in range(30):
        tokens = [rng.choice(common) for _ in range(rng.randint(3, 15))]
        for _ in range(rng.randint(1, 3)):
            tokens.insert(rng.randrange(len(tokens) + 1), rng.choice(["<unk>", "é", "Q", "⌫", "<UNK>", "ab", "</s>", "<s>"]))
        out.append(("special", " ".join(tokens)))
    for length in (200, 500, 1000):
        out.append(("long", " ".join(rng.choice(common) for _ in range(length))))
    out.append(("long-phrase", characters(" ".join(PHRASES[:10]))))
    out.append(("long-word", "supercalifragilisticexpialidocious" * 3))
    out.append(("whitespace", "  a\tb \n c  "))
    out.append(("empty", ""))
    out.append(("only-specials", "<s> </s> <unk>"))
    return out


def main() -> None:
    model = kenlm.Model(str(ARPA))
    vocab = sorted(w[0] for w in model.prob if len(w) == 1)
    rng = random.Random(20240611)
    sentences = []
    sequences = []
    begin = kenlm.State()
    model.BeginSentenceWrite(begin)
    for category, text in texts(vocab, rng):
        for bos in (True, False):
            for eos in (True, False):
                state, out = kenlm.State(), kenlm.State()
                (model.BeginSentenceWrite if bos else model.NullContextWrite)(state)
                kenlm_total = 0.0
                for word in text.split() + (["</s>"] if eos else []):
                    kenlm_total = float32(kenlm_total + float32(model.BaseScore(state, word, out)))
                    state, out = out, state
                sentences.append(
                    {
                        "category": category,
                        "text": text,
                        "bos": bos,
                        "eos": eos,
                        "score": model.score(text, bos=bos, eos=eos),
                        "kenlmScore": kenlm_total,
                    }
                )
        if category in ("phrase", "special", "random") and len(sequences) < 60:
            for start in ("begin", "null"):
                state, out = kenlm.State(), kenlm.State()
                (model.BeginSentenceWrite if start == "begin" else model.NullContextWrite)(state)
                steps = []
                for word in text.split():
                    score = model.BaseScore(state, word, out)
                    state, out = out, state
                    steps.append({"word": word, "score": score, "isBeginSentence": state == begin})
                sequences.append({"start": start, "steps": steps})
    OUT.write_text(
        json.dumps(
            {"arpa": "test/fixtures/reuters-3-gram-char-lm.arpa", "sentences": sentences, "sequences": sequences},
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(sentences)} sentences, {len(sequences)} sequences -> {OUT.relative_to(PACKAGE)}")


if __name__ == "__main__":
    main()

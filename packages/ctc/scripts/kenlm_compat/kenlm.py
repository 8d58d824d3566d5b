"""A small stand-in for the `kenlm` Python module, for golden-vector scripts only.

Debian has no KenLM package and these machines reach no PyPI, so the scripts that
run emg2qwerty's decoder (which does `import kenlm`) put this folder first on
`sys.path`. It reads ARPA files and scores them by standard back-off, as KenLM
does for an ARPA model:

    log10 p(w | h) = log10 p(h w)                 if the n-gram (h w) is listed
                   = backoff(h) + log10 p(w | h')  otherwise, h' = h without its oldest word

with words outside the vocabulary scored as `<unk>`. It implements the parts of
KenLM's API that emg2qwerty uses: Model(path), `word in model`, Model.score,
Model.BeginSentenceWrite, Model.NullContextWrite, Model.BaseScore, State (with ==).

Like KenLM, probabilities and back-offs are float32, and every sum is rounded to
float32 (KenLM adds in C floats); an ARPA without `<unk>` scores unknown words -100.

States hold the full context (the last order - 1 words, most recent first).
KenLM keeps a shorter, equivalent state when no longer n-gram can follow; the
scores are the same, and emg2qwerty compares states only with the `<s>` state,
which both represent the same way.
"""

from __future__ import annotations

import numpy as np

BOS, EOS, UNK = "<s>", "</s>", "<unk>"


class State:
    __slots__ = ("words",)

    def __init__(self) -> None:
        self.words: tuple[str, ...] = ()  # most recent first

    def __eq__(self, other: object) -> bool:
        return isinstance(other, State) and self.words == other.words

    def __hash__(self) -> int:
        return hash(self.words)

    def __repr__(self) -> str:
        return f"State({self.words!r})"


class Model:
    def __init__(self, path: str) -> None:
        self.prob: dict[tuple[str, ...], float] = {}
        self.backoff: dict[tuple[str, ...], float] = {}
        self.order = 0
        section = 0
        with open(path, encoding="utf-8") as f:
            for raw in f:
                line = raw.strip()
                if not line or line.startswith("\\data\\") or line.startswith("ngram "):
                    continue
                if line.endswith("-grams:"):
                    section = int(line[1 : line.index("-")])
                    self.order = max(self.order, section)
                    continue
                if line == "\\end\\":
                    break
                fields = line.split("\t")
                words = tuple(fields[1].split(" "))
                self.prob[words] = np.float32(fields[0])
                if len(fields) > 2:
                    self.backoff[words] = np.float32(fields[2])
        self.vocab = {w[0] for w in self.prob if len(w) == 1}

    def __contains__(self, word: str) -> bool:
        return word in self.vocab and word != UNK

    def BeginSentenceWrite(self, state: State) -> None:
        state.words = (BOS,)

    def NullContextWrite(self, state: State) -> None:
        state.words = ()

    def BaseScore(self, in_state: State, word: str, out_state: State) -> float:
        if word not in self.vocab:
            word = UNK
        context = in_state.words  # most recent first
        out_state.words = ((word,) + context)[: self.order - 1] if word != UNK else ()
        if word == UNK and (UNK,) not in self.prob:
            return -100.0
        # As KenLM: the longest listed n-gram's probability first, then the back-offs of
        # the longer contexts that were not matched, shortest first (the order matters in float32).
        longest = min(len(context), self.order - 1)
        matched = next(k for k in range(longest, -1, -1) if tuple(reversed(context[:k])) + (word,) in self.prob)
        score = self.prob[tuple(reversed(context[:matched])) + (word,)]
        for k in range(matched + 1, longest + 1):
            score = np.float32(score + self.backoff.get(tuple(reversed(context[:k])), np.float32(0.0)))
        return float(score)

    def score(self, sentence: str, bos: bool = True, eos: bool = True) -> float:
        state, out = State(), State()
        (self.BeginSentenceWrite if bos else self.NullContextWrite)(state)
        total = np.float32(0.0)
        words = sentence.split()
        if eos:
            words = words + [EOS]
        for word in words:
            total = np.float32(total + np.float32(self.BaseScore(state, word, out)))
            state, out = out, state
        return float(total)

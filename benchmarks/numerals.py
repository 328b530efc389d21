"""Chinese numerals: this project's parser (analytics.features.quantities.parse_chinese_integer) against cn2an.

`python benchmarks/numerals.py` (cn2an is no dependency of the project: `pip install cn2an` first) prints,
for each parser, its accuracy on labelled numerals (every form the figures stage must read: place
notation, 两 for 二, a leading 十, zeros, 万/亿 sections) and on the Chinese numerals of the evaluation
corpus (tests/evaluation, each checked by hand against its gold value), and the time per numeral.
The figures stage keeps the parser with the better accuracy; speed decides only a tie.
"""
from __future__ import annotations

import random
import re
import time

from analytics.evaluate import load_texts
from analytics.features.quantities import NUM_CN, parse_chinese_integer, to_chinese_numeral


def labelled_numerals(n: int = 3000, seed: int = 7) -> list[tuple[str, int]]:
    rng = random.Random(seed)
    values = [rng.choice([rng.randint(1, 99), rng.randint(100, 9999), rng.randint(10_000, 99_999_999)])
              for _ in range(n)]
    out = [(to_chinese_numeral(v), v) for v in values]
    # 两 for 二 before a place (两千, 两万), the forms of county texts
    out += [(to_chinese_numeral(v).replace("二千", "两千").replace("二万", "两万").replace("二百", "两百"), v)
            for v in values if str(v)[0] == "2"]
    return out


def corpus_numerals(parsers) -> list[tuple[str, int]]:
    """Chinese numerals of the evaluation texts labelled with the gold value that one of the parsers gives
    (三个 -> 3): a numeral no parser reads as a gold value is left out, so neither parser is favoured."""
    out = []
    for text in load_texts():
        gold = set(text.figures["value"])
        for m in re.finditer(NUM_CN, text.text):
            readings = {parser(m.group()) for parser in parsers} & gold
            if len(readings) == 1:
                out.append((m.group(), int(readings.pop())))
    return out


def _cn2an(numeral: str) -> int | None:
    import cn2an

    try:
        return int(cn2an.cn2an(numeral, "normal"))
    except (ValueError, KeyError, TypeError):
        return None


def measure(parser, cases: list[tuple[str, int]]) -> tuple[float, float]:
    start = time.perf_counter()
    right = sum(parser(numeral) == value for numeral, value in cases)
    elapsed = time.perf_counter() - start
    return right / len(cases), elapsed / len(cases) * 1e6


def main() -> None:
    parsers = {"parse_chinese_integer": parse_chinese_integer}
    try:
        import cn2an  # noqa: F401

        parsers["cn2an (normal)"] = _cn2an
    except ImportError:
        print("cn2an is not installed: pip install cn2an")
    labelled, corpus = labelled_numerals(), corpus_numerals(list(parsers.values()))
    print(f"{'parser':24} {'labelled acc':>13} {'corpus acc':>11} {'µs/numeral':>11}   "
          f"({len(labelled)} labelled, {len(corpus)} from the corpus)")
    for name, parser in parsers.items():
        acc, speed = measure(parser, labelled)
        corpus_acc, _ = measure(parser, corpus) if corpus else (float("nan"), 0)
        print(f"{name:24} {acc:13.4f} {corpus_acc:11.4f} {speed:11.1f}")


if __name__ == "__main__":
    main()

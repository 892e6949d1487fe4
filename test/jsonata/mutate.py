#!/usr/bin/env python3
"""Mutated JSONata expressions for robustness runs (not part of test/run).

Usage: mutate.py SEED COUNT > expressions.jsonl

Each line is a JSON string: an expression of the converted suite
(suite/cases.jsonl) with one to four random edits (inserted tokens,
deletions, splices from other expressions, truncation, repetition).  The
same seed gives the same expressions.  Feed them to fuzz.sql.
"""
import json
import os
import random
import sys

TOKENS = list("()[]{}.,;:$#@%^*?&|<>=!~'\"/\\-+0123456789 \n") + [
    "..", ":=", "~>", "**", "function($x){$x}", "$map", "$sort", "$reduce",
    "[1..5]", "%", "$$", "$string", "/a+/i", "<n-:n>", "^(", "{}", "[]", "in",
    "and", "or", "?", "$$.a", "true", "null", "\\u00", "`a`"]


def main():
    rnd = random.Random(int(sys.argv[1]))
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "suite", "cases.jsonl"), encoding="utf-8") as f:
        exprs = [json.loads(line)["expr"] for line in f]
    for _ in range(int(sys.argv[2])):
        e = rnd.choice(exprs)
        for _ in range(rnd.randint(1, 4)):
            if not e:
                e = rnd.choice(exprs)
            p = rnd.randint(0, len(e))
            op = rnd.random()
            if op < 0.3:
                e = e[:p] + rnd.choice(TOKENS) + e[p:]
            elif op < 0.5:
                e = e[:p] + e[p + rnd.randint(1, 5):]
            elif op < 0.7:
                other = rnd.choice(exprs)
                q = rnd.randint(0, len(other))
                e = e[:p] + other[q:q + rnd.randint(1, 30)] + e[p:]
            elif op < 0.85:
                e = e[:p]
            else:
                e = e[:p] + e[p:p + rnd.randint(1, 20)] * rnd.randint(2, 5) + e[p:]
        # PostgreSQL text holds neither NUL nor lone surrogates
        line = json.dumps(e)
        if "\\u0000" in line or "\\ud8" in line or "\\ud9" in line or "\\uda" in line \
                or "\\udb" in line or "\\udc" in line or "\\udd" in line or "\\ude" in line \
                or "\\udf" in line:
            continue
        print(line)


if __name__ == "__main__":
    main()

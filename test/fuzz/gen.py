"""gen.py: pg_sfn's input generator for the fuzzer (Python 3 standard library).

Input number i of a run is a pure function of (seed, i): batch b of size B
is generated from random.Random(f"{seed}:{b}"), so any input can be
regenerated alone (fuzz.py --show i) and a slice with a fixed seed is the
same corpus every time.

Each input is a tuple (kind, a, b, c) of strings (b and c may be None):
  path   sfn.jsonpath_query(a, b::jsonb, c::jsonb)
  set    sfn.jsonpath_set(a, b::jsonb, c::jsonb)
  intr   sfn.intrinsic_eval(a, b::jsonb, c::jsonb)
  valid  sfn_validate_state_machine_definition(a::jsonb, c)
  state  sfn_test_state(a::jsonb, b::jsonb, c)   (Pass templates, Choice
         rules, whole definitions through the compiler and the engine)

Seeds come from the regression tests in sql/*.sql (which include the AWS
documentation's examples) plus the hand-written seeds in seeds.py; the
generator mutates them and mixes in hostile values.
"""
import copy
import glob
import json
import os
import random
import re
import sys

# json of deeply nested values is written recursively
sys.setrecursionlimit(20000)

from seeds import (EXTRA_DOCS, EXTRA_INTRINSICS, EXTRA_PATHS, HOSTILE_NUMBERS,
                   HOSTILE_STRINGS, PATH_TOKENS, INTRINSIC_NAMES, CHOICE_OPS,
                   INTRINSIC_ARITY)

KINDS = [("path", 24), ("set", 6), ("intr", 24), ("valid", 14),
         ("template", 12), ("choice", 12), ("definition", 8)]


class Seeds:
    """Seed material extracted from the regression tests."""

    def __init__(self, sql_dir):
        self.paths, self.intrinsics, self.docs = [], [], []
        self.definitions, self.states, self.templates, self.rules = [], [], [], []
        for f in sorted(glob.glob(os.path.join(sql_dir, "*.sql"))):
            self._scan(open(f, encoding="utf-8").read())
        self.paths += EXTRA_PATHS
        self.intrinsics += EXTRA_INTRINSICS
        for d in EXTRA_DOCS:
            self._add_json(d)
        # Templates and rules are found inside the definitions and states.
        for d in self.definitions:
            sts = d.get("States")
            for s in (sts.values() if isinstance(sts, dict) else []):
                if isinstance(s, dict):
                    self._harvest_state(s)
        for s in self.states:
            self._harvest_state(s)
        for lst in ("paths", "intrinsics", "docs", "definitions", "states",
                    "templates", "rules"):
            # sorted and deduplicated: the corpus must not depend on order
            uniq = {json.dumps(x, sort_keys=True): x for x in getattr(self, lst)}
            keep = [uniq[k] for k in sorted(uniq)]
            if lst not in ("paths", "intrinsics"):
                # kept as text: each use parses a fresh copy, so mutating
                # it in place never changes the corpus
                keep = [json.dumps(x) for x in keep]
            setattr(self, lst, keep)
        if not self.docs:
            self.docs = ["{}"]

    def _scan(self, text):
        for m in re.finditer(r"jsonpath_(?:query|set)\(\s*'((?:[^']|'')*)'", text):
            self.paths.append(m.group(1).replace("''", "'"))
        for m in re.finditer(r"intrinsic_eval\(\s*'((?:[^']|'')*)'", text):
            self.intrinsics.append(m.group(1).replace("''", "'"))
        for m in re.finditer(r"'((?:[\[{](?:[^']|'')*))'", text):
            self._add_json(m.group(1).replace("''", "'"))
        for m in re.finditer(r"\$(\w*)\$(.*?)\$\1\$", text, re.S):
            self._add_json(m.group(2))

    def _add_json(self, s):
        try:
            v = json.loads(s)
        except ValueError:
            return
        if isinstance(v, dict) and "States" in v and "StartAt" in v:
            self.definitions.append(v)
        elif isinstance(v, dict) and "Type" in v:
            self.states.append(v)
        else:
            self.docs.append(v)

    def _harvest_state(self, s):
        for k in ("Parameters", "ResultSelector", "ItemSelector"):
            if isinstance(s.get(k), (dict, list)):
                self.templates.append(s[k])
        chs = s.get("Choices")
        for r in (chs if isinstance(chs, list) else []):
            if isinstance(r, dict):
                self.rules.append(r)
        for k, v in s.items():
            if isinstance(v, str) and v.startswith("$"):
                self.paths.append(v)
        for t in self.templates[-2:]:
            for v in _strings_of(t):
                if v.startswith("States."):
                    self.intrinsics.append(v)
                elif v.startswith("$"):
                    self.paths.append(v)


def _strings_of(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for x in v.values():
            yield from _strings_of(x)
    elif isinstance(v, list):
        for x in v:
            yield from _strings_of(x)


def _small(v, budget=None):
    """True if v has at most 2000 nodes (deep or huge seeds are not copied:
    mutating them in place is fine, they are regenerated per batch)."""
    stack, n = [v], 0
    while stack:
        x = stack.pop()
        n += 1
        if n > 2000:
            return False
        if isinstance(x, dict):
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
    return True


class RawNumber:
    """A number written as given (json.dumps cannot write 1e400 or -0)."""

    def __init__(self, text):
        self.text = text


def dumps(v):
    """Compact JSON that can carry RawNumbers (written through placeholders,
    so that the C encoder does the work); ensure_ascii off, so unusual
    characters reach the server as UTF-8."""
    raws = []

    def enc(x):
        raws.append(x.text)
        return "\ue000%d\ue000" % (len(raws) - 1)
    text = json.dumps(v, ensure_ascii=False, separators=(",", ":"), default=enc)
    if len(text) > 1000000:
        # a guard against runaway growth in the generator, not a test limit
        raise ValueError("input too large")
    if raws:
        text = re.sub('"\ue000(\\d+)\ue000"', lambda m: raws[int(m.group(1))], text)
    return text


class Gen:
    def __init__(self, seeds, rng):
        self.s = seeds
        self.r = rng

    # -- hostile leaves -------------------------------------------------
    def number(self):
        r = self.r
        c = r.random()
        if c < 0.5:
            return RawNumber(r.choice(HOSTILE_NUMBERS))
        if c < 0.7:
            return r.randint(-10, 10)
        if c < 0.85:
            return r.choice([-1, 1]) * r.randint(0, 2 ** 64)
        return round(r.uniform(-1e6, 1e6), r.randint(0, 12))

    def string(self):
        r = self.r
        c = r.random()
        if c < 0.45:
            s = r.choice(HOSTILE_STRINGS)
        elif c < 0.6:
            s = r.choice(["a", "b", "x", "name", "Hello {}", "{}{}", "\\{}", "1,2,3", ","])
        elif c < 0.7:
            s = r.choice(self.s.paths) if self.s.paths else "$"
        elif c < 0.8:
            s = r.choice(self.s.intrinsics) if self.s.intrinsics else "States.UUID()"
        elif c < 0.98:
            s = "".join(chr(r.choice([r.randint(1, 0x7f), r.randint(0x80, 0x7ff),
                                      r.randint(0x800, 0xd7ff), r.randint(0xe000, 0x10ffff)]))
                        for _ in range(r.randint(1, 20)))
        else:
            s = (r.choice(HOSTILE_STRINGS) or "x") * r.choice([2, 100, 1000, 20000])
            s = s[:r.choice([300, 1000, 20000])]
        return s

    def leaf(self):
        c = self.r.random()
        if c < 0.35:
            return self.number()
        if c < 0.75:
            return self.string()
        return self.r.choice([None, True, False, [], {}])

    def deep(self, depth=None):
        r = self.r
        depth = depth or r.choice([10, 64, 200, 1000, 3000])
        v = self.leaf()
        for _ in range(depth):
            v = [v] if r.random() < 0.5 else {r.choice(["a", "b", ""]): v}
        return v

    def value(self, depth=0):
        r = self.r
        c = r.random()
        if depth > 3 or c < 0.4:
            return self.leaf()
        if c < 0.55:
            return json.loads(r.choice(self.s.docs))
        if c < 0.75:
            return [self.value(depth + 1) for _ in range(r.randint(0, 4))]
        if c < 0.99:
            return {self.key(): self.value(depth + 1) for _ in range(r.randint(0, 4))}
        return self.deep()

    def key(self):
        r = self.r
        c = r.random()
        if c < 0.6:
            return r.choice(["a", "b", "x", "n", "items", "name", "Payload", "0", "$", ".", "*", "'", "\""])
        if c < 0.9:
            return self.string()[:64]
        return r.choice(HOSTILE_STRINGS)

    # -- tree mutation --------------------------------------------------
    def mutate_tree(self, v, n=None):
        """Copy of v with a few random nodes replaced, removed or duplicated."""
        if not _small(v):
            # too big to copy: wrap it instead (seeds are shared, never
            # changed in place, so every batch sees the same corpus)
            return [v, self.value()] if self.r.random() < 0.5 else {"a": v, self.key(): self.value()}
        v = copy.deepcopy(v)
        for _ in range(n or self.r.randint(1, 4)):
            v = self._mutate_once(v)
        return v

    def _mutate_once(self, v):
        r = self.r
        if not isinstance(v, (dict, list)) or not v or r.random() < 0.15:
            return self.value() if r.random() < 0.8 else self.leaf()
        if isinstance(v, dict):
            k = r.choice(list(v.keys()))
            c = r.random()
            if c < 0.5:
                v[k] = self._mutate_once(v[k])
            elif c < 0.65:
                del v[k]
            elif c < 0.8:
                v[self.key()] = self.value()
            elif c < 0.9:
                v[k] = self.leaf()
            else:
                v[k + ".$" if not k.endswith(".$") else k[:-2]] = v.pop(k)
        else:
            i = r.randrange(len(v))
            c = r.random()
            if c < 0.5:
                v[i] = self._mutate_once(v[i])
            elif c < 0.65:
                del v[i]
            elif c < 0.8:
                v.insert(i, self.value())
            else:
                v.extend(json.loads(json.dumps(v[:r.randint(1, 8)])) if _small(v) else [])
        return v

    def mutate_text(self, s, tokens):
        r = self.r
        for _ in range(r.randint(1, 3)):
            c = r.random()
            pos = r.randint(0, len(s))
            if c < 0.35:
                s = s[:pos] + r.choice(tokens) + s[pos:]
            elif c < 0.5 and s:
                end = min(len(s), pos + r.randint(1, 4))
                s = s[:pos] + s[end:]
            elif c < 0.65:
                s = s[:pos] + r.choice("$.[]*?@()':,\\\"-0123456789 {}<>=!&|") + s[pos:]
            elif c < 0.75:
                s = s[:pos]
            elif c < 0.85 and len(s) < 2000:
                s = s + s[pos:] * r.choice([1, 2, 50])
            else:
                s = s[:pos] + str(self.number()if not isinstance(self.number(), RawNumber) else r.choice(HOSTILE_NUMBERS)) + s[pos:]
        return s

    # -- JSONPath -------------------------------------------------------
    def path(self):
        r = self.r
        c = r.random()
        if c < 0.3:
            p = r.choice(self.s.paths)
        elif c < 0.75:
            p = self.mutate_text(r.choice(self.s.paths), PATH_TOKENS)
        else:
            p = r.choice(["$", "$$", "$", "$"]) + "".join(r.choice(PATH_TOKENS) for _ in range(r.randint(1, 6)))
        if r.random() < 0.03:
            p = "$" + ".a" * r.choice([100, 1000, 5000])
        if r.random() < 0.03:
            p = "$" + "[?(@.a" * r.choice([10, 100, 1000])
        return p

    def doc(self):
        r = self.r
        d = json.loads(r.choice(self.s.docs))
        c = r.random()
        if c < 0.3:
            return d
        if c < 0.85:
            return self.mutate_tree(d)
        return self.value()

    # -- intrinsics -----------------------------------------------------
    def intr_arg(self, depth):
        r = self.r
        c = r.random()
        if c < 0.2 and depth < 6:
            return self.intrinsic(depth + 1)
        if c < 0.45:
            return self.good_path() if r.random() < 0.8 else self.path()
        if c < 0.65:
            s = self.string()[:200].replace("\\", "\\\\").replace("'", "\\'")
            if r.random() < 0.1:
                s = s.replace("\\'", "'")
            return "'" + s + "'"
        if c < 0.9:
            n = self.number()
            return n.text if isinstance(n, RawNumber) else json.dumps(n)
        return r.choice(["null", "true", "false", "", "'", "'{}'", "{}", "[]", "States", "x"])

    def intrinsic(self, depth=0, valid=False):
        r = self.r
        if valid or r.random() < 0.6:
            # the right number of arguments, of any type
            name, lo, hi = r.choice(INTRINSIC_ARITY)
            nargs = r.randint(lo, hi)
        else:
            name = r.choice(INTRINSIC_NAMES)
            nargs = r.choice([0, 1, 2, 2, 3, 3, 4, r.randint(5, 40)])
        return name + "(" + ", ".join(self.intr_arg(depth) for _ in range(nargs)) + ")"

    def good_path(self):
        r = self.r
        if r.random() < 0.75:
            return r.choice(["$", "$.a", "$.b", "$.n", "$.s", "$.a[0]", "$.a.b", "$.items",
                             "$.a[-1]", "$..a", "$.a[*]", "$.a[1:3]", "$.a[::-1]", "$$.Execution.Id",
                             "$.a[?(@.b > 1)]", "$['a']", "$.a.length()"])
        return r.choice(self.s.paths)

    def intrinsic_expr(self):
        r = self.r
        c = r.random()
        if c < 0.2:
            return r.choice(self.s.intrinsics)
        if c < 0.5:
            return self.mutate_text(r.choice(self.s.intrinsics), [
                "States.Array(", "States.Format(", ", $.a", ", 'x'", ", 9223372036854775807",
                ", -9223372036854775808", ", 1e308", ", -0", ")", "(", "'", "\\", "\\'",
                "{}", ", null", ", States.ArrayRange(1, 3, 1)", ", $$"])
        if c < 0.97:
            return self.intrinsic()
        return "States.Array(" * r.choice([50, 500, 3000]) + ")" * r.randint(0, 3000)

    def intr_input(self):
        r = self.r
        d = {"a": self.value(), "b": self.value(), "n": self.number(), "name": self.string(),
             "items": [self.leaf() for _ in range(r.randint(0, 12))]}
        if r.random() < 0.3:
            d = self.mutate_tree(d)
        return d

    # -- templates, rules, definitions ----------------------------------
    def template(self, depth=0):
        r = self.r
        if self.s.templates and r.random() < 0.4:
            return self.mutate_tree(json.loads(r.choice(self.s.templates)))
        t = {}
        for _ in range(r.randint(1, 6)):
            c = r.random()
            k = self.key()
            if c < 0.35:
                t[k + ".$"] = self.path() if r.random() < 0.3 else self.good_path()
            elif c < 0.6:
                t[k + ".$"] = self.intrinsic_expr() if r.random() < 0.3 else self.intrinsic(valid=True)
            elif c < 0.75 and depth < 5:
                t[k] = self.template(depth + 1)
            elif c < 0.85 and depth < 5:
                t[k] = [self.template(depth + 1) for _ in range(r.randint(0, 3))]
            elif c < 0.87:
                t[k + ".$"] = self.leaf()
            else:
                t[k] = self.value()
        return t

    def rule(self, depth=0, top=True):
        r = self.r
        if self.s.rules and r.random() < 0.3:
            rule = json.loads(r.choice(self.s.rules))
            if r.random() < 0.3:
                rule = self.mutate_tree(rule, 1)
        else:
            c = r.random()
            if c < 0.25 and depth < 8:
                rule = {r.choice(["And", "Or"]): [self.rule(depth + 1, False) for _ in range(r.randint(0, 4))]}
            elif c < 0.3 and depth < 8:
                rule = {"Not": self.rule(depth + 1, False)}
            elif c < 0.33:
                rule = self.deep_rule()
            else:
                op = r.choice(CHOICE_OPS)
                if op.endswith("Path"):
                    val = self.path() if r.random() < 0.2 else self.good_path()
                elif op.startswith("Is"):
                    val = r.choice([True, False, self.leaf()])
                elif op.startswith("Numeric"):
                    val = self.number() if r.random() < 0.95 else self.leaf()
                elif op.startswith("Boolean"):
                    val = r.choice([True, False, self.leaf()])
                elif op.startswith("Timestamp"):
                    val = r.choice(["2016-03-14T01:59:00Z", "2016-03-14T01:59:00.123456789+14:00",
                                    "9999-12-31T23:59:60Z", "0000-01-01T00:00:00Z", "2016-02-30T00:00:00Z",
                                    "2016-03-14T01:59:00", self.string()])
                elif op == "StringMatches":
                    val = r.choice(["*", "**", "a*b*c*", "\\*", "*\\", "\\", "log-*.txt", "*" * 200, self.string()])
                else:
                    val = self.string() if r.random() < 0.85 else self.leaf()
                rule = {"Variable": self.path() if r.random() < 0.2 else self.good_path(), op: val}
        if top and isinstance(rule, dict):
            rule["Next"] = "Next"
        return rule

    def deep_rule(self):
        rule = {"Variable": "$.a", "IsPresent": True}
        for _ in range(self.r.choice([50, 500, 2000])):
            rule = {"Not": rule} if self.r.random() < 0.5 else {"And": [rule]}
        return rule

    def state_input(self):
        r = self.r
        d = self.doc()
        if r.random() < 0.5 and isinstance(d, dict):
            d = dict(d)
            d.update({"a": self.value(), "n": self.number(), "s": self.string()})
        return d

    def pass_state(self):
        r = self.r
        st = {"Type": "Pass", "Parameters": self.template()}
        if r.random() < 0.3:
            st["InputPath"] = self.good_path() if r.random() < 0.8 else r.choice([None, self.path()])
        if r.random() < 0.3:
            st["ResultPath"] = self.good_path() if r.random() < 0.8 else r.choice([None, self.path()])
        if r.random() < 0.3:
            st["OutputPath"] = self.good_path() if r.random() < 0.8 else r.choice([None, self.path()])
        if r.random() < 0.9:
            st["End"] = True
        else:
            st["Next"] = "Next"
        if r.random() < 0.1:
            st = self.mutate_tree(st, 1)
        return st

    def choice_state(self):
        r = self.r
        st = {"Type": "Choice", "Choices": [self.rule() for _ in range(r.choice([1, 1, 2, 3]))]}
        if r.random() < 0.8:
            st["Default"] = "Default"
        if r.random() < 0.2:
            st["InputPath"] = self.path()
        if r.random() < 0.1:
            st = self.mutate_tree(st, 1)
        return st

    def definition(self):
        r = self.r
        if self.s.definitions and r.random() < 0.7:
            d = self.mutate_tree(json.loads(r.choice(self.s.definitions)))
        else:
            states = {}
            names = ["S%d" % i for i in range(r.randint(1, 8))]
            for n in names:
                c = r.random()
                if c < 0.4:
                    st = self.pass_state()
                elif c < 0.7:
                    st = self.choice_state()
                else:
                    st = self.mutate_tree(json.loads(r.choice(self.s.states))) if self.s.states else {"Type": "Succeed"}
                if not isinstance(st, dict):
                    states[n] = st
                    continue
                for k in ("Next", "Default"):
                    if k in st:
                        st[k] = r.choice(names + ["missing"])
                for rule in (st.get("Choices") if isinstance(st.get("Choices"), list) else []):
                    if isinstance(rule, dict) and "Next" in rule:
                        rule["Next"] = r.choice(names)
                states[n] = st
            d = {"StartAt": r.choice(names), "States": states}
            if r.random() < 0.2:
                d["TimeoutSeconds"] = self.number()
        if r.random() < 0.05:
            # a long chain: many states, deep Parallel branches
            d = {"StartAt": "P0", "States": {"P%d" % i: {"Type": "Pass", "Next": "P%d" % (i + 1)} for i in range(r.choice([500, 3000]))}}
            d["States"]["P%d" % (len(d["States"]) - 1)] = {"Type": "Succeed"}
        if r.random() < 0.05:
            inner = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
            for _ in range(r.choice([20, 200])):
                if r.random() < 0.5:
                    st = {"Type": "Parallel", "Branches": [inner]}
                else:
                    st = {"Type": "Map", r.choice(["Iterator", "ItemProcessor"]): inner}
                st["End"] = True
                inner = {"StartAt": "P", "States": {"P": st}}
            d = inner
        return d

    # -- one input ------------------------------------------------------
    def one(self):
        r = self.r
        kind = r.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
        if kind == "path":
            ctx = self.doc() if r.random() < 0.2 else {"Execution": {"Id": "arn:x", "Input": self.value()}, "State": {"Name": "S"}}
            return ("path", self.path(), dumps(self.doc()), dumps(ctx))
        if kind == "set":
            return ("set", self.path(), dumps(self.doc()), dumps(self.value()))
        if kind == "intr":
            return ("intr", self.intrinsic_expr(), dumps(self.intr_input()), dumps({"Execution": {"Id": "arn:x"}}))
        if kind == "valid":
            d = self.definition()
            return ("valid", dumps(d), None, "STANDARD" if r.random() < 0.9 else r.choice(["EXPRESS", "", "x" * 100]))
        if kind == "template":
            return ("state", dumps(self.pass_state()), dumps(self.state_input()), None)
        if kind == "choice":
            return ("state", dumps(self.choice_state()), dumps(self.state_input()), None)
        d = self.definition()
        states = d.get("States") if isinstance(d, dict) else None
        name = r.choice(list(states.keys())) if isinstance(states, dict) and states else "S0"
        return ("state", dumps(d), dumps(self.state_input()), name)


def batch(seeds, seed, index, size):
    """Inputs index*size .. index*size+size-1 of the run with this seed."""
    g = Gen(seeds, random.Random("%s:%d" % (seed, index)))
    out = []
    for _ in range(size):
        try:
            out.append(g.one())
        except (RecursionError, TypeError, AttributeError, ValueError):
            # json.dumps of a very deep tree; that input is replaced, the
            # sequence stays deterministic
            out.append(("path", "$", "{}", "{}"))
    return out

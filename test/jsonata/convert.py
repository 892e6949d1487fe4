#!/usr/bin/env python3
"""Convert the JSONata project's test suite into pg_sfn's test data.

Usage: convert.py SUITE_DIR OUT_DIR

SUITE_DIR is test/test-suite of jsonata-js release 2.0.6 (the groups/ and
datasets/ directories).  Writes OUT_DIR/cases.jsonl (one case per line, in
group and file order) and OUT_DIR/datasets.jsonl (one dataset per line).
Each case keeps what the suite says: the expression, its input (inline data
or a dataset name, or none), the bindings, and the expected outcome (a
result, an undefined result, or an error code).
"""
import json
import os
import sys


def main():
    suite, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    groups_dir = os.path.join(suite, "groups")
    n = 0
    with open(os.path.join(out, "cases.jsonl"), "w", encoding="utf-8") as f:
        for group in sorted(os.listdir(groups_dir)):
            gdir = os.path.join(groups_dir, group)
            if not os.path.isdir(gdir):
                continue
            for name in sorted(os.listdir(gdir)):
                if not name.endswith(".json"):
                    continue
                with open(os.path.join(gdir, name), encoding="utf-8") as g:
                    spec = json.load(g)
                items = spec if isinstance(spec, list) else [spec]
                for i, case in enumerate(items):
                    expr = case.get("expr")
                    if "expr-file" in case:
                        with open(os.path.join(gdir, case["expr-file"]), encoding="utf-8") as e:
                            expr = e.read()
                    row = {
                        "id": "%s/%s%s" % (group, name[:-5], "[%d]" % i if isinstance(spec, list) else ""),
                        "expr": expr,
                        "bindings": case.get("bindings") or {},
                    }
                    if "data" in case:
                        row["data"] = case["data"]
                    else:
                        row["dataset"] = case.get("dataset")
                    if "timelimit" in case and "depth" in case:
                        row["depth"] = case["depth"]
                    if "code" in case or "error" in case:
                        err = case.get("error") or {}
                        row["code"] = case.get("code") or err.get("code")
                        if "token" in case or "token" in err:
                            row["token"] = case.get("token") or err.get("token")
                    elif "undefinedResult" in case:
                        row["undefined"] = True
                    elif "result" in case:
                        row["result"] = case["result"]
                    else:
                        row["undefined"] = True
                    f.write(json.dumps(row, ensure_ascii=True, separators=(",", ":")) + "\n")
                    n += 1
    with open(os.path.join(out, "datasets.jsonl"), "w", encoding="utf-8") as f:
        ddir = os.path.join(suite, "datasets")
        for name in sorted(os.listdir(ddir)):
            with open(os.path.join(ddir, name), encoding="utf-8") as d:
                data = json.load(d)
            f.write(json.dumps({"name": name[:-5], "data": data}, ensure_ascii=True,
                               separators=(",", ":")) + "\n")
    print("%d cases" % n)


if __name__ == "__main__":
    main()

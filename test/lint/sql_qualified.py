#!/usr/bin/env python3
"""Check that every SQL statement the C code sends is schema-qualified.

pg_sfn treats the database owner and every user as hostile: a function or
operator they create must never be picked by a statement the extension
runs, whatever search_path is in force.  So in each SQL string literal of
src/**/*.c (the statements given to SPI):

  * a function call names its schema: pg_catalog.now(), sfn.x(...);
  * an operator is written OPERATOR(pg_catalog.=);
  * constructs that look operators up by name (IN, BETWEEN, LIKE,
    IS DISTINCT FROM, NULLIF, CASE x WHEN) are not used: write
    OPERATOR(pg_catalog.=) ANY (...) and the like.

Run: test/lint/sql_qualified.py [files...]  (default: src/**/*.c).
Prints each problem as file:line: text and exits 1 if there is any.
"""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Words followed by "(" that are SQL syntax, not function calls.
SYNTAX = {
    'values', 'in', 'exists', 'any', 'all', 'some', 'coalesce', 'greatest',
    'least', 'cast', 'row', 'array', 'as', 'over', 'filter', 'not', 'key',
    'conflict', 'into', 'using', 'from', 'join', 'where', 'and', 'or',
    'select', 'on', 'returning', 'set', 'when', 'then', 'else', 'by', 'with',
    'lateral', 'operator', 'grouping', 'exists', 'is', 'distinct', 'update',
    'delete', 'insert', 'null', 'limit', 'offset', 'case', 'end', 'both',
    'leading', 'trailing', 'interval', 'do', 'nothing', 'op',
}
# Column-list forms: "INSERT INTO sfn.t (a, b)", "name AS (", "c(a, b)" in
# a CTE are preceded by one of these.
SQL_START = re.compile(r'\b(SELECT|INSERT|UPDATE|DELETE|WITH)\b')
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
OPERATOR_OK = re.compile(r'OPERATOR\(pg_catalog\.[^)]*\)')
BARE_OP = re.compile(r'(<>|<=|>=|->>|->|#>>|#>|@>|<@|\|\||(?<![=<>!])=(?![>=])|(?<![-<])<(?![=>@])|(?<![-=<])>(?![=>])|\+|(?<![\w\s(,])\s*\*(?!\s*\))|\s/\s)')
NAME_LOOKUP = re.compile(r'\b(IN\s*\(|BETWEEN\b|LIKE\b|ILIKE\b|IS\s+(NOT\s+)?DISTINCT\s+FROM\b|NULLIF\s*\(|CASE\s+\w+\s+WHEN\b)', re.I)
CALL = re.compile(r'(?<![\w.$"])([A-Za-z_][A-Za-z0-9_]*)\s*\(')


def statements(path):
    """Yield (line, sql) for each run of adjacent string literals with SQL."""
    text = open(path, encoding='utf-8').read()
    # Join adjacent literals ("a" "b" across lines) into one statement.
    for m in re.finditer(r'"(?:[^"\\\n]|\\.)*"(?:\s*"(?:[^"\\\n]|\\.)*")*', text):
        sql = ''.join(s for s in STRING.findall(m.group(0)))
        if SQL_START.search(sql) and re.search(r'\b(FROM|INTO|SET|VALUES)\b', sql):
            yield text.count('\n', 0, m.start()) + 1, sql


def problems(sql):
    found = []
    body = OPERATOR_OK.sub(' OP ', sql)
    body = re.sub(r"'(?:[^']|'')*'", "''", body)         # SQL string literals
    body = re.sub(r'\$\d+', ' p ', body)                  # parameters
    body = re.sub(r'%s', 'placeholder', body)             # printf-built names
    body = re.sub(r'::\s*[\w.]+(\[\])?', ' ', body)       # casts
    body = re.sub(r'\w+\s*=>', ' ', body)                 # named arguments
    body = re.sub(r'\bSELECT\s+\*', 'SELECT ', body, flags=re.I)
    body = re.sub(r'\(\s*\*\s*\)', '()', body)            # count(*)
    # Assignments of UPDATE ... SET a = x, b = y are not operators.
    body = re.sub(r'\bSET\b(.*?)(?=\bWHERE\b|\bFROM\b|\bRETURNING\b|$)',
                  lambda m: 'SET' + re.sub(r'(^|,)\s*[\w.]+\s*=', r'\1 ', m.group(1)),
                  body, flags=re.S)
    for m in BARE_OP.finditer(body):
        found.append('operator "%s" not written OPERATOR(pg_catalog.%s)' % (m.group(0).strip(), m.group(0).strip()))
    for m in NAME_LOOKUP.finditer(body):
        found.append('"%s" looks an operator up by name' % m.group(0).strip())
    for m in CALL.finditer(body):
        word = m.group(1)
        if word.lower() in SYNTAX:
            continue
        before = body[:m.start()].rstrip()
        # Column lists after a table name, CTE names.
        if re.search(r'(INTO|UPDATE|TABLE|\bAS)\s*$', before, re.I) or re.search(r'\bAS\s*$', body[m.end():m.end()], re.I):
            continue
        if re.match(r'\s*\)?\s*AS\s*\(', body[m.end() - 1:]) or re.search(r'\b' + word + r'\s*\([^()]*\)\s+AS\s*\(', body):
            continue
        found.append('function %s() not schema-qualified' % word)
    return found


def main(argv):
    files = argv or sorted(glob.glob(os.path.join(ROOT, 'src', '**', '*.c'), recursive=True))
    bad = 0
    for path in files:
        for line, sql in statements(path):
            for p in sorted(set(problems(sql))):
                print('%s:%d: %s' % (os.path.relpath(path, ROOT), line, p))
                bad += 1
    if bad:
        print('%d problem(s)' % bad)
        return 1
    print('every SQL statement in the C code is schema-qualified')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

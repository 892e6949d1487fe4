"""seeds.py: hand-written seeds and hostile values for gen.py.

The bulk of the seeds is extracted from sql/*.sql at run time; these add
what the regression tests do not have: the odd corners of each syntax.
"""

# Written as text: JSON numbers Python cannot write itself (-0, 1e400).
HOSTILE_NUMBERS = [
    "9223372036854775807", "-9223372036854775807", "-9223372036854775808",
    "9223372036854775808", "18446744073709551616", "2147483647", "-2147483648",
    "2147483648", "4294967296", "1e308", "-1e308", "1.7976931348623157e308",
    "1e309", "-1e309", "1e400", "1e-308", "4.9e-324", "1e-400", "-0", "-0.0",
    "0.0", "0.5", "-0.5", "1.5", "0.1", "1e2", "123456789012345678901234567890",
    "0.000000000000000000000000000001", "1" + "0" * 400, "3.0000000000000001",
    "-1", "0", "1", "2", "255", "256", "65535", "1000000000",
]

HOSTILE_STRINGS = [
    "", " ", "NaN", "-NaN", "Infinity", "-Infinity", "inf", "1e308", "-0",
    "9223372036854775807", "true", "null", "{}", "[]", "{\"a\":1}", "[1,2",
    "\u202e", "\u200f\u05d0\u05d1", "e\u0301\u0301\u0301", "\u0000"[:0] + "nul",
    "\ufeff", "\uffff", "\U0001f600", "\U0010ffff", "\u2028\u2029",
    "a\\u0000b", "\\ud800", "\\udc00\\ud800", "\\", "\\\\", "'", "''", "\"",
    "{}", "{", "}", "{{}}", "\\{}", "{}{}{}{}", "%s%n%x", "$", "$$", "$.a",
    "States.Format('{}', $.a)", "*", "**", "\\*", "log-*.txt",
    "2016-03-14T01:59:00Z", "2016-13-45T25:61:61Z", "9999-12-31T23:59:59.999999999Z",
    "SGVsbG8=", "SGVsbG8", "====", "=", "!!!!", "AAAA" * 64,
    "SHA-1", "SHA-256", "SHA-384", "SHA-512", "MD5", "sha-256",
    "\t\n\r\b\f", "\x01\x1f\x7f", "\u00ad", "\u0130", "\u00df", "\u03a3",
]

EXTRA_PATHS = [
    "$", "$$", "$.a", "$['a']", "$[\"a\"]", "$.a.b.c", "$[0]", "$[-1]",
    "$[2:3:9223372036854775806]", "$[0:9223372036854775807:9223372036854775807]",
    "$[-9223372036854775808:]", "$[:-9223372036854775808]", "$[::-9223372036854775808]",
    "$[9223372036854775807:0:-1]", "$[-9223372036854775807:-1:-9223372036854775807]",
    "$[::-1]", "$[1:]", "$[:1]", "$[::2]", "$[0,1,2]", "$[-1,-2,9223372036854775807]",
    "$['a','b']", "$.*", "$[*]", "$..*", "$..a", "$..[0]", "$..[-1:]", "$..['a','b']",
    "$.a.length()", "$.length()", "$[?(@.a)]", "$[?(@.a > 1)]", "$[?(@.a == 'x')]",
    "$[?(@.a < -9223372036854775808)]", "$[?(@.a >= 1e308)]", "$[?(@.a != null)]",
    "$[?(@.a == true && @.b || @.c)]", "$[?(!@.a)]", "$[?(@.a =~ /x/)]",
    "$[?(@.a in ['x','y'])]", "$[?(@ > 1)]", "$[?($.a)]", "$[?(@.a == $.b)]",
    "$..[?(@.price > 10)].name", "$[?(@.a[?(@.b)])]", "$['\\'']", "$['\\\\']",
    "$['\u202e']", "$.\u00e9", "$['a\\u0000b']", "$[' ']", "$['']", "$.", "$..",
    "$[", "$]", "$[:", "$[::]", "$[0:1:0]", "$[a]", "$[-]", "$[1.5]", "$[1e3]",
    "$$.Execution.Input", "$$.Map.Item.Value", "$$.Task.Token", "$.a[0:2][1]",
]

EXTRA_INTRINSICS = [
    "States.Format('{}')", "States.Format('{}{}', 1)", "States.Format('\\{}', 1)",
    "States.Format('{}', 'a', 'b')", "States.Format($.a, $.a)",
    "States.StringToJson('[1,2')", "States.StringToJson('1e400')",
    "States.StringToJson('\"\\\\ud800\"')", "States.JsonToString($)",
    "States.Array()", "States.Array($, $, $)",
    "States.ArrayPartition($.a, 0)", "States.ArrayPartition($.a, -1)",
    "States.ArrayPartition($.a, 9223372036854775807)",
    "States.ArrayRange(1, 9223372036854775807, 1)",
    "States.ArrayRange(-9223372036854775808, 9223372036854775807, 9223372036854775807)",
    "States.ArrayRange(0, 1000000, 1)", "States.ArrayRange(1, 9, 0)",
    "States.ArrayRange(9, 1, -9223372036854775808)", "States.ArrayRange(1e308, 1, -1)",
    "States.ArrayGetItem($.a, 9223372036854775807)", "States.ArrayGetItem($.a, -1)",
    "States.ArrayGetItem($.a, -9223372036854775808)", "States.ArrayGetItem($.a, 1.5)",
    "States.ArrayLength($.a)", "States.ArrayUnique($.a)", "States.ArrayContains($.a, $.b)",
    "States.Base64Encode('')", "States.Base64Decode('====')", "States.Base64Decode('A')",
    "States.Base64Decode('AAA=AAA=')", "States.Hash('x', 'SHA-512')", "States.Hash('', 'MD5')",
    "States.JsonMerge($.a, $.b, false)", "States.JsonMerge($.a, $.b, true)",
    "States.MathRandom(1, 9223372036854775807)", "States.MathRandom(9223372036854775807, -9223372036854775808)",
    "States.MathRandom(1, 1, 1)", "States.MathAdd(9223372036854775807, 1)",
    "States.MathAdd(-9223372036854775808, -1)", "States.MathAdd(1e308, 1e308)",
    "States.MathAdd(-2147483648, -1)", "States.MathAdd(2147483647, 1)",
    "States.StringSplit($.name, '')", "States.StringSplit('', '')",
    "States.StringSplit('a\u0301b', '\u0301')", "States.UUID()", "States.UUID(1)",
    "States.Format('{}', States.Format('{}', States.Format('{}', $.a)))",
]

EXTRA_DOCS = [
    '{"a": [1, 2, 3], "b": {"c": [{"d": 1}, {"d": 2}]}}',
    '["x0", "x1", "x2"]', '[]', '{}', '"just a string"', '1', 'null', 'true',
    '{"a": {"a": {"a": {"a": [1, [2, [3, [4]]]]}}}}',
    '{"items": [{"price": 8.95, "name": "a"}, {"price": 12.99, "name": "b"}, {"price": null}]}',
    '{"a": 9223372036854775807, "b": -9223372036854775808, "c": 1e308, "d": -0}',
    '{"\\u202e": 1, "e\\u0301": 2, "\\ud83d\\ude00": 3, "": 4, " ": 5}',
]

# Pieces of JSONPath spliced into seed paths.
PATH_TOKENS = [
    ".a", ".b", ".*", "..", "..a", "[0]", "[-1]", "[*]", "['a']", "['a','b']",
    "[0,1]", "[1:2]", "[::-1]", "[:9223372036854775807]", "[-9223372036854775808:]",
    "[2:3:9223372036854775806]", "[::9223372036854775807]", "[::-9223372036854775807]",
    "[9223372036854775807]", "[-9223372036854775808]", "[18446744073709551616]",
    "[?(@.a)]", "[?(@.a > 1)]", "[?(@ == 'x')]", "[?(@.a && @.b)]", "[?(@.a || !@.b)]",
    "[?(@.price < 1e308)]", "[?(@.n == -0)]", ".length()", "$", "$$", "@", "[", "]",
    "(", ")", "'", "\\", "['\\'']", "[\"\\u0000\"]", ".\u202e", ".e\u0301", "[?(",
    "[?(@..a)]", "[?(@.a[0:1])]", "[0:1:0]", "[1e2]", "[ 0 ]", "[0 , 1]",
]

INTRINSIC_NAMES = [
    "States.Format", "States.StringToJson", "States.JsonToString", "States.Array",
    "States.ArrayPartition", "States.ArrayContains", "States.ArrayRange",
    "States.ArrayGetItem", "States.ArrayLength", "States.ArrayUnique",
    "States.Base64Encode", "States.Base64Decode", "States.Hash", "States.JsonMerge",
    "States.MathRandom", "States.MathAdd", "States.StringSplit", "States.UUID",
    "States.Nope", "States.format", "States.", "States.Array.Array",
]

CHOICE_OPS = [p + s for p in ("String", "Numeric", "Timestamp")
              for s in ("Equals", "LessThan", "GreaterThan", "LessThanEquals",
                        "GreaterThanEquals", "EqualsPath", "LessThanPath",
                        "GreaterThanPath", "LessThanEqualsPath", "GreaterThanEqualsPath")] + [
    "StringMatches", "BooleanEquals", "BooleanEqualsPath", "IsNull", "IsPresent",
    "IsNumeric", "IsString", "IsBoolean", "IsTimestamp", "Unknown",
]

# Each intrinsic with its number of arguments (min, max), for calls the
# parser accepts so that the evaluator runs on confused argument types.
INTRINSIC_ARITY = [
    ("States.Format", 1, 6), ("States.StringToJson", 1, 1), ("States.JsonToString", 1, 1),
    ("States.Array", 0, 6), ("States.ArrayPartition", 2, 2), ("States.ArrayContains", 2, 2),
    ("States.ArrayRange", 3, 3), ("States.ArrayGetItem", 2, 2), ("States.ArrayLength", 1, 1),
    ("States.ArrayUnique", 1, 1), ("States.Base64Encode", 1, 1), ("States.Base64Decode", 1, 1),
    ("States.Hash", 2, 2), ("States.JsonMerge", 3, 3), ("States.MathRandom", 2, 3),
    ("States.MathAdd", 2, 2), ("States.StringSplit", 2, 2), ("States.UUID", 0, 0),
]

-- State machines used by test/bench/run.
SELECT sfn_create_state_machine('bench-chain3',
  '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"C"},"C":{"Type":"Pass","End":true}}}');
SELECT sfn_create_state_machine('bench-ten', $j$
{"StartAt":"S1","States":{
 "S1":{"Type":"Pass","Result":1,"ResultPath":"$.a","Next":"S2"},
 "S2":{"Type":"Choice","Choices":[{"Variable":"$.a","NumericEquals":1,"Next":"S3"}],"Default":"S10"},
 "S3":{"Type":"Pass","Parameters":{"a.$":"$.a","b":2},"Next":"S4"},
 "S4":{"Type":"Choice","Choices":[{"Variable":"$.b","NumericGreaterThan":1,"Next":"S5"}],"Default":"S10"},
 "S5":{"Type":"Pass","Next":"S6"},
 "S6":{"Type":"Pass","ResultPath":"$.c","Next":"S7"},
 "S7":{"Type":"Choice","Choices":[{"And":[{"Variable":"$.a","IsPresent":true},{"Variable":"$.b","IsNumeric":true}],"Next":"S8"}],"Default":"S10"},
 "S8":{"Type":"Pass","Next":"S9"},
 "S9":{"Type":"Pass","Next":"S10"},
 "S10":{"Type":"Succeed"}}}
$j$);
-- The same workflow in JSONata (issue 9): the same states, transitions and
-- data, each JSONPath field written as its JSONata equivalent.
SELECT sfn_create_state_machine('bench-ten-jsonata', $j$
{"QueryLanguage":"JSONata","StartAt":"S1","States":{
 "S1":{"Type":"Pass","Output":"{% $merge([$states.input, {'a': 1}]) %}","Next":"S2"},
 "S2":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.a = 1 %}","Next":"S3"}],"Default":"S10"},
 "S3":{"Type":"Pass","Output":{"a":"{% $states.input.a %}","b":2},"Next":"S4"},
 "S4":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.b > 1 %}","Next":"S5"}],"Default":"S10"},
 "S5":{"Type":"Pass","Next":"S6"},
 "S6":{"Type":"Pass","Output":"{% $merge([$states.input, {'c': $states.input}]) %}","Next":"S7"},
 "S7":{"Type":"Choice","Choices":[{"Condition":"{% $exists($states.input.a) and $type($states.input.b) = 'number' %}","Next":"S8"}],"Default":"S10"},
 "S8":{"Type":"Pass","Next":"S9"},
 "S9":{"Type":"Pass","Next":"S10"},
 "S10":{"Type":"Succeed"}}}
$j$);

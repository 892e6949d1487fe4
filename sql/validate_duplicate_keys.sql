-- Duplicate keys in a definition given as text (issue 10, Validation).
--
-- AWS takes the definition as a string and rejects a definition in which a
-- key repeats: a state name written twice in a States object is
-- DUPLICATE_STATE_NAME ("Duplicate State name", AWS's code, as in
-- CloudFormation's "Invalid State Machine Definition: 'DUPLICATE_STATE_NAME:
-- Duplicate State name: ..."); AWS documents no message for another field
-- written twice, so pg_sfn reports SCHEMA_VALIDATION_FAILED with its own
-- sentence.  jsonb keeps only the last of repeated keys, so only the text
-- overloads can see them; a jsonb-typed argument behaves as before.
\set SHOW_CONTEXT never
\set VERBOSITY default

-- A field repeated inside a state; a state name repeated in States.
SELECT severity, code, location, message FROM sfn_validate_state_machine_definition(
  '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B","Next":"B"},"B":{"Type":"Succeed"},"B":{"Type":"Succeed"}}}');
-- Every repeat is reported, in the order written, wherever it is: Parallel
-- branches, Map processors (and the legacy Iterator), Choice rules in an
-- array, payload templates; three times gives two rows; an escaped key
-- equals its plain spelling.
SELECT severity, code, location, message FROM sfn_validate_state_machine_definition($j${
  "StartAt": "P",
  "Comment": "one", "Comment": "two", "Comment": "three",
  "States": {
    "P": {"Type": "Parallel", "Next": "M", "Branches": [
      {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}, "\u0058": {"Type": "Pass", "End": true}}}]},
    "M": {"Type": "Map", "Next": "I", "ItemProcessor": {"StartAt": "Y", "StartAt": "Y",
      "States": {"Y": {"Type": "Pass", "Parameters": {"a": 1, "nested": {"k": 1, "k": 2}, "a": 2}, "End": true}}}},
    "I": {"Type": "Map", "Next": "C", "Iterator": {"StartAt": "Z", "States": {"Z": {"Type": "Succeed"}, "Z": {"Type": "Succeed"}}}},
    "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "IsPresent": true, "Next": "D", "Next": "D"}], "Default": "D"},
    "D": {"Type": "Pass", "Parameters": {"States": {"s": 1, "s": 2}}, "End": true}
  }}$j$);
-- Other problems are reported with them.
SELECT severity, code, location, message FROM sfn_validate_state_machine_definition(
  '{"StartAt":"A","States":{"A":{"Type":"Pass","Bogus":1,"Bogus":2,"End":true}}}');
-- Text that is not JSON.
SELECT severity, code, location FROM sfn_validate_state_machine_definition('{"StartAt":');
-- The jsonb overload cannot see repeats: jsonb kept only the last one.
SELECT count(*) AS jsonb_problems FROM sfn_validate_state_machine_definition(
  '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"End":true}}}'::jsonb);

-- Which overload a call takes: a quoted literal is of type unknown and
-- PostgreSQL prefers text; jsonb values take the jsonb functions.
EXPLAIN (VERBOSE, COSTS OFF) SELECT * FROM sfn_validate_state_machine_definition('{}');
EXPLAIN (VERBOSE, COSTS OFF) SELECT * FROM sfn_validate_state_machine_definition('{}'::jsonb);
EXPLAIN (VERBOSE, COSTS OFF) SELECT sfn_create_state_machine('x', $$ {} $$, role => 'r');
EXPLAIN (VERBOSE, COSTS OFF) SELECT sfn_update_state_machine('x', '{}');
EXPLAIN (VERBOSE, COSTS OFF) SELECT sfn_update_state_machine('x', role => 'r');

-- CreateStateMachine: InvalidDefinition lists every repeat.
SELECT sfn_create_state_machine('dup-keys',
  '{"StartAt":"A","States":{"A":{"Type":"Pass","Result":1,"Result":2,"End":true},"A":{"Type":"Succeed"}}}');
SELECT count(*) AS created FROM sfn.state_machines WHERE name = 'dup-keys';
-- The same as jsonb: accepted, the last value wins (what jsonb does).
SELECT sfn_create_state_machine('dup-keys',
  '{"StartAt":"A","States":{"A":{"Type":"Pass","Result":1,"Result":2,"End":true}}}'::jsonb) IS NOT NULL AS created_from_jsonb;
SELECT definition -> 'States' -> 'A' ->> 'Result' AS kept FROM sfn.state_machine_revisions r
  JOIN sfn.state_machines sm ON sm.id = r.state_machine_id WHERE sm.name = 'dup-keys';
-- Text without repeats: created, and stored as the jsonb form stores it.
SELECT sfn_create_state_machine('dup-keys-text',
  '{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"b":1,"a":2},"End":true}}}') IS NOT NULL AS created_from_text;
SELECT r.definition FROM sfn.state_machine_revisions r
  JOIN sfn.state_machines sm ON sm.id = r.state_machine_id WHERE sm.name = 'dup-keys-text';
-- The checks before the definition's come first, as in the jsonb form.
SELECT sfn_create_state_machine('dup keys', '{"StartAt":"A","StartAt":"A"}');
SELECT sfn_create_state_machine('dup-keys-x', '{"StartAt":"A","StartAt":"A"}', 'STANDARD ');
SELECT sfn_create_state_machine('dup-keys-x', NULL);

-- UpdateStateMachine: the same; role-only updates take the jsonb form.
SELECT sfn_update_state_machine('dup-keys-text',
  '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"End":true}}}');
SELECT sfn_update_state_machine('dup-keys-text',
  definition => '{"StartAt":"A","States":{"A":{"Type":"Pass","Result":"v2","End":true}}}') ? 'revisionId' AS updated;
SELECT sfn_update_state_machine('dup-keys-text', role => current_user) ? 'revisionId' AS role_updated;
SELECT sfn_update_state_machine('dup-keys-text', NULL, current_user) ? 'revisionId' AS role_updated_text;
SELECT sfn_update_state_machine('no-such-machine', '{"StartAt":"A","StartAt":"A"}');

SELECT sfn_delete_state_machine('dup-keys');
SELECT sfn_delete_state_machine('dup-keys-text');

-- Validation limits: state name length, definition size, many states.
\set SHOW_CONTEXT never
\set v 'SELECT severity, code, location, message FROM sfn_validate_state_machine_definition'

-- state names: 1 to 80 characters (characters, not bytes)
SELECT severity, code, location, message FROM sfn_validate_state_machine_definition(
  jsonb_build_object('StartAt', repeat('a', 80),
    'States', jsonb_build_object(repeat('a', 80), '{"Type": "Succeed"}'::jsonb)));
SELECT severity, code, location, message FROM sfn_validate_state_machine_definition(
  jsonb_build_object('StartAt', repeat('é', 80),
    'States', jsonb_build_object(repeat('é', 80), '{"Type": "Succeed"}'::jsonb)));
SELECT severity, code, location, message FROM sfn_validate_state_machine_definition(
  jsonb_build_object('StartAt', repeat('b', 81),
    'States', jsonb_build_object(repeat('b', 81), '{"Type": "Succeed"}'::jsonb)));
:v($${"StartAt": "", "States": {"": {"Type": "Succeed"}}}$$);
-- names may hold spaces, slashes and other punctuation
:v($${"StartAt": "Charge card / retry?", "States": {"Charge card / retry?": {"Type": "Succeed"}}}$$);

-- definitions over 1 MiB of JSON are rejected, whatever else is in them
SELECT severity, code, location, message FROM sfn_validate_state_machine_definition(
  jsonb_build_object('Comment', repeat('x', 1048576), 'StartAt', 'A',
    'States', '{"A": {"Type": "Succeed"}}'::jsonb));
-- just under the limit is fine
SELECT count(*) FROM sfn_validate_state_machine_definition(
  jsonb_build_object('Comment', repeat('x', 1048000), 'StartAt', 'A',
    'States', '{"A": {"Type": "Succeed"}}'::jsonb));

-- 5000 chained states validate, with no rows
SELECT count(*) FROM sfn_validate_state_machine_definition(
  jsonb_build_object('StartAt', 's1', 'States',
    (SELECT jsonb_object_agg('s' || i, CASE WHEN i < 5000
        THEN jsonb_build_object('Type', 'Pass', 'Next', 's' || (i + 1))
        ELSE '{"Type": "Succeed"}'::jsonb END)
     FROM generate_series(1, 5000) i)));
-- and every one of 1000 unreachable states is reported
SELECT code, count(*) FROM sfn_validate_state_machine_definition(
  jsonb_build_object('StartAt', 's0', 'States',
    (SELECT jsonb_object_agg('s' || i, '{"Type": "Succeed"}'::jsonb)
     FROM generate_series(0, 1000) i)))
GROUP BY code;

-- State machine API: create, describe, list, update, delete; names, roles,
-- invalid definitions and NULL arguments.
\set SHOW_CONTEXT never
\set VERBOSITY default

SELECT sfn_create_state_machine('sm-hello', '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}');
-- Same name, definition, type and role again: AWS treats it as success.
SELECT sfn_create_state_machine('sm-hello', '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}');
-- Same name, another definition: StateMachineAlreadyExists.
SELECT sfn_create_state_machine('sm-hello', '{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}');
SELECT sfn_create_state_machine('sm-express', '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}', 'EXPRESS');

SELECT d->>'stateMachineArn' AS arn, d->>'name' AS name, d->>'status' AS status,
       d->>'type' AS type, d->>'roleArn' AS role_arn, d->>'definition' AS definition,
       d ? 'creationDate' AS has_creation_date, d->'loggingConfiguration' AS logging
FROM sfn_describe_state_machine('sm-hello') d;
-- By ARN as well as by name.
SELECT sfn_describe_state_machine('arn:aws:states:us-east-1:123456789012:stateMachine:sm-hello')->>'name';
SELECT state_machine_arn, name, type FROM sfn_list_state_machines() WHERE name LIKE 'sm-%';

-- Update: a new revision; describe shows it.
SELECT sfn_update_state_machine('sm-hello', '{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}') ? 'revisionId';
SELECT sfn_describe_state_machine('sm-hello')->>'definition';
SELECT revision FROM sfn.state_machines WHERE name = 'sm-hello';
-- An identical definition is not a new revision.
SELECT sfn_update_state_machine('sm-hello', '{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}') IS NOT NULL;
SELECT revision FROM sfn.state_machines WHERE name = 'sm-hello';
SELECT sfn_update_state_machine('sm-hello');
SELECT sfn_update_state_machine('sm-hello', '{"StartAt":"X","States":{}}');
SELECT sfn_update_state_machine('sm-nope', '{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}');

-- Names as AWS allows them.
SELECT sfn_create_state_machine('', '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}');
SELECT sfn_create_state_machine(repeat('n', 81), '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}');
SELECT sfn_create_state_machine(repeat('n', 80), '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}') IS NOT NULL AS eighty_ok;
SELECT sfn_create_state_machine('has space', '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}');
SELECT sfn_create_state_machine('tab' || chr(9), '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}');
SELECT sfn_create_state_machine('a' || c, '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}')
FROM unnest(ARRAY['<', '>', '{', '}', '[', ']', '?', '*', '"', '#', '%', '\', '^', '|', '~', '`', '$', '&', ',', ';', ':', '/']) AS c
LIMIT 1;
DO $$
DECLARE c text; n int := 0;
BEGIN
	FOREACH c IN ARRAY ARRAY['<', '>', '{', '}', '[', ']', '?', '*', '"', '#', '%', '\', '^', '|', '~', '`', '$', '&', ',', ';', ':', '/', chr(1), chr(127)] LOOP
		BEGIN
			PERFORM sfn_create_state_machine('bad' || c, '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}');
		EXCEPTION WHEN sqlstate 'SF002' THEN n := n + 1;
		END;
	END LOOP;
	RAISE NOTICE '% of 24 forbidden characters rejected with InvalidName', n;
END $$;
SELECT sfn_create_state_machine('ünïcødé-ok_1', '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}') IS NOT NULL AS unicode_ok;

-- Type and role.
SELECT sfn_create_state_machine('sm-type', '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}', 'standard');
CREATE ROLE sfn_other_role;
SELECT sfn_create_state_machine('sm-role', '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}', role => 'sfn_other_role') IS NOT NULL AS superuser_may;
CREATE ROLE sfn_plain_user;
GRANT sfn_user TO sfn_plain_user;
SET ROLE sfn_plain_user;
SELECT sfn_create_state_machine('sm-role2', '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}', role => 'sfn_other_role');
RESET ROLE;
SELECT sfn_create_state_machine('sm-role3', '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}', role => 'no_such_role');

-- NULL arguments: ValidationException, nothing written.
SELECT sfn_create_state_machine(NULL, '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}');
SELECT sfn_create_state_machine('sm-null', NULL);
SELECT sfn_create_state_machine('sm-null', '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}', NULL);
SELECT sfn_describe_state_machine(NULL);
SELECT sfn_delete_state_machine(NULL);
SELECT count(*) AS null_rows_written FROM sfn.state_machines WHERE name = 'sm-null';

-- Invalid definitions: InvalidDefinition, every problem listed, nothing written.
SELECT sfn_create_state_machine('sm-invalid', '{"StartAt":"Nowhere","States":{"A":{"Type":"Pass","Next":"Gone"},"B":{"Type":"Bogus"}}}');
SELECT sfn_create_state_machine('sm-invalid', '[1,2]');
SELECT sfn_create_state_machine('sm-invalid', '{}');
SELECT count(*) AS invalid_rows_written FROM sfn.state_machines WHERE name = 'sm-invalid';

-- Unknown state machines and malformed ARNs.
SELECT sfn_describe_state_machine('no-such-machine');
SELECT sfn_describe_state_machine('arn:aws:states:us-east-1:123456789012:stateMachine:no-such-machine');
SELECT sfn_describe_state_machine('arn:aws:lambda:us-east-1:123456789012:function:f');
SELECT sfn_describe_state_machine('arn:aws:states:us-east-1:123456789012:activity:x');
SELECT sfn_delete_state_machine('no-such-machine');

-- Delete: the name is free at once.
SELECT sfn_delete_state_machine('sm-express');
SELECT sfn_describe_state_machine('sm-express');
SELECT sfn_create_state_machine('sm-express', '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}', 'EXPRESS') IS NOT NULL AS recreated;

-- A rolled-back create leaves nothing.
BEGIN;
SELECT sfn_create_state_machine('sm-rollback', '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}') IS NOT NULL;
ROLLBACK;
SELECT count(*) FROM sfn.state_machines WHERE name = 'sm-rollback';

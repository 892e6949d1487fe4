-- src/sql/45_callbacks.sql: answering a task through its token
-- (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat).  The token is
-- the capability: whoever holds it may answer, as on AWS.

CREATE OR REPLACE FUNCTION sfn_send_task_success(task_token text, output jsonb)
RETURNS void
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_send_task_success' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_send_task_success(text, jsonb) IS
'SendTaskSuccess: the task of this token succeeded with output; takes effect when the calling transaction commits';

CREATE OR REPLACE FUNCTION sfn_send_task_failure(task_token text, error text DEFAULT NULL, cause text DEFAULT NULL)
RETURNS void
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_send_task_failure' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_send_task_failure(text, text, text) IS
'SendTaskFailure: the task of this token failed with error and cause; takes effect when the calling transaction commits';

CREATE OR REPLACE FUNCTION sfn_send_task_heartbeat(task_token text)
RETURNS void
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_send_task_heartbeat' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_send_task_heartbeat(text) IS
'SendTaskHeartbeat: the task of this token is alive (restarts its HeartbeatSeconds)';

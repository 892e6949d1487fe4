# Task states under faults.
#  - A worker killed (kill -9) while a SQL task runs, before its batch
#    commits: the task's writes and the transition are both absent; after
#    the crash restart both are present exactly once.
#  - Task deadlines are durable: a TimeoutSeconds and a HeartbeatSeconds
#    armed before a clean restart fire after it, on time; a Retry's wait
#    survives a crash.
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use SfnNode;

my $node = SfnNode->new('task_faults', conf => "biz.sleep_secs = 60\n");
$node->start;
$node->psql('CREATE EXTENSION pg_sfn');

# The call sleeps for biz.sleep_secs (so the test can kill the worker
# mid-task); the test sets it to 0 in postgresql.conf before the
# crash, so the workers that start after it do not sleep.
$node->psql(q{
	CREATE SCHEMA biz;
	CREATE TABLE biz.rows (k text PRIMARY KEY);
	CREATE FUNCTION biz.slow_insert(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
	BEGIN
		INSERT INTO biz.rows VALUES (p->>'k');
		PERFORM pg_sleep(coalesce(current_setting('biz.sleep_secs', true), '0')::float8);
		RETURN jsonb_build_object('k', p->'k');
	END $$;
	CREATE TABLE biz.tokens (k text PRIMARY KEY, token text);
	CREATE FUNCTION biz.park(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
		INSERT INTO biz.tokens VALUES (p->>'k', p->>'token') RETURNING '{}'::jsonb $$;
	CREATE FUNCTION biz.fail(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
	BEGIN
		RAISE EXCEPTION 'Busy' USING ERRCODE = 'SF900';
	END $$;
});
$node->psql(q{SELECT sfn_create_state_machine('crash', '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sql:invoke","Parameters":{"FunctionName":"biz.slow_insert","Payload":{"k.$":"$$.Execution.Name"}},"Next":"P"},"P":{"Type":"Pass","End":true}}}')});

$node->psql(q{SELECT sfn_start_execution('crash', '{}', 'k1')});
ok($node->poll(q{SELECT count(*) FROM pg_stat_activity WHERE backend_type LIKE 'pg_sfn%' AND wait_event = 'PgSleep'}, '1', 20),
	'a worker is inside the SQL task');
is($node->psql(q{SELECT count(*) FROM biz.rows}), '0', 'the task\'s uncommitted write is not visible');
my $pid = $node->psql(q{SELECT pid FROM pg_stat_activity WHERE backend_type LIKE 'pg_sfn%' AND wait_event = 'PgSleep'});
open(my $conf, '>>', "$node->{data}/postgresql.conf") or die;
print $conf "biz.sleep_secs = 0\n";
close($conf);
# The postmaster rereads it on SIGHUP (not at a crash restart); the
# sleeping worker only after its batch, which it never finishes.
$node->psql(q{SELECT pg_reload_conf()});
sleep(0.5);
kill 'KILL', $pid;
ok($node->poll(q{SELECT status FROM sfn.executions WHERE name = 'k1'}, 'SUCCEEDED', 60),
	'after the crash restart the execution finishes');
is($node->psql(q{SELECT count(*) FROM biz.rows WHERE k = 'k1'}), '1', 'the task\'s write is there exactly once');
is($node->psql(q{SELECT string_agg(type, ',' ORDER BY event_id) FROM sfn.history h JOIN sfn.executions e ON e.id = h.execution_id WHERE e.name = 'k1'}),
	'ExecutionStarted,TaskStateEntered,TaskScheduled,TaskStarted,TaskSucceeded,TaskStateExited,PassStateEntered,PassStateExited,ExecutionSucceeded',
	'and the history records the task once, with contiguous ids');

# Deadlines across a clean restart.
$node->psql(q{SELECT sfn_create_state_machine('deadline', '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sql:invoke.waitForTaskToken","Parameters":{"FunctionName":"biz.park","Payload":{"k.$":"$$.Execution.Name","token.$":"$$.Task.Token"}},"TimeoutSeconds":4,"End":true}}}')});
$node->psql(q{SELECT sfn_create_state_machine('heartbeat', '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sql:invoke.waitForTaskToken","Parameters":{"FunctionName":"biz.park","Payload":{"k.$":"$$.Execution.Name","token.$":"$$.Task.Token"}},"TimeoutSeconds":60,"HeartbeatSeconds":4,"End":true}}}')});
my $t0 = time();
$node->psql(q{SELECT sfn_start_execution('deadline', '{}', 'd1'), sfn_start_execution('heartbeat', '{}', 'h1')});
ok($node->poll(q{SELECT count(*) FROM biz.tokens WHERE k IN ('d1', 'h1')}, '2', 20), 'both tasks are waiting for their tokens');
$node->stop('fast');
$node->start;
ok($node->poll(q{SELECT string_agg(e.name || ':' || e.error, ',' ORDER BY e.name) FROM sfn.executions e WHERE e.name IN ('d1', 'h1') AND e.status = 'FAILED'},
	'd1:States.Timeout,h1:States.HeartbeatTimeout', 30), 'TimeoutSeconds and HeartbeatSeconds fire after the restart');
my $late = $node->psql(q{SELECT round(extract(epoch FROM max(h2.ts - h1.ts))::numeric, 1) FROM sfn.history h1 JOIN sfn.history h2 USING (execution_id) WHERE h1.type = 'TaskScheduled' AND h2.type = 'TaskTimedOut'});
diag("TaskScheduled to TaskTimedOut across the restart: $late s (deadline 4 s)");
ok($late >= 4, 'no deadline fired early');

# A Retry's wait survives a crash: IntervalSeconds 3, crash in between.
$node->psql(q{SELECT sfn_create_state_machine('retry', '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sql:invoke","Parameters":{"FunctionName":"biz.fail","Payload":{}},"Retry":[{"ErrorEquals":["Busy"],"IntervalSeconds":3,"MaxAttempts":1}],"End":true}}}')});
$node->psql(q{SELECT sfn_start_execution('retry', '{}', 'r1')});
ok($node->poll(q{SELECT count(*) FROM sfn.history h JOIN sfn.executions e ON e.id = h.execution_id WHERE e.name = 'r1' AND h.type = 'TaskFailed'}, '1', 20),
	'the first attempt failed');
$node->kill9;
$node->start;
ok($node->poll(q{SELECT status || ':' || error FROM sfn.executions WHERE name = 'r1'}, 'FAILED:Busy', 30),
	'the retry ran after the crash, then the execution failed');
is($node->psql(q{SELECT string_agg(type, ',' ORDER BY event_id) FROM sfn.history h JOIN sfn.executions e ON e.id = h.execution_id WHERE e.name = 'r1'}),
	'ExecutionStarted,TaskStateEntered,TaskScheduled,TaskStarted,TaskFailed,TaskScheduled,TaskStarted,TaskFailed,ExecutionFailed',
	'two attempts, contiguous history');

$node->stop;
done_testing();

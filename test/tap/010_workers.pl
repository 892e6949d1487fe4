# Workers: executions advance in the background, waits survive a restart and
# a crash (kill -9), history stays contiguous, SIGTERM stops workers, SIGHUP
# reloads their settings.
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time);
use SfnNode;

my $node = SfnNode->new('workers');
$node->start;
$node->psql('CREATE EXTENSION pg_sfn');

$node->psql(q{SELECT sfn_create_state_machine('w3', '{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3,"Next":"P"},"P":{"Type":"Pass","End":true}}}')});
$node->psql(q{SELECT sfn_create_state_machine('p', '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","End":true}}}')});

# A plain run.
$node->psql(q{SELECT sfn_start_execution('p', '{"x":1}', 'first')});
ok($node->poll(q{SELECT status FROM sfn.executions WHERE name = 'first'}, 'SUCCEEDED', 20),
	'an execution runs to SUCCEEDED in the background');

# Many batches reuse each cached plan: its strings must outlive the batch
# that compiled it (a plan once pointed into freed memory).
$node->psql(q{SELECT sfn_create_state_machine('strings', '{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"greeting":"hello there"},"ResultPath":"$.r","Next":"B"},"B":{"Type":"Choice","Choices":[{"Variable":"$.r.greeting","StringEquals":"hello there","Next":"C"}],"Default":"D"},"C":{"Type":"Pass","Parameters":{"said.$":"$.r.greeting","n.$":"$.n"},"End":true},"D":{"Type":"Fail","Error":"Wrong"}}}')});
$node->psql(q{SELECT count(sfn_start_execution('strings', jsonb_build_object('n', g), 'str-' || g)) FROM generate_series(1, 3000) g});
ok($node->poll(q{SELECT count(*) FROM sfn.executions WHERE name LIKE 'str-%' AND status <> 'RUNNING'}, '3000', 60),
	'3000 executions finished');
is($node->psql(q{SELECT count(*) FROM sfn.executions WHERE name LIKE 'str-%' AND (status <> 'SUCCEEDED' OR output <> jsonb_build_object('said', 'hello there', 'n', substr(name, 5)::int))}),
	'0', 'all of them produced the right output');

# Waits survive a clean restart.
$node->psql(q{SELECT sfn_start_execution('w3', jsonb_build_object('i', g), 'restart-' || g) FROM generate_series(1, 20) g});
ok($node->poll(q{SELECT count(*) FROM sfn.threads WHERE phase = 1}, '20', 20), '20 executions are waiting');
my $t0 = time();
$node->stop('fast');
my $stop_secs = time() - $t0;
ok($stop_secs < 5, sprintf('fast shutdown (SIGTERM to workers) took %.2f s', $stop_secs));
$node->start;
ok($node->poll(q{SELECT count(*) FROM sfn.executions WHERE name LIKE 'restart-%' AND status = 'SUCCEEDED'}, '20', 30),
	'all 20 waiting executions finish after a restart');

# An execution timeout survives a restart too.
$node->psql(q{SELECT sfn_create_state_machine('timeout', '{"StartAt":"W","TimeoutSeconds":3,"States":{"W":{"Type":"Wait","Seconds":600,"End":true}}}')});
$node->psql(q{SELECT sfn_start_execution('timeout', '{}', 'times-out')});
$node->stop('fast');
$node->start;
ok($node->poll(q{SELECT status FROM sfn.executions WHERE name = 'times-out'}, 'TIMED_OUT', 20),
	'TimeoutSeconds ends the execution after a restart');
is($node->psql(q{SELECT string_agg(type || '/' || previous_event_id, ',' ORDER BY event_id) FROM sfn.history h JOIN sfn.executions e ON e.id = h.execution_id WHERE e.name = 'times-out'}),
	'ExecutionStarted/0,WaitStateEntered/0,ExecutionTimedOut/0', 'with ExecutionTimedOut');

# ... and a crash of the whole server.
$node->psql(q{SELECT sfn_start_execution('w3', jsonb_build_object('i', g), 'crash-' || g) FROM generate_series(1, 20) g});
ok($node->poll(q{SELECT count(*) FROM sfn.threads WHERE phase = 1}, '20', 20), '20 executions are waiting before the crash');
$node->kill9;
$node->start;
ok($node->poll(q{SELECT count(*) FROM sfn.executions WHERE name LIKE 'crash-%' AND status = 'SUCCEEDED'}, '20', 30),
	'all 20 executions finish after kill -9 and restart');

# Every history is contiguous from 1, written once: ids 1..n with n events,
# one ExecutionStarted and one terminal event per finished execution.
is($node->psql(q{
	SELECT count(*) FROM (
		SELECT execution_id, max(event_id) AS m, count(*) AS n,
			count(*) FILTER (WHERE type = 'ExecutionStarted') AS s,
			count(*) FILTER (WHERE type IN ('ExecutionSucceeded','ExecutionFailed','ExecutionAborted','ExecutionTimedOut')) AS t
		FROM sfn.history GROUP BY execution_id) h
	WHERE m <> n OR s <> 1 OR t > 1}), '0', 'histories are contiguous with one start and at most one end');
is($node->psql(q{SELECT string_agg(type, ',' ORDER BY event_id) FROM sfn.history h JOIN sfn.executions e ON e.id = h.execution_id WHERE e.name = 'crash-7'}),
	'ExecutionStarted,WaitStateEntered,WaitStateExited,PassStateEntered,PassStateExited,ExecutionSucceeded',
	'the history of a crashed-and-resumed execution has each event once');

# A 1 s Wait does not end early; how late it ends is reported, not asserted.
$node->psql(q{SELECT sfn_create_state_machine('w1', '{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}}')});
$node->psql(q{SELECT sfn_start_execution('w1', '{}', 'one-second')});
ok($node->poll(q{SELECT status FROM sfn.executions WHERE name = 'one-second'}, 'SUCCEEDED', 20), 'the 1 s wait finished');
my $late = $node->psql(q{
	SELECT round(extract(epoch FROM x.ts - n.ts)::numeric * 1000 - 1000, 1)
	FROM sfn.history n JOIN sfn.history x USING (execution_id) JOIN sfn.executions e ON e.id = n.execution_id
	WHERE e.name = 'one-second' AND n.type = 'WaitStateEntered' AND x.type = 'WaitStateExited'});
ok($late >= 0, 'the wait did not end early');
# Not a timing test: a generous bound that only a lost timer wake-up (the
# worker sleeping its full 10 s) can break.
ok($late < 5000, 'the wait was not left to the 10 s idle sleep');
diag("a 1 s Wait ended $late ms after it was due");

# SIGHUP: the workers reload their settings and keep working.
$node->psql(q{ALTER SYSTEM SET pg_sfn.batch_size = 7});
$node->psql(q{SELECT pg_reload_conf()});
$node->psql(q{SELECT sfn_start_execution('p', '{}', 'after-reload')});
ok($node->poll(q{SELECT status FROM sfn.executions WHERE name = 'after-reload'}, 'SUCCEEDED', 20),
	'workers keep running after a reload');

# A poison execution (here: its thread names a state its plan lacks, which
# makes advancing it raise an ERROR) fails alone with States.Runtime; the
# executions batched with it go on.
$node->psql(q{SELECT sfn_start_execution('w3', jsonb_build_object('i', g), 'poison-' || g) FROM generate_series(1, 10) g});
ok($node->poll(q{SELECT count(*) FROM sfn.threads t JOIN sfn.executions e ON e.id = t.execution_id WHERE e.name LIKE 'poison-%' AND t.phase = 1}, '10', 20),
	'10 executions are waiting');
$node->psql(q{UPDATE sfn.threads t SET state_name = 'NoSuchState' FROM sfn.executions e WHERE e.id = t.execution_id AND e.name = 'poison-4'});
$node->psql(q{UPDATE sfn.work w SET due_at = now() FROM sfn.executions e WHERE e.id = w.execution_id AND e.name LIKE 'poison-%'});
$node->psql(q{UPDATE sfn.threads t SET due_at = now() FROM sfn.executions e WHERE e.id = t.execution_id AND e.name LIKE 'poison-%'});
ok($node->poll(q{SELECT count(*) FROM sfn.executions WHERE name LIKE 'poison-%' AND status <> 'RUNNING'}, '10', 30),
	'all 10 ended');
is($node->psql(q{SELECT status || ' ' || count(*) FROM sfn.executions WHERE name LIKE 'poison-%' GROUP BY status ORDER BY status}),
	"FAILED 1\nSUCCEEDED 9", 'nine succeeded, the poisoned one failed');
like($node->psql(q{SELECT error || ': ' || cause FROM sfn.executions WHERE name = 'poison-4'}),
	qr/^States\.Runtime: pg_sfn could not advance the execution: state "NoSuchState" not in the plan/,
	'with States.Runtime and the internal error as cause');
is($node->psql(q{SELECT string_agg(type || '/' || previous_event_id, ',' ORDER BY event_id) FROM sfn.history h JOIN sfn.executions e ON e.id = h.execution_id WHERE e.name = 'poison-4'}),
	'ExecutionStarted/0,WaitStateEntered/0,ExecutionFailed/2', 'and an ExecutionFailed event');

# The history limit (pg_sfn.max_history_events, 25,000 as on AWS) fails an
# endless loop with AWS's error and cause; the last event gets id = limit.
$node->psql(q{ALTER SYSTEM SET pg_sfn.max_history_events = 50});
$node->psql(q{SELECT pg_reload_conf()});
sleep 1;
$node->psql(q{SELECT sfn_create_state_machine('loop', '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"Done"}],"Default":"A"},"Done":{"Type":"Succeed"}}}')});
$node->psql(q{SELECT sfn_start_execution('loop', '{}', 'endless')});
ok($node->poll(q{SELECT status FROM sfn.executions WHERE name = 'endless'}, 'FAILED', 20), 'the endless loop failed');
is($node->psql(q{SELECT error || ' / ' || cause FROM sfn.executions WHERE name = 'endless'}),
	'States.Runtime / The execution reached the maximum number of history events (50).',
	'with States.Runtime and AWS\'s cause');
is($node->psql(q{SELECT max(event_id) || ' ' || count(*) || ' ' || (array_agg(type ORDER BY event_id DESC))[1] FROM sfn.history h JOIN sfn.executions e ON e.id = h.execution_id WHERE e.name = 'endless'}),
	'50 50 ExecutionFailed', 'its 50th event is ExecutionFailed');
$node->psql(q{ALTER SYSTEM RESET pg_sfn.max_history_events});
$node->psql(q{SELECT pg_reload_conf()});

# Idle workers do no work: no transactions while nothing is due.
my $before = $node->psql(q{SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres'});
sleep 3;
my $after = $node->psql(q{SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres'});
ok($after - $before <= 4, "idle workers sleep (commits in 3 s while idle: " . ($after - $before) . ")");

# Retention: finished executions older than pg_sfn.retention_period (90 days by
# default) go, with their history; worker 0 checks at start and every 10 s.
$node->psql(q{UPDATE sfn.executions SET stop_date = stop_date - interval '91 days' WHERE name IN ('first', 'crash-1')});
$node->psql(q{UPDATE sfn.executions SET stop_date = stop_date - interval '89 days' WHERE name = 'crash-2'});
$node->stop;
$node->start;
ok($node->poll(q{SELECT count(*) FROM sfn.executions WHERE name IN ('first', 'crash-1')}, '0', 20),
	'executions finished more than 90 days ago are removed');
is($node->psql(q{SELECT count(*) FROM sfn.executions WHERE name = 'crash-2'}), '1', 'younger ones stay');
is($node->psql(q{SELECT count(*) FROM sfn.history h WHERE NOT EXISTS (SELECT 1 FROM sfn.executions e WHERE e.id = h.execution_id)}),
	'0', 'their history went with them');

unlike($node->log_content, qr/PANIC|TRAP|segfault|terminated by signal 11/, 'no crash in the server log');
$node->stop;
done_testing();

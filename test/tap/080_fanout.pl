# Parallel and inline Map under two workers and faults.
#  - A worker killed (kill -9) in the middle of a Map of 200 items whose
#    iterations run a SQL task: after the crash restart every item's task
#    ran exactly once (its write is there once) and its result is in the
#    output once, in item order; event ids are contiguous and each
#    iteration started and succeeded once.
#  - Branches waiting in Wait states survive a clean restart.
#  - The history limit counts the events of every thread.
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use SfnNode;

my $node = SfnNode->new('fanout');
$node->start;
$node->psql('CREATE EXTENSION pg_sfn');

# Each call writes its item and sleeps a little, so that the crash lands
# in the middle of the Map.
$node->psql(q{
	CREATE SCHEMA biz;
	CREATE TABLE biz.done (item int);
	CREATE FUNCTION biz.work(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
	BEGIN
		INSERT INTO biz.done VALUES ((p->>'item')::int);
		PERFORM pg_sleep(0.02);
		RETURN jsonb_build_object('twice', 2 * (p->>'item')::int);
	END $$;
});
$node->psql(q{SELECT sfn_create_state_machine('map200', $j$
{"StartAt": "M", "States": {
  "M": {"Type": "Map", "MaxConcurrency": 10,
    "ItemSelector": {"item.$": "$$.Map.Item.Value"},
    "ItemProcessor": {"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
        "Parameters": {"FunctionName": "biz.work", "Payload.$": "$"},
        "OutputPath": "$.Payload.twice", "End": true}}},
    "End": true}}}
$j$)});
$node->psql(q{SELECT sfn_start_execution('map200', (SELECT jsonb_agg(i) FROM generate_series(0, 199) i), 'm1')});

my $progress = q{SELECT count(*) >= 40 FROM sfn.history h JOIN sfn.executions e ON e.id = h.execution_id
	WHERE e.name = 'm1' AND h.type = 'MapIterationSucceeded'};
ok($node->poll($progress, 't', 60), 'the Map is under way');
ok($node->poll(q{SELECT count(*) > 0 FROM pg_stat_activity WHERE backend_type LIKE 'pg_sfn%' AND wait_event = 'PgSleep'}, 't', 20),
	'a worker is inside an iteration\'s task');
is($node->psql(q{SELECT status FROM sfn.executions WHERE name = 'm1'}), 'RUNNING', 'before the crash the Map still runs');
my $pid = $node->psql(q{SELECT pid FROM pg_stat_activity WHERE backend_type LIKE 'pg_sfn%' AND wait_event = 'PgSleep' LIMIT 1});
kill 'KILL', $pid if $pid;
ok($node->poll(q{SELECT status FROM sfn.executions WHERE name = 'm1'}, 'SUCCEEDED', 120),
	'after the crash restart the Map finishes');
is($node->psql(q{SELECT count(*) || ' ' || count(DISTINCT item) || ' ' || min(item) || ' ' || max(item) FROM biz.done}),
	'200 200 0 199', 'each item\'s task wrote exactly once');
is($node->psql(q{SELECT output = (SELECT jsonb_agg(2 * i ORDER BY i) FROM generate_series(0, 199) i) FROM sfn.executions WHERE name = 'm1'}),
	't', 'the output holds every result once, in item order');
is($node->psql(q{SELECT count(*) = max(event_id) AND count(DISTINCT event_id) = count(*) FROM sfn.history h JOIN sfn.executions e ON e.id = h.execution_id WHERE e.name = 'm1'}),
	't', 'event ids are contiguous');
is($node->psql(q{SELECT string_agg(type || ' ' || n || ' ' || k, ', ' ORDER BY type) FROM (
	SELECT type, count(*) AS n, count(DISTINCT details->>'index') AS k FROM sfn.history h JOIN sfn.executions e ON e.id = h.execution_id
	WHERE e.name = 'm1' AND type LIKE 'MapIteration%' GROUP BY type) s}),
	'MapIterationStarted 200 200, MapIterationSucceeded 200 200', 'each iteration started and succeeded once');
is($node->psql(q{SELECT count(*) FROM sfn.threads t JOIN sfn.executions e ON e.id = t.execution_id WHERE e.name = 'm1'}),
	'0', 'no thread is left');

# Branches waiting survive a clean restart.
$node->psql(q{SELECT sfn_create_state_machine('par-wait', $j$
{"StartAt": "P", "States": {
  "P": {"Type": "Parallel", "End": true, "Branches": [
    {"StartAt": "W1", "States": {"W1": {"Type": "Wait", "Seconds": 2, "End": true}}},
    {"StartAt": "W2", "States": {"W2": {"Type": "Wait", "Seconds": 3, "Next": "Q"}, "Q": {"Type": "Pass", "Result": "q", "End": true}}}]}}}
$j$)});
$node->psql(q{SELECT sfn_start_execution('par-wait', '{"in": 1}', 'p1')});
ok($node->poll(q{SELECT count(*) FROM sfn.threads t JOIN sfn.executions e ON e.id = t.execution_id WHERE e.name = 'p1' AND t.phase = 1}, '2', 20),
	'both branches are waiting');
$node->stop('fast');
$node->start;
ok($node->poll(q{SELECT status FROM sfn.executions WHERE name = 'p1'}, 'SUCCEEDED', 30), 'after a restart the Parallel finishes');
is($node->psql(q{SELECT output FROM sfn.executions WHERE name = 'p1'}), '[{"in": 1}, "q"]', 'with both branches\' outputs');

# The history limit: 30 iterations of 4 events each exceed 50 events.
$node->psql(q{ALTER SYSTEM SET pg_sfn.max_history_events = 50});
$node->psql(q{SELECT pg_reload_conf()});
sleep 1;
$node->psql(q{SELECT sfn_create_state_machine('map-long', '{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}')});
$node->psql(q{SELECT sfn_start_execution('map-long', (SELECT jsonb_agg(i) FROM generate_series(1, 30) i), 'long')});
ok($node->poll(q{SELECT status FROM sfn.executions WHERE name = 'long'}, 'FAILED', 20), 'a Map past the history limit fails');
is($node->psql(q{SELECT error || ' / ' || cause FROM sfn.executions WHERE name = 'long'}),
	'States.Runtime / The execution reached the maximum number of history events (50).',
	'with States.Runtime and AWS\'s cause');
is($node->psql(q{SELECT max(event_id) || ' ' || count(*) || ' ' || (array_agg(type ORDER BY event_id DESC))[1] FROM sfn.history h JOIN sfn.executions e ON e.id = h.execution_id WHERE e.name = 'long'}),
	'50 50 ExecutionFailed', 'its 50th event is ExecutionFailed');
is($node->psql(q{SELECT count(*) FROM sfn.threads t JOIN sfn.executions e ON e.id = t.execution_id WHERE e.name = 'long'}),
	'0', 'and its threads are gone');
$node->psql(q{ALTER SYSTEM RESET pg_sfn.max_history_events});
$node->psql(q{SELECT pg_reload_conf()});

$node->stop;
done_testing();

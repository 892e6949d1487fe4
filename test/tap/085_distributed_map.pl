# Distributed Map under load and faults: 3,000 items from a SQL query, one
# child execution each running a SQL task, MaxConcurrency 50, two workers;
# the whole cluster is killed (kill -9) mid-run.  After the restart every
# item has been processed exactly once (the task's writes commit with the
# child's transitions), every child succeeded once, the parent's Map state
# answered once with the outputs in item order, and its history stays a
# handful of events.
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use SfnNode;

my $items = 3000;
my $node = SfnNode->new('distributed_map');
$node->start;
$node->psql('CREATE EXTENSION pg_sfn');
$node->psql(q{
	CREATE SCHEMA biz;
	CREATE TABLE biz.seen (item int NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
	CREATE FUNCTION biz.process(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
		INSERT INTO biz.seen (item) VALUES ((p->>'n')::int) RETURNING to_jsonb(item * 2) $$;
});
$node->psql(qq{SELECT sfn_create_state_machine('dmap', \$j\$
{"StartAt": "Each", "States": {
  "Each": {"Type": "Map", "MaxConcurrency": 50,
    "ItemReader": {"Resource": "arn:aws:states:::sql:query",
      "Parameters": {"Query": "SELECT jsonb_build_object('n', i) FROM generate_series(1, $items) i"}},
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "Work",
      "States": {"Work": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
        "Parameters": {"FunctionName": "biz.process", "Payload.\$": "\$"},
        "OutputPath": "\$.Payload", "End": true}}},
    "End": true}}}
\$j\$)});
$node->psql(q{SELECT sfn_start_execution('dmap', '{}', 'run1')});

# Sample the children running at once until a fifth of the items are done.
my $max_running = 0;
my $deadline = time() + 60;
while (time() < $deadline)
{
	my ($running, $seen) = split /\|/, $node->psql(q{SELECT
		(SELECT count(*) FROM sfn.executions WHERE map_run_id IS NOT NULL AND status = 'RUNNING'),
		(SELECT count(*) FROM biz.seen)});
	$max_running = $running if $running > $max_running;
	last if $seen >= $items / 5;
	sleep(0.05);
}
my $before = $node->psql(q{SELECT count(*) FROM biz.seen});
ok($before > 0 && $before < $items, "the run is under way when the cluster is killed ($before items done)");
$node->kill9;
$node->start;

ok($node->poll(q{SELECT status FROM sfn.executions WHERE name = 'run1'}, 'SUCCEEDED', 180),
	'after the crash restart the parent succeeds');
is($node->psql(q{SELECT count(*) || '/' || count(DISTINCT item) FROM biz.seen}), "$items/$items",
	'every item was processed exactly once');
is($node->psql(q{SELECT status || ':' || count(*) FROM sfn.executions WHERE map_run_id IS NOT NULL GROUP BY status}),
	"SUCCEEDED:$items", 'one child per item, each succeeded');
ok($max_running <= 50, "MaxConcurrency held: at most $max_running children running at once");
is($node->psql(q{SELECT count(*) FROM sfn.map_run_items}), '0', 'no pending items are left');
my $run = $node->psql(q{SELECT map_run_arn FROM sfn_list_map_runs(sfn.execution_arn('dmap', 'run1'))});
is($node->psql(qq{SELECT d->>'status' || ':' || (d->'executionCounts'->>'succeeded') || ':' || (d->'itemCounts'->>'total')
	FROM sfn_describe_map_run('$run') d}), "SUCCEEDED:$items:$items", 'DescribeMapRun counts every child once');
is($node->psql(q{SELECT string_agg(h.type, ',' ORDER BY h.event_id) FROM sfn.history h
	JOIN sfn.executions e ON e.id = h.execution_id WHERE e.name = 'run1'}),
	'ExecutionStarted,MapStateEntered,MapStateStarted,MapRunStarted,MapRunSucceeded,MapStateSucceeded,MapStateExited,ExecutionSucceeded',
	'the parent history: eight events, the map run answered once');
is($node->psql(q{SELECT jsonb_array_length(output) || ':' || (output->>0) || ':' || (output->>-1)
	FROM sfn.executions WHERE name = 'run1'}), "$items:2:" . (2 * $items), 'the output holds every child\'s output in item order');
is($node->psql(q{SELECT count(*) FROM sfn.history h JOIN sfn.executions e ON e.id = h.execution_id
	WHERE e.map_run_id IS NOT NULL GROUP BY h.execution_id HAVING count(*) <> 7}), '',
	'every child has its own complete history');
$node->stop;
done_testing();

# A schedule fires through pg_cron and starts an execution named after the
# firing minute.  pg_cron 1.4 ticks once a minute, so this waits up to 70 s.
use strict;
use warnings;
use Test::More;
use SfnNode;

my $node = SfnNode->new('schedule');
$node->start;
$node->psql('CREATE EXTENSION pg_cron; CREATE EXTENSION pg_sfn');
$node->psql(q{SELECT sfn_create_state_machine('tick', '{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"ok":true},"End":true}}}')});
ok($node->psql(q{SELECT sfn_schedule_execution('every-minute', '* * * * *', 'tick', '{"from":"cron"}')}) > 0,
	'schedule created');
# Two 64-character names alike in their first 63: each its own pg_cron job.
my ($long_a, $long_b) = ('l' x 63 . 'a', 'l' x 63 . 'b');
$node->psql(qq{SELECT sfn_schedule_execution('$long_a', '* * * * *', 'tick', '{"which":"a"}')});
$node->psql(qq{SELECT sfn_schedule_execution('$long_b', '* * * * *', 'tick', '{"which":"b"}')});
ok($node->poll(q{SELECT count(*) > 0 FROM sfn.executions WHERE name LIKE 'every-minute-%' AND status = 'SUCCEEDED'}, 't', 75),
	'pg_cron fired the schedule and the execution succeeded');
ok($node->poll(q{SELECT count(DISTINCT left(name, 64)) FROM sfn.executions WHERE name LIKE 'lll%' AND status = 'SUCCEEDED'}, '2', 75),
	'both long-named schedules fired');
is($node->psql(qq{SELECT string_agg(DISTINCT left(name, 64) || ' ' || (input->>'which'), ',') FROM sfn.executions WHERE name LIKE 'lll%'}),
	"$long_a a,$long_b b", 'each with its own input');
$node->psql(qq{SELECT sfn_unschedule_execution('$long_a')});
is($node->psql(q{SELECT count(*) FROM cron.job WHERE command LIKE '%lll%b'')'}), '1',
	'unscheduling one long-named schedule leaves the other\'s job');
$node->psql(qq{SELECT sfn_unschedule_execution('$long_b')});
like($node->psql(q{SELECT name FROM sfn.executions WHERE name LIKE 'every-minute-%' LIMIT 1}),
	qr/^every-minute-\d{8}T\d{4}Z$/, 'the execution is named after the schedule and the firing minute');
is($node->psql(q{SELECT output FROM sfn.executions WHERE name LIKE 'every-minute-%' LIMIT 1}),
	'{"ok": true}', 'the scheduled execution ran the state machine');
$node->psql(q{SELECT sfn_unschedule_execution('every-minute')});
is($node->psql(q{SELECT count(*) FROM cron.job}), '0', 'unscheduled');
$node->stop;
done_testing();

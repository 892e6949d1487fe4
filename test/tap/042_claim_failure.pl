# A batch that fails before it claimed anything (here: a table of the
# claim is missing) cannot be pinned on an execution, so trying again at
# once fails the same way.  The workers back off instead of spinning: the
# log holds a handful of reports, not thousands, and once the cause is
# gone a new execution runs at once (its start wakes the workers).
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(sleep time);
use SfnNode;

my $node = SfnNode->new('claim_failure');
$node->start;
$node->psql('CREATE EXTENSION pg_sfn');
$node->psql(q{SELECT sfn_create_state_machine('quick', '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}')});
$node->psql(q{SELECT sfn_start_execution('quick', '{}', 'before')});
ok($node->poll(q{SELECT status FROM sfn.executions WHERE name = 'before'}, 'SUCCEEDED', 20),
	'an execution runs');

my $error = qr/relation "sfn\.inbox" does not exist/;
sub reports { my @m = ($node->log_content =~ /$error/g); return scalar @m; }

$node->psql('ALTER TABLE sfn.inbox RENAME TO inbox_hidden');
$node->psql(q{SELECT sfn_start_execution('quick', '{}', 'during')});
sleep(6);
my $n = reports();
cmp_ok($n, '>', 0, 'the failing claim is reported');
cmp_ok($n, '<=', 30, "but not in a loop: $n reports in 6 s");
$node->psql('ALTER TABLE sfn.inbox_hidden RENAME TO inbox');
my $t0 = time();
$node->psql(q{SELECT sfn_start_execution('quick', '{}', 'after')});
ok($node->poll(q{SELECT count(*) FROM sfn.executions WHERE name IN ('during', 'after') AND status = 'SUCCEEDED'}, '2', 40),
	'once the table is back, the waiting and the new execution run');
note(sprintf('both finished %.1f s after the repair', time() - $t0));
$node->stop;
done_testing();

# HTTP requests survive a crash: 200 requests in flight against a server
# that delays its answers, kill -9 of the postmaster, restart; every request
# is answered exactly once in sfn.inbox, the server saw each at least once,
# and every send of a request carried the same Idempotency-Key.  Then fast
# shutdown with 200 transfers in flight does not wait for them.
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use SfnNode;
use SfnHttp;

my $srv = SfnHttp->start('crash');
my $port = $srv->port;
my $node = SfnNode->new('http_crash', conf => "pg_sfn.http_allowed_hosts = '127.0.0.1'\n");
$node->start;
$node->psql('CREATE EXTENSION pg_sfn');

# How many requests the server received, per path prefix.
sub received
{
	my ($prefix) = @_;
	return scalar grep { /"path": "\Q$prefix\E/ } $srv->log_lines;
}

$node->psql(qq{SELECT sfn.http_enqueue(800000 + g, 0, 3,
	jsonb_build_object('ApiEndpoint', 'http://127.0.0.1:$port/delay/3/' || g, 'Method', 'POST',
		'RequestBody', jsonb_build_object('n', g)),
	30, 'idem-' || g, NULL) FROM generate_series(1, 200) g});
my $deadline = time() + 30;
sleep(0.05) while received('/delay/3/') < 150 && time() < $deadline;
my $before = received('/delay/3/');
ok($before >= 150, "the server has received $before of the 200 requests");
is($node->psql(q{SELECT count(*) FROM sfn.inbox}), '0', 'none answered yet (the server delays 3 s)');
$node->kill9;
$node->start;

ok($node->poll(q{SELECT count(*) FROM sfn.inbox WHERE execution_id BETWEEN 800001 AND 800200}, '200', 90),
	'after the crash and a restart, all 200 requests are answered');
is($node->psql(q{SELECT count(DISTINCT execution_id) || ' ' || count(*) FILTER (WHERE kind = 'SUCCEEDED') FROM sfn.inbox WHERE execution_id BETWEEN 800001 AND 800200}),
	'200 200', 'exactly once each, all SUCCEEDED');
is($node->psql(q{SELECT count(*) FROM sfn.inbox WHERE execution_id BETWEEN 800001 AND 800200 AND (output #>> '{ResponseBody,path}') <> '/delay/3/' || (execution_id - 800000)}),
	'0', 'each with its own response');
is($node->psql(q{SELECT count(*) FROM sfn.http_requests}), '0', 'the outbox is empty');

# The server's view: every request at least once, repeats with the same key.
my (%sends, %bad_key);
for my $line ($srv->log_lines)
{
	next unless $line =~ m{"path": "/delay/3/(\d+)"};
	my $g = $1;
	$sends{$g}++;
	$bad_key{$g}++ unless $line =~ /"idempotency-key": "idem-$g"/;
}
is(scalar(grep { $sends{$_} } 1 .. 200), 200, 'the server saw every request');
is(scalar(keys %bad_key), 0, 'every send carried its request\'s Idempotency-Key');
my $repeated = grep { $sends{$_} > 1 } keys %sends;
ok($repeated >= 1, "requests in flight at the crash were sent again ($repeated of them)");

# Fast shutdown with transfers in flight: the dispatcher does not wait for
# them (they would take 30 s); they are sent again after the restart.
$node->psql(qq{SELECT sfn.http_enqueue(810000 + g, 0, 3,
	jsonb_build_object('ApiEndpoint', 'http://127.0.0.1:$port/delay/30/' || g, 'Method', 'GET'),
	60, 'slow-' || g, NULL) FROM generate_series(1, 200) g});
$deadline = time() + 30;
sleep(0.05) while received('/delay/30/') < 200 && time() < $deadline;
is(received('/delay/30/'), 200, '200 slow requests in flight');
my $t0 = time();
$node->stop('fast');
my $secs = time() - $t0;
ok($secs < 20, sprintf('fast shutdown did not wait for the transfers (%.1f s)', $secs));
$node->start;
ok($node->poll(q{SELECT count(*) FROM sfn.http_requests WHERE lease_until IS NOT NULL}, '200', 30),
	'after the restart they are being sent again');
is($node->psql(q{SELECT min(sends) FROM sfn.http_requests}), '2', 'each for the second time');

unlike($node->log_content, qr/PANIC|TRAP|segfault|terminated by signal 11/, 'no crash in the server log');
$node->stop('immediate');
$srv->stop;
done_testing();

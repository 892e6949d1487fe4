# The dispatcher keeps pg_sfn.http_max_in_flight (1,000) transfers going at
# once: 1,000 requests to a server that holds each for 6 s are all at the
# server together, and all answered.
use strict;
use warnings;
use Test::More;
use SfnNode;
use SfnHttp;

my $srv = SfnHttp->start('in_flight');
my $port = $srv->port;
my $node = SfnNode->new('http_in_flight', conf => "pg_sfn.http_allowed_hosts = '127.0.0.1'\n");
$node->start;
$node->psql('CREATE EXTENSION pg_sfn');
is($node->psql('SHOW pg_sfn.http_max_in_flight'), '1000', 'the default is 1,000 in flight');

$node->psql(qq{SELECT sfn.http_enqueue(700000 + g, 0, 3,
	jsonb_build_object('ApiEndpoint', 'http://127.0.0.1:$port/delay/6/' || g, 'Method', 'GET'),
	60, 'k-' || g, NULL) FROM generate_series(1, 1000) g});
ok($node->poll(q{SELECT count(*) FROM sfn.inbox WHERE kind = 'SUCCEEDED'}, '1000', 120), 'all 1,000 answered');
require HTTP::Tiny;
my $stats = HTTP::Tiny->new->get("http://127.0.0.1:$port/stats")->{content};
my ($max) = $stats =~ /"max_concurrent_delays": (\d+)/;
is($max, 1000, 'the server held all 1,000 at once');

$node->stop;
$srv->stop;
done_testing();

# The order saga of the README (test/example/saga.json, saga_schema.sql,
# shop_service.py): success; a failure at each step (reserve, charge,
# ship) and the compensations it runs, in reverse order; a refund that
# fails twice and then succeeds (Retry); a refund and a release that keep
# failing (dead letters); a charge whose answer is lost and retried with the
# same idempotency key (one charge). Then the business rows: nothing left
# reserved or charged after a compensated order, exactly one charge and
# shipment per shipped order. Last, the demo script of scripts/start.
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use HTTP::Tiny;
use JSON::PP;
use Cwd qw(getcwd);
use SfnNode;

my $root = $ENV{SFN_ROOT} or die "SFN_ROOT is not set (run through test/run)";
my $example = "$root/test/example";
my $json = JSON::PP->new->canonical;

# The shop service, on a free loopback port, wanting an API key.
my $api_key = 'k' . join('', map { int(rand(10)) } 1 .. 20);
my $dir = ($ENV{SFN_TAP_TMP} || getcwd() . "/tmp_tap") . "/shop_service";
system("rm -rf $dir; mkdir -p $dir") == 0 or die;
my $shop_pid = fork();
die "fork: $!" unless defined $shop_pid;
if ($shop_pid == 0)
{
	$ENV{SHOP_API_KEY} = $api_key;
	# Not the test's stdout: prove waits for every holder of that pipe.
	open(STDOUT, '>', "$dir/stdout.log") or die;
	open(STDERR, '>&', \*STDOUT) or die;
	exec('python3', "$example/shop_service.py", 'serve', '--port-file', "$dir/port", '--log', "$dir/requests.log")
	  or die "exec: $!";
}
my $node;
# A test that dies leaves neither the service nor the cluster running.
END
{
	kill 'TERM', $shop_pid if $shop_pid;
	eval { $node->stop('immediate') } if $node;
}
my $deadline = time() + 10;
sleep(0.05) while !-s "$dir/port" && time() < $deadline;
open(my $pf, '<', "$dir/port") or die "the shop service did not start";
my $shop = "http://127.0.0.1:" . <$pf>;
close($pf);
my $http = HTTP::Tiny->new(timeout => 10);

sub fault
{
	my (%f) = @_;
	my $r = $http->post("$shop/faults", { content => $json->encode(\%f), headers => { 'Content-Type' => 'application/json' } });
	die "POST /faults: $r->{status}" unless $r->{success};
}

sub ledger
{
	my $r = $http->get("$shop/ledger");
	die "GET /ledger: $r->{status}" unless $r->{success};
	return $json->decode($r->{content});
}

# The requests the service received for one step of one order.
sub requests
{
	my ($path, $order) = @_;
	open(my $fh, '<', "$dir/requests.log") or return ();
	my @r = grep { $_->{path} eq $path && $_->{body}{order_id} eq $order } map { $json->decode($_) } <$fh>;
	close($fh);
	return @r;
}

# Two workers (the default): this test found a worker's claim loading an
# execution's thread from a snapshot older than a transition another
# worker had just committed (fixed: the claim reads after its locks).
$node = SfnNode->new('saga', conf => "pg_sfn.http_allowed_hosts = '127.0.0.1'\n");
$node->start;
$node->psql('CREATE EXTENSION pg_sfn');
$node->psql("\\i $example/saga_schema.sql");
open(my $df, '<', "$example/saga.json") or die;
my $definition = do { local $/; <$df> };
close($df);
$definition =~ s{https://shop\.example}{$shop}g;
$node->psql(qq{SELECT sfn_create_connection('shop', 'API_KEY',
	'{"ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "$api_key"}}')});
is($http->post("$shop/charge", { content => '{"order_id": "x", "amount_cents": 1, "card": "1"}' })->{status}, 401,
	'the service wants its API key');
like($node->psql("SELECT sfn_create_state_machine('order-saga', \$j\$$definition\$j\$)"),
	qr/:stateMachine:order-saga$/, 'the saga definition is valid');

# ReleaseStock fails for one order (a transient fault would be retried;
# this one does not go away).
$node->psql(q{
CREATE FUNCTION shop.test_no_release() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the warehouse is locked' USING ERRCODE = '55006';
END $$;
CREATE TRIGGER test_no_release BEFORE UPDATE ON shop.reservations FOR EACH ROW
	WHEN (OLD.order_id = 'release-dead' AND NEW.status = 'released') EXECUTE FUNCTION shop.test_no_release();
});

my $good = '4242424242424242';
my %orders = (
	# order => [sku, qty, card, country]
	'ok-1' => [ 'book', 1, $good, 'DE' ],
	'ok-2' => [ 'lamp', 2, $good, 'FR' ],
	'out-of-stock' => [ 'lamp', 50, $good, 'DE' ],
	'declined' => [ 'book', 2, '4000000000000002', 'DE' ],
	'no-ship' => [ 'book', 3, $good, 'US' ],
	'refund-flaky' => [ 'book', 1, $good, 'US' ],
	'refund-dead' => [ 'book', 1, $good, 'US' ],
	'release-dead' => [ 'lamp', 1, $good, 'US' ],
	'charge-lost' => [ 'book', 1, $good, 'DE' ],
	'ship-retry' => [ 'book', 1, $good, 'NL' ],
);
fault(step => 'refund', order_id => 'refund-flaky', status => 503, times => 2);
fault(step => 'refund', order_id => 'refund-dead', status => 503);
fault(step => 'charge', order_id => 'charge-lost', status => 503, times => 1, after => JSON::PP::true);
fault(step => 'ship', order_id => 'ship-retry', status => 500, times => 1);

# One transaction: every saga starts at its commit.
$node->psql("INSERT INTO shop.orders (order_id, sku, qty, amount_cents, card, country) VALUES "
	  . join(', ', map { my $o = $orders{$_}; "('$_', '$o->[0]', $o->[1], " . (1000 * $o->[1] + 99) . ", '$o->[2]', '$o->[3]')" } sort keys %orders));
ok($node->poll(q{SELECT count(*) FROM sfn.executions WHERE status = 'RUNNING'}, '0', 60), 'every saga finished')
  or diag($node->psql(q{SELECT string_agg(name, ', ') FROM sfn.executions WHERE status = 'RUNNING'}));

sub result
{
	my ($name) = @_;
	return $node->psql("SELECT status || ' ' || coalesce(error, '') FROM sfn.executions WHERE name = '$name'");
}

# The states entered, in order.
sub path
{
	my ($name) = @_;
	return $node->psql(
		"SELECT string_agg(details->>'name', ' ' ORDER BY event_id) FROM sfn.history h JOIN sfn.executions e ON e.id = h.execution_id
		 WHERE e.name = '$name' AND h.type LIKE '%StateEntered'");
}

sub count_events
{
	my ($name, $type, $state) = @_;
	# A task's events carry no state name: count those after its TaskStateEntered.
	return $node->psql(
		"SELECT count(*) FROM sfn.history h JOIN sfn.executions e ON e.id = h.execution_id
		 WHERE e.name = '$name' AND h.type = '$type' AND h.event_id > (
			SELECT max(event_id) FROM sfn.history h2 WHERE h2.execution_id = e.id
			AND h2.type = 'TaskStateEntered' AND h2.details->>'name' = '$state')
		 AND h.event_id < coalesce((SELECT min(event_id) FROM sfn.history h3 WHERE h3.execution_id = e.id
			AND h3.type = 'TaskStateExited' AND h3.details->>'name' = '$state'), 2147483647)");
}

sub reservation
{
	my ($name) = @_;
	return $node->psql("SELECT coalesce((SELECT status FROM shop.reservations WHERE order_id = '$name'), 'none')");
}

# Success.
is(result('ok-1'), 'SUCCEEDED ', 'ok-1: the saga succeeds');
is(path('ok-1'), 'ReserveStock ChargeCard CreateShipment CompleteOrder', 'ok-1: reserve, charge, ship, complete');
is(reservation('ok-1'), 'fulfilled', 'ok-1: its stock is fulfilled');
like($node->psql(q{SELECT output->'shipment'->>'tracking' FROM sfn.executions WHERE name = 'ok-1'}), qr/^TRK\d{6}$/,
	'ok-1: the output has the tracking number');
is(result('ok-2'), 'SUCCEEDED ', 'ok-2: the saga succeeds');

# Reserve fails: nothing to undo.
is(result('out-of-stock'), 'FAILED OutOfStock', 'out-of-stock: fails with the function\'s named error');
is(path('out-of-stock'), 'ReserveStock', 'out-of-stock: nothing after the reservation');
is(reservation('out-of-stock'), 'none', 'out-of-stock: no reservation');
is(scalar(requests('/charge', 'out-of-stock')), 0, 'out-of-stock: the card is not charged');

# Charge fails: the reservation is released, nothing refunded.
is(result('declined'), 'FAILED States.Http.StatusCode.402', 'declined: fails with the charge\'s error');
is(path('declined'), 'ReserveStock ChargeCard ReleaseStock Compensated OrderFailed', 'declined: release only');
is(reservation('declined'), 'released', 'declined: the stock is released');
is(scalar(requests('/refund', 'declined')), 0, 'declined: no refund asked');
is(count_events('declined', 'TaskFailed', 'ChargeCard'), '1', 'declined: a 402 is not retried');

# Ship fails: refund, then release.
is(result('no-ship'), 'FAILED States.Http.StatusCode.422', 'no-ship: fails with the shipment\'s error');
like($node->psql(q{SELECT cause FROM sfn.executions WHERE name = 'no-ship'}), qr/country_not_served/, 'no-ship: the cause is the service\'s answer');
is(path('no-ship'), 'ReserveStock ChargeCard CreateShipment RefundCharge ReleaseStock Compensated OrderFailed',
	'no-ship: refund, then release');
is(reservation('no-ship'), 'released', 'no-ship: the stock is released');
my @refunds = requests('/refund', 'no-ship');
is(scalar(@refunds), 1, 'no-ship: one refund request');
is($refunds[0]{key}, 'no-ship/refund', 'no-ship: its idempotency key is built from the execution name');

# A refund that fails twice, then succeeds.
is(result('refund-flaky'), 'FAILED States.Http.StatusCode.422', 'refund-flaky: compensated');
is(count_events('refund-flaky', 'TaskFailed', 'RefundCharge'), '2', 'refund-flaky: two failed refund attempts');
is(count_events('refund-flaky', 'TaskSucceeded', 'RefundCharge'), '1', 'refund-flaky: the third succeeds');
@refunds = requests('/refund', 'refund-flaky');
is(join(' ', map { "$_->{status}:$_->{key}" } @refunds),
	'503:refund-flaky/refund 503:refund-flaky/refund 200:refund-flaky/refund',
	'refund-flaky: three requests with the same idempotency key');
is(reservation('refund-flaky'), 'released', 'refund-flaky: the stock is released');

# A refund that keeps failing: dead letter, the release still runs.
is(result('refund-dead'), 'FAILED CompensationFailed', 'refund-dead: fails with CompensationFailed');
is(path('refund-dead'),
	'ReserveStock ChargeCard CreateShipment RefundCharge RefundToDeadLetter ReleaseStock Compensated CompensationFailed',
	'refund-dead: the dead letter, then the release');
is(scalar(requests('/refund', 'refund-dead')), 4, 'refund-dead: one attempt and three retries');
is($node->psql(q{SELECT step || ' ' || error || ' ' || (state->>'order_id') || ' ' || (state->'charge'->>'charge_id' IS NOT NULL)
	FROM shop.dead_letters WHERE order_id = 'refund-dead'}),
	'RefundCharge States.Http.StatusCode.503 refund-dead true', 'refund-dead: one dead letter, with the charge to refund');
is(reservation('refund-dead'), 'released', 'refund-dead: the stock is released');

# A release that keeps failing: dead letter.
is(result('release-dead'), 'FAILED CompensationFailed', 'release-dead: fails with CompensationFailed');
is(path('release-dead'),
	'ReserveStock ChargeCard CreateShipment RefundCharge ReleaseStock ReleaseToDeadLetter CompensationFailed',
	'release-dead: refund, then the release\'s dead letter');
is(count_events('release-dead', 'TaskFailed', 'ReleaseStock'), '4', 'release-dead: the release was tried four times');
is($node->psql(q{SELECT step || ' ' || error FROM shop.dead_letters WHERE order_id = 'release-dead'}),
	'ReleaseStock Sql.55006', 'release-dead: one dead letter with the SQL error');
is(reservation('release-dead'), 'reserved', 'release-dead: the stock stays reserved (for a person to release)');

# A charge done whose answer was lost: the retry gets the same charge.
is(result('charge-lost'), 'SUCCEEDED ', 'charge-lost: the saga succeeds');
my @charges = requests('/charge', 'charge-lost');
is(join(' ', map { "$_->{status}:$_->{key}" } @charges), '503:charge-lost/charge 200:charge-lost/charge',
	'charge-lost: two requests with the same idempotency key');
is(result('ship-retry'), 'SUCCEEDED ', 'ship-retry: a 500 of the shipment is retried');

is($node->psql(qq{SELECT count(*) FROM sfn.history WHERE details::text LIKE '%$api_key%'}), '0',
	'the API key is in no history event');

# The business rows.
my $l = ledger();
my (%charged, %refunded, %shipped, %charges);
$charges{ $_->{order_id} }++, $charged{ $_->{order_id} } += $_->{amount_cents} - $_->{refunded_cents} for @{ $l->{charges} };
$refunded{ $_->{order_id} } += $_->{amount_cents} for @{ $l->{refunds} };
$shipped{ $_->{order_id} }++ for @{ $l->{shipments} };
my @shipped_orders = qw(charge-lost ok-1 ok-2 ship-retry);
my @compensated = qw(declined no-ship out-of-stock refund-flaky release-dead);
is(join(' ', map { "$_=" . ($charges{$_} // 0) . '/' . ($shipped{$_} // 0) } @shipped_orders),
	'charge-lost=1/1 ok-1=1/1 ok-2=1/1 ship-retry=1/1', 'every shipped order has exactly one charge and one shipment');
is(join(' ', map { $charged{$_} // 0 } @compensated), '0 0 0 0 0', 'compensated orders: nothing left charged');
is(join(' ', map { $shipped{$_} // 0 } @compensated, 'refund-dead'), '0 0 0 0 0 0', 'failed orders: nothing shipped');
is($charged{'refund-dead'}, 1099, 'refund-dead: the charge is still there (the dead letter says so)');
is(join(' ', map { $refunded{$_} // 0 } qw(no-ship refund-flaky)), '3099 1099', 'refunds of the whole amount');
is($node->psql(q{SELECT string_agg(order_id, ' ' ORDER BY order_id) FROM shop.reservations WHERE status = 'reserved'}),
	'release-dead', 'no stock reserved but the dead letter\'s');
is($node->psql(q{SELECT string_agg(sku || '=' || available, ' ' ORDER BY sku) FROM shop.inventory}),
	'book=97 lamp=2', 'stock: 100 books - 3 shipped; 5 lamps - 2 shipped - 1 held by the dead letter');

# The demo of scripts/start, on this cluster.
my $conn = $node->conn_opts;
my $demo = `$node->{bindir}/psql -X -q -v ON_ERROR_STOP=1 -P pager=off $conn -d postgres -v definition="\$(cat $example/saga.json)" -v shop_url=$shop -v shop_api_key=$api_key -v shop_service=$example/shop_service.py -f $example/saga.sql 2>&1`;
is($?, 0, 'the demo script runs') or diag($demo);
like($demo, qr/== order saga 1: order-1001 ships\n.*SUCCEEDED/s, 'the demo\'s first order ships');
like($demo, qr/== order saga 2: order-1002 cannot ship.*FAILED\s+\| States.Http.StatusCode.422/s,
	'the demo\'s second order is compensated');
like($demo, qr/order-1002 \| lamp\s+\|\s+1 \| released/, 'the demo shows the released reservation');
like($demo, qr/re_\d+\s+\| ch_\d+\s+\| order-1002\s+\|\s+4590/, 'the demo shows the refund');

$node->stop;
$node = undef;
kill 'TERM', $shop_pid;
waitpid($shop_pid, 0);
$shop_pid = undef;
done_testing();

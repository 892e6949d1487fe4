# HTTP Task states end to end: a definition with
# arn:aws:states:::http:invoke runs through the engine, the outbox, the
# HTTP dispatcher and the inbox; Retry on States.Http.StatusCode.500,
# Catch on a 404, TimeoutSeconds as States.Timeout (the engine's timer,
# not the transfer's), a SQL task and an HTTP task in one execution, and
# 200 executions at once.
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use SfnNode;
use SfnHttp;

my $srv = SfnHttp->start('tasks');
my $base = "http://127.0.0.1:" . $srv->port;
my $node = SfnNode->new('http_tasks', conf => "pg_sfn.http_allowed_hosts = '127.0.0.1'\n");
$node->start;
$node->psql('CREATE EXTENSION pg_sfn');

sub machine
{
	my ($name, $json) = @_;
	$node->psql("SELECT sfn_create_state_machine('$name', \$j\$$json\$j\$)");
}

sub run
{
	my ($sm, $name, $input) = @_;
	$node->psql("SELECT sfn_start_execution('$sm', '$input', '$name')");
	$node->poll("SELECT status <> 'RUNNING' FROM sfn.executions WHERE name = '$name'", 't', 60)
	  or diag("execution $name did not finish");
	return $node->psql("SELECT status || ' ' || coalesce(output::text, error) FROM sfn.executions WHERE name = '$name'");
}

sub events
{
	my ($name) = @_;
	return $node->psql("SELECT string_agg(type, ',' ORDER BY event_id) FROM sfn.history h JOIN sfn.executions e ON e.id = h.execution_id WHERE e.name = '$name'");
}

# A GET whose JSON answer is selected into the state's output.
machine('get', qq({"StartAt":"Get","States":{"Get":{"Type":"Task","Resource":"arn:aws:states:::http:invoke","Parameters":{"ApiEndpoint":"$base/json","Method":"GET"},"ResultSelector":{"status.\$":"\$.StatusCode","body.\$":"\$.ResponseBody"},"End":true}}}));
like(run('get', 'g1', '{}'), qr/^SUCCEEDED \{"body": \{.*\}, "status": 200\}$/, 'a GET succeeds with StatusCode and the parsed ResponseBody');
is(events('g1'), 'ExecutionStarted,TaskStateEntered,TaskScheduled,TaskStarted,TaskSucceeded,TaskStateExited,ExecutionSucceeded',
	'its history is AWS\'s for a Task');
is($node->psql(q{SELECT details->>'resourceType' || ' ' || (details->>'resource') FROM sfn.history h JOIN sfn.executions e ON e.id = h.execution_id WHERE e.name = 'g1' AND type = 'TaskScheduled'}),
	'http invoke', 'TaskScheduled names resourceType http, resource invoke');

# 500 twice, then 200: the retrier for States.Http.StatusCode.500 retries.
machine('flaky', qq({"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::http:invoke","Parameters":{"ApiEndpoint":"$base/flaky/f1/2","Method":"POST","RequestBody":{"order":1}},"Retry":[{"ErrorEquals":["States.Http.StatusCode.500"],"IntervalSeconds":1,"BackoffRate":1,"MaxAttempts":3}],"OutputPath":"\$.StatusCode","End":true}}}));
is(run('flaky', 'f1', '{}'), 'SUCCEEDED 200', 'two 500s are retried, the third attempt succeeds');
is(events('f1'), 'ExecutionStarted,TaskStateEntered,TaskScheduled,TaskStarted,TaskFailed,TaskScheduled,TaskStarted,TaskFailed,TaskScheduled,TaskStarted,TaskSucceeded,TaskStateExited,ExecutionSucceeded',
	'three attempts in the history');
my @flaky = grep { m{"/flaky/f1/2"} } $srv->log_lines;
is(scalar(@flaky), 3, 'the server saw three requests');
my %keys = map { /"idempotency-key": "([^"]+)"/ ? ($1 => 1) : () } @flaky;
is(scalar(keys %keys), 3, 'each attempt carries its own Idempotency-Key');

# 503 every time, Retry with FULL jitter: IntervalSeconds 2, BackoffRate 2,
# MaxAttempts 2, so the waits are at most 2 s and 4 s (AWS: a random
# fraction of the computed delay), then the execution fails with the error.
machine('busy', qq({"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::http:invoke","Parameters":{"ApiEndpoint":"$base/status/503","Method":"GET"},"Retry":[{"ErrorEquals":["States.Http.StatusCode.503"],"IntervalSeconds":2,"BackoffRate":2,"MaxAttempts":2,"JitterStrategy":"FULL"}],"End":true}}}));
is(run('busy', 'b1', '{}'), 'FAILED States.Http.StatusCode.503', 'retries used up, the execution fails with the status error');
my @gaps = split /,/, $node->psql(q{SELECT string_agg(round(extract(epoch FROM ts - prev_ts)::numeric, 2)::text, ',' ORDER BY event_id) FROM (SELECT h.event_id, h.type, h.ts, lag(h.ts) OVER (ORDER BY h.event_id) AS prev_ts FROM sfn.history h JOIN sfn.executions e ON e.id = h.execution_id WHERE e.name = 'b1') x WHERE type = 'TaskScheduled' AND prev_ts IS NOT NULL AND event_id > 3});
is(scalar(@gaps), 2, 'two retries');
ok($gaps[0] <= 2.2 && $gaps[1] <= 4.2, "jittered waits stay within the computed delays (@gaps s; at most 2 and 4)");

# Lambda functions mapped to HTTP endpoints: the payload is POSTed, the
# response body comes back as lambda:invoke's Payload (or, for a bare
# function ARN, as the value); Lambda's error body names the error.
$node->psql("SELECT sfn_map_lambda('remote-echo', http_endpoint => '$base/echo')");
$node->psql("SELECT sfn_map_lambda('arn:aws:lambda:us-east-1:123456789012:function:remote-json', http_endpoint => '$base/json')");
$node->psql("SELECT sfn_map_lambda('remote-broken', http_endpoint => '$base/lambda-error')");
machine('lam-http', qq({"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"remote-echo","Payload":{"x":1}},"ResultSelector":{"method.\$":"\$.Payload.method","body.\$":"\$.Payload.body","code.\$":"\$.StatusCode"},"Next":"Bare"},"Bare":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:remote-json","ResultPath":"\$.bare","End":true}}}));
is(run('lam-http', 'l1', '{}'), 'SUCCEEDED {"bare": {"n": 1, "list": [1, 2], "hello": "world"}, "body": "{\\"x\\":1}", "code": 200, "method": "POST"}',
	'a Lambda function mapped to an HTTP endpoint answers with the response body as Payload (the echo server saw a JSON POST); a bare ARN with the body itself');
machine('lam-broken', qq({"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"remote-broken","Payload":{}},"Catch":[{"ErrorEquals":["Boom"],"ResultPath":"\$.error","Next":"Caught"}],"End":true},"Caught":{"Type":"Pass","End":true}}}));
is(run('lam-broken', 'l2', '{}'), 'SUCCEEDED {"error": {"Cause": "it broke", "Error": "Boom"}}',
	'Lambda\'s error body names the error, which Catch matches');

# A 404 is caught.
machine('missing', qq({"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::http:invoke","Parameters":{"ApiEndpoint":"$base/status/404","Method":"GET"},"Catch":[{"ErrorEquals":["States.Http.StatusCode.404"],"ResultPath":"\$.error","Next":"Gone"}],"End":true},"Gone":{"Type":"Pass","End":true}}}));
like(run('missing', 'm1', '{"id": 5}'), qr/^SUCCEEDED \{"id": 5, "error": \{"Cause": .*"Error": "States.Http.StatusCode.404"\}\}$/,
	'a 404 is caught with its error name');

# TimeoutSeconds 1 against an answer that takes 5 s: States.Timeout.
machine('slow', qq({"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::http:invoke","Parameters":{"ApiEndpoint":"$base/delay/5","Method":"GET"},"TimeoutSeconds":1,"End":true}}}));
my $t0 = time();
is(run('slow', 's1', '{}'), 'FAILED States.Timeout', 'TimeoutSeconds ends the task with States.Timeout');
ok(time() - $t0 < 4.5, 'without waiting for the slow answer');
is(events('s1'), 'ExecutionStarted,TaskStateEntered,TaskScheduled,TaskStarted,TaskTimedOut,ExecutionFailed', 'TaskTimedOut in the history');

# A SQL task and an HTTP task in one execution.
$node->psql(q{CREATE FUNCTION public.note(p jsonb) RETURNS jsonb LANGUAGE sql AS $$ SELECT jsonb_build_object('noted', p) $$});
machine('mixed', qq({"StartAt":"Sql","States":{"Sql":{"Type":"Task","Resource":"arn:aws:states:::sql:invoke","Parameters":{"FunctionName":"public.note","Payload.\$":"\$"},"ResultSelector":{"n.\$":"\$.Payload.noted"},"Next":"Http"},"Http":{"Type":"Task","Resource":"arn:aws:states:::http:invoke","Parameters":{"ApiEndpoint":"$base/echo","Method":"POST","RequestBody.\$":"\$"},"ResultSelector":{"sent.\$":"\$.ResponseBody.body"},"End":true}}}));
like(run('mixed', 'x1', '{"a": 1}'), qr/^SUCCEEDED \{"sent": .*a.*1/, 'the SQL task\'s output is the HTTP task\'s body');

# 200 executions, one HTTP call each.
$node->psql(q{SELECT count(sfn_start_execution('get', '{}', 'many-' || g)) FROM generate_series(1, 200) g});
ok($node->poll(q{SELECT count(*) FROM sfn.executions WHERE name LIKE 'many-%' AND status = 'SUCCEEDED'}, '200', 60),
	'200 executions with an HTTP task each all succeed');
is($node->psql(q{SELECT count(*) FROM sfn.http_requests}), '0', 'the outbox is empty');
is($node->psql(q{SELECT count(*) FROM sfn.inbox}), '0', 'every answer was applied');

# kill -9 of the postmaster while 200 executions have HTTP tasks in flight
# against a server that takes 2 s to answer: after the restart every
# execution finishes once, with contiguous history and one terminal event;
# the server saw every request at least once, every repeat with the same
# Idempotency-Key.
machine('slowget', qq({"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::http:invoke","Parameters":{"ApiEndpoint.\$":"States.Format('$base/delay/2/{}', \$\$.Execution.Name)","Method":"GET"},"TimeoutSeconds":60,"OutputPath":"\$.StatusCode","End":true}}}));
$node->psql(q{SELECT count(sfn_start_execution('slowget', '{}', 'crash-' || g)) FROM generate_series(1, 200) g});
ok($node->poll(q{SELECT count(*) >= 100 FROM sfn.http_requests WHERE lease_until IS NOT NULL}, 't', 30),
	'HTTP requests are in flight');
$node->kill9;
$node->start;
ok($node->poll(q{SELECT count(*) FROM sfn.executions WHERE name LIKE 'crash-%' AND status = 'SUCCEEDED' AND output = '200'}, '200', 120),
	'after the crash all 200 executions succeed');
is($node->psql(q{SELECT count(*) FROM sfn.executions e WHERE e.name LIKE 'crash-%' AND (
		(SELECT count(*) FROM sfn.history h WHERE h.execution_id = e.id) <> e.last_event_id
		OR (SELECT max(event_id) FROM sfn.history h WHERE h.execution_id = e.id) <> e.last_event_id
		OR (SELECT count(*) FROM sfn.history h WHERE h.execution_id = e.id
		    AND h.type IN ('ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut')) <> 1)}),
	'0', 'each has contiguous event ids and exactly one terminal event');
my (%seen, %key_of, $mismatch);
for my $line ($srv->log_lines)
{
	next unless $line =~ m{"/delay/2/(crash-\d+)"};
	my $name = $1;
	my ($key) = $line =~ /"idempotency-key": "([^"]+)"/;
	$seen{$name}++;
	$mismatch++ if defined $key_of{$name} && $key_of{$name} ne $key;
	$key_of{$name} //= $key;
}
is(scalar(keys %seen), 200, 'the server saw every request');
ok(!$mismatch, 'every repeat carried the same Idempotency-Key');
diag(sprintf('%d requests were sent again after the crash', (grep { $_ > 1 } values %seen) + 0));

$node->stop;
$srv->stop;
done_testing();

# HTTP tasks through the dispatcher: requests queued with sfn.http_enqueue
# (as the engine queues them) are sent by the HTTP dispatcher and answered
# in sfn.inbox as AWS's arn:aws:states:::http:invoke answers: the output
# {StatusCode, StatusText, Headers, ResponseBody}, States.Http.StatusCode.NNN
# for non-2xx, States.Http.Socket for transport failures and timeouts,
# States.Permissions for hosts and addresses the allowlist refuses (also
# after a redirect, and after DNS), States.DataLimitExceeded past the
# payload limit; Parameters as AWS reads them (QueryParameters, Headers,
# RequestBody, URL_ENCODED bodies).
use strict;
use warnings;
use Test::More;
use SfnNode;
use SfnHttp;

my $srv = SfnHttp->start('basic');
my $port = $srv->port;
my $node = SfnNode->new('http_basic', conf => "pg_sfn.http_allowed_hosts = '127.0.0.1'\n");
$node->start;
$node->psql('CREATE EXTENSION pg_sfn');

my $n = 0;

# Queue one request (parameters as JSON text); wait for its answer.
sub call
{
	my ($params, %o) = @_;
	my $exec = 900000 + ++$n;
	my $timeout = $o{timeout} || 10;
	my $key = $o{key} || "key-$exec";
	my $role = defined $o{role} ? "'$o{role}'" : 'NULL';
	$node->psql("SELECT sfn.http_enqueue($exec, 0, 7, \$j\$$params\$j\$, $timeout, '$key', $role)");
	$node->poll("SELECT count(*) FROM sfn.inbox WHERE execution_id = $exec", '1', 30)
	  or diag("no answer for request $exec: $params");
	return $exec;
}

sub answer
{
	my ($exec, $expr) = @_;
	return $node->psql("SELECT $expr FROM sfn.inbox WHERE execution_id = $exec");
}

# The last request the server received for a path, as a field of its JSON.
sub seen
{
	my ($path, $field) = @_;
	my @lines = grep { /"path": "\Q$path\E"/ } $srv->log_lines;
	return undef unless @lines;
	return $node->psql("SELECT \$j\$$lines[-1]\$j\$::jsonb #>> '{$field}'");
}

# --- 2xx -------------------------------------------------------------
my $e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/json", "Method": "GET"}));
is(answer($e, "kind || ' ' || scheduled_event_id || ' ' || thread_id"), 'SUCCEEDED 7 0', 'a GET of JSON succeeds, answering its attempt');
is(answer($e, "output->'ResponseBody'"), '{"n": 1, "list": [1, 2], "hello": "world"}', 'a JSON body is parsed');
is(answer($e, "output->>'StatusCode'"), '200', 'StatusCode');
is(answer($e, "output->>'StatusText'"), 'OK', 'StatusText from the status line');
is(answer($e, "output->'Headers'->'content-type'"), '["application/json"]', 'Headers: lower-case names, arrays of values');
is(answer($e, "output->'Headers'->'x-test-server'"), '["pg_sfn"]', 'every response header is there');
is(answer($e, "(SELECT string_agg(k, ',' ORDER BY k) FROM jsonb_object_keys(output) k)"),
	'Headers,ResponseBody,StatusCode,StatusText', 'the output has exactly AWS\'s four fields');
is(seen('/json', 'headers,idempotency-key'), "key-$e", 'the request carries its Idempotency-Key');
is($node->psql("SELECT count(*) FROM sfn.http_requests"), '0', 'answered requests leave the outbox');

$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/json", "Method": "GET"}), timeout => 2147483647);
is(answer($e, 'kind'), 'SUCCEEDED', 'the largest timeout does not overflow the lease');

$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/text", "Method": "GET"}));
is(answer($e, "output->'ResponseBody'"), '"plain text, not JSON"', 'a body that is not JSON stays text');

$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/echo?a=1", "Method": "POST",
	"Headers": {"X-Custom": "v 1", "Accept": "application/json"},
	"QueryParameters": {"q": "a b&c", "n": 5},
	"RequestBody": {"order": 7, "items": ["x", "y"]}}));
is(answer($e, "kind"), 'SUCCEEDED', 'a POST succeeds');
is(answer($e, "output #>> '{ResponseBody,method}'"), 'POST', 'with its method');
is(answer($e, "output #>> '{ResponseBody,query}'"), 'a=1&n=5&q=a%20b%26c', 'QueryParameters appended, URL-encoded');
is(answer($e, "output #>> '{ResponseBody,body}'"), '{"items":["x","y"],"order":7}', 'the RequestBody sent as JSON');
is(answer($e, "output #>> '{ResponseBody,headers,content-type}'"), 'application/json', 'with Content-Type application/json');
is(answer($e, "output #>> '{ResponseBody,headers,x-custom}'"), 'v 1', 'and the given Headers');

# --- Transform: URL-encoded bodies ---------------------------------------
my %forms = (
	'' => 'a=x%20y&o[k]=v&arr[0]=1&arr[1]=2',
	INDICES => 'a=x%20y&o[k]=v&arr[0]=1&arr[1]=2',
	BRACKETS => 'a=x%20y&o[k]=v&arr[]=1&arr[]=2',
	REPEAT => 'a=x%20y&o[k]=v&arr=1&arr=2',
	COMMAS => 'a=x%20y&o[k]=v&arr=1,2',
);
for my $format (sort keys %forms)
{
	my $opts = $format ? qq(, "RequestEncodingOptions": {"ArrayFormat": "$format"}) : '';
	$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/echo", "Method": "POST",
		"RequestBody": {"a": "x y", "arr": ["1", 2], "o": {"k": "v"}},
		"Transform": {"RequestBodyEncoding": "URL_ENCODED"$opts}}));
	is(answer($e, "output #>> '{ResponseBody,body}'"), $forms{$format}, "URL_ENCODED body, ArrayFormat " . ($format || 'default'));
}
is(answer($e, "output #>> '{ResponseBody,headers,content-type}'"), 'application/x-www-form-urlencoded', 'sent as a form');

# --- non-2xx -----------------------------------------------------------
$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/status/404", "Method": "GET"}));
is(answer($e, "kind || ' ' || error"), 'FAILED States.Http.StatusCode.404', '404: States.Http.StatusCode.404');
is(answer($e, "cause::jsonb->>'StatusCode' || ' ' || (cause::jsonb->'ResponseBody')::text"), '404 {"status": 404}',
	'the cause is the response, as the output would have been');
is(answer($e, "output IS NULL"), 't', 'and there is no output');
$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/status/503", "Method": "DELETE"}));
is(answer($e, "error"), 'States.Http.StatusCode.503', '503: States.Http.StatusCode.503');
is(seen('/status/503', 'method'), 'DELETE', 'DELETE sent as DELETE');

# --- transport failures ----------------------------------------------------
my $closed = SfnHttp::closed_port();
$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$closed/x", "Method": "GET"}));
is(answer($e, "error"), 'States.Http.Socket', 'a refused connection: States.Http.Socket');
like(answer($e, "cause"), qr/^The request to "127\.0\.0\.1" failed: Couldn't connect to server/, 'with libcurl\'s reason');

$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/delay/5", "Method": "GET"}), timeout => 1);
is(answer($e, "error || ': ' || cause"), 'States.Http.Socket: The request to "127.0.0.1" timed out after 1 seconds.',
	'TimeoutSeconds bounds the transfer: States.Http.Socket');

$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/big/300000", "Method": "GET"}));
is(answer($e, "error"), 'States.DataLimitExceeded', 'a response over pg_sfn.max_payload_size: States.DataLimitExceeded');
$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/big/200000", "Method": "GET"}));
is(answer($e, "kind || ' ' || length(output->>'ResponseBody')"), 'SUCCEEDED 200000', 'one under it is fine');

$e = call(qq({"ApiEndpoint": "ftp://127.0.0.1:$port/x", "Method": "GET"}));
is(answer($e, "error || ': ' || cause"), 'States.Runtime: The ApiEndpoint must be an http:// or https:// URL.', 'only http and https');
$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/x", "Method": "BREW"}));
is(answer($e, "error"), 'States.Runtime', 'an unknown Method fails');
$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/x", "Method": "GET", "Headers": {"Host": "evil"}}));
is(answer($e, "error || ': ' || cause"), 'States.Runtime: The header "Host" may not be set.', 'reserved headers are refused');
$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/x", "Method": "GET", "Headers": {"X-A": "1\\r\\nX-B: 2"}}));
is(answer($e, "error"), 'States.Runtime', 'a header value with a line break is refused');

# --- TLS is verified ---------------------------------------------------------
# A server with a self-signed certificate: the handshake fails.
my $pem = "$srv->{dir}/self-signed.pem";
system("openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -days 1 -keyout $pem -out $pem.crt >/dev/null 2>&1 && cat $pem.crt >> $pem") == 0
  or die "openssl failed";
my $tls = SfnHttp->start('basic_tls', tls_cert => $pem);
my $tls_port = $tls->port;
$e = call(qq({"ApiEndpoint": "https://127.0.0.1:$tls_port/json", "Method": "GET"}));
is(answer($e, "error"), 'States.Http.Socket', 'a certificate that is not trusted: States.Http.Socket');
like(answer($e, "cause"), qr/SSL certificate problem: self-signed certificate/, 'the certificate was checked');
is(scalar(grep { m{"path": "/json"} } $tls->log_lines), 0, 'and no request was sent');
$tls->stop;

# --- the allowlist -----------------------------------------------------------
$e = call(q({"ApiEndpoint": "http://example.invalid/x", "Method": "GET"}));
is(answer($e, "error || ': ' || cause"), 'States.Permissions: pg_sfn.http_allowed_hosts does not allow the host "example.invalid".',
	'a host not on the allowlist: States.Permissions, nothing sent');

$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/redirect?to=/json&code=302", "Method": "GET"}));
is(answer($e, "kind || ' ' || (output->'ResponseBody'->>'hello')"), 'SUCCEEDED world', 'a redirect to an allowed URL is followed');
is(seen('/json', 'headers,idempotency-key'), "key-$e", 'with the same Idempotency-Key');

$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/redirect?to=http://169.254.169.254/latest/meta-data/&code=307", "Method": "GET"}));
is(answer($e, "error || ': ' || cause"), 'States.Permissions: pg_sfn.http_allowed_hosts does not allow the host "169.254.169.254" (redirected to).',
	'a redirect to the metadata address is refused');

# With every host allowed, loopback and metadata addresses still are not,
# checked on the address a name resolves to.
$node->psql(q{ALTER SYSTEM SET pg_sfn.http_allowed_hosts = '*'});
$node->psql(q{SELECT pg_reload_conf()});
sleep 1;
$e = call(qq({"ApiEndpoint": "http://localhost:$port/json", "Method": "GET"}));
like(answer($e, "error || ': ' || cause"), qr/^States\.Permissions: pg_sfn\.http_allowed_hosts does not allow connecting to (127\.0\.0\.1|::1) \(host "localhost"\)\.$/,
	'"*": a name resolving to loopback is refused after DNS');
$e = call(q({"ApiEndpoint": "http://169.254.169.254/latest/meta-data/", "Method": "GET"}));
is(answer($e, "error || ': ' || cause"), 'States.Permissions: pg_sfn.http_allowed_hosts does not allow connecting to 169.254.169.254 (host "169.254.169.254").',
	'"*": the metadata address is refused');
$e = call(qq({"ApiEndpoint": "http://[::ffff:127.0.0.1]:$port/json", "Method": "GET"}));
is(answer($e, "error"), 'States.Permissions', '"*": loopback written as IPv4-mapped IPv6 is refused too');

# A name on the list whose address is loopback: refused unless the address is listed.
$node->psql(q{ALTER SYSTEM SET pg_sfn.http_allowed_hosts = 'localhost'});
$node->psql(q{SELECT pg_reload_conf()});
sleep 1;
$e = call(qq({"ApiEndpoint": "http://localhost:$port/json", "Method": "GET"}));
is(answer($e, "error"), 'States.Permissions', 'a listed name resolving to loopback is refused');
$node->psql(q{ALTER SYSTEM SET pg_sfn.http_allowed_hosts = 'localhost, 127.0.0.0/8'});
$node->psql(q{SELECT pg_reload_conf()});
sleep 1;
$e = call(qq({"ApiEndpoint": "http://localhost:$port/json", "Method": "GET"}));
is(answer($e, "kind"), 'SUCCEEDED', '... and allowed once its network is listed');

# An answer whose request is gone (the execution stopped) is dropped.
$node->psql("SELECT sfn.http_enqueue(990001, 0, 7, '{\"ApiEndpoint\": \"http://127.0.0.1:$port/delay/1.5/cancelled\", \"Method\": \"GET\"}', 10, 'k', NULL)");
ok($node->poll("SELECT count(*) FROM sfn.http_requests WHERE execution_id = 990001 AND lease_until IS NOT NULL", '1', 10), 'a request is being sent');
$node->psql("DELETE FROM sfn.http_requests WHERE execution_id = 990001");
sleep 3;
ok(defined seen('/delay/1.5/cancelled', 'method'), 'the server answered it');
is($node->psql("SELECT count(*) FROM sfn.inbox WHERE execution_id = 990001"), '0', 'but no answer reached the inbox');

unlike($node->log_content, qr/PANIC|TRAP|segfault|terminated by signal/, 'no crash in the server log');
$node->stop;
$srv->stop;
done_testing();

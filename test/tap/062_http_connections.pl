# Connections: API_KEY, BASIC and OAUTH_CLIENT_CREDENTIALS credentials are
# sent with HTTP tasks that name the connection's ARN, to the first URL's
# origin only; the OAuth token is fetched once and cached; only state
# machines whose role has the owner's privileges may use a connection; the
# secret values never appear in describe or list output, in the outbox, the
# inbox or the server log, and ordinary roles cannot read them.
use strict;
use warnings;
use Test::More;
use MIME::Base64;
use Time::HiRes qw(time sleep);
use SfnNode;
use SfnHttp;

my $srv = SfnHttp->start('connections');
my $port = $srv->port;
my $node = SfnNode->new('http_connections',
	conf => "pg_sfn.http_allowed_hosts = '127.0.0.1, ::1, localhost'\n");
$node->start;
$node->psql('CREATE EXTENSION pg_sfn');
$node->psql(q{
	CREATE ROLE alice LOGIN IN ROLE sfn_user;
	CREATE ROLE bob LOGIN IN ROLE sfn_user;
	CREATE ROLE carol LOGIN IN ROLE alice;
});

sub as
{
	my ($role, $sql, $allow_error) = @_;
	return $node->psql("SET ROLE $role;\n$sql", $allow_error);
}

my $api_arn = as('alice', q{SELECT sfn_create_connection('api', 'API_KEY',
	'{"ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "SECRET-api-4711"}}', 'the API')});
like($api_arn, qr{^arn:aws:events:us-east-1:123456789012:connection/api/[0-9a-f-]{36}$}, 'create returns the connection ARN');
my $basic_arn = as('alice', q{SELECT sfn_create_connection('basic', 'BASIC',
	'{"BasicAuthParameters": {"Username": "user1", "Password": "SECRET-pw-4711"}}')});
my $oauth_arn = as('alice', qq{SELECT sfn_create_connection('oauth', 'OAUTH_CLIENT_CREDENTIALS',
	'{"OAuthParameters": {"AuthorizationEndpoint": "http://127.0.0.1:$port/token", "HttpMethod": "POST",
	  "ClientParameters": {"ClientID": "client1", "ClientSecret": "SECRET-cs-4711"}}}')});

like(as('alice', q{SELECT sfn_create_connection('api', 'BASIC', '{"BasicAuthParameters": {"Username": "u", "Password": "p"}}')}, 1),
	qr/ResourceAlreadyExistsException: connection "api" already exists/, 'names are unique');
like(as('alice', q{SELECT sfn_create_connection('x', 'DIGEST', '{}')}, 1),
	qr/ValidationException: invalid authorization type "DIGEST"/, 'unknown types are refused');
like(as('alice', q{SELECT sfn_create_connection('x', 'API_KEY', '{"ApiKeyAuthParameters": {"ApiKeyName": "bad name", "ApiKeyValue": "v"}}')}, 1),
	qr/ValidationException: ApiKeyAuthParameters.ApiKeyName must be a header name/, 'the key name must be a header name');
like(as('alice', q{SELECT sfn_create_connection('x/y', 'API_KEY', '{}')}, 1),
	qr/InvalidName: invalid connection name "x\/y"/, 'names follow EventBridge\'s rule');

my $n = 0;

sub call
{
	my ($params, $role) = @_;
	my $exec = 600000 + ++$n;
	$role = defined $role ? "'$role'" : 'NULL';
	$node->psql("SELECT sfn.http_enqueue($exec, 0, 7, \$j\$$params\$j\$, 10, 'key-$exec', $role)");
	$node->poll("SELECT count(*) FROM sfn.inbox WHERE execution_id = $exec", '1', 30)
	  or diag("no answer for request $exec: $params");
	return $exec;
}

sub answer
{
	my ($exec, $expr) = @_;
	return $node->psql("SELECT $expr FROM sfn.inbox WHERE execution_id = $exec");
}

# Requests the server saw for a path (JSON lines).
sub seen
{
	my ($path) = @_;
	return grep { /"path": "\Q$path\E"/ } $srv->log_lines;
}

sub header_of
{
	my ($line, $name) = @_;
	return $node->psql("SELECT \$j\$$line\$j\$::jsonb -> 'headers' ->> '$name'");
}

my $e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/json/api", "Method": "GET",
	"Authentication": {"ConnectionArn": "$api_arn"}}), 'alice');
is(answer($e, 'kind'), 'SUCCEEDED', 'a request with an API key connection succeeds');
is(header_of((seen('/json/api'))[-1], 'x-api-key'), 'SECRET-api-4711', 'the key is sent in its header');

$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/json/basic", "Method": "GET",
	"Authentication": {"ConnectionArn": "$basic_arn"}}), 'carol');
is(answer($e, 'kind'), 'SUCCEEDED', 'a role with the owner\'s privileges may use a connection');
is(header_of((seen('/json/basic'))[-1], 'authorization'), 'Basic ' . encode_base64('user1:SECRET-pw-4711', ''),
	'BASIC: an Authorization header');

$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/json/oauth", "Method": "GET",
	"Authentication": {"ConnectionArn": "$oauth_arn"}}), 'alice');
is(answer($e, 'kind'), 'SUCCEEDED', 'a request with an OAuth connection succeeds');
my @token = seen('/token');
is(scalar(@token), 1, 'the token was fetched');
is(header_of($token[0], 'authorization'), 'Basic ' . encode_base64('client1:SECRET-cs-4711', ''),
	'with the client credentials');
is($node->psql("SELECT \$j\$$token[0]\$j\$::jsonb ->> 'body'"), 'grant_type=client_credentials', 'as a client credentials grant');
is(header_of((seen('/json/oauth'))[-1], 'authorization'), 'Bearer token-1', 'the request carries the token');
$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/json/oauth2", "Method": "GET",
	"Authentication": {"ConnectionArn": "$oauth_arn"}}), 'alice');
is(header_of((seen('/json/oauth2'))[-1], 'authorization'), 'Bearer token-1', 'a second request reuses the token');
is(scalar(seen('/token')), 1, 'without fetching it again');

# The ARN's region, account and uuid are not compared: definitions written
# for AWS run unchanged once a connection of that name exists.
$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/json/aws", "Method": "GET",
	"Authentication": {"ConnectionArn": "arn:aws:events:us-east-2:999999999999:connection/api/81210c42-8af1-456b-9c4a-6ff02fc664ac"}}), 'alice');
is(header_of((seen('/json/aws'))[-1], 'x-api-key'), 'SECRET-api-4711', 'a connection is found by name');

# Who may use it.
$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/json/bob", "Method": "GET",
	"Authentication": {"ConnectionArn": "$api_arn"}}), 'bob');
is(answer($e, "error || ': ' || cause"), 'States.Permissions: The connection "api" does not exist, or the state machine\'s role may not use it.',
	'another role may not use it: States.Permissions');
is(scalar(seen('/json/bob')), 0, 'and nothing was sent');
$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/json", "Method": "GET",
	"Authentication": {"ConnectionArn": "arn:aws:events:us-east-1:123456789012:connection/nope/81210c42-8af1-456b-9c4a-6ff02fc664ac"}}), 'alice');
is(answer($e, 'error'), 'States.Permissions', 'a connection that does not exist: the same');
$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/json", "Method": "GET",
	"Authentication": {"ConnectionArn": "arn:aws:events:us-east-1:123456789012:rule/x"}}), 'alice');
is(answer($e, 'error'), 'States.Runtime', 'a ConnectionArn that is not one: States.Runtime');

# Without a role given, the requests of an execution use its state
# machine's role (as when the engine queues them).
as('alice', q{SELECT sfn_create_state_machine('waits', '{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600, "End": true}}}')});
as('alice', q{SELECT sfn_start_execution('waits', '{}', 'one')});
my $exec_id = $node->psql(q{SELECT id FROM sfn.executions WHERE name = 'one'});
$node->psql(qq{SELECT sfn.http_enqueue($exec_id, 0, 9, '{"ApiEndpoint": "http://127.0.0.1:$port/json/by-execution", "Method": "GET",
	"Authentication": {"ConnectionArn": "$api_arn"}}', 10, 'by-exec', NULL)});
my $deadline = time() + 20;
sleep 0.1 while !seen('/json/by-execution') && time() < $deadline;
is(header_of((seen('/json/by-execution'))[-1], 'x-api-key'), 'SECRET-api-4711',
	'a request of alice\'s execution may use alice\'s connection');

# Credentials go to the first URL's origin only.
$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/redirect?to=/json/same", "Method": "GET",
	"Authentication": {"ConnectionArn": "$api_arn"}}), 'alice');
is(header_of((seen('/json/same'))[-1], 'x-api-key'), 'SECRET-api-4711', 'a redirect within the origin keeps the credentials');
$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/redirect?to=http://localhost:$port/json/other", "Method": "GET",
	"Authentication": {"ConnectionArn": "$api_arn"}}), 'alice');
is(answer($e, 'kind'), 'SUCCEEDED', 'a redirect to another origin is followed');
is(header_of((seen('/json/other'))[-1], 'x-api-key'), '', 'without the credentials');

# Updates take effect; an OAuth connection that changed fetches a new token.
as('alice', q{SELECT sfn_update_connection('api', parameters => '{"ApiKeyAuthParameters": {"ApiKeyName": "x-key-2", "ApiKeyValue": "SECRET-api-new"}}')});
$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/json/updated", "Method": "GET",
	"Authentication": {"ConnectionArn": "$api_arn"}}), 'alice');
is(header_of((seen('/json/updated'))[-1], 'x-key-2'), 'SECRET-api-new', 'an updated connection is used at once');
as('alice', q{SELECT sfn_update_connection('oauth', description => 'changed')});
$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/json/oauth3", "Method": "GET",
	"Authentication": {"ConnectionArn": "$oauth_arn"}}), 'alice');
is(scalar(seen('/token')), 2, 'a changed OAuth connection fetches its token again');
like(as('bob', q{SELECT sfn_update_connection('api', description => 'mine now')}, 1),
	qr/ResourceNotFoundException: connection "api" does not exist/, 'others cannot update it');
like(as('bob', q{SELECT sfn_delete_connection('api')}, 1),
	qr/ResourceNotFoundException: connection "api" does not exist/, 'or delete it');
like(as('bob', q{SELECT sfn_describe_connection('api')}, 1),
	qr/ResourceNotFoundException: connection "api" does not exist/, 'or see it');
is(as('bob', q{SELECT count(*) FROM sfn_list_connections()}), '0', 'bob lists none');
is(as('alice', q{SELECT string_agg(name || ' ' || authorization_type, ', ') FROM sfn_list_connections()}),
	'api API_KEY, basic BASIC, oauth OAUTH_CLIENT_CREDENTIALS', 'alice lists hers');
is(as('sfn_admin', q{SELECT count(*) FROM sfn_list_connections()}), '3', 'sfn_admin lists all');

# Secrets are not in plain sight.
my $described = as('alice', q{SELECT sfn_describe_connection('api')});
like($described, qr/"AuthParameters": \{"ApiKeyAuthParameters": \{"ApiKeyName": "x-key-2"\}\}/, 'describe shows the key\'s name');
unlike($described, qr/SECRET/, 'but not its value');
is(as('alice', qq{SELECT sfn_describe_connection('$oauth_arn') -> 'AuthParameters'}),
	qq({"OAuthParameters": {"HttpMethod": "POST", "ClientParameters": {"ClientID": "client1"}, "AuthorizationEndpoint": "http://127.0.0.1:$port/token"}}),
	'an OAuth connection shows all but the client secret');
unlike(as('alice', q{SELECT sfn_describe_connection('basic')}), qr/SECRET/, 'nor a password');
like(as('alice', q{SELECT secret FROM sfn.connections}, 1), qr/permission denied/, 'the owner cannot read the secret column');
is(as('alice', q{SELECT count(auth_parameters) FROM sfn.connections}), '3', 'but the rest');
like(as('alice', q{SELECT sfn.http_enqueue(1, 0, 1, '{}', 1, 'k')}, 1), qr/permission denied/, 'only superusers queue requests directly');
is($node->psql(q{SELECT count(*) FROM sfn.inbox WHERE coalesce(output::text, '') || coalesce(cause, '') LIKE '%SECRET%'}), '0',
	'no secret in any answer');
is($node->psql(q{SELECT count(*) FROM sfn.http_requests WHERE parameters::text LIKE '%SECRET%'}), '0', 'nor in the outbox');
unlike($node->log_content, qr/SECRET/, 'nor in the server log');

# Deleted: requests naming it fail.
as('alice', q{SELECT sfn_delete_connection('basic')});
$e = call(qq({"ApiEndpoint": "http://127.0.0.1:$port/json", "Method": "GET",
	"Authentication": {"ConnectionArn": "$basic_arn"}}), 'alice');
is(answer($e, 'error'), 'States.Permissions', 'a deleted connection: States.Permissions');

$node->stop;
$srv->stop;
done_testing();

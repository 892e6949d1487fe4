# Upgrades keep data: the oldest release's build creates state machines and
# executions (some waiting), the current build starts on the same data
# directory, ALTER EXTENSION pg_sfn UPDATE runs, and every execution
# finishes.  A fresh install and an updated one have the same objects.
# pg_dump / pg_restore round-trips definitions and executions.
use strict;
use warnings;
use Test::More;
use SfnNode;

my $oldest = $ENV{SFN_OLDEST_RELEASE} or die "SFN_OLDEST_RELEASE is not set (run through test/run)";
my $oldest_bin = $ENV{SFN_OLDEST_BIN} or die "SFN_OLDEST_BIN is not set (run through test/run)";

# Every object of the extension, described in one text: functions with
# their settings, privileges and comments; tables with columns, defaults,
# constraints, indexes, policies, options and privileges.
my $describe = q{
WITH members AS (
	SELECT d.classid, d.objid FROM pg_catalog.pg_depend d
	JOIN pg_catalog.pg_extension x ON x.oid = d.refobjid AND d.refclassid = 'pg_catalog.pg_extension'::regclass
	WHERE x.extname = 'pg_sfn' AND d.deptype = 'e'),
rels AS (
	SELECT c.oid, c.relname FROM pg_catalog.pg_class c JOIN members m ON m.classid = 'pg_catalog.pg_class'::regclass AND m.objid = c.oid),
lines AS (
	SELECT 'function ' || p.oid::regprocedure::text || E'\n' || pg_catalog.pg_get_functiondef(p.oid)
		|| ' acl=' || coalesce(p.proacl::text, '-')
		|| ' comment=' || coalesce(pg_catalog.obj_description(p.oid, 'pg_proc'), '-') AS l
	FROM pg_catalog.pg_proc p JOIN members m ON m.classid = 'pg_catalog.pg_proc'::regclass AND m.objid = p.oid
	UNION ALL
	SELECT 'relation ' || c.oid::regclass::text || ' kind=' || c.relkind::text || ' opts=' || coalesce(c.reloptions::text, '-')
		|| ' rls=' || c.relrowsecurity || '/' || c.relforcerowsecurity || ' acl=' || coalesce(c.relacl::text, '-')
		|| ' comment=' || coalesce(pg_catalog.obj_description(c.oid, 'pg_class'), '-')
	FROM pg_catalog.pg_class c JOIN rels r ON r.oid = c.oid
	UNION ALL
	SELECT 'column ' || a.attrelid::regclass::text || '.' || a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
		|| CASE WHEN a.attnotnull THEN ' not null' ELSE '' END || ' identity=' || a.attidentity::text
		|| ' default=' || coalesce(pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), '-')
		|| ' comment=' || coalesce(pg_catalog.col_description(a.attrelid, a.attnum), '-')
	FROM pg_catalog.pg_attribute a JOIN rels r ON r.oid = a.attrelid
	LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
	WHERE a.attnum > 0 AND NOT a.attisdropped
	UNION ALL
	SELECT 'index ' || pg_catalog.pg_get_indexdef(i.indexrelid)
	FROM pg_catalog.pg_index i JOIN rels r ON r.oid = i.indrelid
	UNION ALL
	SELECT 'constraint ' || co.conrelid::regclass::text || ' ' || co.conname || ' ' || pg_catalog.pg_get_constraintdef(co.oid)
	FROM pg_catalog.pg_constraint co JOIN rels r ON r.oid = co.conrelid
	UNION ALL
	SELECT 'policy ' || po.polrelid::regclass::text || ' ' || po.polname || ' ' || po.polcmd::text || ' '
		|| coalesce(pg_catalog.pg_get_expr(po.polqual, po.polrelid), '-') || ' '
		|| coalesce(pg_catalog.pg_get_expr(po.polwithcheck, po.polrelid), '-') || ' ' || po.polroles::text
	FROM pg_catalog.pg_policy po JOIN rels r ON r.oid = po.polrelid
	UNION ALL
	SELECT 'trigger ' || pg_catalog.pg_get_triggerdef(t.oid)
	FROM pg_catalog.pg_trigger t JOIN rels r ON r.oid = t.tgrelid WHERE NOT t.tgisinternal
	UNION ALL
	SELECT 'schema ' || n.nspname || ' acl=' || coalesce(n.nspacl::text, '-')
		|| ' comment=' || coalesce(pg_catalog.obj_description(n.oid, 'pg_namespace'), '-')
	FROM pg_catalog.pg_namespace n JOIN members m ON m.classid = 'pg_catalog.pg_namespace'::regclass AND m.objid = n.oid
	UNION ALL
	SELECT 'type ' || t.oid::regtype::text
	FROM pg_catalog.pg_type t JOIN members m ON m.classid = 'pg_catalog.pg_type'::regclass AND m.objid = t.oid
	UNION ALL
	SELECT 'config dump ' || coalesce((SELECT pg_catalog.array_agg(c::regclass::text ORDER BY c::regclass::text) FROM pg_catalog.unnest(x.extconfig) c)::text, '-')
	FROM pg_catalog.pg_extension x WHERE x.extname = 'pg_sfn'
	UNION ALL
	SELECT 'member of another class ' || m.classid::regclass::text
	FROM members m WHERE m.classid NOT IN ('pg_catalog.pg_proc'::regclass, 'pg_catalog.pg_class'::regclass,
		'pg_catalog.pg_namespace'::regclass, 'pg_catalog.pg_type'::regclass))
SELECT string_agg(l, E'\n' ORDER BY l) FROM lines
};

# --- A fresh install and an updated one have the same objects ----------

my $node = SfnNode->new('upgrade_schema');
$node->start;
$node->psql('CREATE DATABASE fresh');
$node->psql('CREATE DATABASE updated');
$node->psql_in('fresh', 'CREATE EXTENSION pg_sfn');
$node->psql_in('updated', "CREATE EXTENSION pg_sfn VERSION '$oldest'");
$node->psql_in('updated', 'ALTER EXTENSION pg_sfn UPDATE');
my $newest = $node->psql_in('fresh', q{SELECT extversion FROM pg_extension WHERE extname = 'pg_sfn'});
is($node->psql_in('updated', q{SELECT extversion FROM pg_extension WHERE extname = 'pg_sfn'}),
	$newest, "ALTER EXTENSION UPDATE goes from $oldest to the newest version ($newest)");
my $fresh = $node->psql_in('fresh', $describe);
my $updated = $node->psql_in('updated', $describe);
ok(length($fresh) > 1000, 'the description of the extension\'s objects is not empty');
if ($fresh eq $updated)
{
	pass("$oldest updated to $newest has exactly the objects of a fresh $newest");
}
else
{
	my %f = map { $_ => 1 } split /\n/, $fresh;
	my %u = map { $_ => 1 } split /\n/, $updated;
	diag("only in the fresh install: $_") for grep { !$u{$_} } sort keys %f;
	diag("only in the updated one: $_") for grep { !$f{$_} } sort keys %u;
	fail("$oldest updated to $newest has exactly the objects of a fresh $newest");
}
$node->stop;

# --- Data and running executions survive the update ---------------------

my $up = SfnNode->new('upgrade_data', bindir => $oldest_bin);
$up->start;
$up->psql('CREATE EXTENSION pg_sfn');
is($up->psql(q{SELECT extversion FROM pg_extension WHERE extname = 'pg_sfn'}), $oldest,
	"the oldest release's build installs $oldest");
$up->psql(q{SELECT sfn_create_state_machine('quick', '{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"done":true},"ResultPath":"$.r","End":true}}}')});
$up->psql(q{SELECT sfn_create_state_machine('slow', '{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":4,"Next":"C"},"C":{"Type":"Choice","Choices":[{"Variable":"$.i","NumericLessThan":5,"Next":"Low"}],"Default":"High"},"Low":{"Type":"Pass","Result":"low","ResultPath":"$.band","End":true},"High":{"Type":"Fail","Error":"High","Cause":"too high"}}}')});
$up->psql(q{SELECT sfn_update_state_machine('quick', '{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"done":2},"ResultPath":"$.r","End":true}}}')});
$up->psql(q{SELECT count(sfn_start_execution('quick', jsonb_build_object('i', g), 'q-' || g)) FROM generate_series(1, 20) g});
ok($up->poll(q{SELECT count(*) FROM sfn.executions WHERE status = 'SUCCEEDED'}, '20', 30),
	'the old build ran 20 executions');
$up->psql(q{SELECT count(sfn_start_execution('slow', jsonb_build_object('i', g), 's-' || g)) FROM generate_series(1, 10) g});
ok($up->poll(q{SELECT count(*) FROM sfn.threads WHERE phase = 1}, '10', 20), '10 executions are waiting');
my $before = $up->psql(q{SELECT string_agg(e.name || ':' || e.status || ':' || coalesce(e.output::text, '-'), ',' ORDER BY e.name) FROM sfn.executions e WHERE e.status <> 'RUNNING'});
$up->stop;

$up->set_bindir($ENV{PG_BIN} || '/usr/lib/postgresql/15/bin');
$up->start;
like($up->psql(q{SELECT sfn_start_execution('quick', '{}', 'too-early')}, 1),
	qr/ALTER EXTENSION pg_sfn UPDATE/, 'before the update, the API asks for ALTER EXTENSION pg_sfn UPDATE');
sleep(5);
is($up->psql(q{SELECT count(*) FROM sfn.executions WHERE status = 'RUNNING'}), '10',
	'before the update, the workers leave the old version\'s executions alone');
like($up->log_content, qr/ALTER EXTENSION pg_sfn UPDATE/, 'and the server log says why');
$up->psql('ALTER EXTENSION pg_sfn UPDATE');
is($up->psql(q{SELECT extversion FROM pg_extension WHERE extname = 'pg_sfn'}), $newest, "updated to $newest");
ok($up->poll(q{SELECT count(*) FROM sfn.executions WHERE name LIKE 's-%' AND status <> 'RUNNING'}, '10', 30),
	'every waiting execution finishes after the update');
is($up->psql(q{SELECT string_agg(name || ':' || status || ':' || coalesce(error, output::text), ',' ORDER BY name) FROM sfn.executions WHERE name LIKE 's-%'}),
	join(',', map { "s-$_:" . ($_ < 5 ? "SUCCEEDED:{\"i\": $_, \"band\": \"low\"}" : "FAILED:High") } sort { "s-$a" cmp "s-$b" } 1 .. 10),
	'with the outputs and errors of their definition');
is($up->psql(q{SELECT string_agg(e.name || ':' || e.status || ':' || coalesce(e.output::text, '-'), ',' ORDER BY e.name) FROM sfn.executions e WHERE e.name LIKE 'q-%'}),
	$before, 'executions that had finished are unchanged');
is($up->psql(q{SELECT count(*) FROM (SELECT execution_id FROM sfn.history GROUP BY execution_id HAVING count(*) <> max(event_id) OR min(event_id) <> 1) x}),
	'0', 'every history is contiguous across the update');
$up->psql(q{SELECT sfn_start_execution('quick', '{"after":1}', 'after-update')});
ok($up->poll(q{SELECT output::text FROM sfn.executions WHERE name = 'after-update'}, '{"r": {"done": 2}, "after": 1}', 20),
	'a state machine created before the update runs its latest revision after it');

# --- pg_dump and pg_restore round-trip definitions and executions -------

$up->psql(q{SELECT count(sfn_start_execution('slow', jsonb_build_object('i', g), 'd-' || g)) FROM generate_series(1, 4) g});
ok($up->poll(q{SELECT count(*) FROM sfn.threads WHERE phase = 1}, '4', 20), '4 executions are waiting before the dump');
my $dump = "$up->{base}/dump.custom";
my $opts = $up->conn_opts;
my $bin = $up->{bindir};
system("$bin/pg_dump $opts -Fc -f $dump postgres") == 0 or die 'pg_dump failed';
my $summary = q{SELECT (SELECT string_agg(name || '/' || revision, ',' ORDER BY name) FROM sfn.state_machines)
	|| ' ' || (SELECT md5(string_agg(definition::text, ',' ORDER BY state_machine_id, revision)) FROM sfn.state_machine_revisions)
	|| ' ' || (SELECT count(*) FROM sfn.executions) || ' ' || (SELECT count(*) FROM sfn.history)};
my $src_summary = $up->psql($summary);

my $restored = SfnNode->new('restored');
$restored->start;
system("$bin/pg_restore " . $restored->conn_opts . " -d postgres $dump >$restored->{base}/restore.log 2>&1") == 0
  or diag(`cat $restored->{base}/restore.log`);
is($restored->psql($summary), $src_summary, 'pg_restore brings back the same state machines, revisions, executions and history');
ok($restored->poll(q{SELECT count(*) FROM sfn.executions WHERE name LIKE 'd-%' AND status <> 'RUNNING'}, '4', 30),
	'the restored cluster runs the executions that were waiting');
$restored->psql(q{SELECT sfn_create_state_machine('after-restore', '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}')});
$restored->psql(q{SELECT sfn_start_execution('after-restore', '{}', 'x')});
ok($restored->poll(q{SELECT status FROM sfn.executions WHERE name = 'x'}, 'SUCCEEDED', 20),
	'new state machines and executions get fresh ids after a restore');
$restored->stop;
$up->stop;

done_testing();

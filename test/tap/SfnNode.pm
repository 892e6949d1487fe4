# SfnNode.pm: a throwaway PostgreSQL cluster for pg_sfn's TAP tests.
#
# Our own small harness (initdb, pg_ctl, psql); the clusters run as the
# current, unprivileged user on a private Unix socket directory.
package SfnNode;

use strict;
use warnings;
use File::Path qw(make_path remove_tree);
use Time::HiRes qw(time sleep);
use Cwd qw(getcwd);

my $bindir = $ENV{PG_BIN} || '/usr/lib/postgresql/15/bin';

sub new
{
	my ($class, $name, %opts) = @_;
	my $base = ($ENV{SFN_TAP_TMP} || getcwd() . "/tmp_tap") . "/$name";
	remove_tree($base);
	make_path("$base/socket");
	my $self = bless {
		name => $name,
		base => $base,
		data => "$base/data",
		socket => "$base/socket",
		port => 20000 + int(rand(20000)),
		log => "$base/server.log",
		# The installation it runs; set_bindir switches (upgrade tests).
		bindir => $opts{bindir} || $bindir,
	}, $class;
	system("$self->{bindir}/initdb -D $self->{data} -A trust -U postgres >$base/initdb.log 2>&1") == 0
	  or die "initdb failed, see $base/initdb.log";
	my $extra = $opts{conf} || '';
	open(my $fh, '>>', "$self->{data}/postgresql.conf") or die;
	print $fh <<"CONF";
listen_addresses = ''
unix_socket_directories = '$self->{socket}'
port = $self->{port}
shared_preload_libraries = 'pg_sfn,pg_cron'
pg_sfn.database = 'postgres'
pg_sfn.workers = 2
cron.database_name = 'postgres'
cron.use_background_workers = on
max_worker_processes = 32
timezone = 'UTC'
$extra
CONF
	close($fh);
	return $self;
}

sub set_bindir
{
	my ($self, $dir) = @_;
	$self->{bindir} = $dir;
}

sub start
{
	my ($self) = @_;
	system("$self->{bindir}/pg_ctl -D $self->{data} -l $self->{log} -w start >/dev/null") == 0
	  or die "could not start $self->{name}";
}

sub stop
{
	my ($self, $mode) = @_;
	$mode ||= 'fast';
	system("$self->{bindir}/pg_ctl -D $self->{data} -m $mode -w stop >/dev/null") == 0
	  or die "could not stop $self->{name}";
}

sub postmaster_pid
{
	my ($self) = @_;
	open(my $fh, '<', "$self->{data}/postmaster.pid") or return undef;
	my $pid = <$fh>;
	chomp $pid;
	return $pid;
}

# Crash: SIGKILL the postmaster and all its children, then clean up.
sub kill9
{
	my ($self) = @_;
	my $pid = $self->postmaster_pid or die "no postmaster";
	my @children = split /\s+/, `pgrep -P $pid`;
	kill 'KILL', $pid, grep { $_ } @children;
	sleep(0.5);
	unlink "$self->{data}/postmaster.pid",
	  "$self->{socket}/.s.PGSQL.$self->{port}.lock", "$self->{socket}/.s.PGSQL.$self->{port}";
}

# Run SQL, return trimmed stdout (unaligned, tuples only); die on error
# unless $allow_error.
sub psql
{
	my ($self, $sql, $allow_error) = @_;
	return $self->psql_in('postgres', $sql, $allow_error);
}

# The same in database $db.
sub psql_in
{
	my ($self, $db, $sql, $allow_error) = @_;
	my $file = "$self->{base}/query.sql";
	open(my $fh, '>', $file) or die;
	print $fh $sql;
	close($fh);
	my $out = `$self->{bindir}/psql -X -q -A -t -v ON_ERROR_STOP=1 -h $self->{socket} -p $self->{port} -U postgres -d $db -f $file 2>&1`;
	die "psql failed: $out\nSQL: $sql" if $? != 0 && !$allow_error;
	chomp $out;
	return $out;
}

# Poll until $sql returns $expected or $timeout seconds pass.
sub poll
{
	my ($self, $sql, $expected, $timeout) = @_;
	my $deadline = time() + ($timeout || 30);
	while (time() < $deadline)
	{
		my $got = $self->psql($sql, 1);
		return 1 if defined $got && $got eq $expected;
		sleep(0.1);
	}
	return 0;
}

# Connection options for other client programs (pg_dump, pg_restore).
sub conn_opts
{
	my ($self) = @_;
	return "-h $self->{socket} -p $self->{port} -U postgres";
}

sub log_content
{
	my ($self) = @_;
	open(my $fh, '<', $self->{log}) or return '';
	local $/;
	return <$fh>;
}

1;

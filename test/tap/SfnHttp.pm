# SfnHttp.pm: the test HTTP server (test/http/server.py) for TAP tests of
# HTTP tasks, and helpers to queue requests and read their answers.
package SfnHttp;

use strict;
use warnings;
use Time::HiRes qw(time sleep);
use Cwd qw(getcwd);

my $root = $ENV{SFN_ROOT} or die "SFN_ROOT is not set (run through test/run)";

# Start a server (HTTPS with tls_cert => PEM file); its log goes to
# $dir/requests.log.
sub start
{
	my ($class, $name, %opts) = @_;
	my $dir = ($ENV{SFN_TAP_TMP} || getcwd() . "/tmp_tap") . "/httpsrv_$name";
	system("rm -rf $dir; mkdir -p $dir") == 0 or die;
	my $self = bless { dir => $dir, log => "$dir/requests.log", port_file => "$dir/port" }, $class;
	my $pid = fork();
	die "fork: $!" unless defined $pid;
	if ($pid == 0)
	{
		exec('python3', "$root/test/http/server.py", '--port-file', $self->{port_file}, '--log', $self->{log},
			$opts{tls_cert} ? ('--tls-cert', $opts{tls_cert}) : ())
		  or die "exec: $!";
	}
	$self->{pid} = $pid;
	my $deadline = time() + 10;
	sleep(0.05) while !-e $self->{port_file} && time() < $deadline;
	open(my $fh, '<', $self->{port_file}) or die "the test server did not start";
	$self->{port} = <$fh>;
	close($fh);
	return $self;
}

sub port { return $_[0]->{port}; }
sub url { my ($self, $path) = @_; return "http://127.0.0.1:$self->{port}$path"; }

sub stop
{
	my ($self) = @_;
	kill 'TERM', $self->{pid} if $self->{pid};
	waitpid($self->{pid}, 0) if $self->{pid};
	$self->{pid} = undef;
}

# Every request the server received, as text lines (JSON objects).
sub log_lines
{
	my ($self) = @_;
	open(my $fh, '<', $self->{log}) or return ();
	my @lines = <$fh>;
	close($fh);
	chomp @lines;
	return @lines;
}

sub DESTROY { $_[0]->stop; }

# A port on which nothing listens (bound, then closed).
sub closed_port
{
	require IO::Socket::INET;
	my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1', LocalPort => 0) or die;
	my $port = $s->sockport;
	close($s);
	return $port;
}

1;

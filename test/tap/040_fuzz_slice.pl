# A short, deterministic slice of the fuzzer (test/fuzz/, docs/FUZZING.md):
# 20,000 generated inputs (seed "slice") through the JSONPath and intrinsic
# evaluators, the validator, the compiler and TestState, on the normal
# build.  It fails on a crash (the backend dies, the server restarts), an
# input still running after 10 s, or an internal error (SQLSTATE XX000);
# inputs over 1 s or over the memory budget depend on the machine's load
# and are only reported.
use strict;
use warnings;
use Test::More;
use SfnNode;

# SFN_FUZZ_SLICE and SFN_FUZZ_SEED run another slice (e.g. seed 1 up to
# one of docs/FUZZING.md's findings, to see this test fail).
my $count = $ENV{SFN_FUZZ_SLICE} || 20000;
my $seed = $ENV{SFN_FUZZ_SEED} || 'slice';
my $fuzz = "$ENV{SFN_ROOT}/test/fuzz/fuzz.py";

my $node = SfnNode->new('fuzz_slice', conf => "log_min_messages = warning\nlog_min_error_statement = panic");
$node->start;
$node->psql('CREATE EXTENSION pg_sfn');

my $findings = "$node->{base}/findings.jsonl";
my $python = -x "/usr/bin/python3" ? "/usr/bin/python3" : "python3";
my $out = `$python $fuzz --count $count --seed $seed --jobs 2 --host $node->{socket} --port $node->{port} --server-log $node->{log} --findings $findings --hang-seconds 10 --max-seconds 300 --progress 100000 2>&1`;
diag($out);
like($out, qr/finished: $count inputs/, "the fuzzer ran all $count inputs");

my @findings;
if (open(my $fh, '<', $findings))
{
	@findings = <$fh>;
	close($fh);
}
my @fatal = grep { /"kind": "(crash|hang|asan|internal|driver-error)"/ } @findings;
is(scalar(@fatal), 0, 'no crash, hang or internal error')
  or diag("findings (test/fuzz/fuzz.py --seed $seed --show N prints input N):\n" . join('', @fatal));
unlike($node->log_content, qr/terminated by signal|server process .* exited with exit code [^0]/,
	'no backend died');

$node->stop;
done_testing();

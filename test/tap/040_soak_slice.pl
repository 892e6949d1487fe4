# A slice of the crash soak (test/soak, docs/SOAK.md): 500 executions of the
# mixed workload with 4 kill -9s (postmaster and worker), then the soak's
# checker.  The seed is random and printed: SOAK_SEED=n repeats a run.
use strict;
use warnings;
use Test::More;
use Cwd qw(getcwd);

my $root = $ENV{SFN_ROOT} or plan skip_all => 'SFN_ROOT is not set (run through test/run)';
my $bindir = $ENV{PG_BIN} || '/usr/lib/postgresql/15/bin';
my $base = ($ENV{SFN_TAP_TMP} || getcwd() . "/tmp_tap") . "/soak";
my $seed = $ENV{SOAK_SEED} || int(rand(1 << 30));

my $out = `python3 $root/test/soak/soak.py --base $base --bindir $bindir --executions 500 --kills 4 --duration 20 --seed $seed 2>&1`;
my $rc = $? >> 8;
diag("soak slice, seed $seed");
diag($_) for grep { /^(kill |wall time|kills:|executions:|driver:|== )/ } split /\n/, $out;

is($rc, 0, 'the soak slice exits 0');
like($out, qr/^== PASS: \d+ invariants checked, 0 checker violations, 0 driver violations, 0 server log problems$/m,
	'the checker found no violation');
my @kills = $out =~ /^kill \d+\/4 at .*?s: (postmaster|worker) /mg;
is(scalar @kills, 4, 'four kills happened');
ok((grep { $_ eq 'postmaster' } @kills) && (grep { $_ eq 'worker' } @kills), 'of both kinds');
like($out, qr/^executions: 500 \(/m, '500 executions');
# The checker really ran its invariants, including the outcomes.
like($out, qr/^ok   outcome is what the definition computes/m, 'outcomes checked');
like($out, qr/^ok   event ids contiguous from 1, no duplicates$/m, 'histories checked');
diag($out) if $rc != 0;
done_testing();

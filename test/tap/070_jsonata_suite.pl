# The JSONata project's test suite (jsonata-js 2.0.6, converted by
# test/jsonata/convert.py) through sfn.jsonata_eval_text: at least 99% of
# the cases pass, and every case that fails is listed, with its reason, in
# test/jsonata/exceptions.txt.
use strict;
use warnings;
use Test::More;
use SfnNode;

my $root = $ENV{SFN_ROOT} or die "SFN_ROOT is not set";
my $node = SfnNode->new('jsonata');
$node->start;
$node->psql('CREATE EXTENSION pg_sfn');
my $dir = "$root/test/jsonata";
my $sql = do { local (@ARGV, $/) = "$dir/suite.sql"; <> };
$sql =~ s/:'casefile'/'$dir\/suite\/cases.jsonl'/g;
$sql =~ s/:'datafile'/'$dir\/suite\/datasets.jsonl'/g;
$node->psql($sql);

my %exceptions;
open(my $fh, '<', "$dir/exceptions.txt") or die "exceptions.txt: $!";
while (my $line = <$fh>)
{
	next if $line =~ /^#/ || $line !~ /\S/;
	chomp $line;
	my ($id, $reason) = split /\t/, $line, 2;
	$exceptions{$id} = $reason;
}
close($fh);

my ($passed, $total) = split /\|/, $node->psql('SELECT count(*) FILTER (WHERE ok), count(*) FROM jsonata_suite_results');
cmp_ok($total, '>=', 1600, "the suite has its cases ($total)");
my $rate = 100.0 * $passed / $total;
diag(sprintf('JSONata suite: passed %d of %d (%.2f%%)', $passed, $total, $rate));
cmp_ok($rate, '>=', 99.0, 'at least 99% of the JSONata suite passes');

my @failed = split /\n/, $node->psql(q{SELECT id || E'\t' || coalesce(detail, '') FROM jsonata_suite_results WHERE NOT ok ORDER BY n});
my @unexpected = grep { my ($id) = split /\t/; !exists $exceptions{$id} } @failed;
is(scalar(@unexpected), 0, 'every failing case is a listed exception')
  or diag(join("\n", @unexpected));
my %failing = map { (split /\t/)[0] => 1 } @failed;
my @stale = grep { !$failing{$_} } sort keys %exceptions;
is(scalar(@stale), 0, 'every listed exception still fails')
  or diag(join("\n", @stale));

$node->stop;
done_testing();

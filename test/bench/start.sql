-- pgbench script: one StartExecution per transaction (3-state Pass chain).
SELECT sfn_start_execution('bench-chain3', '{"n":1}');

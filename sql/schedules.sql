-- Scheduled executions through pg_cron.  The real firing (pg_cron's minute
-- tick) is exercised by test/tap/020_schedule.pl; here the API and the
-- firing function.
\set SHOW_CONTEXT never
\set VERBOSITY default

-- A long Wait keeps the executions RUNNING, so a repeated firing finds them.
SELECT sfn_create_state_machine('sched-pass', '{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}') IS NOT NULL;
-- Without pg_cron in this database: a clear error.
SELECT sfn_schedule_execution('nightly', '0 3 * * *', 'sched-pass', '{"report":"daily"}');
CREATE EXTENSION pg_cron;
SELECT sfn_schedule_execution('nightly', '0 3 * * *', 'sched-pass', '{"report":"daily"}') > 0 AS scheduled;
SELECT jobname, schedule, command FROM cron.job ORDER BY jobid;
SELECT sfn_schedule_execution('nightly', '0 4 * * *', 'sched-pass');
SELECT sfn_schedule_execution('bad name!', '0 4 * * *', 'sched-pass');
SELECT sfn_schedule_execution('other', '0 4 * * *', 'no-such-machine');
SELECT sfn_schedule_execution('bad-cron', 'not a cron line', 'sched-pass');
SELECT sfn_schedule_execution(NULL, '0 4 * * *', 'sched-pass');
SELECT count(*) AS schedules FROM sfn.schedules;

-- Two firings in the same minute start one execution.
SELECT sfn.fire_schedule('nightly', '2026-01-02 03:00:00.5+00');
SELECT sfn.fire_schedule('nightly', '2026-01-02 03:00:59+00');
SELECT sfn.fire_schedule('nightly', '2026-01-03 03:00:00+00');
SELECT name, input FROM sfn.executions WHERE name LIKE 'nightly-%' ORDER BY name;

SELECT sfn_unschedule_execution('nightly');
SELECT count(*) AS jobs_left FROM cron.job;
SELECT sfn_unschedule_execution('nightly');
-- A firing after the minute's execution has ended starts nothing either.
SELECT sfn_schedule_execution('nightly2', '0 3 * * *', 'sched-pass') > 0 AS scheduled;
SELECT sfn.fire_schedule('nightly2', '2026-01-03 03:00:00+00');
SELECT sfn_stop_execution(sfn.execution_arn('sched-pass', 'nightly2-20260103T0300Z')) IS NOT NULL AS stopped;
SELECT sfn.fire_schedule('nightly2', '2026-01-03 03:00:10+00') AS second_firing;
SELECT name, status FROM sfn.executions WHERE name LIKE 'nightly2-%';
SELECT sfn_unschedule_execution('nightly2');

-- Long schedule names (up to 64 characters): pg_cron job names hold 63
-- bytes, so two names alike in their first 63 characters once shared one
-- job.  Each now has its own job, and its own executions.
SELECT repeat('x', 63) || 'a' AS long_a, repeat('x', 63) || 'b' AS long_b \gset
SELECT sfn_schedule_execution(:'long_a', '0 5 * * *', 'sched-pass', '{"which":"a"}') > 0 AS scheduled_a;
SELECT sfn_schedule_execution(:'long_b', '0 6 * * *', 'sched-pass', '{"which":"b"}') > 0 AS scheduled_b;
SELECT jobname, octet_length(jobname) AS bytes, schedule, command FROM cron.job ORDER BY jobid;
SELECT count(DISTINCT jobname) AS distinct_job_names FROM cron.job;
SELECT s.name = :'long_a' AS is_a, j.command FROM sfn.schedules s JOIN cron.job j ON j.jobid = s.cron_job_id ORDER BY s.name;
SELECT sfn.fire_schedule(:'long_a', '2026-01-02 05:00:00+00') = sfn.execution_arn('sched-pass', :'long_a' || '-20260102T0500Z') AS fired_a;
SELECT sfn.fire_schedule(:'long_b', '2026-01-02 05:00:00+00') = sfn.execution_arn('sched-pass', :'long_b' || '-20260102T0500Z') AS fired_b;
SELECT length(name) AS chars, input FROM sfn.executions WHERE name LIKE 'xxx%' ORDER BY name;
-- Unscheduling one leaves the other's job.
SELECT sfn_unschedule_execution(:'long_a');
SELECT schedule, command FROM cron.job;
SELECT sfn_unschedule_execution(:'long_b');
SELECT count(*) AS jobs_left FROM cron.job;
-- Names of up to 56 characters keep the plain form; a longer one is cut,
-- with "~" and a hash.
SELECT sfn.cron_job_name(repeat('y', 56)) = 'pg_sfn:' || repeat('y', 56) AS plain,
	sfn.cron_job_name(repeat('y', 57)) ~ '^pg_sfn:y{23}~[0-9a-f]{32}$' AS hashed;
-- A job of that name made by someone else is not taken over.
SELECT cron.schedule('pg_sfn:squatted', '0 7 * * *', 'SELECT 1') > 0 AS other_job;
SELECT sfn_schedule_execution('squatted', '0 7 * * *', 'sched-pass');
SELECT command FROM cron.job WHERE jobname = 'pg_sfn:squatted';
SELECT cron.unschedule('pg_sfn:squatted');
-- Control characters of schedule names are escaped in messages.
SELECT sfn_schedule_execution(E'two\nlines', '0 7 * * *', 'sched-pass');
SELECT sfn_unschedule_execution(E'no\tsuch' || chr(133));
SELECT sfn.fire_schedule(E'bell\x07');
SELECT sfn.message_text('plain-é') AS plain, sfn.message_text('') AS empty;

-- A schedule belongs to the role that made it; its pg_cron job runs as
-- that role, which needs USAGE on pg_cron's schema (an administrator's
-- grant).  Other roles neither see nor touch it.
CREATE ROLE sched_alice IN ROLE sfn_user;
CREATE ROLE sched_bob IN ROLE sfn_user;
GRANT USAGE ON SCHEMA cron TO sfn_user;
SET ROLE sched_alice;
SELECT sfn_create_state_machine('sched-alice', '{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}') IS NOT NULL AS created;
SELECT sfn_schedule_execution('alice-hourly', '0 * * * *', 'sched-alice') > 0 AS scheduled;
SELECT jobname, username FROM cron.job;
SELECT sfn.fire_schedule('alice-hourly', '2026-01-05 10:00:00+00') IS NOT NULL AS fired_as_alice;
RESET ROLE;
SET ROLE sched_bob;
SELECT sfn_schedule_execution('bob-on-alice', '0 * * * *', 'sched-alice');
SELECT sfn_unschedule_execution('alice-hourly');
SELECT sfn.fire_schedule('alice-hourly', '2026-01-05 11:00:00+00');
SELECT count(*) AS schedules_bob_sees FROM sfn.schedules;
INSERT INTO sfn.schedules (name, cron_schedule, state_machine_id, input, cron_job_id, owner)
	VALUES ('forged', '* * * * *', 1, '{}', 1, 'sched_alice');
RESET ROLE;
SET ROLE sched_alice;
SELECT sfn_unschedule_execution('alice-hourly');
SELECT sfn_stop_execution(sfn.execution_arn('sched-alice', e.name)) IS NOT NULL AS stopped
FROM sfn.executions e WHERE e.status = 'RUNNING';
RESET ROLE;

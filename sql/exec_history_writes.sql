--
-- exec_history_writes: how the workers write sfn.history.  A batch's
-- events go straight into the heap and the indexes (store/rowset.c,
-- sfn_rowset_insert_direct); a table with something an INSERT would apply
-- (here a trigger) gets them by INSERT, and a dropped column is skipped.
--
\set SHOW_CONTEXT never
\i sql/include/exec_helpers.sql

SELECT sfn_create_state_machine('writes-map', $j$
{"StartAt": "M", "States": {
  "M": {"Type": "Map", "MaxConcurrency": 2,
    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
    "Next": "Done"},
  "Done": {"Type": "Succeed"}}}
$j$);

-- The direct path: 3 items, 20 events, in order, ids contiguous.
CALL pg_temp.run('writes-map', '[1, 2, 3]', 'direct');
SELECT * FROM pg_temp.outcome('writes-map', 'direct');
SELECT * FROM pg_temp.events('writes-map', 'direct');

-- A trigger on sfn.history sees every row: the worker falls back to INSERT.
CREATE TABLE public.history_seen (execution_id bigint, event_id integer);
CREATE FUNCTION public.history_seen_row() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	INSERT INTO public.history_seen VALUES (NEW.execution_id, NEW.event_id);
	RETURN NEW;
END $$;
CREATE TRIGGER history_seen AFTER INSERT ON sfn.history
	FOR EACH ROW EXECUTE FUNCTION public.history_seen_row();
CALL pg_temp.run('writes-map', '[1, 2]', 'triggered');
SELECT * FROM pg_temp.outcome('writes-map', 'triggered');
SELECT count(*) AS events,
	(SELECT count(*) FROM public.history_seen s JOIN sfn.executions e ON e.id = s.execution_id
	 WHERE e.name = 'triggered') AS seen
FROM pg_temp.events('writes-map', 'triggered');
DROP TRIGGER history_seen ON sfn.history;
DROP FUNCTION public.history_seen_row();
DROP TABLE public.history_seen;

-- A dropped column: the rows still go in directly, the column null.
ALTER TABLE sfn.history ADD COLUMN scratch integer;
ALTER TABLE sfn.history DROP COLUMN scratch;
CALL pg_temp.run('writes-map', '[4]', 'dropped');
SELECT * FROM pg_temp.outcome('writes-map', 'dropped');
SELECT * FROM pg_temp.events('writes-map', 'dropped');

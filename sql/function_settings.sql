-- Every function of the extension pins search_path (a caller's or the
-- database's search_path must never choose what it calls), and only
-- validation and TestState are open to roles outside sfn_user.
SELECT p.oid::regprocedure AS without_pinned_search_path
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_catalog.pg_extension x ON x.oid = d.refobjid AND x.extname = 'pg_sfn'
WHERE p.proconfig IS NULL OR NOT 'search_path=pg_catalog, pg_temp' = ANY (p.proconfig)
ORDER BY 1;

SELECT p.oid::regprocedure AS executable_by_public
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_catalog.pg_extension x ON x.oid = d.refobjid AND x.extname = 'pg_sfn'
WHERE pg_catalog.has_function_privilege('public', p.oid, 'EXECUTE')
ORDER BY 1;

-- No table is writable by anyone but its owner, except schedules by
-- sfn_user (row-level security keeps each role to its own rows).
SELECT c.oid::regclass AS rel, g.rolname, pr.privilege
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
JOIN pg_catalog.pg_extension x ON x.oid = d.refobjid AND x.extname = 'pg_sfn'
CROSS JOIN (VALUES ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE')) pr(privilege)
CROSS JOIN pg_catalog.pg_roles g
WHERE c.relkind = 'r' AND NOT g.rolsuper AND g.oid <> c.relowner
  AND g.rolname IN ('sfn_user', 'sfn_admin', 'pg_database_owner')
  AND pg_catalog.has_table_privilege(g.oid, c.oid, pr.privilege)
ORDER BY 1, 2, 3;

-- Row-level security is on for every table.
SELECT c.oid::regclass AS without_row_level_security
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
JOIN pg_catalog.pg_extension x ON x.oid = d.refobjid AND x.extname = 'pg_sfn'
WHERE c.relkind = 'r' AND NOT c.relrowsecurity;

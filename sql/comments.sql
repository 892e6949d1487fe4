-- Every function, table and column of the extension has a COMMENT.
SELECT 'function ' || p.oid::regprocedure AS missing_comment
FROM pg_proc p
JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'pg_sfn'
WHERE obj_description(p.oid, 'pg_proc') IS NULL
UNION ALL
SELECT 'table ' || c.oid::regclass
FROM pg_class c
JOIN pg_depend d ON d.objid = c.oid AND d.deptype = 'e'
JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'pg_sfn'
WHERE c.relkind = 'r' AND obj_description(c.oid, 'pg_class') IS NULL
UNION ALL
SELECT 'column ' || c.oid::regclass || '.' || a.attname
FROM pg_class c
JOIN pg_depend d ON d.objid = c.oid AND d.deptype = 'e'
JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'pg_sfn'
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relkind = 'r' AND col_description(c.oid, a.attnum) IS NULL
UNION ALL
SELECT 'schema ' || n.nspname
FROM pg_namespace n WHERE n.nspname = 'sfn' AND obj_description(n.oid, 'pg_namespace') IS NULL;
-- and how many objects that covers
SELECT count(*) FILTER (WHERE p.oid IS NOT NULL) > 20 AS many_functions_checked
FROM pg_depend d JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'pg_sfn'
LEFT JOIN pg_proc p ON p.oid = d.objid AND d.classid = 'pg_proc'::regclass
WHERE d.deptype = 'e';

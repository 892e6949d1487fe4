-- The order saga, run by scripts/start after the first example: creates
-- (or updates) the state machine 'order-saga' from test/example/saga.json,
-- places two orders (the trigger on shop.orders starts one saga each),
-- waits for them and prints their histories and the shop's rows.
--
--   psql -v definition="$(cat saga.json)" -v shop_url=http://127.0.0.1:PORT \
--        -v shop_api_key=KEY -v shop_service=test/example/shop_service.py -f saga.sql
-- The schema must exist (saga_schema.sql); the shop service must listen at
-- shop_url and its host be on pg_sfn.http_allowed_hosts.

\set ON_ERROR_STOP 1
-- The connection 'shop' holds the service's API key (the definition names
-- it by ARN; pg_sfn finds it by name): sent as x-api-key, never in the
-- definition or the history.
SELECT jsonb_build_object('ApiKeyAuthParameters',
       jsonb_build_object('ApiKeyName', 'x-api-key', 'ApiKeyValue', :'shop_api_key')) AS auth \gset
SELECT count(sfn_create_connection('shop', 'API_KEY', :'auth')) AS conn_created
FROM (SELECT WHERE NOT EXISTS (SELECT FROM sfn_list_connections() WHERE name = 'shop')) missing \gset
\if :conn_created
\else
SELECT sfn_update_connection('shop', parameters => :'auth') \gset
\endif

-- The definition names the service https://shop.example (as it would on
-- AWS); here it is the local one.
SELECT replace(:'definition', 'https://shop.example', :'shop_url') AS saga \gset
SELECT count(sfn_create_state_machine('order-saga', :'saga')) AS created
FROM (SELECT WHERE NOT EXISTS (SELECT FROM sfn_list_state_machines() WHERE name = 'order-saga')) missing \gset
\if :created
\else
-- Re-running the example replaces the definition (a new revision).
SELECT sfn_update_state_machine('order-saga', definition => :'saga') \gset
\endif

-- Two orders: one ships, one cannot (no shipping to the US), so its card
-- is refunded and its stock released.
INSERT INTO shop.orders (sku, qty, amount_cents, card, country)
VALUES ('book', 1, 2599, '4242424242424242', 'DE') RETURNING order_id AS good \gset
INSERT INTO shop.orders (sku, qty, amount_cents, card, country)
VALUES ('lamp', 1, 4590, '4242424242424242', 'US') RETURNING order_id AS bad \gset
SELECT execution_arn AS good_arn FROM sfn_list_executions('order-saga') WHERE name = :'good' \gset
SELECT execution_arn AS bad_arn FROM sfn_list_executions('order-saga') WHERE name = :'bad' \gset

-- Wait (at most 30 s each) until both have finished.
SELECT sfn.wait_execution(:'good_arn', 30) AS good_status, sfn.wait_execution(:'bad_arn', 30) AS bad_status \gset

\echo
\echo '== order saga 1:' :good 'ships'
SELECT sfn_describe_execution(:'good_arn') ->> 'status' AS status,
       (sfn_describe_execution(:'good_arn') ->> 'output')::jsonb -> 'shipment' AS shipment;
SELECT id, previous_event_id AS prev, to_char("timestamp", 'HH24:MI:SS.MS') AS time, type,
       coalesce(details ->> 'name', details ->> 'error',
                (details ->> 'resourceType') || ':' || (details ->> 'resource'), '') AS detail
FROM sfn_get_execution_history(:'good_arn');

\echo '== order saga 2:' :bad 'cannot ship: refunded and released'
SELECT sfn_describe_execution(:'bad_arn') ->> 'status' AS status,
       sfn_describe_execution(:'bad_arn') ->> 'error' AS error,
       -- an HTTP task's cause is the response as JSON: its body is enough here
       (sfn_describe_execution(:'bad_arn') ->> 'cause')::jsonb -> 'ResponseBody' AS service_answer;
SELECT id, previous_event_id AS prev, to_char("timestamp", 'HH24:MI:SS.MS') AS time, type,
       coalesce(details ->> 'name', details ->> 'error',
                (details ->> 'resourceType') || ':' || (details ->> 'resource'), '') AS detail
FROM sfn_get_execution_history(:'bad_arn');

\echo '== the shop (database): reservations, stock, dead letters'
SELECT order_id, sku, qty, status, shipment_id FROM shop.reservations
WHERE order_id IN (:'good', :'bad') ORDER BY order_id;
SELECT sku, available FROM shop.inventory ORDER BY sku;
SELECT order_id, step, error, created_at FROM shop.dead_letters WHERE order_id IN (:'good', :'bad');

\echo '== the shop service: charges, refunds, shipments'
\set ledger `python3 :'shop_service' ledger :'shop_url'`
SELECT charge_id, order_id, amount_cents, refunded_cents
FROM jsonb_to_recordset(:'ledger'::jsonb -> 'charges')
	AS c(charge_id text, order_id text, amount_cents int, refunded_cents int)
WHERE order_id IN (:'good', :'bad');
SELECT refund_id, charge_id, order_id, amount_cents
FROM jsonb_to_recordset(:'ledger'::jsonb -> 'refunds')
	AS r(refund_id text, charge_id text, order_id text, amount_cents int)
WHERE order_id IN (:'good', :'bad');
SELECT shipment_id, tracking, order_id, sku, qty, country
FROM jsonb_to_recordset(:'ledger'::jsonb -> 'shipments')
	AS s(shipment_id text, tracking text, order_id text, sku text, qty int, country text)
WHERE order_id IN (:'good', :'bad');

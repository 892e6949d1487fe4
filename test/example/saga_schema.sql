-- The order saga's example schema "shop": orders, stock, reservations and
-- dead letters, the SQL functions the saga's SQL tasks call, and a
-- trigger that starts the saga for each new order.  Safe to run again
-- (rows are kept).  Needs the state machine 'order-saga' only when an
-- order is inserted (test/example/saga.json, created by saga.sql).

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS shop;

CREATE TABLE IF NOT EXISTS shop.inventory (
	sku text PRIMARY KEY,
	available integer NOT NULL CHECK (available >= 0)
);

CREATE SEQUENCE IF NOT EXISTS shop.order_numbers START 1001;

CREATE TABLE IF NOT EXISTS shop.orders (
	order_id text PRIMARY KEY DEFAULT 'order-' || nextval('shop.order_numbers'),
	sku text NOT NULL,
	qty integer NOT NULL CHECK (qty > 0),
	amount_cents integer NOT NULL CHECK (amount_cents > 0),
	card text NOT NULL,
	country text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per order that got stock: 'reserved' while the saga runs,
-- 'fulfilled' once shipped, 'released' when compensated.
CREATE TABLE IF NOT EXISTS shop.reservations (
	order_id text PRIMARY KEY,
	sku text NOT NULL REFERENCES shop.inventory,
	qty integer NOT NULL,
	status text NOT NULL CHECK (status IN ('reserved', 'fulfilled', 'released')),
	shipment_id text,
	updated_at timestamptz NOT NULL DEFAULT now()
);

-- Compensations that kept failing: a person has to finish them.
CREATE TABLE IF NOT EXISTS shop.dead_letters (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	order_id text NOT NULL,
	execution_arn text NOT NULL,
	step text NOT NULL,
	error text,
	cause text,
	state jsonb NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);

-- ReserveStock: take qty of sku from the stock (once per order).
CREATE OR REPLACE FUNCTION shop.reserve(p jsonb) RETURNS jsonb
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_order text := p ->> 'order_id';
	v_sku text := p ->> 'sku';
	v_qty integer := (p ->> 'qty')::integer;
	v_left integer;
BEGIN
	IF EXISTS (SELECT FROM shop.reservations WHERE order_id = v_order) THEN
		RETURN jsonb_build_object('order_id', v_order, 'already', true,
			'left', (SELECT available FROM shop.inventory WHERE sku = v_sku));
	END IF;
	UPDATE shop.inventory SET available = available - v_qty
	WHERE sku = v_sku AND available >= v_qty
	RETURNING available INTO v_left;
	IF NOT FOUND THEN
		-- A named error (SQLSTATE SF900): the saga's Retry and Catch see "OutOfStock".
		RAISE EXCEPTION 'OutOfStock' USING ERRCODE = 'SF900',
			DETAIL = format('%s x %s not available', v_qty, v_sku);
	END IF;
	INSERT INTO shop.reservations (order_id, sku, qty, status) VALUES (v_order, v_sku, v_qty, 'reserved');
	RETURN jsonb_build_object('order_id', v_order, 'sku', v_sku, 'qty', v_qty, 'left', v_left);
END $$;

-- ReleaseStock (a compensation): give a reserved quantity back.  Running
-- it twice, or for an order that reserved nothing, changes nothing.
CREATE OR REPLACE FUNCTION shop.release(p jsonb) RETURNS jsonb
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r shop.reservations;
BEGIN
	UPDATE shop.reservations SET status = 'released', updated_at = now()
	WHERE order_id = p ->> 'order_id' AND status = 'reserved'
	RETURNING * INTO r;
	IF FOUND THEN
		UPDATE shop.inventory SET available = available + r.qty WHERE sku = r.sku;
	END IF;
	RETURN jsonb_build_object('order_id', p ->> 'order_id', 'released', FOUND);
END $$;

-- CompleteOrder: the shipped order keeps its stock.
CREATE OR REPLACE FUNCTION shop.complete(p jsonb) RETURNS jsonb
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	UPDATE shop.reservations SET status = 'fulfilled', shipment_id = p ->> 'shipment_id', updated_at = now()
	WHERE order_id = p ->> 'order_id' AND status = 'reserved';
	RETURN jsonb_build_object('order_id', p ->> 'order_id', 'status', 'fulfilled');
END $$;

-- RefundToDeadLetter, ReleaseToDeadLetter: record a compensation that
-- kept failing, with the error and the saga's state at that point.
CREATE OR REPLACE FUNCTION shop.dead_letter(p jsonb) RETURNS jsonb
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
	INSERT INTO shop.dead_letters (order_id, execution_arn, step, error, cause, state)
	VALUES (p #>> '{state,order_id}', p ->> 'execution', p ->> 'step',
			p #>> '{failure,Error}', p #>> '{failure,Cause}', p -> 'state')
	RETURNING jsonb_build_object('dead_letter_id', id);
$$;

-- Each new order starts its saga when the inserting transaction commits;
-- the execution is named after the order.
CREATE OR REPLACE FUNCTION shop.start_saga() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM public.sfn_start_execution('order-saga', to_jsonb(NEW) - 'created_at', NEW.order_id);
	RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER start_saga AFTER INSERT ON shop.orders
	FOR EACH ROW EXECUTE FUNCTION shop.start_saga();

-- Stock for the example (topped up on every run).
INSERT INTO shop.inventory VALUES ('book', 100), ('lamp', 5)
ON CONFLICT (sku) DO UPDATE SET available = greatest(shop.inventory.available, excluded.available);

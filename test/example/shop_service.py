#!/usr/bin/env python3
"""A toy payment and shipping service for the order saga (standard library only).

  shop_service.py serve --port-file FILE [--port N] [--log FILE]
  shop_service.py ledger URL            print what the service did, as JSON
  shop_service.py fault URL JSON        make a step fail (see POST /faults)

It listens on 127.0.0.1 only and keeps everything in memory: a restart
forgets every charge.  With SHOP_API_KEY in its environment, /charge,
/refund and /shipments answer 401 unless the header x-api-key carries that
key (the saga sends it through a pg_sfn connection).  Endpoints (JSON in,
JSON out):

  POST /charge     {order_id, amount_cents, card, idempotency_key}
                   200 {charge_id, ...}; 402 card_declined for the card
                   4000000000000002
  POST /refund     {order_id, charge_id, amount_cents, idempotency_key}
                   200 {refund_id, ...}; 404 for an unknown charge; 409 when
                   the charge has been refunded already (under another key)
  POST /shipments  {order_id, sku, qty, country, idempotency_key}
                   200 {shipment_id, tracking, ...}; 422 country_not_served
                   outside SERVED_COUNTRIES
  GET  /ledger     {charges, refunds, shipments}: the business state
  POST /faults     {step: charge|refund|ship, order_id, status: 503,
                   times: N (absent or null: always), after: false}
                   the next N requests of that step for that order answer
                   `status`; with after=true the work is done and recorded
                   first (the answer is lost, as when a connection drops)

Idempotency: the key is the body's idempotency_key, else the
Idempotency-Key header.  A request with a key already answered gets the
same answer again (status and body) and does nothing; with the same key
but other parameters it gets 409.  Injected faults are not remembered, so
a retry after one does the work (or replays it, with after=true).

Every request is appended to the --log file, one JSON object a line:
method, path, idempotency key, body, the status answered.
"""
import argparse
import json
import os
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DECLINED_CARD = '4000000000000002'
SERVED_COUNTRIES = {'AT', 'BE', 'DE', 'DK', 'ES', 'FR', 'IT', 'NL', 'PT'}
STEPS = {'/charge': 'charge', '/refund': 'refund', '/shipments': 'ship'}

lock = threading.Lock()
state = {'charges': [], 'refunds': [], 'shipments': []}
answered = {}       # (step, key) -> (request body without the key, status, answer)
faults = {}         # (step, order_id) -> {'status', 'times', 'after'}
log_file = None
api_key = os.environ.get('SHOP_API_KEY')


def charge(req):
    if req.get('card') == DECLINED_CARD:
        return 402, {'error': 'card_declined', 'message': 'The card was declined.'}
    amount = req.get('amount_cents')
    if not isinstance(amount, int) or amount <= 0:
        return 400, {'error': 'invalid_amount'}
    c = {'charge_id': 'ch_%d' % (len(state['charges']) + 1), 'order_id': req.get('order_id'),
         'amount_cents': amount, 'refunded_cents': 0}
    state['charges'].append(c)
    return 200, dict(c, status='captured')


def refund(req):
    c = next((c for c in state['charges'] if c['charge_id'] == req.get('charge_id')), None)
    if c is None:
        return 404, {'error': 'no_such_charge'}
    amount = req.get('amount_cents', c['amount_cents'])
    if not isinstance(amount, int) or amount <= 0 or c['refunded_cents'] + amount > c['amount_cents']:
        return 409, {'error': 'already_refunded', 'refunded_cents': c['refunded_cents']}
    c['refunded_cents'] += amount
    r = {'refund_id': 're_%d' % (len(state['refunds']) + 1), 'charge_id': c['charge_id'],
         'order_id': req.get('order_id'), 'amount_cents': amount}
    state['refunds'].append(r)
    return 200, r


def ship(req):
    if req.get('country') not in SERVED_COUNTRIES:
        return 422, {'error': 'country_not_served', 'country': req.get('country')}
    n = len(state['shipments']) + 1
    s = {'shipment_id': 'sh_%d' % n, 'tracking': 'TRK%06d' % n, 'order_id': req.get('order_id'),
         'sku': req.get('sku'), 'qty': req.get('qty'), 'country': req.get('country')}
    state['shipments'].append(s)
    return 200, s


ACTIONS = {'charge': charge, 'refund': refund, 'ship': ship}


def handle(step, req, header_key):
    """The answer (status, body) to one request; holds the lock."""
    key = req.pop('idempotency_key', None) or header_key
    fault = faults.get((step, req.get('order_id')))
    if fault and fault['times'] is not None and fault['times'] <= 0:
        fault = None
    if fault:
        if fault['times'] is not None:
            fault['times'] -= 1
        if not fault['after']:
            return key, fault['status'], {'error': 'injected_fault', 'step': step}
    if key and (step, key) in answered:
        body, status, answer = answered[(step, key)]
        if body != req:
            status, answer = 409, {'error': 'idempotency_key_reused', 'key': key}
    else:
        status, answer = ACTIONS[step](req)
        # Malformed requests are not remembered; business answers are.
        if key and status != 400:
            answered[(step, key)] = (req, status, answer)
    if fault:        # after=true: done, but the answer is lost
        return key, fault['status'], {'error': 'injected_fault', 'step': step, 'after': True}
    return key, status, answer


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, fmt, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body, sort_keys=True).encode('utf-8')
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == '/ledger':
            with lock:
                self.answer(200, state)
        else:
            self.answer(404, {'error': 'no_such_path'})

    def do_POST(self):
        length = int(self.headers.get('Content-Length') or 0)
        try:
            req = json.loads(self.rfile.read(length) or b'{}')
            if not isinstance(req, dict):
                raise ValueError
        except ValueError:
            self.answer(400, {'error': 'body_not_a_json_object'})
            return
        if self.path == '/faults':
            if req.get('step') not in ACTIONS:
                self.answer(400, {'error': 'unknown_step'})
                return
            with lock:
                faults[(req['step'], req.get('order_id'))] = {
                    'status': int(req.get('status', 503)), 'times': req.get('times'),
                    'after': bool(req.get('after', False))}
            self.answer(200, {'ok': True})
            return
        step = STEPS.get(self.path)
        if step is None:
            self.answer(404, {'error': 'no_such_path'})
            return
        if api_key and self.headers.get('x-api-key') != api_key:
            self.answer(401, {'error': 'unauthorized'})
            return
        logged = dict(req)
        with lock:
            key, status, answer = handle(step, req, self.headers.get('Idempotency-Key'))
            log_file.write(json.dumps({'method': 'POST', 'path': self.path, 'key': key, 'body': logged,
                                       'status': status}, sort_keys=True) + '\n')
            log_file.flush()
        self.answer(status, answer)


def serve(args):
    global log_file
    log_file = open(args.log or os.devnull, 'a', encoding='utf-8')
    srv = ThreadingHTTPServer(('127.0.0.1', args.port), Handler)
    srv.daemon_threads = True
    tmp = args.port_file + '.tmp'
    with open(tmp, 'w') as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, args.port_file)
    srv.serve_forever()


def call(url, body=None):
    data = None if body is None else json.dumps(body).encode('utf-8')
    req = urllib.request.Request(url, data=data, headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)


def main():
    ap = argparse.ArgumentParser(description='toy payment and shipping service for the order saga')
    sub = ap.add_subparsers(dest='cmd', required=True)
    s = sub.add_parser('serve')
    s.add_argument('--port', type=int, default=0)
    s.add_argument('--port-file', required=True)
    s.add_argument('--log')
    sub.add_parser('ledger').add_argument('url')
    f = sub.add_parser('fault')
    f.add_argument('url')
    f.add_argument('spec')
    args = ap.parse_args()
    if args.cmd == 'serve':
        serve(args)
    elif args.cmd == 'ledger':
        json.dump(call(args.url.rstrip('/') + '/ledger'), sys.stdout, sort_keys=True)
        print()
    else:
        call(args.url.rstrip('/') + '/faults', json.loads(args.spec))


if __name__ == '__main__':
    main()

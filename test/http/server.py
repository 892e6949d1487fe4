#!/usr/bin/env python3
"""A small HTTP server for pg_sfn's HTTP task tests (standard library only).

  server.py --port-file FILE --log FILE [--port N] [--tls-cert PEM]

Listens on 127.0.0.1 (port N, or a free one written to the port file) and
appends every request it receives to the log, one JSON object a line:
method, path, query, headers (lower-case names), body (text), time.
What it answers depends on the path:

  /json                 200, a JSON object
  /text                 200, text/plain
  /echo                 200, JSON: the request's method, path, query, headers, body
  /status/NNN           NNN with a JSON body {"status": NNN}
  /lambda-error         500 with Lambda's error body {"errorType", "errorMessage"}
  /delay/S[/...]        waits S seconds (a float), then 200 JSON
  /stats                {"max_concurrent_delays": most /delay requests at once}
  /redirect?to=URL&code=302   a redirect to URL
  /big/N                200, N bytes of text
  /token                an OAuth token endpoint: {"access_token": "token-1", ...}
  /flaky/KEY/N          500 for the first N requests with that KEY, then 200

Refusing connections is a port nothing listens on; the test picks one.
"""
import argparse
import json
import os
import ssl
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
flaky = {}
active = {'now': 0, 'max': 0}
log_file = None


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, fmt, *args):
        pass

    def record(self, body):
        u = urllib.parse.urlsplit(self.path)
        entry = {
            'method': self.command,
            'path': u.path,
            'query': u.query,
            'headers': {k.lower(): v for k, v in self.headers.items()},
            'body': body.decode('utf-8', 'replace'),
            'time': time.time(),
        }
        with lock:
            log_file.write(json.dumps(entry, sort_keys=True) + '\n')
            log_file.flush()
        return u, entry

    def send(self, code, body, ctype='application/json', extra=None):
        data = body if isinstance(body, bytes) else body.encode('utf-8')
        self.send_response(code)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(data)))
        self.send_header('X-Test-Server', 'pg_sfn')
        for k, v in (extra or []):
            self.send_header(k, v)
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(data)

    def handle_any(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        u, entry = self.record(body)
        parts = [p for p in u.path.split('/') if p]
        q = urllib.parse.parse_qs(u.query)
        head = parts[0] if parts else ''
        if head == 'json':
            self.send(200, json.dumps({'hello': 'world', 'n': 1, 'list': [1, 2]}))
        elif head == 'text':
            self.send(200, 'plain text, not JSON', 'text/plain; charset=utf-8')
        elif head == 'echo':
            self.send(200, json.dumps({k: entry[k] for k in ('method', 'path', 'query', 'headers', 'body')}))
        elif head == 'lambda-error':
            # A function error as Lambda's runtimes report it.
            self.send(500, json.dumps({'errorType': 'Boom', 'errorMessage': 'it broke'}))
        elif head == 'status' and len(parts) > 1:
            code = int(parts[1])
            self.send(code, json.dumps({'status': code}))
        elif head == 'delay' and len(parts) > 1:
            with lock:
                active['now'] += 1
                active['max'] = max(active['max'], active['now'])
            try:
                time.sleep(float(parts[1]))
            finally:
                with lock:
                    active['now'] -= 1
            self.send(200, json.dumps({'delayed': float(parts[1]), 'path': u.path}))
        elif head == 'stats':
            with lock:
                self.send(200, json.dumps({'max_concurrent_delays': active['max']}))
        elif head == 'redirect':
            code = int(q.get('code', ['302'])[0])
            self.send(code, '', 'text/plain', [('Location', q['to'][0])])
        elif head == 'big' and len(parts) > 1:
            self.send(200, 'x' * int(parts[1]), 'text/plain')
        elif head == 'token':
            self.send(200, json.dumps({'access_token': 'token-1', 'token_type': 'Bearer', 'expires_in': 3600}))
        elif head == 'flaky' and len(parts) > 2:
            with lock:
                seen = flaky.get(parts[1], 0)
                flaky[parts[1]] = seen + 1
            if seen < int(parts[2]):
                self.send(500, json.dumps({'attempt': seen + 1}))
            else:
                self.send(200, json.dumps({'attempt': seen + 1}))
        else:
            self.send(404, json.dumps({'error': 'no such path'}))

    def handle_one_request(self):
        # A client that gave up (a timeout test) is not an error here.
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024


def main():
    global log_file
    ap = argparse.ArgumentParser()
    ap.add_argument('--port', type=int, default=0)
    ap.add_argument('--port-file', required=True)
    ap.add_argument('--log', required=True)
    ap.add_argument('--tls-cert', help='serve HTTPS with this certificate (PEM, key included)')
    args = ap.parse_args()
    log_file = open(args.log, 'a', encoding='utf-8')
    srv = Server(('127.0.0.1', args.port), Handler)
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    tmp = args.port_file + '.tmp'
    with open(tmp, 'w') as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, args.port_file)
    srv.serve_forever()


if __name__ == '__main__':
    main()

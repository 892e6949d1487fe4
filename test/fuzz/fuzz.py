#!/usr/bin/env python3
"""fuzz.py: drive gen.py's inputs through a running pg_sfn cluster.

Usually started by test/fuzz/run (which builds with ASan and starts the
cluster); see docs/FUZZING.md.  Python 3 standard library only: it speaks
PostgreSQL's wire protocol itself, so that each worker keeps one session
and loads its batches with COPY.

Per batch (default 500 inputs): COPY into a temporary table, then one call
of fuzz.run_batch(), a plpgsql loop that evaluates every input in its own
subtransaction (an ERROR is an expected outcome) and reports inputs that
took over 1 s, internal errors (SQLSTATE XX*) and out-of-memory errors.
Afterwards the driver checks that the backend is alive, that its ASan log
did not grow and that its peak RSS stayed under the budget; if not, the
batch is bisected down to the inputs that cause it.  A batch that runs over
--hang-seconds is cancelled and the input it was on (published through
application_name) is a hang finding.
"""
import argparse
import json
import multiprocessing as mp
import os
import re
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402

RUN_BATCH_SQL = r"""
CREATE SCHEMA IF NOT EXISTS fuzz;
CREATE OR REPLACE FUNCTION fuzz.run_batch(OUT id bigint, OUT what text, OUT detail text)
RETURNS SETOF record LANGUAGE plpgsql AS $f$
DECLARE
	r record;
	t0 timestamptz;
	ms float8;
	n_ok int := 0;
	n_err int := 0;
	err_detail text;
BEGIN
	FOR r IN SELECT * FROM fuzz_in ORDER BY fuzz_in.id LOOP
		-- published for the driver: which input a stuck batch is on
		PERFORM set_config('application_name', 'fuzz:' || r.id, false);
		t0 := clock_timestamp();
		BEGIN
			CASE r.kind
			WHEN 'path' THEN PERFORM sfn.jsonpath_query(r.a, r.b::jsonb, r.c::jsonb);
			WHEN 'set' THEN PERFORM sfn.jsonpath_set(r.a, r.b::jsonb, r.c::jsonb);
			WHEN 'intr' THEN PERFORM sfn.intrinsic_eval(r.a, r.b::jsonb, r.c::jsonb);
			WHEN 'valid' THEN PERFORM count(*) FROM sfn_validate_state_machine_definition(r.a::jsonb, r.c);
			WHEN 'state' THEN PERFORM sfn_test_state(r.a::jsonb, r.b::jsonb, r.c);
			END CASE;
			n_ok := n_ok + 1;
		EXCEPTION WHEN OTHERS THEN
			n_err := n_err + 1;
			IF current_setting('fuzz.errors', true) = 'on' THEN
				-- --show-errors: which errors the corpus meets, to tune it
				GET STACKED DIAGNOSTICS err_detail = PG_EXCEPTION_DETAIL;
				id := r.id; what := 'error'; detail := r.kind || ' ' || SQLSTATE || ': ' || left(regexp_replace(SQLERRM || ' ' || split_part(err_detail, ':', 1), '"[^"]*"|\d+', '_', 'g'), 120);
				RETURN NEXT;
			END IF;
			IF SQLSTATE LIKE 'XX%' OR SQLSTATE = '53200' THEN
				id := r.id; what := CASE WHEN SQLSTATE = '53200' THEN 'oom' ELSE 'internal' END;
				detail := SQLSTATE || ': ' || left(SQLERRM, 300);
				RETURN NEXT;
			END IF;
		END;
		ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
		IF ms > 1000 THEN
			id := r.id; what := 'slow'; detail := round(ms::numeric) || ' ms';
			RETURN NEXT;
		END IF;
	END LOOP;
	id := -1; what := 'summary'; detail := n_ok || ' ' || n_err;
	RETURN NEXT;
END
$f$;
"""


class PgError(Exception):
    pass


class ConnLost(Exception):
    pass


class Conn:
    """A minimal PostgreSQL client: trust authentication, simple queries,
    COPY FROM STDIN, cancel requests."""

    def __init__(self, host, port, appname="fuzz"):
        self.path = "%s/.s.PGSQL.%d" % (host, port)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)
        self.buf = b""
        params = b"user\0postgres\0database\0postgres\0application_name\0" + appname.encode() + b"\0\0"
        self.sock.sendall(struct.pack("!ii", 8 + len(params), 196608) + params)
        self.pid = self.key = None
        while True:
            t, body = self._msg()
            if t == b"R" and struct.unpack("!i", body[:4])[0] != 0:
                raise PgError("authentication other than trust is not supported")
            if t == b"K":
                self.pid, self.key = struct.unpack("!ii", body)
            if t == b"E":
                raise PgError(self._err(body))
            if t == b"Z":
                break

    def _recv(self, n):
        while len(self.buf) < n:
            try:
                chunk = self.sock.recv(1 << 20)
            except (ConnectionResetError, BrokenPipeError) as e:
                raise ConnLost(str(e))
            if not chunk:
                raise ConnLost("connection closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _msg(self):
        hdr = self._recv(5)
        n = struct.unpack("!i", hdr[1:])[0]
        return hdr[:1], self._recv(n - 4)

    @staticmethod
    def _err(body):
        f = {}
        for part in body.split(b"\0"):
            if part:
                f[part[:1]] = part[1:].decode("utf-8", "replace")
        return "%s: %s" % (f.get(b"C", ""), f.get(b"M", ""))

    def _send(self, t, body):
        try:
            self.sock.sendall(t + struct.pack("!i", len(body) + 4) + body)
        except (ConnectionResetError, BrokenPipeError) as e:
            raise ConnLost(str(e))

    def query(self, sql, copy_data=None):
        """Rows of the last result (lists of str/None); PgError on ERROR."""
        self._send(b"Q", sql.encode() + b"\0")
        rows, err = [], None
        while True:
            t, body = self._msg()
            if t == b"D":
                ncol = struct.unpack("!h", body[:2])[0]
                pos, row = 2, []
                for _ in range(ncol):
                    ln = struct.unpack("!i", body[pos:pos + 4])[0]
                    pos += 4
                    if ln < 0:
                        row.append(None)
                    else:
                        row.append(body[pos:pos + ln].decode("utf-8", "replace"))
                        pos += ln
                rows.append(row)
            elif t == b"T":
                rows = []
            elif t == b"G":
                for i in range(0, len(copy_data), 1 << 20):
                    self._send(b"d", copy_data[i:i + (1 << 20)])
                self._send(b"c", b"")
            elif t == b"E":
                err = self._err(body)
            elif t == b"Z":
                break
        if err:
            raise PgError(err)
        return rows

    def cancel(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(self.path)
        s.sendall(struct.pack("!iiii", 16, 80877102, self.pid, self.key))
        s.close()

    def close(self):
        try:
            self._send(b"X", b"")
            self.sock.close()
        except Exception:
            pass


def copy_escape(s):
    if s is None:
        return "\\N"
    return (s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def copy_payload(items):
    lines = []
    for i, (kind, a, b, c) in items:
        lines.append("\t".join([str(i), kind] + [copy_escape(x) for x in (a, b, c)]))
    # NUL cannot be in text; surrogates cannot be UTF-8 (they are sent
    # escaped inside JSON instead, see seeds.py)
    return ("\n".join(lines) + "\n").replace("\0", "").encode("utf-8", "replace")


class Worker:
    def __init__(self, args, seeds, wid, out):
        self.a, self.seeds, self.wid, self.out = args, seeds, wid, out
        self.conn = None
        self.asan_off = 0

    # -- connection -----------------------------------------------------
    def connect(self):
        deadline = time.time() + 120
        while True:
            try:
                self.conn = Conn(self.a.host, self.a.port)
                self.conn.query("CREATE TEMP TABLE fuzz_in (id bigint, kind text, a text, b text, c text)")
                if self.a.show_errors:
                    self.conn.query("SET fuzz.errors = on")
                break
            except (OSError, ConnLost, PgError):
                # the server is restarting after a crash
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        self.asan_off = self.asan_size()

    def asan_file(self):
        return os.path.join(self.a.asan_dir, "asan.%d" % self.conn.pid) if self.a.asan_dir else None

    def asan_size(self):
        f = self.asan_file()
        try:
            return os.path.getsize(f) if f else 0
        except OSError:
            return 0

    def asan_new_text(self, pid, off):
        if not self.a.asan_dir:
            return ""
        try:
            with open(os.path.join(self.a.asan_dir, "asan.%d" % pid), errors="replace") as f:
                f.seek(off)
                return f.read(20000)
        except OSError:
            return ""

    def reset_hwm(self):
        try:
            with open("/proc/%d/clear_refs" % self.conn.pid, "w") as f:
                f.write("5")
        except OSError:
            pass

    def hwm_mb(self):
        try:
            for line in open("/proc/%d/status" % self.conn.pid):
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
        except OSError:
            pass
        return 0

    def crashed_own(self, pid):
        """Did the server log say that backend pid died?"""
        time.sleep(0.3)
        try:
            with open(self.a.server_log, errors="replace") as f:
                return re.search(r"server process \(PID %d\) (was terminated|exited)" % pid, f.read()) is not None
        except OSError:
            return False

    # -- one run of some inputs -----------------------------------------
    def run(self, items):
        """Run items once.  Returns (notes, bad): notes are the function's
        rows; bad is a dict of problems of the whole run: crash, asan, mem,
        hang (with the input id), other (the server went away for someone
        else's crash: run again)."""
        if self.conn is None:
            self.connect()
        pid, off = self.conn.pid, self.asan_size()
        bad = {}
        notes = []
        self.reset_hwm()
        try:
            self.conn.query("TRUNCATE fuzz_in")
            self.conn.query("COPY fuzz_in FROM STDIN", copy_payload(items))
            self.conn.sock.settimeout(self.a.hang_seconds)
            try:
                notes = self.conn.query("SELECT * FROM fuzz.run_batch()")
            except socket.timeout:
                bad["hang"] = self.stuck_on(pid)
                self.stop_stuck()
            finally:
                if self.conn is not None:
                    self.conn.sock.settimeout(None)
        except PgError as e:
            bad["error"] = str(e)
        except (ConnLost, OSError):
            self.conn = None
            if self.crashed_own(pid):
                bad["crash"] = True
            else:
                bad["other"] = True
        if "hang" not in bad:
            text = self.asan_new_text(pid, off)
            if "ERROR: AddressSanitizer" in text or "AddressSanitizer:DEADLYSIGNAL" in text:
                bad["asan"] = text
        if self.conn is not None and self.a.mem_budget_mb and self.hwm_mb() > self.a.mem_budget_mb:
            bad["mem"] = self.hwm_mb()
        if self.conn is None:
            self.connect()
        return notes, bad

    def stuck_on(self, pid):
        try:
            c = Conn(self.a.host, self.a.port, "fuzz-monitor")
            rows = c.query("SELECT application_name FROM pg_stat_activity WHERE pid = %d" % pid)
            c.close()
            if rows and rows[0][0] and rows[0][0].startswith("fuzz:"):
                return int(rows[0][0][5:])
        except Exception:
            pass
        return None

    def stop_stuck(self):
        """Cancel; a backend that does not check for interrupts is killed."""
        pid = self.conn.pid
        self.conn.cancel()
        self.conn.sock.settimeout(5)
        try:
            self.conn.query("SELECT 1")
            return
        except (socket.timeout, ConnLost, OSError, PgError):
            pass
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
        self.conn = None

    # -- a batch, with bisection of what went wrong ---------------------
    def batch(self, index):
        size = self.a.batch
        first = index * size
        n = min(size, self.a.count - first)
        items = list(enumerate(gen.batch(self.seeds, self.a.seed, index, size)[:n], start=first))
        skip = set()
        for attempt in range(20):
            todo = [x for x in items if x[0] not in skip]
            notes, bad = self.run(todo)
            if "other" in bad:
                continue
            if "hang" in bad:
                hid = bad["hang"]
                self.finding("hang", hid, items, "over %d s (cancelled)" % self.a.hang_seconds)
                if hid is None:
                    break
                skip.add(hid)
                continue
            break
        counts = [0, 0]
        for nid, what, detail in notes:
            if what == "error":
                self.out.put(("error", detail))
            elif what == "summary":
                counts = [int(x) for x in detail.split()]
            else:
                self.finding(what, int(nid), items, detail)
        for kind in ("crash", "asan", "mem"):
            if kind in bad:
                self.bisect([x for x in items if x[0] not in skip], kind, bad)
                bad.pop(kind)
                if kind == "crash":
                    bad.pop("asan", None)   # the same report; bisected already
        if "error" in bad:
            self.finding("driver-error", None, items, bad["error"])
        return n, counts

    def bisect(self, items, kind, bad):
        """Find the inputs of items that cause kind.  A wild read does not
        always crash (it depends on what is mapped at that address): when
        neither half does it again, each input is tried alone, and if none
        does, the finding is recorded with the smallest set that did."""
        detail = bad.get(kind)
        if kind == "crash" and "asan" in bad:
            detail = bad["asan"]     # the report says where it crashed
        detail = detail if isinstance(detail, str) else str(detail)
        if len(items) == 1:
            self.finding(kind, items[0][0], items, detail)
            return
        half = len(items) // 2
        found = False
        for part in (items[:half], items[half:]):
            b = self.run_retrying(part)
            if kind in b:
                self.bisect(part, kind, b)
                found = True
        if not found:
            for x in items:
                b = self.run_retrying([x])
                if kind in b:
                    self.bisect([x], kind, b)
                    found = True
        if not found:
            self.finding(kind, None, items, "not reproduced by a smaller set; inputs %s\n%s"
                         % (",".join(str(x[0]) for x in items), detail))

    def run_retrying(self, items):
        for _ in range(5):
            _, b = self.run(items)
            if "other" not in b:
                return b
        return b

    def finding(self, kind, iid, items, detail):
        inp = None
        for i, x in items:
            if i == iid:
                inp = x
        self.out.put(("finding", {"kind": kind, "id": iid, "seed": self.a.seed,
                                  "signature": signature(kind, detail),
                                  "detail": (detail or "")[:4000], "input": inp}))


def signature(kind, detail):
    """What a finding is, for grouping: the ASan error and the first pg_sfn
    frame, or the SQLSTATE."""
    detail = detail or ""
    if kind in ("asan", "crash"):
        m = re.search(r"ERROR: AddressSanitizer: ([\w-]+)", detail)
        what = m.group(1) if m else ("SEGV" if "DEADLYSIGNAL" in detail else "crash")
        fr = re.search(r"#\d+ 0x[0-9a-f]+ in (\w+) (src/[\w/]+\.c:\d+)", detail)
        return "%s %s %s" % (kind, what, "%s %s" % fr.groups() if fr else "")
    if kind == "internal" or kind == "oom":
        return "%s %s" % (kind, detail.split(":")[0])
    return kind


def worker_main(args, wid, out):
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    seeds = gen.Seeds(args.sql_dir)
    w = Worker(args, seeds, wid, out)
    nbatches = (args.count + args.batch - 1) // args.batch
    for index in range(wid, nbatches, args.jobs):
        if time.time() > args.deadline:
            out.put(("timeout", wid))
            break
        n, counts = w.batch(index)
        out.put(("done", n, counts[0], counts[1]))
    out.put(("exit", wid))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--count", type=int, default=1000000)
    p.add_argument("--seed", default="1", help="the corpus: the same seed gives the same inputs")
    p.add_argument("--batch", type=int, default=500)
    p.add_argument("--jobs", type=int, default=2, help="parallel sessions")
    p.add_argument("--host", help="Unix socket directory")
    p.add_argument("--port", type=int, default=5432)
    p.add_argument("--pgdata")
    p.add_argument("--server-log")
    p.add_argument("--asan-dir", help="directory of ASan's log_path files")
    p.add_argument("--findings", default="findings.jsonl")
    p.add_argument("--sql-dir", default=os.path.join(here, "..", "..", "sql"))
    p.add_argument("--hang-seconds", type=float, default=10)
    p.add_argument("--mem-budget-mb", type=int, default=2048, help="peak RSS of a backend over one batch")
    p.add_argument("--max-seconds", type=float, default=3600, help="stop after this long, whatever the count")
    p.add_argument("--progress", type=int, default=50000, help="a progress line every N inputs")
    p.add_argument("--show-errors", action="store_true", help="count the (expected) errors by message")
    p.add_argument("--show", type=int, help="print input number N of this seed and exit")
    args = p.parse_args()

    if args.show is not None:
        seeds = gen.Seeds(args.sql_dir)
        b = args.show // args.batch
        print(json.dumps(gen.batch(seeds, args.seed, b, args.batch)[args.show % args.batch], ensure_ascii=False))
        return 0

    c = Conn(args.host, args.port)
    c.query(RUN_BATCH_SQL)
    c.close()
    args.deadline = time.time() + args.max_seconds

    out = mp.Queue()
    procs = [mp.Process(target=worker_main, args=(args, w, out)) for w in range(args.jobs)]
    t0 = time.time()
    for pr in procs:
        pr.start()
    done = ok = err = 0
    next_progress = args.progress
    findings = []
    errors = {}
    alive = len(procs)
    timed_out = False
    with open(args.findings, "w") as ff:
        while alive:
            msg = out.get()
            if msg[0] == "done":
                done += msg[1]
                ok += msg[2]
                err += msg[3]
                if done >= next_progress or done == args.count:
                    el = time.time() - t0
                    print("fuzz: %d inputs, %.0f s, %.0f/s, %d errors (expected), %d findings"
                          % (done, el, done / el, err, len(findings)), flush=True)
                    next_progress += args.progress
            elif msg[0] == "finding":
                findings.append(msg[1])
                ff.write(json.dumps(msg[1], ensure_ascii=False) + "\n")
                ff.flush()
                print("fuzz: FINDING %s at input %s" % (msg[1]["signature"], msg[1]["id"]), flush=True)
            elif msg[0] == "error":
                errors[msg[1]] = errors.get(msg[1], 0) + 1
            elif msg[0] == "timeout":
                timed_out = True
            elif msg[0] == "exit":
                alive -= 1
    for pr in procs:
        pr.join()
    el = time.time() - t0
    print("fuzz: finished: %d inputs in %.0f s (%.0f/s), %d evaluated without error, %d errors%s"
          % (done, el, done / max(el, 1e-9), ok, err, " (stopped at --max-seconds)" if timed_out else ""))
    for e, n in sorted(errors.items(), key=lambda x: -x[1])[:40]:
        print("fuzz: error %6d x %s" % (n, e))
    groups = {}
    for f in findings:
        groups.setdefault(f["signature"], []).append(f)
    for sig, fs in sorted(groups.items()):
        shortest = min(fs, key=lambda f: len(json.dumps(f["input"])))
        print("fuzz: %d x %s; shortest input #%s: %s" % (len(fs), sig, shortest["id"],
                                                         json.dumps(shortest["input"], ensure_ascii=False)[:300]))
    if done < args.count:
        print("fuzz: ran %d of %d inputs" % (done, args.count))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())

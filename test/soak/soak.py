#!/usr/bin/env python3
"""test/soak/soak.py: pg_sfn's crash soak (driver and checker runner).

Runs on its own throwaway cluster under --base, as the unprivileged user
that owns it (test/soak/run arranges that):

  soak.py --base DIR --bindir PG_BIN [--executions N] [--kills K]
          [--duration S] [--workers W] [--seed X]
  soak.py --base DIR --bindir PG_BIN --check-only

A mixed workload (setup.sql) is started in batches, paced over --duration
seconds, with duplicate starts, conflicting starts and stops mixed in.  At
K random moments of that window the postmaster or one pg_sfn worker (each
kind at least once) gets SIGKILL; after a postmaster kill the cluster is
started again.  Starts and stops that a crash interrupted are retried with
the same name and input.  Once everything has ended, check.sql verifies
the tables against the plan; the exit status is non-zero on any violation.

--check-only runs the checker again on the cluster a finished run left.
Python standard library only; the database is reached through psql.
"""
import argparse
import heapq
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# psql output that means the server went away (a crash, a restart, or
# crash recovery in progress) rather than an error of the statement.
CRASH_PATTERNS = re.compile(
    r"terminating connection|server closed the connection|connection to server|"
    r"the database system is|could not connect|no connection to the server|"
    r"Connection refused|No such file or directory|connection not open|"
    r"could not receive data|could not send data|"
    r"terminating background worker|shutting down")
# psql's message when it could not connect at all: nothing ran.
CONNECT_FAILED = re.compile(r"^psql: error: connection to server", re.M)


def now():
    return time.monotonic()


class Cluster:
    """initdb, start, stop, kill and psql for the soak's own cluster."""

    def __init__(self, base, bindir, workers):
        self.base = base
        self.bindir = bindir
        self.data = os.path.join(base, "data")
        self.socket = os.path.join(base, "socket")
        self.log = os.path.join(base, "server.log")
        self.workers = workers
        self.port = None

    def init(self, port):
        self.port = port
        os.makedirs(self.socket, exist_ok=True)
        subprocess.run([f"{self.bindir}/initdb", "-D", self.data, "-A", "trust", "-U", "postgres"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write(f"""
listen_addresses = ''
unix_socket_directories = '{self.socket}'
port = {port}
shared_preload_libraries = 'pg_sfn'
pg_sfn.database = 'postgres'
pg_sfn.workers = {self.workers}
restart_after_crash = on
max_connections = 40
timezone = 'UTC'
log_line_prefix = '%m [%p] %b '
""")

    def read_port(self):
        with open(os.path.join(self.data, "postgresql.conf")) as f:
            self.port = int(re.findall(r"^port = (\d+)", f.read(), re.M)[-1])

    def start(self):
        r = subprocess.run([f"{self.bindir}/pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "120", "start"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"pg_ctl start failed: {r.stderr.strip()}")

    def stop(self):
        subprocess.run([f"{self.bindir}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def postmaster_pid(self):
        try:
            with open(os.path.join(self.data, "postmaster.pid")) as f:
                pid = int(f.readline())
        except (OSError, ValueError):
            return None
        return pid if alive(pid) else None

    def children(self, ppid):
        """(pid, title) of ppid's children, from /proc."""
        out = []
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                with open(f"/proc/{d}/stat") as f:
                    stat = f.read()
                # The field after the parenthesised name is the state, then ppid.
                if int(stat.rsplit(")", 1)[1].split()[1]) != ppid:
                    continue
                with open(f"/proc/{d}/cmdline", "rb") as f:
                    title = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
                out.append((int(d), title))
            except (OSError, IndexError, ValueError):
                pass
        return out

    def worker_pids(self):
        pm = self.postmaster_pid()
        if pm is None:
            return []
        return [p for p, t in self.children(pm) if t.startswith("postgres: pg_sfn worker")]

    def psql(self, sql, timeout=120):
        """Run a script; (returncode, stdout, stderr)."""
        try:
            r = subprocess.run([f"{self.bindir}/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                                "-h", self.socket, "-p", str(self.port), "-U", "postgres", "-d", "postgres",
                                "-f", "-"], input=sql, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return 124, "", f"psql timed out after {timeout} s ({pressure()})"
        return r.returncode, r.stdout, r.stderr

    def query(self, sql):
        """Output of a query that must succeed."""
        rc, out, err = self.psql(sql)
        if rc != 0:
            raise RuntimeError(f"query failed ({rc}): {err.strip()}\n{sql}")
        return out.strip()

    def status_counts(self):
        rc, out, _ = self.psql("SELECT status, count(*) FROM sfn.executions GROUP BY 1 ORDER BY 1")
        if rc != 0:
            return None
        return {s: int(n) for s, n in (line.split("|") for line in out.split())}


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def pressure():
    """The kernel's stall figures (PSI): tell a stalled machine from a hung server."""
    out = []
    for what in ("memory", "io", "cpu"):
        try:
            with open(f"/proc/pressure/{what}") as f:
                line = f.read().splitlines()[-1]      # "full ..." (or "some" for cpu)
            out.append(f"{what} {line.split()[0]} " + line.split()[3])
        except (OSError, IndexError):
            pass
    return ", ".join(out) or "no PSI"


def is_crash(rc, err):
    return rc == 2 or bool(CRASH_PATTERNS.search(err))


def lit(s):
    return "'" + s.replace("'", "''") + "'"


def iso_ms(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + f".{int(epoch * 1000) % 1000:03d}Z"


class Soak:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.cluster = Cluster(args.base, args.bindir, args.workers)
        self.lock = threading.Lock()
        self.violations = []          # the driver's own findings
        self.stats = {"start batches retried": 0, "starts retried": 0, "duplicate starts": 0,
                      "duplicates: same ARN": 0, "duplicates: already ended": 0,
                      "conflicting starts refused": 0, "stops": 0, "stops: stopped": 0,
                      "stops: not running": 0, "stops: answer lost in a crash": 0,
                      "psql runs cut by crashes": 0}
        self.kills = []               # (kind, pid, recovery seconds)
        self.started = 0
        self.starting_done = False
        self.t0 = None

    def violation(self, what):
        with self.lock:
            self.violations.append(what)
        self.say(f"VIOLATION: {what}")

    def say(self, line):
        with self.lock:
            print(line, flush=True)

    # The plan ------------------------------------------------------------

    def make_plan(self):
        """Every execution: machine, input (a TimestampPath gets its time at
        first start), and the extra calls made for it."""
        rng = self.rng
        plan = []
        for i in range(self.args.executions):
            name = f"e{i:06d}"
            r = rng.random()
            if r < 0.30:
                sm, inp = "soak-chain", {"n": rng.randint(0, 100000)}
            elif r < 0.50:
                kind = rng.choice(["w", "w", "p1", "pq", "d", "x"])
                inp = {"n": rng.choice([-1] + [rng.randint(0, 99)] * 5), "kind": kind}
                if kind == "w":
                    inp["w"] = rng.randint(0, 3)
                sm = "soak-branch"
            elif r < 0.75:
                mode = rng.choice(["seconds", "secondspath", "secondspath", "timestamppath", "timestamp"])
                inp = {"mode": mode, "i": i}
                if mode == "secondspath":
                    inp["w"] = rng.choice([-1, 0, 1, 2, 3])
                elif mode == "timestamppath":
                    inp["until_offset_ms"] = rng.randint(0, 3000)
                sm = "soak-wait"
            elif r < 0.83:
                sm = "soak-fail"
                inp = {"v": f"cause {i}"} if rng.random() < 0.7 else {"x": i}
            elif r < 0.93:
                sm, inp = "soak-timeout", {"w": rng.choice([0, 1, 3, 4, 5])}
            else:
                sm, inp = "soak-stop", {"i": i}
            e = {"name": name, "sm": sm, "input": inp, "stop": None, "dup": False, "conflict": False,
                 "stop_result": None, "stop_ambiguous": False}
            if sm == "soak-stop":
                e["stop"] = "planned"
                e["conflict"] = rng.random() < 0.3
            elif sm in ("soak-wait", "soak-timeout", "soak-branch") and rng.random() < 0.08:
                e["stop"] = "racy"   # may find it ended: either outcome is right
            e["dup"] = rng.random() < 0.05
            plan.append(e)
        return plan

    def fix_input(self, e):
        """A TimestampPath's time is absolute: set it when first started."""
        off = e["input"].pop("until_offset_ms", None)
        if off is not None:
            e["input"]["until"] = iso_ms(time.time() + off / 1000.0)

    # Statements that survive crashes ----------------------------------------

    def run_items(self, items, render, on_result, what):
        """Run one statement per item in one psql script (each commits on
        its own); retry the items a crash left unanswered.  render(item,
        retry) -> SQL returning one row; on_result(item, text)."""
        pending = list(items)
        retry = False
        tries = 0
        while pending:
            sql = "".join(render(it, retry) + ";\n" for it in pending)
            rc, out, err = self.cluster.psql(sql)
            lines = out.splitlines()
            for it, line in zip(pending, lines):
                on_result(it, line)
            done = len(lines)
            if rc == 0 and done == len(pending):
                return
            left = pending[done:]
            if is_crash(rc, err):
                with self.lock:
                    self.stats["psql runs cut by crashes"] += 1
                # The statement running at the crash may or may not have
                # committed; the ones after it never ran.
                if not CONNECT_FAILED.search(err):
                    self.on_lost(left[0])
                time.sleep(0.2)
            else:
                tries += 1
                self.violation(f"{what}: unexpected error: {err.strip()[:300]}")
                if rc == 124:
                    self.on_lost(left[0])    # killed mid-statement: may have committed
                if tries >= 3:
                    return
                time.sleep(0.5)
            if now() - self.t0 > self.args.duration + 600:
                self.violation(f"{what}: gave up retrying after a crash (server down?)")
                return
            pending = left
            retry = True

    def on_lost(self, item):
        kind, e = item
        if kind == "stop":
            e["stop_ambiguous"] = True
            with self.lock:
                self.stats["stops: answer lost in a crash"] += 1

    def render(self, item, retry):
        kind, e = item
        sm, name, inp = lit(e["sm"]), lit(e["name"]), lit(json.dumps(e["input"]))
        if kind == "dup":
            return f"SELECT soak.start_again({sm}, {inp}, {name})"
        if kind == "conflict":
            other = lit(json.dumps({"other": True}))
            return f"SELECT soak.start_conflicting({sm}, {other}, {name})"
        if kind == "stop":
            return f"SELECT soak.stop({sm}, {name})"
        raise ValueError(kind)

    def on_result(self, item, line):
        kind, e = item
        with self.lock:
            if kind == "dup":
                self.stats["duplicate starts"] += 1
                if line.endswith(":" + e["name"]):
                    self.stats["duplicates: same ARN"] += 1
                elif line == "closed":
                    self.stats["duplicates: already ended"] += 1
                else:
                    self.violations.append(f"duplicate start of {e['name']} returned {line!r}")
            elif kind == "conflict":
                if line == "refused":
                    self.stats["conflicting starts refused"] += 1
                else:
                    self.violations.append(f"conflicting start of {e['name']} returned {line!r}")
            elif kind == "stop":
                self.stats["stops"] += 1
                e["stop_result"] = line
                self.stats["stops: " + line] = self.stats.get("stops: " + line, 0) + 1
                # A planned stop that found its execution ended: only a lost
                # answer of an earlier attempt explains it (checked later).

    def start_batch(self, batch):
        """Start a batch in one statement; after a crash, the same names and
        inputs again, accepting executions that committed and ended since."""
        first = True
        tries = 0
        while True:
            fn = "sfn_start_execution" if first else "soak.start_again"
            values = ",".join(f"({lit(e['sm'])}, {lit(json.dumps(e['input']))}, {lit(e['name'])})" for e in batch)
            sql = (f"SELECT count({fn}(sm, input::jsonb, name)) "
                   f"FROM (VALUES {values}) v(sm, input, name)")
            rc, out, err = self.cluster.psql(sql)
            if rc == 0 and out.strip() == str(len(batch)):
                return
            if rc == 0:
                self.violation(f"start batch returned {out.strip()!r}")
                return
            if not is_crash(rc, err):
                tries += 1
                self.violation(f"start batch: unexpected error: {err.strip()[:300]}")
                if tries >= 3:
                    return
            # Whatever went wrong, the batch may have committed: retry as after a crash.
            with self.lock:
                self.stats["psql runs cut by crashes"] += 1
                if first:
                    self.stats["start batches retried"] += 1
                    self.stats["starts retried"] += len(batch)
            first = False
            time.sleep(0.2)
            if now() - self.t0 > self.args.duration + 600:
                self.violation("start batch: gave up retrying after a crash (server down?)")
                return

    # Starting and the extra calls -------------------------------------------

    def drive(self, plan):
        """Start the plan paced over the window (this thread) while another
        thread makes the extra calls as they fall due, so that crashes hit
        both."""
        args = self.args
        batch_size = 20
        actions = []     # heap of (due, seq, (kind, execution))
        cond = threading.Condition()
        seq = 0

        def caller():
            while True:
                with cond:
                    while not actions or actions[0][0] > now():
                        if not actions and self.starting_done:
                            return
                        cond.wait(0.05)
                    due = []
                    while actions and actions[0][0] <= now():
                        due.append(heapq.heappop(actions)[2])
                self.run_items(due, self.render, self.on_result, "calls")

        calls_thread = threading.Thread(target=caller, daemon=True)
        calls_thread.start()
        for i in range(0, len(plan), batch_size):
            delay = self.t0 + args.duration * i / len(plan) - now()
            if delay > 0:
                time.sleep(delay)
            batch = plan[i:i + batch_size]
            for e in batch:
                self.fix_input(e)
            self.start_batch(batch)
            with self.lock:
                self.started = i + len(batch)
            started_at = now()
            with cond:
                for e in batch:
                    calls = []
                    if e["dup"]:
                        calls.append(("dup", self.rng.uniform(0, 1.5)))
                    if e["conflict"]:
                        calls.append(("conflict", self.rng.uniform(0, 0.5)))
                    if e["stop"] == "planned":
                        calls.append(("stop", self.rng.uniform(0.5, 3)))
                    elif e["stop"] == "racy":
                        calls.append(("stop", self.rng.uniform(0, 3)))
                    for kind, delay in calls:
                        seq += 1
                        heapq.heappush(actions, (started_at + delay, seq, (kind, e)))
        with cond:
            self.starting_done = True
        calls_thread.join()
        # A planned stop must end in "stopped" unless a crash ate the
        # answer of an attempt that did stop it.
        for e in plan:
            if e["stop"] == "planned" and e["stop_result"] != "stopped" and not e["stop_ambiguous"]:
                self.violation(f"stop of {e['name']} (waits an hour) answered {e['stop_result']!r}")

    # Kills --------------------------------------------------------------

    def kill_schedule(self):
        args, rng = self.args, self.rng
        kinds = ["postmaster", "worker"][:args.kills]
        kinds += [rng.choice(["postmaster", "worker"]) for _ in range(args.kills - len(kinds))]
        rng.shuffle(kinds)
        times = sorted(rng.uniform(0.03, 0.97) * args.duration for _ in kinds)
        return list(zip(times, kinds))

    def killer(self, schedule):
        for n, (at, kind) in enumerate(schedule, 1):
            delay = self.t0 + at - now()
            if delay > 0:
                time.sleep(delay)
            counts = self.cluster.status_counts() or {}
            running = counts.get("RUNNING", 0)
            t_kill = now()
            wall_kill = time.time()
            try:
                pid, note = self.kill(kind)
            except Exception as ex:   # noqa: BLE001 - reported, the run goes on
                self.violation(f"kill {n} ({kind}) failed: {ex}")
                continue
            recovery = now() - t_kill
            # Wall-clock times: the checker compares them with the server's.
            self.kills.append((kind, pid, recovery, wall_kill, time.time()))
            counts = self.cluster.status_counts() or {}
            with self.lock:
                started = self.started
            self.say(f"kill {n}/{len(schedule)} at {t_kill - self.t0:6.1f}s: {kind:10s} pid {pid:<7d} "
                     f"running before {running:5d}, back in {recovery:4.1f}s{note} | started {started} | "
                     + " ".join(f"{k} {v}" for k, v in sorted(counts.items())))

    def kill(self, kind):
        c = self.cluster
        note = ""
        old_workers = c.worker_pids()
        if kind == "postmaster":
            pm = c.postmaster_pid()
            if pm is None:
                raise RuntimeError("no postmaster")
            kids = [p for p, _ in c.children(pm)]
            os.kill(pm, signal.SIGKILL)
            # Children notice the postmaster's death and exit by themselves;
            # one that lingers would block the restart.
            deadline = now() + 15
            while now() < deadline and (alive(pm) or any(alive(p) for p in kids)):
                time.sleep(0.05)
            left = [p for p in kids if alive(p)]
            if left:
                note = f" ({len(left)} children outlived the postmaster by 15 s, killed)"
                self.violation(f"children {left} of the killed postmaster still ran after 15 s")
                for p in left:
                    os.kill(p, signal.SIGKILL)
                time.sleep(0.5)
            c.start()
            target = pm
        else:
            workers = c.worker_pids()
            if not workers:
                raise RuntimeError("no pg_sfn worker process")
            target = self.rng.choice(workers)
            os.kill(target, signal.SIGKILL)
        # Back: every worker is a new process (a worker's death makes the
        # postmaster restart them all) and the server takes queries.
        deadline = now() + 60
        while now() < deadline:
            pids = c.worker_pids()
            if len(pids) == c.workers and not set(pids) & set(old_workers):
                rc, _, _ = c.psql("SELECT 1")
                if rc == 0:
                    return target, note
            time.sleep(0.05)
        raise RuntimeError("the workers did not come back within 60 s")

    # The whole run --------------------------------------------------------

    def run(self):
        args = self.args
        c = self.cluster
        wall0 = time.time()
        if os.path.exists(args.base):
            subprocess.run(["rm", "-rf", args.base], check=True)
        os.makedirs(args.base)
        c.init(20000 + self.rng.randint(0, 19999))
        c.start()
        try:
            c.query("CREATE EXTENSION pg_sfn")
            rc, _, err = c.psql(open(os.path.join(HERE, "setup.sql")).read())
            if rc != 0:
                raise RuntimeError(f"setup.sql failed: {err}")
            plan = self.make_plan()
            schedule = self.kill_schedule()
            self.say(f"soak: {len(plan)} executions over {args.duration:.0f}s, {len(schedule)} kills "
                     f"({sum(k == 'postmaster' for _, k in schedule)} postmaster, "
                     f"{sum(k == 'worker' for _, k in schedule)} worker), {args.workers} workers, seed {args.seed}")
            self.t0 = now()
            killer = threading.Thread(target=self.killer, args=(schedule,), daemon=True)
            killer.start()
            self.drive(plan)
            self.say(f"all {len(plan)} started at {now() - self.t0:.1f}s; waiting for the kills to finish")
            killer.join()
            self.drain()
            self.write_plan(plan)
            ok = self.check(wall0)
        finally:
            c.stop()
        return ok

    def drain(self):
        """Wait until nothing runs (Waits are at most a few seconds)."""
        deadline = now() + 120
        while now() < deadline:
            counts = self.cluster.status_counts()
            if counts is not None and counts.get("RUNNING", 0) == 0:
                self.say(f"drained at {now() - self.t0:.1f}s")
                return
            time.sleep(0.2)
        self.violation(f"executions still RUNNING 120 s after the last start: {counts}")

    def write_plan(self, plan):
        with open(os.path.join(self.args.base, "plan.jsonl"), "w") as f:
            for e in plan:
                f.write(json.dumps(e) + "\n")
        with open(os.path.join(self.args.base, "driver.json"), "w") as f:
            json.dump({"violations": self.violations, "stats": self.stats,
                       "kills": self.kills}, f)

    def check(self, wall0=None):
        """Load the plan, run check.sql, print the summary; True if clean."""
        c = self.cluster
        base = self.args.base
        plan_file = os.path.join(base, "plan.jsonl")
        # Control characters as quote and delimiter: each line is one JSON value.
        c.query("TRUNCATE soak.plan_raw;\n"
                f"\\copy soak.plan_raw FROM {lit(plan_file)} WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')")
        with open(os.path.join(base, "driver.json")) as f:
            driver = json.load(f)
        c.query("TRUNCATE soak.downtime;\n" + "".join(
            f"INSERT INTO soak.downtime VALUES (to_timestamp({k[3]}), to_timestamp({k[4]}));\n"
            for k in driver["kills"]))
        rc, out, err = c.psql(open(os.path.join(HERE, "check.sql")).read())
        if rc != 0:
            self.say(f"checker failed to run: {err.strip()}")
            return False
        rows = [line.split("\t") for line in out.splitlines() if line.strip()]
        checker_violations = sum(int(r[0]) for r in rows)
        self.say("")
        self.say("== summary")
        if wall0 is not None:
            self.say(f"wall time: {time.time() - wall0:.0f}s")
        kills = driver["kills"]
        self.say(f"kills: {len(kills)} ({sum(k[0] == 'postmaster' for k in kills)} postmaster, "
                 f"{sum(k[0] == 'worker' for k in kills)} worker); recovery "
                 + (f"mean {sum(k[2] for k in kills) / len(kills):.1f}s, max {max(k[2] for k in kills):.1f}s"
                    if kills else "-"))
        by_status = c.query("SELECT string_agg(status || ' ' || n, ', ' ORDER BY status) FROM "
                            "(SELECT status, count(*) n FROM sfn.executions GROUP BY 1) s")
        self.say(f"executions: {c.query('SELECT count(*) FROM sfn.executions')} ({by_status})")
        self.say("by machine: " + c.query(
            "SELECT string_agg(sm || ' ' || n, ', ' ORDER BY sm) FROM (SELECT m.name || ' ' || e.status AS sm, "
            "count(*) n FROM sfn.executions e JOIN sfn.state_machines m ON m.id = e.state_machine_id GROUP BY 1) s"))
        self.say(f"history events: {c.query('SELECT count(*) FROM sfn.history')}")
        self.say("driver: " + ", ".join(f"{k} {v}" for k, v in driver["stats"].items()))
        log_problems = self.log_problems()
        for line in log_problems:
            self.say(f"server log: {line}")
        self.say("== checker")
        for r in rows:
            self.say(f"{'ok  ' if r[0] == '0' else 'FAIL'} {r[1]}" + (f"  ({r[0]}, e.g. {r[2]})" if r[0] != "0" else ""))
        for v in driver["violations"]:
            self.say(f"FAIL driver: {v}")
        total = checker_violations + len(driver["violations"]) + len(log_problems)
        self.say(f"== {'PASS' if total == 0 else 'FAIL'}: {len(rows)} invariants checked, "
                 f"{checker_violations} checker violations, {len(driver['violations'])} driver violations, "
                 f"{len(log_problems)} server log problems")
        return total == 0

    def log_problems(self):
        """Server crashes other than ours: any signal but 9, PANIC, TRAP."""
        try:
            text = open(self.cluster.log, errors="replace").read()
        except OSError:
            return []
        bad = re.findall(r"^.*(?:terminated by signal (?!9:).*|PANIC:.*|TRAP:.*)$", text, re.M)
        return bad[:10]

    def check_only(self):
        c = self.cluster
        c.read_port()
        started = False
        if c.postmaster_pid() is None:
            c.start()
            started = True
        try:
            return self.check()
        finally:
            if started:
                c.stop()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", required=True, help="scratch directory (wiped)")
    p.add_argument("--bindir", required=True, help="PostgreSQL bin directory with pg_sfn installed")
    p.add_argument("--executions", type=int, default=10000)
    p.add_argument("--kills", type=int, default=20)
    p.add_argument("--duration", type=float, help="seconds over which starts are spread "
                   "(default: executions / 40, at least 15)")
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--check-only", action="store_true")
    args = p.parse_args()
    args.base = os.path.abspath(args.base)
    if args.seed is None:
        args.seed = random.randrange(1 << 30)
    if args.duration is None:
        args.duration = max(15.0, args.executions / 40.0)
    soak = Soak(args)
    ok = soak.check_only() if args.check_only else soak.run()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

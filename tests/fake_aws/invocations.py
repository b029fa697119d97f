"""Running SendCommand scripts for real: delivery (waiting for the instance's agent to be
Online), /bin/sh in its own process group, execution timeout and cancellation (SIGTERM,
then SIGKILL after the grace period), and stopping every running script at shutdown.
"""
import collections
import os
import select
import signal
import threading
import time

from spawner import Spawner
from wire import log

STOPPED_EXIT_CODE = 137  # what the Linux SSM agent reports for a timed-out or cancelled script


class Runner:
    def __init__(self, state, max_scripts=0):
        self.state = state
        # --max-scripts: at most this many invocations delivered or running at once, by a pool
        # of that many threads started here; the rest wait, Pending, in the order they were
        # sent (a 10,000-instance benchmark on one machine). SendCommand only queues them.
        # 0: no limit, a thread per invocation.
        self.max_scripts = max_scripts
        self.spawner = Spawner()
        self.queued = threading.Condition(threading.Lock())
        self.waiting = collections.deque()
        for _ in range(max_scripts):
            threading.Thread(target=self._serve_queue, daemon=True).start()

    def start(self, inv):
        if self.max_scripts:
            with self.queued:
                self.waiting.append(inv)
                self.queued.notify()
            return
        threading.Thread(target=self._run, args=(inv,), daemon=True).start()

    def _serve_queue(self):
        while True:
            with self.queued:
                while not self.waiting:
                    self.queued.wait()
                inv = self.waiting.popleft()
            self._run(inv)

    def _delivery_deadline(self, inv):
        override = self.state.config.get("delivery_timeout_seconds")
        cmd = inv.command
        if override is not None:
            return cmd.requested + float(override)
        return cmd.expires_after()

    def _run(self, inv):
        st = self.state
        # Delivery: wait until the instance's agent is Online, as the service does.
        while True:
            with st.lock:
                if st.stopping:
                    return
                inst = st.instances.get(inv.instance_id)
                if inv.cancel_requested:
                    self._finish(inv, "Cancelled", "Cancelled", -1)
                    return
                if inst is None or inst.ping_status == "Inactive":
                    self._finish(inv, "Failed", "Undeliverable", -1)
                    return
                if inst.ping_status == "Online" and inst.state == "running":
                    break
                if time.time() >= self._delivery_deadline(inv):
                    self._finish(inv, "TimedOut", "DeliveryTimedOut", -1)
                    return
            time.sleep(0.05)
        self._execute(inv, inst)

    def _execute(self, inv, inst):
        st = self.state
        cmd = inv.command
        lines = cmd.parameters.get("commands", [])
        script = "\n".join(lines)
        env = dict(os.environ)
        env.update({"AWS_SSM_INSTANCE_ID": inst.id, "AWS_SSM_REGION_NAME": cmd.region})
        env.update(inst.env)
        workdir = (cmd.parameters.get("workingDirectory", [""]) or [""])[0] or inst.cwd
        if not workdir:
            workdir = os.path.join(st.work_root, inst.id, cmd.id)
            os.makedirs(workdir, exist_ok=True)
        outdir = os.path.join(st.work_root, "output", cmd.id, inst.id)
        os.makedirs(outdir, exist_ok=True)
        out_path, err_path = os.path.join(outdir, "stdout"), os.path.join(outdir, "stderr")
        with st.lock:
            if inv.cancel_requested or st.stopping:
                self._finish(inv, "Cancelled", "Cancelled", -1)
                return
            inv.start = time.time()
        # Started by the spawner process (spawner.py), outside the state lock: a fork here
        # would hold the GIL, and with it every API answer, until the script reached /bin/sh.
        # A cancel or shutdown meanwhile is seen by _wait's first look.
        try:
            inv.script, pid = self.spawner.spawn(["/bin/sh", "-c", script], env, workdir,
                                                 out_path, err_path)
        except OSError as e:
            with st.lock:
                inv.stderr = f"failed to run commands: {e}"
                self._finish(inv, "Failed", "Failed", 1)
            return
        with st.lock:  # InProgress with its pid, as a reader of the invocation sees it
            inv.pid = pid
            inv.status = inv.status_details = "Cancelling" if inv.cancel_requested else "InProgress"
            if st.stopping:  # the shutdown's sweep may have run before the pid was known
                try:
                    os.killpg(pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        log(f"invocation {cmd.id}/{inst.id} started pid {inv.pid}")
        rc, stop_reason = self._wait(inv, inv.start + cmd.execution_timeout)
        with open(out_path, "rb") as f:
            stdout = f.read().decode("utf-8", "replace")
        with open(err_path, "rb") as f:
            stderr = f.read().decode("utf-8", "replace")
        with st.lock:
            inv.stdout, inv.stderr = stdout, stderr
            code = rc if rc >= 0 else -1
            if stop_reason and rc < 0:
                code = STOPPED_EXIT_CODE
            if stop_reason == "cancel":
                self._finish(inv, "Cancelled", "Cancelled", code)
            elif stop_reason == "timeout":
                self._finish(inv, "TimedOut", "ExecutionTimedOut", code)
            elif rc == 0:
                self._finish(inv, "Success", "Success", 0)
            else:
                self._finish(inv, "Failed", "Failed", code)
        log(f"invocation {cmd.id}/{inst.id} {inv.status_details} rc={inv.response_code}")

    def _wait(self, inv, deadline):
        """Waits for the script's end, stopping it on a cancel, the shutdown or its execution
        timeout: (exit status, None | "cancel" | "timeout"). It sleeps until one of them happens
        (a wake-up pipe written by the spawner at the script's end and by a cancel), not in a
        polling loop: 64 scripts polling every 50 ms kept this one process's HTTP thread
        waiting for the GIL."""
        st = self.state
        wake_r, wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        with st.lock:
            inv.wake_fd = wake_w  # a cancel from now on wakes the poll below
        self.spawner.watch(inv.script, wake_w)
        poller = select.poll()
        poller.register(wake_r, select.POLLIN)
        stop_reason = None
        try:
            while True:
                rc = self.spawner.exit_code(inv.script)
                if rc is not None:
                    break
                if stop_reason is None:
                    if inv.cancel_requested or st.stopping:
                        stop_reason = "cancel"
                    elif time.time() >= deadline:
                        stop_reason = "timeout"
                    if stop_reason:
                        self._kill_group(inv)
                # After a stop, only the exit is waited for (SIGKILL follows the grace period).
                timeout = None if stop_reason else max(0.0, deadline - time.time()) * 1000
                if poller.poll(timeout):
                    try:
                        os.read(wake_r, 64)
                    except BlockingIOError:
                        pass
        finally:
            self.spawner.unwatch(inv.script)
            with st.lock:
                inv.wake_fd = None
                os.close(wake_w)
            os.close(wake_r)
        return rc, stop_reason

    def _kill_group(self, inv):
        """SIGTERM to the invocation's process group, SIGKILL after the grace period."""
        pid = inv.pid
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        grace = float(self.state.config.get("cancel_grace_seconds", 2.0))

        def later():
            time.sleep(grace)
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        threading.Thread(target=later, daemon=True).start()

    def _finish(self, inv, status, details, code):
        inv.status = status
        inv.status_details = details
        inv.response_code = code
        inv.end = time.time()


def shutdown_invocations(state, runner):
    """Stops every running script (SIGTERM, SIGKILL after 2 s), then the spawner."""
    spawner = runner.spawner
    with state.lock:
        state.stopping = True
        running = [(inv.script, inv.pid) for cmd in state.commands.values()
                   for inv in cmd.invocations.values()
                   if inv.pid is not None and spawner.running(inv.script)]
    for _, pid in running:
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.time() + 2
    while any(spawner.running(script) for script, _ in running) and time.time() < deadline:
        time.sleep(0.05)
    for script, pid in running:
        if not spawner.running(script):
            continue  # its pid may be another process's by now
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    spawner.close()

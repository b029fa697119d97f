"""Running SendCommand scripts for real: delivery (waiting for the instance's agent to be
Online), /bin/sh in its own process group, execution timeout and cancellation (SIGTERM,
then SIGKILL after the grace period), and stopping every running script at shutdown.
"""
import collections
import os
import select
import signal
import subprocess
import threading
import time

from wire import log

STOPPED_EXIT_CODE = 137  # what the Linux SSM agent reports for a timed-out or cancelled script


class Runner:
    def __init__(self, state, max_scripts=0):
        self.state = state
        # --max-scripts: at most this many invocations delivered or running at once; the rest
        # wait, Pending, in the order they were sent, without a thread each (a 10,000-instance
        # benchmark on one machine). 0: no limit.
        self.max_scripts = max_scripts
        self.slots_lock = threading.Lock()
        self.running = 0
        self.waiting = collections.deque()

    def start(self, inv):
        if self.max_scripts:
            with self.slots_lock:
                if self.running >= self.max_scripts:
                    self.waiting.append(inv)
                    return
                self.running += 1
        threading.Thread(target=self._run_in_slot, args=(inv,), daemon=True).start()

    def _run_in_slot(self, inv):
        while inv is not None:
            self._run(inv)
            if not self.max_scripts:
                return
            with self.slots_lock:
                inv = self.waiting.popleft() if self.waiting else None
                if inv is None:
                    self.running -= 1

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
            inv.status = inv.status_details = "InProgress"
            inv.start = time.time()
            try:
                with open(out_path, "wb") as out, open(err_path, "wb") as err:
                    inv.proc = subprocess.Popen(["/bin/sh", "-c", script], stdin=subprocess.DEVNULL,
                                                stdout=out, stderr=err, env=env, cwd=workdir,
                                                start_new_session=True)
            except OSError as e:
                inv.stderr = f"failed to run commands: {e}"
                self._finish(inv, "Failed", "Failed", 1)
                return
            inv.pid = inv.proc.pid
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
        (a pidfd and a wake-up pipe), not in a polling loop: 64 scripts polling every 50 ms kept
        this one process's HTTP thread waiting for the GIL, and SendCommand's answer took up to a
        second at 10,000 instances."""
        st = self.state
        try:
            pidfd = os.pidfd_open(inv.pid)
        except ProcessLookupError:  # reaped already: only the shutdown's wait does that
            return inv.proc.wait(), "cancel"
        wake_r, wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        with st.lock:
            inv.wake_fd = wake_w  # a cancel from now on wakes the poll below
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        poller.register(wake_r, select.POLLIN)
        stop_reason = None
        try:
            while True:
                if stop_reason is None:
                    if inv.cancel_requested or st.stopping:
                        stop_reason = "cancel"
                    elif time.time() >= deadline:
                        stop_reason = "timeout"
                    if stop_reason:
                        self._kill_group(inv)
                # After a stop, only the exit is waited for (SIGKILL follows the grace period).
                timeout = None if stop_reason else max(0.0, deadline - time.time()) * 1000
                ready = {fd for fd, _ in poller.poll(timeout)}
                if pidfd in ready:
                    break
                if wake_r in ready:
                    try:
                        os.read(wake_r, 64)
                    except BlockingIOError:
                        pass
        finally:
            with st.lock:
                inv.wake_fd = None
                os.close(wake_w)
            os.close(wake_r)
            os.close(pidfd)
        return inv.proc.wait(), stop_reason

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


def shutdown_invocations(state):
    with state.lock:
        state.stopping = True
        running = [inv for cmd in state.commands.values() for inv in cmd.invocations.values()
                   if inv.proc is not None and inv.proc.poll() is None]
    for inv in running:
        try:
            os.killpg(inv.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.time() + 2
    for inv in running:
        try:
            inv.proc.wait(timeout=max(0.0, deadline - time.time()))
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(inv.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

"""Starting the instances' scripts from a process of their own.

CPython holds the GIL while it forks (or vforks and waits for the exec), so an endpoint that
started each script itself froze every thread, the API's included, for as long as the new
process took to reach /bin/sh: on a 2-core machine running 64 scripts at once, SendCommand's
answer waited 0.3-1.6 s (measured at 2,000 instances). The endpoint is meant to answer at once,
as AWS's API does while its hosts are busy; so the forks happen here, in a child process with
its own GIL, and the endpoint only reads and writes lines on a pipe.

Protocol, one JSON object per line:
  endpoint -> spawner  {"id": N, "argv": [...], "env": {...}, "cwd": DIR, "out": FILE, "err": FILE}
  spawner -> endpoint  {"id": N, "pid": PID} or {"id": N, "error": TEXT}  (the start)
                       {"ended": N, "code": CODE}  (its end; CODE as Popen's returncode)
Ends are named by the request's id, not the pid: a 10,000-instance run starts 30,000 scripts
and the kernel hands the same pids out again (pid_max is often 32,768).
Each script runs in a session of its own (the endpoint stops it with killpg), stdin /dev/null.
The spawner ends at EOF on stdin: when the endpoint closes the pipe or dies.
"""
import json
import os
import subprocess
import sys
import threading


def spawner_main():
    out_lock = threading.Lock()
    children = {}  # pid -> (Popen, request id), until reaped: Popen never reaps one itself
    children_lock = threading.Lock()
    have_children = threading.Condition(children_lock)

    def say(message):
        with out_lock:
            sys.stdout.write(json.dumps(message) + "\n")
            sys.stdout.flush()

    def reap():
        while True:
            with have_children:
                while not children:
                    have_children.wait()
            try:
                # Which child ended, left unreaped (WNOWAIT) so that its pid cannot be given to
                # a new script before it leaves `children` below.
                ended = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOWAIT)
            except ChildProcessError:
                continue
            if ended is None:
                continue
            with children_lock:
                try:
                    _, status = os.waitpid(ended.si_pid, 0)
                except ChildProcessError:
                    continue  # Popen reaped it itself: its exec failed, and it said so
                proc, request_id = children.pop(ended.si_pid, (None, None))
            if proc is None:
                continue
            code = os.waitstatus_to_exitcode(status)
            proc.returncode = code  # reaped here: Popen must not wait for it again
            say({"ended": request_id, "code": code})

    threading.Thread(target=reap, daemon=True).start()
    for line in sys.stdin:
        request = json.loads(line)
        try:
            with open(request["out"], "wb") as out, open(request["err"], "wb") as err:
                with children_lock:  # registered before the reaper can reap it
                    proc = subprocess.Popen(request["argv"], stdin=subprocess.DEVNULL,
                                            stdout=out, stderr=err, env=request["env"],
                                            cwd=request["cwd"], start_new_session=True)
                    children[proc.pid] = (proc, request["id"])
                    have_children.notify()
        except OSError as e:
            say({"id": request["id"], "error": str(e)})
            continue
        say({"id": request["id"], "pid": proc.pid})


class Spawner:
    """The endpoint's side. spawn() starts a script and returns (its id, its pid); by that id,
    exit_code() is its end once known and watch() has a byte written to a descriptor then."""

    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     bufsize=1, start_new_session=True)  # no terminal's Ctrl-C
        self.lock = threading.Lock()
        self.started = threading.Condition(self.lock)
        self.next_id = 0
        self.replies = {}  # request id -> its start's reply
        self.exits = {}  # request id -> exit code
        self.watchers = {}  # request id -> descriptor written to at its end
        self.gone = False  # the spawner exited: nothing more will be answered
        self.write_lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            message = json.loads(line)
            with self.lock:
                if "ended" in message:
                    script = message["ended"]
                    self.exits[script] = message["code"]
                    fd = self.watchers.pop(script, None)
                    if fd is not None:
                        try:
                            os.write(fd, b"x")
                        except OSError:
                            pass
                else:
                    self.replies[message["id"]] = message
                    self.started.notify_all()
        with self.lock:
            self.gone = True
            self.started.notify_all()

    def spawn(self, argv, env, cwd, out, err):
        with self.lock:
            script = self.next_id
            self.next_id += 1
        line = json.dumps({"id": script, "argv": argv, "env": env, "cwd": cwd, "out": out,
                           "err": err})
        try:
            with self.write_lock:
                self.proc.stdin.write(line + "\n")
                self.proc.stdin.flush()
        except (OSError, ValueError) as e:
            raise OSError(f"the endpoint's script spawner is gone: {e}")
        with self.lock:
            while script not in self.replies and not self.gone:
                self.started.wait()
            reply = self.replies.pop(script, None)
        if reply is None:
            raise OSError("the endpoint's script spawner exited")
        if "error" in reply:
            raise OSError(reply["error"])
        return script, reply["pid"]

    def watch(self, script, fd):
        """Writes a byte to fd when the script ends (at once if it has); fd must stay open
        until unwatch(script)."""
        with self.lock:
            if script in self.exits:
                os.write(fd, b"x")
            else:
                self.watchers[script] = fd

    def unwatch(self, script):
        with self.lock:
            self.watchers.pop(script, None)

    def exit_code(self, script):
        """The script's exit code (negative: the signal that ended it), or None while it runs."""
        with self.lock:
            return self.exits.get(script)

    def running(self, script):
        with self.lock:
            return script not in self.exits and not self.gone

    def close(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass


if __name__ == "__main__":
    spawner_main()

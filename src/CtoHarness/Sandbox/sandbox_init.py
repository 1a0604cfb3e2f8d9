# CtoHarness sandbox init. Runs as PID 1 of a run's PID namespace, inside the bubblewrap sandbox.
# Usage: python3 -I -S -c <this> <report-fd> <uid> <gid> <grace-seconds> <limits> <forward> -- <program> [args...]
#
# Starts <program> with the run's limits (<limits>: name=value,...) and, when <uid> is not -1, as that user (the
# harness's uid is never the program's). When <program> ends, or the harness sends SIGTERM, every other process of
# the namespace gets SIGTERM, then SIGKILL after the grace; what was ended and how <program> ended goes to <report-fd>, a file the harness
# opened outside the sandbox: no program of the run can reach it (this process is not dumpable, and of another
# user where a user is set). When this process exits, the kernel ends whatever is left in the namespace.
# <forward> is "-" or "<port>:<unix-socket>": the sandbox has no network, and a forwarder (as the program's user)
# listens on 127.0.0.1:<port> of its own loopback and passes each connection to the harness's socket: the run's
# model relay, the one address the program can reach.
#
# It starts once per program of a run, so it imports little: the C signal module (the enum wrappers of `signal` cost
# milliseconds), no json (its record is written by hand), ctypes only where it must make itself non-dumpable (a user
# namespace, where it shares the program's uid), socket and threading only in the forwarder. bubblewrap has already
# set no_new_privs for everything in the sandbox.
import _signal as signal
import os
import resource
import sys
import time

PR_SET_DUMPABLE = 4
LIMITS = {"processes": resource.RLIMIT_NPROC, "memoryBytes": resource.RLIMIT_DATA,
          "fileBytes": resource.RLIMIT_FSIZE, "openFiles": resource.RLIMIT_NOFILE}


def quoted(text):
    """A JSON string."""
    escaped = []
    for c in text:
        if c in '"\\':
            escaped.append("\\" + c)
        elif ord(c) < 0x20:
            escaped.append("\\u%04x" % ord(c))
        else:
            escaped.append(c)
    return '"' + "".join(escaped) + '"'


class Stop(Exception):
    pass


def stop(signum, frame):
    raise Stop()


def start(argv, uid, gid, limits):
    """Forks and execs; returns (pid, None) or (None, error). A close-on-exec pipe carries an exec failure back."""
    reader, writer = os.pipe2(os.O_CLOEXEC)
    child = os.fork()
    if child == 0:
        try:
            os.setpgid(0, 0)
            for number in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM, signal.SIGPIPE, signal.SIGXFSZ):
                signal.signal(number, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, set())
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            for name, value in limits.items():
                resource.setrlimit(LIMITS[name], (value, value))
            drop_privileges(uid, gid)
            os.execvp(argv[0], argv)
        except BaseException as e:
            os.write(writer, f"{argv[0]}: {e}".encode("utf-8", "replace"))
        os._exit(127)
    os.close(writer)
    error = b""
    while chunk := os.read(reader, 4096):
        error += chunk
    os.close(reader)
    if error:
        os.waitpid(child, 0)
        return None, error.decode("utf-8", "replace")
    return child, None


def drop_privileges(uid, gid):
    if uid >= 0:
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)


def pipe_bytes(source, target):
    try:
        while data := source.recv(65536):
            target.sendall(data)
        target.shutdown(1)  # SHUT_WR
    except OSError:
        pass


def forwarder(port, path, uid, gid):
    """Starts the relay forwarder; returns its pid once it listens."""
    ready_reader, ready_writer = os.pipe()
    child = os.fork()
    if child == 0:
        try:
            import socket
            import threading
            os.close(ready_reader)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, set())
            drop_privileges(uid, gid)
            server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind(("127.0.0.1", port))
            server.listen(64)
            os.write(ready_writer, b"1")
            os.close(ready_writer)
            while True:
                inside, _ = server.accept()
                outside = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    outside.connect(path)
                except OSError:
                    inside.close()
                    outside.close()
                    continue
                for a, b in ((inside, outside), (outside, inside)):
                    threading.Thread(target=pipe_bytes, args=(a, b), daemon=True).start()
        except BaseException as e:
            os.write(2, f"ctoharness sandbox: the relay forwarder failed: {e}\n".encode("utf-8", "replace"))
        os._exit(1)
    os.close(ready_writer)
    os.read(ready_reader, 1)
    os.close(ready_reader)
    return child


def others():
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    state = f.read().rsplit(b")", 1)[1].split()[0]
                if state not in (b"Z", b"X"):
                    pids.append(int(entry))
            except OSError:
                pass
    return pids


def command_line(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()[:500]
    except OSError:
        return ""


def reap_all():
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                return
        except ChildProcessError:
            return


def terminate_all(grace):
    ended = {}
    deadline = time.monotonic() + grace
    while True:
        reap_all()
        living = others()
        if not living:
            return list(ended.values())
        kill = time.monotonic() >= deadline
        for pid in living:
            if pid not in ended:
                ended[pid] = {"pid": pid, "commandLine": command_line(pid), "signal": "SIGTERM"}
            if kill and ended[pid]["signal"] == "SIGTERM":
                ended[pid]["signal"] = "SIGTERM, then SIGKILL"
            try:
                os.kill(pid, signal.SIGKILL if kill else signal.SIGTERM)
            except ProcessLookupError:
                pass
        time.sleep(0.02)
        if time.monotonic() > deadline + 10:
            return list(ended.values())


def main():
    report_fd, uid, gid, grace = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    if os.getpid() != 1:
        # It ends every other process it can see: only ever as the init of a namespace of its own.
        os.write(report_fd, b'{"startError": "the sandbox init is not PID 1 of a PID namespace of its own"}')
        os._exit(127)
    limits = {name: int(value) for name, value in (pair.split("=") for pair in sys.argv[5].split(","))}
    forward = sys.argv[6]
    argv = sys.argv[8:]
    os.set_inheritable(report_fd, False)
    if uid < 0:
        import ctypes
        ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, stop)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    plumbing = set()
    if forward != "-":
        port, path = forward.split(":", 1)
        plumbing.add(forwarder(int(port), path, uid, gid))
    child, error = start(argv, uid, gid, limits)
    if child is None:
        os.write(report_fd, ('{"startError": %s}' % quoted(error)).encode("utf-8"))
        os._exit(127)
    status = None
    stopped = False
    try:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        while status is None:
            pid, wait_status = os.waitpid(-1, 0)
            if pid == child:
                status = wait_status
    except Stop:
        stopped = True
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    ended = terminate_all(grace)
    if status is None:
        try:
            status = os.waitpid(child, 0)[1]
        except ChildProcessError:
            status = signal.SIGKILL
    code = 128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    listed = ", ".join('{"pid": %d, "commandLine": %s, "signal": %s}' % (e["pid"], quoted(e["commandLine"]), quoted(e["signal"]))
                       for e in ended if e["pid"] not in plumbing)
    record = '{"pid": %d, "exitCode": %d, "stopped": %s, "ended": [%s], "uid": %d}' % (
        child, code, "true" if stopped else "false", listed, uid)
    os.write(report_fd, record.encode("utf-8"))
    os.close(report_fd)
    os._exit(code)


main()

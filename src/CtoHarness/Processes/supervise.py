# CtoHarness run supervisor (Linux).
# Usage: python3 -I -S -c <this> <status-file> [--fd <n>=<r|w>:<path>]... -- <program> [args...]
#
# Becomes a child subreaper, so that every process that descends from <program> stays below it whatever it
# does to its environment, session or process group (orphans are adopted here, not by PID 1). Runs <program>
# in a process group of its own with exactly the environment this process was given, and writes to
# <status-file> (JSON, replaced atomically) first {"pid"} or {"startError"}, then how <program> ended
# ({"exitCode"} or {"signal"}). Then it waits, reaping, until the harness has ended every process below it and
# sends SIGTERM. The harness finds the run's processes as the descendants of this one.
# Each --fd opens <path> here, outside any sandbox (w: a new regular file, never through a link), and hands it to
# <program> as descriptor <n>: how a harness-owned file reaches a program that cannot open it by name.
import ctypes
import fcntl
import json
import os
import select
import signal
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


class Released(Exception):
    pass


def release(signum, frame):
    raise Released()


def write_status(path, status):
    temp = path + ".tmp"
    with open(temp, "w") as f:
        json.dump(status, f)
    os.replace(temp, path)


def open_passed(specs):
    """[(n, fd)] for the --fd options; a file to write replaces whatever was at the path (a link, a FIFO) with a new one."""
    passed = []
    for spec in specs:
        number, rest = spec.split("=", 1)
        mode, path = rest.split(":", 1)
        if mode == "w":
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        else:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        passed.append((int(number), fd))
    return passed


def start(argv, environment, passed):
    """Forks and execs; returns (pid, None) or (None, error). A close-on-exec pipe carries an exec failure back."""
    reader, writer = os.pipe2(os.O_CLOEXEC)
    child = os.fork()
    if child == 0:
        try:
            high = [(number, fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 100)) for number, fd in passed]
            for number, fd in high:
                os.dup2(fd, number, inheritable=True)
                os.set_inheritable(number, True)
            os.setpgid(0, 0)
            for number in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM, signal.SIGPIPE, signal.SIGXFSZ):
                signal.signal(number, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
            os.execvpe(argv[0], argv, environment)
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


def end_everything_below(child):
    """SIGKILL to the program's group and to every other descendant (a sandbox then ends with its bubblewrap)."""
    try:
        os.killpg(child, signal.SIGKILL)
    except OSError:
        pass
    me = str(os.getpid())
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    parents[entry] = f.read().rsplit(b")", 1)[1].split()[1].decode()
            except OSError:
                pass
    for pid in parents:
        ancestor, depth = parents.get(pid), 0
        while ancestor is not None and ancestor != me and depth < 4096:
            ancestor, depth = parents.get(ancestor), depth + 1
        if ancestor == me:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except OSError:
                pass


def reap_until_released(child, status_path, adopting, harness):
    """Reaps everything below, records how the program ended, and ends everything if the harness goes away."""
    # Woken at once by SIGCHLD (through the wakeup pipe), and every 200 ms to see whether the harness is still there.
    wake_reader, wake_writer = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(wake_writer)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    while True:
        while True:
            try:
                pid, wait_status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break  # nothing left below; the harness's SIGTERM ends the wait
            if pid == 0:
                break
            if pid == child:
                if os.WIFSIGNALED(wait_status):
                    ended = {"pid": child, "signal": os.WTERMSIG(wait_status)}
                else:
                    ended = {"pid": child, "exitCode": os.WEXITSTATUS(wait_status)}
                write_status(status_path, {**ended, "subreaper": adopting})
        if os.getppid() != harness:
            # The harness is gone (killed with its build): nothing of the run may outlive it.
            end_everything_below(child)
            return
        select.select([wake_reader], [], [], 0.2)
        try:
            while os.read(wake_reader, 512):
                pass
        except BlockingIOError:
            pass


def main():
    status_path, options = sys.argv[1], sys.argv[2:]
    separator = options.index("--")
    argv = options[separator + 1:]
    specs = [options[i + 1] for i in range(0, separator, 2) if options[i] == "--fd"]
    # The environment as the harness gave it (Python may coerce the locale variables of its own).
    with open("/proc/self/environ", "rb") as f:
        environment = dict(entry.split(b"=", 1) for entry in f.read().split(b"\0") if b"=" in entry)
    adopting = ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    # An interrupt of the build reaches the harness, which ends the run; it must not end the supervisor first.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, release)

    # No release before the program's pid is on record: the harness reaps by it, and an orphan born meanwhile
    # would otherwise leave with the supervisor.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        passed = open_passed(specs)
    except OSError as e:
        write_status(status_path, {"startError": f"cannot open a file for the program: {e}", "subreaper": adopting})
        return
    child, error = start(argv, environment, passed)
    for _, fd in passed:
        os.close(fd)
    if child is None:
        write_status(status_path, {"startError": error, "subreaper": adopting})
        return
    write_status(status_path, {"pid": child, "subreaper": adopting})
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    # Only the run's processes hold the output pipes: the harness sees the end of output when they are gone.
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    try:
        reap_until_released(child, status_path, adopting, os.getppid())
    except Released:
        pass


try:
    main()
except Released:
    pass

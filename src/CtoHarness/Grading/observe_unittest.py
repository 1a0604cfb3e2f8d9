# CtoHarness test observer. Usage: python3 [options] -c <this> <results-file> (-m <module> | <script>) [args...]
#
# Runs a Python test command as python3 would, and records every unittest outcome, as the test framework
# decides it, to <results-file> (one JSON object per line), then how the command ended. The harness reads
# outcomes from here, not from what the code under test may print, and cross-checks them with the command's
# own output and exit code.
import json
import os
import runpy
import sys
import unittest

target = sys.argv[1]
# fd:N is a descriptor the harness's run supervisor opened outside any sandbox; a path is the fallback without one.
results = os.fdopen(int(target[3:]), "w", buffering=1, encoding="utf-8") if target.startswith("fd:") else open(target, "w", buffering=1, encoding="utf-8")
if target.startswith("fd:"):
    os.set_inheritable(results.fileno(), False)
command = sys.argv[2:]


def record(**event):
    results.write(json.dumps(event) + "\n")


def observe(name, outcome):
    original = getattr(unittest.TestResult, name)

    def method(self, test, *args):
        record(id=test.id(), outcome=outcome)
        return original(self, test, *args)

    setattr(unittest.TestResult, name, method)


for method_name, outcome_name in (("addSuccess", "passed"), ("addFailure", "failed"), ("addError", "error"),
                                  ("addSkip", "skipped"), ("addExpectedFailure", "passed"),
                                  ("addUnexpectedSuccess", "failed")):
    observe(method_name, outcome_name)

original_add_subtest = unittest.TestResult.addSubTest


def add_subtest(self, test, subtest, err):
    if err is not None:
        record(id=test.id(), outcome="failed" if issubclass(err[0], test.failureException) else "error")
    return original_add_subtest(self, test, subtest, err)


unittest.TestResult.addSubTest = add_subtest

exit_code = 0
try:
    if command[0] == "-m":
        sys.argv = command[1:]
        sys.path[0] = os.getcwd()
        runpy.run_module(command[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = command
        sys.path[0] = os.path.dirname(os.path.abspath(command[0]))
        runpy.run_path(command[0], run_name="__main__")
except SystemExit as e:
    exit_code = int(e.code) if isinstance(e.code, int) else (0 if e.code is None else 1)  # unittest exits with a bool
    raise
except BaseException:
    exit_code = 1
    raise
finally:
    record(end=True, exitCode=exit_code)
    results.close()

# CtoHarness test observer.
# Usage: python3 [options] -c <this> <results-file | fd:N> <test-files-json> (-m <module> | <script>) [args...]
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
# The fixture's own test files (protected): the only place a result class of its own may be defined.
test_files = {os.path.realpath(path) for path in json.loads(sys.argv[2])}
command = sys.argv[3:]


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

RESULT_METHODS = ("addSuccess", "addFailure", "addError", "addSkip", "addExpectedFailure", "addUnexpectedSuccess",
                  "addSubTest", "startTest", "stopTest", "wasSuccessful")


def test_case_classes():
    seen, pending = [], list(unittest.TestCase.__subclasses__())
    while pending:
        cls = pending.pop()
        if cls not in seen:
            seen.append(cls)
            pending.extend(cls.__subclasses__())
    return seen


def result_classes():
    seen, pending = [], [unittest.TestResult]
    while pending:
        cls = pending.pop()
        if cls not in seen:
            seen.append(cls)
            pending.extend(cls.__subclasses__())
    return seen


# What the framework's result classes are now, as installed: after the tests ran, any other binding is tampering.
installed = {(cls, name): cls.__dict__.get(name) for cls in result_classes() for name in RESULT_METHODS}
# The checks themselves (assertEqual, fail, …): a rebound assertion makes a failing test pass.
installed_checks = {name: value for name, value in vars(unittest.TestCase).items() if name.startswith(("assert", "fail"))}
results_seen = []
original_init = unittest.TestResult.__init__


def track_init(self, *args, **kwargs):
    results_seen.append(self)
    return original_init(self, *args, **kwargs)


unittest.TestResult.__init__ = track_init


def where(value):
    function = getattr(value, "__func__", value)
    code = getattr(function, "__code__", None)
    name = getattr(function, "__qualname__", repr(value))
    return f"{name} ({code.co_filename}:{code.co_firstlineno})" if code else name


def defined_by_tests(value, name):
    function = getattr(value, "__func__", value)
    code = getattr(function, "__code__", None)
    return code is not None and function.__name__ == name and os.path.realpath(code.co_filename) in test_files


def check_framework():
    """Every result method still the one installed (on the classes and on each result object), else a finding."""
    findings = []
    for cls in result_classes():
        for name in RESULT_METHODS:
            now = cls.__dict__.get(name)
            if (cls, name) in installed and now is installed[(cls, name)]:
                continue
            if (cls, name) not in installed and (now is None or defined_by_tests(now, name)):
                continue  # a result class of the fixture's own tests, with its own methods
            findings.append(f"{cls.__module__}.{cls.__qualname__}.{name} rebound to {where(now)}")
    for cls in [unittest.TestCase, *test_case_classes()]:
        for name, value in vars(cls).items():
            if not name.startswith(("assert", "fail")):
                continue
            if cls is unittest.TestCase and value is installed_checks.get(name):
                continue
            if cls is not unittest.TestCase and defined_by_tests(value, name):
                continue  # a test class's own helper assertion
            findings.append(f"{cls.__module__}.{cls.__qualname__}.{name} rebound to {where(value)}")
    for result in results_seen:
        for name in RESULT_METHODS:
            if name in getattr(result, "__dict__", {}):
                findings.append(f"{type(result).__qualname__} object's {name} rebound to {where(result.__dict__[name])}")
    return findings

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
    for finding in check_framework():
        record(tampered=finding)
    record(end=True, exitCode=exit_code)
    results.close()

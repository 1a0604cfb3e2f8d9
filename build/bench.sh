#!/usr/bin/env bash
# Reruns the harness benchmarks and prints Markdown rows for docs/benchmarks.md.
#   bash build/bench.sh [all|timeout-detached|flood|sha256|overhead|real|sandbox|relay|relay-flood|page|parallel|attempts|csharp] [args]   (the harness, in-process; csharp is not in all)
#   bash build/bench.sh build [runs]   dotnet build -t:CaseStage2 of the sample against a no-op target of it
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-all}" = "build" ]; then
  runs="${2:-5}"
  out="$(mktemp -d)"
  median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  time_build() { # target -> milliseconds
    local start end
    start=$(date +%s%N)
    dotnet build samples/Stage2Sample -t:"$1" /nodeReuse:false -nologo -v:q "-p:CtoHarnessRunsDir=$out" >/dev/null
    end=$(date +%s%N)
    echo $(( (end - start) / 1000000 ))
  }
  time_build CaseStage2 >/dev/null   # warm-up: restore and in-tree build of the tasks
  stage2=$(for _ in $(seq "$runs"); do time_build CaseStage2; done | median)
  noop=$(for _ in $(seq "$runs"); do time_build _CtoHarnessResolveFixtures; done | median)
  echo "| dotnet build samples/Stage2Sample -t:CaseStage2 vs a no-op target of the same project | median ${stage2} ms vs ${noop} ms over ${runs} runs each (the no-op is MSBuild start-up and evaluation; CaseStage2 adds the in-tree up-to-date build of the tasks and the run itself) | — |"
  rm -rf "$out"
  exit 0
fi

dotnet build tests/CtoHarness.Bench -c Release /nodeReuse:false -nologo -v:q
if [ "${1:-all}" = "all" ] || [ "${1:-all}" = "real" ] || [ "${1:-all}" = "page" ] || [ "${1:-all}" = "sandbox" ]; then
  CTOHARNESS_REAL_CA_LOCK="$(bash build/real-case.sh | sed -n 's/^lock: //p')"
  export CTOHARNESS_REAL_CA_LOCK
fi
dotnet run --project tests/CtoHarness.Bench -c Release --no-build -- "${1:-all}" "${@:2}"

#!/usr/bin/env bash
# Reruns the harness benchmarks and prints Markdown rows for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tests/CtoHarness.Bench -c Release /nodeReuse:false -nologo -v:q
dotnet run --project tests/CtoHarness.Bench -c Release --no-build -- "${1:-all}" "${@:2}"

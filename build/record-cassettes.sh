#!/usr/bin/env bash
# Records the model cassettes the package ships for the built-in fixtures: every fixture on the case-scripted lane
# (the admitted real `ca` against the scripted model), exported with CaseModelCassette to
# src/CtoHarness.Build/fixtures/<fixture>/model.cassette.json (chat completions), and r1 in the other API styles to
# model.cassette.<api>.json beside it. Rerun after moving the Case pin.
set -euo pipefail
cd "$(dirname "$0")/.."
bash build/real-case.sh >/dev/null
runs="$(mktemp -d)"
trap 'rm -rf "$runs"' EXIT
for manifest in src/CtoHarness.Build/fixtures/*/fixture.json; do
  fixture="$(basename "$(dirname "$manifest")")"
  dotnet build samples/Stage2Sample -t:CaseStage2 /nodeReuse:false -nologo -v:q -p:CtoHarnessLane=case-scripted \
    "-p:CtoHarnessBuiltInFixtures=$fixture" "-p:CtoHarnessRunsDir=$runs/$fixture" >/dev/null
  run="$(ls -d "$runs/$fixture"/2*/)"
  dotnet build samples/Stage2Sample -t:CaseModelCassette /nodeReuse:false -nologo -v:q \
    "-p:CtoHarnessRunDirectory=$run" "-p:CtoHarnessModelCassette=$PWD/src/CtoHarness.Build/fixtures/$fixture/model.cassette.json" >/dev/null
  echo "recorded src/CtoHarness.Build/fixtures/$fixture/model.cassette.json"
done
for api in openai-responses anthropic-messages; do
  fixture=r1-string-slugify
  dotnet build samples/Stage2Sample -t:CaseStage2 /nodeReuse:false -nologo -v:q -p:CtoHarnessLane=case-scripted \
    "-p:CtoHarnessScriptedModelApi=$api" "-p:CtoHarnessBuiltInFixtures=$fixture" "-p:CtoHarnessRunsDir=$runs/$api" >/dev/null
  run="$(ls -d "$runs/$api"/2*/)"
  dotnet build samples/Stage2Sample -t:CaseModelCassette /nodeReuse:false -nologo -v:q \
    "-p:CtoHarnessRunDirectory=$run" "-p:CtoHarnessModelCassette=$PWD/src/CtoHarness.Build/fixtures/$fixture/model.cassette.$api.json" >/dev/null
  echo "recorded src/CtoHarness.Build/fixtures/$fixture/model.cassette.$api.json"
done

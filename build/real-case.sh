#!/usr/bin/env bash
# Builds the real Case `ca` from source and admits it, with this repository's own CaseProviderBuild target (the
# step a consumer takes from the package: README.md "Admit a real ca").
#
#   bash build/real-case.sh
#
# The Case source is $CTOHARNESS_CASE_SOURCE (a checkout, a git bundle or a URL), else a clone of
# https://github.com/workos/case.git (.ci/run points the variable at a bundle beside the checkout when there is one).
# The commit is $CTOHARNESS_CASE_COMMIT, else the source's HEAD. CaseProviderBuild keeps a checkout per commit under
# <state>/case-builds/<commit>/ and bun under <cache>/bun-<version>, and builds and admits nothing twice. The lock is
#   <state>/real-case/<commit>.lock.json         this commit's admission
#   <state>/real-case/case-provider.lock.json    the newest admission (samples/Stage2Sample reads it)
# It prints `ca: <path>`, `lock: <path>` and `commit: <sha>`.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
state="${XDG_STATE_HOME:-$HOME/.local/state}/ctoharness"
fail() { printf 'real-case: error: %s\n' "$*" >&2; exit 1; }

for tool in git dotnet python3; do
  command -v "$tool" >/dev/null || fail "$tool is needed to build and admit the real ca"
done
source="${CTOHARNESS_CASE_SOURCE:-https://github.com/workos/case.git}"
commit="${CTOHARNESS_CASE_COMMIT:-$(git ls-remote "$source" HEAD | cut -f1)}"
[[ "$commit" =~ ^[0-9a-f]{40}$ ]] || fail "no commit to build from '$source' (set CTOHARNESS_CASE_COMMIT)"

mkdir -p "$state/real-case"
lock="$state/real-case/$commit.lock.json"
dotnet build "$repo/samples/Stage2Sample" -t:CaseProviderBuild /nodeReuse:false -nologo -v:m \
  "-p:CtoHarnessCaseSource=$source" "-p:CtoHarnessCaseCommit=$commit" "-p:CtoHarnessCaseLockFile=$lock" >&2 \
  || fail "CaseProviderBuild could not build and admit ca at $commit from $source (the error above names the log)"
cp "$lock" "$state/real-case/case-provider.lock.json.tmp" && mv "$state/real-case/case-provider.lock.json.tmp" "$state/real-case/case-provider.lock.json"
echo "ca: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["binary"]["storePath"])' "$lock")"
echo "lock: $lock"
echo "commit: $commit"

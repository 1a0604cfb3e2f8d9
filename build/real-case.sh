#!/usr/bin/env bash
# Builds the real Case `ca` from source and admits it with this repository's own CaseProviderAdmit target.
#
#   bash build/real-case.sh
#
# The Case source is $CTOHARNESS_CASE_SOURCE (a checkout, a git bundle or a URL), else a clone of
# https://github.com/workos/case.git (.ci/run points the variable at a bundle beside the checkout when there is one).
# The commit is $CTOHARNESS_CASE_COMMIT, else the source's HEAD. bun comes from the npm registry into a cache
# directory ($CTOHARNESS_BUN_VERSION, default 1.3.14). Everything it keeps is durable and per commit, under the
# per-user state directory (never a temp directory, since the digest of `ca` depends on where it was built):
#   <state>/real-case/<commit>/case                      the checkout, with dist/ca
#   <state>/real-case/<commit>/case-provider.lock.json   the admission
#   <state>/real-case/case-provider.lock.json            the newest admission (samples/Stage2Sample reads it)
#   <state>/providers/                                   the admitted store copy
# A second run with nothing changed rebuilds and re-admits nothing. It prints `ca: <path>` and `lock: <path>`.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
state="${XDG_STATE_HOME:-$HOME/.local/state}/ctoharness"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/ctoharness"
bun_version="${CTOHARNESS_BUN_VERSION:-1.3.14}"
say() { printf 'real-case: %s\n' "$*" >&2; }
fail() { say "error: $*"; exit 1; }

for tool in git npm dotnet sha256sum flock; do
  command -v "$tool" >/dev/null || fail "$tool is needed to build and admit the real ca"
done

source="${CTOHARNESS_CASE_SOURCE:-https://github.com/workos/case.git}"
commit="${CTOHARNESS_CASE_COMMIT:-$(git ls-remote "$source" HEAD | cut -f1)}"
[[ "$commit" =~ ^[0-9a-f]{40}$ ]] || fail "no commit to build from '$source' (set CTOHARNESS_CASE_COMMIT)"

home="$state/real-case/$commit"
checkout="$home/case"
lock="$home/case-provider.lock.json"
mkdir -p "$home" "$cache"
exec 9>"$state/real-case/.lock"
flock 9   # one build and admission at a time (parallel test processes, several checkouts)

# bun, from the npm registry: the first of these that is a real, runnable file.
bun_home="$cache/bun-$bun_version"
find_bun() {
  local candidate
  for candidate in "$bun_home/node_modules/.bin/bun" \
                   "$bun_home/node_modules/@oven/bun-linux-x64/bin/bun" \
                   "$bun_home/node_modules/@oven/bun-linux-x64-baseline/bin/bun"; do
    candidate="$(readlink -f "$candidate" 2>/dev/null || true)"
    if [ -n "$candidate" ] && [ -s "$candidate" ] && "$candidate" --version >/dev/null 2>&1; then echo "$candidate"; return 0; fi
  done
  return 1
}
bun="$(find_bun || true)"
if [ -z "$bun" ]; then
  say "installing bun $bun_version from the npm registry into $bun_home"
  npm install --prefix "$bun_home" "bun@$bun_version" --no-audit --no-fund --loglevel=error >&2
  bun="$(find_bun)" || fail "no runnable bun binary under $bun_home/node_modules"
fi
bun_dir="$(mktemp -d)"
trap 'rm -rf "$bun_dir"' EXIT
ln -s "$bun" "$bun_dir/bun"   # the build script and the toolchain probe call `bun` by name
export PATH="$bun_dir:$PATH"

stamp="$home/built-with"
want="$commit bun-$("$bun" --version)"
if [ ! -x "$checkout/dist/ca" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  if [ ! -d "$checkout/.git" ]; then
    say "cloning $source at $commit into $checkout"
    rm -rf "$checkout"
    git clone -q "$source" "$checkout"
  fi
  git -C "$checkout" checkout -q --force "$commit"
  git -C "$checkout" remote set-url origin https://github.com/workos/case.git   # as a real clone has it
  say "building ca ($want)"
  (cd "$checkout" && bun install --frozen-lockfile >&2 && bun run build:binary >&2)
  echo "$want" > "$stamp"
fi

digest="$(sha256sum "$checkout/dist/ca" | cut -d' ' -f1)"
store_copy="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["binary"]["storePath"])' "$lock" 2>/dev/null || true)"
if [ -f "$lock" ] && grep -q "\"$digest\"" "$lock" && [ -n "$store_copy" ] && [ -f "$store_copy" ]; then
  say "already admitted: $digest"
else
  say "admitting $digest with CaseProviderAdmit"
  dotnet build "$repo/samples/Stage2Sample" -t:CaseProviderAdmit /nodeReuse:false -nologo -v:q \
    "-p:CtoHarnessCaseSource=$checkout" "-p:CtoHarnessCaseCommit=$commit" \
    "-p:CtoHarnessCaseLockFile=$lock" "-p:CtoHarnessProviderStore=$state/providers" >&2 \
    || fail "CaseProviderAdmit refused the build in $checkout"
  store_copy="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["binary"]["storePath"])' "$lock")"
fi
cp "$lock" "$state/real-case/case-provider.lock.json.tmp" && mv "$state/real-case/case-provider.lock.json.tmp" "$state/real-case/case-provider.lock.json"
echo "ca: $store_copy"
echo "lock: $lock"
echo "commit: $commit"

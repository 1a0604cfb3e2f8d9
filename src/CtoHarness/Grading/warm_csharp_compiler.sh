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
  sdk="$root/sdk/$version"
  [ -f "$sdk/Roslyn/bincore/csc.dll" ] || exit 0
  # What the build will load: the targeting pack NuGet resolved (from the package cache when there is one, else the
  # runtime's own assemblies), its source generators, and the SDK's analyzers.
  pack=$(ls -d "${RestoreAdditionalProjectFallbackFolders:-/nonexistent}"/microsoft.netcore.app.ref/*/ 2>/dev/null | tail -n 1)
  refs=$(ls -d "${pack:-/nonexistent/}"ref/net*/ 2>/dev/null | tail -n 1)
  runtime=$(ls -d "$root"/shared/Microsoft.NETCore.App/*/ 2>/dev/null | tail -n 1)
  folder="${TMPDIR:-/tmp}/ctoharness-warm-up"
  mkdir -p "$folder" || exit 0
  printf 'using System.Linq;\nstatic class WarmUp { static int Main() => new[] { 1, 2 }.Sum() + System.Environment.ProcessorCount; }\n' > "$folder/WarmUp.cs"
  set --
  if [ -n "$refs" ]; then
    for file in "$refs"*.dll; do set -- "$@" "-r:$file"; done
  else
    set -- "-r:${runtime}System.Private.CoreLib.dll" "-r:${runtime}System.Runtime.dll" "-r:${runtime}System.Linq.dll"
  fi
  for file in "${pack:-/nonexistent/}"analyzers/dotnet/cs/*.dll "$sdk"/Sdks/Microsoft.NET.Sdk/analyzers/Microsoft.CodeAnalysis.*NetAnalyzers.dll \
      "$sdk"/Sdks/Microsoft.NET.Sdk/codestyle/cs/*.dll; do
    [ -f "$file" ] && set -- "$@" "-analyzer:$file"
  done
  exec "$dotnet" exec "$sdk/Roslyn/bincore/csc.dll" -shared -nologo -noconfig -nostdlib "$@" "-out:$folder/WarmUp.dll" "$folder/WarmUp.cs"
) </dev/null >/dev/null 2>&1 &
exec "$@"

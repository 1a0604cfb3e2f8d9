using System.Reflection;

namespace CtoHarness;

public static class HarnessVersion
{
    public static string Current { get; } =
        typeof(HarnessVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "0.0.0";
}

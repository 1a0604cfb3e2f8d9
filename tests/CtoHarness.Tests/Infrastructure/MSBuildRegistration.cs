using Microsoft.Build.Locator;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
[assembly: TestFramework("CtoHarness.Tests.Infrastructure.MSBuildTestFramework", "CtoHarness.Tests")]

namespace CtoHarness.Tests.Infrastructure;

/// <summary>
/// MSBuild's assemblies come from the installed SDK (MSBuildLocator). They must be registered before
/// xunit's discovery reflects over test types that mention MSBuild types, so registration happens when
/// the test framework is created, before discovery.
/// </summary>
public sealed class MSBuildTestFramework : XunitTestFramework
{
    public MSBuildTestFramework(IMessageSink messageSink)
        : base(messageSink)
    {
        if (!MSBuildLocator.IsRegistered)
        {
            MSBuildLocator.RegisterDefaults();
        }
    }
}

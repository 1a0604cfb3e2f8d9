namespace CtoHarness.Lanes;

/// <summary>What one run's model calls are forwarded to: an admitted endpoint, or a model the harness serves for the run.</summary>
/// <param name="Probe">Its model list is checked before Case starts (see <c>EndpointProbe</c>).</param>
public sealed class ModelUpstream(string baseUrl, bool probe, IDisposable? server = null, Func<UpstreamDivergence?>? divergence = null) : IDisposable
{
    public string BaseUrl { get; } = baseUrl;

    public bool Probe { get; } = probe;

    /// <summary>After the run: how a recorded session the upstream replayed was left, or null.</summary>
    public UpstreamDivergence? Divergence() => divergence?.Invoke();

    public void Dispose() => server?.Dispose();
}

/// <summary>A replay that left its recording: the first line of the difference, and the marker's text.</summary>
public sealed record UpstreamDivergence(string Detail, string MarkerText);

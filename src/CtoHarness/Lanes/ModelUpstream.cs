namespace CtoHarness.Lanes;

/// <summary>What one run's model calls are forwarded to: an admitted endpoint, or a model the harness serves for the run.</summary>
/// <param name="probe">Its model list is checked before Case starts (see <c>EndpointProbe</c>).</param>
/// <param name="mustListModel">The list must name the model: true for an endpoint that serves only its models (local,
/// harness-served); a hosted API's list is paged and names dated ids, so there only reaching it and being let in count.</param>
public sealed class ModelUpstream(string baseUrl, bool probe, IDisposable? server = null, Func<UpstreamDivergence?>? divergence = null, bool mustListModel = true) : IDisposable
{
    public string BaseUrl { get; } = baseUrl;

    public bool Probe { get; } = probe;

    public bool MustListModel { get; } = mustListModel;

    /// <summary>After the run: how a recorded session the upstream replayed was left, or null.</summary>
    public UpstreamDivergence? Divergence() => divergence?.Invoke();

    public void Dispose() => server?.Dispose();
}

/// <summary>A replay that left its recording: the first line of the difference, and the marker's text.</summary>
public sealed record UpstreamDivergence(string Detail, string MarkerText);

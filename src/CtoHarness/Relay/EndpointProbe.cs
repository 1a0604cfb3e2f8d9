using System.Net;
using System.Text.Json;

namespace CtoHarness.Relay;

/// <summary>
/// Before Case starts: is the model endpoint there? The API's model list (<c>GET …/models</c>; Anthropic's
/// <c>GET /v1/models</c>), with the real key for a hosted endpoint, bounded to a few seconds: listing models spends no
/// tokens. A refused or unanswered connection, or 401/403, is a problem; so is a model list that does not name the
/// model, where the list must name it (not a hosted API's: paged, and naming dated ids). An endpoint that does not list models (404, 405, …) is given the benefit of the doubt: the run will tell.
/// </summary>
public static class EndpointProbe
{
    /// <param name="model">The model the list must name, or null when reaching the list is enough.</param>
    public static string? Problem(Uri upstream, string? model, TimeSpan bound, (string Name, string Value)? credential = null, string? api = null,
        string? trustedCertificate = null)
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectTimeout = bound,
            SslOptions = TrustedRoot.Options(trustedCertificate),
        }) { Timeout = bound };
        var url = new Uri($"{upstream.ToString().TrimEnd('/')}{Protocol.ApiStyles.ModelsPath(api)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (credential is { } header)
        {
            request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }
        if (api == Protocol.ApiStyles.AnthropicMessages)
        {
            request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        }
        try
        {
            using var response = client.Send(request);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                return $"the model endpoint {upstream} refused the harness: GET {url} answered HTTP {(int)response.StatusCode}";
            }
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }
            var listed = Listed(response.Content.ReadAsStream());
            return model is not null && listed is { Count: > 0 } && !listed.Contains(model)
                ? $"the model endpoint {upstream} does not serve the model '{model}': GET {url} lists {string.Join(", ", listed.Take(10))}"
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException)
        {
            return $"the model endpoint {upstream} cannot be reached: GET {url}: {(e is OperationCanceledException ? $"no answer within {bound.TotalSeconds:F0} s" : e.GetBaseException().Message)}";
        }
    }

    private static List<string>? Listed(Stream body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
                ? data.EnumerateArray().Where(m => m.TryGetProperty("id", out _)).Select(m => m.GetProperty("id").ToString()).ToList()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

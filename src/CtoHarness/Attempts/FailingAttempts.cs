using System.Globalization;

namespace CtoHarness.Attempts;

/// <summary>
/// The test scenario <c>fail-attempts:1,3</c> of the fake provider and the scripted model: the attempts listed make no
/// change, the others fix, so policies and early stop can be tested without a model.
/// </summary>
public sealed record FailingAttempts(IReadOnlySet<int> Attempts)
{
    public const string Prefix = "fail-attempts:";
    public const int MaxAttempt = 100;

    public static bool IsOne(string? scenario) => scenario?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    /// <summary>Null unless <paramref name="scenario"/> is <c>fail-attempts:</c> and a list of attempt numbers from 1 to 100.</summary>
    public static FailingAttempts? Parse(string? scenario)
    {
        if (!IsOne(scenario))
        {
            return null;
        }
        var attempts = new HashSet<int>();
        foreach (var part in scenario![Prefix.Length..].Split(','))
        {
            if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var attempt) || attempt is < 1 or > MaxAttempt)
            {
                return null;
            }
            attempts.Add(attempt);
        }
        return new FailingAttempts(attempts);
    }

    public bool Fails(int attempt) => Attempts.Contains(attempt);
}

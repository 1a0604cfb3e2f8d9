using System.Globalization;

namespace CtoHarness.Attempts;

/// <summary>Where a pair's attempts stand against its policy: decided either way, or still open.</summary>
public enum PolicyOutcome
{
    Open,
    Passed,
    Failed,
}

/// <summary>
/// How many of a pair's attempts must pass (CtoHarnessPassPolicy): <c>all</c>, <c>any</c>, or <c>at-least:M</c>.
/// The outcome is decided as soon as the passes reach the bar or the attempts left cannot reach it.
/// </summary>
public sealed record PassPolicy(string Kind, int AtLeast)
{
    public const string AllKind = "all";
    public const string AnyKind = "any";
    public const string AtLeastPrefix = "at-least:";

    public static PassPolicy All { get; } = new(AllKind, 0);
    public static PassPolicy Any { get; } = new(AnyKind, 1);

    public static PassPolicy? Parse(string? text)
    {
        var trimmed = text?.Trim() ?? "";
        return trimmed switch
        {
            "" or AllKind => All,
            AnyKind => Any,
            _ when trimmed.StartsWith(AtLeastPrefix, StringComparison.Ordinal) &&
                   int.TryParse(trimmed[AtLeastPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m >= 1 => new(AtLeastPrefix, m),
            _ => null,
        };
    }

    /// <summary>The passes needed of <paramref name="attempts"/> attempts.</summary>
    public int Required(int attempts) => Kind switch
    {
        AllKind => attempts,
        AnyKind => 1,
        _ => AtLeast,
    };

    /// <param name="attempts">The attempts the pair may make.</param>
    /// <param name="passed">Finished attempts that passed.</param>
    /// <param name="finished">Finished attempts, passed or not.</param>
    public PolicyOutcome Decide(int attempts, int passed, int finished)
    {
        var required = Required(attempts);
        if (passed >= required)
        {
            return PolicyOutcome.Passed;
        }
        return passed + (attempts - finished) < required ? PolicyOutcome.Failed : PolicyOutcome.Open;
    }

    public override string ToString() => Kind == AtLeastPrefix ? $"{AtLeastPrefix}{AtLeast}" : Kind;
}

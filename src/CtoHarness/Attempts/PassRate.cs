namespace CtoHarness.Attempts;

/// <summary>
/// A pair's pass rate over the attempts that ran, with its 95% Wilson score interval: honest for few attempts and for
/// rates of 0 or 1, where the plain normal interval collapses to a point.
/// </summary>
public sealed record PassRate(double Rate, double Low, double High)
{
    private const double Z = 1.959963984540054;

    /// <summary>Null when no attempt ran.</summary>
    public static PassRate? Of(int passed, int run)
    {
        if (run <= 0)
        {
            return null;
        }
        double n = run, p = (double)passed / run, z2 = Z * Z;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var half = Z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new PassRate(p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}

namespace CtoHarness.Attempts;

/// <summary>
/// Where one pair's attempts stand while a set runs: started, finished, passed, and the attempts that were never
/// started. Its policy's outcome counts running attempts as still able to pass, so a pair is decided, and no further
/// attempt of it starts, only when nothing still running could change it. Not thread-safe: the scheduler locks.
/// </summary>
public sealed class PairTally(PassPolicy policy, int attempts)
{
    public PassPolicy Policy => policy;
    public int Attempts => attempts;
    public int Started { get; private set; }
    public int Finished { get; private set; }
    public int Passed { get; private set; }
    /// <summary>Attempts not started because the outcome was already decided.</summary>
    public int Saved { get; private set; }
    /// <summary>Attempts not started because the set's cost budget was spent.</summary>
    public int NotRunForBudget { get; private set; }

    public PolicyOutcome Outcome => policy.Decide(attempts, Passed, Finished);

    /// <summary>Whether the next attempt should start; when it should not, records why.</summary>
    public bool TryStart(bool budgetSpent)
    {
        if (Outcome != PolicyOutcome.Open)
        {
            Saved++;
            return false;
        }
        if (budgetSpent)
        {
            NotRunForBudget++;
            return false;
        }
        Started++;
        return true;
    }

    public void Finish(bool passed)
    {
        Finished++;
        Passed += passed ? 1 : 0;
    }

    public PassRate? Rate => PassRate.Of(Passed, Finished);
}

namespace CtoHarness.Relay;

/// <summary>
/// What a set of runs has spent on model calls so far, at the declared prices: every relay of the set adds each call's
/// cost as it is answered, so the set's budget is checked against calls still running too.
/// </summary>
public sealed class SpendMeter
{
    private readonly object _gate = new();
    private decimal _spent;

    public decimal Spent
    {
        get
        {
            lock (_gate)
            {
                return _spent;
            }
        }
    }

    public void Add(decimal cost)
    {
        lock (_gate)
        {
            _spent += cost;
        }
    }
}

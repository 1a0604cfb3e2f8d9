namespace CtoHarness.Evidence;

public enum RunStatus
{
    Pass,
    Fail,
    Blocked,
    Error,
    Cancelled,
}

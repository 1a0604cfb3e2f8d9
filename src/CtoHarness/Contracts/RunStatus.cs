namespace CtoHarness.Contracts;

public enum RunStatus
{
    Pass,
    Fail,
    Blocked,
    Error,
    Cancelled,
}

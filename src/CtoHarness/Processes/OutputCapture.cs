using System.Text;

namespace CtoHarness.Processes;

/// <summary>
/// Drains one output stream of a child to a log file, keeping at most a fixed number of bytes on disk
/// and a fixed-size buffer in memory whatever the child prints. Every complete line (bounded in length)
/// is still handed to the observer after the cap, because the lines that classify a run come last.
/// It reads on a thread of its own: the callers block while children run (MSBuild tasks are synchronous),
/// and pumps that waited for thread-pool threads would stall behind them.
/// </summary>
internal sealed class OutputCapture
{
    private const int BufferSize = 64 * 1024;
    private const int MaxLineBytes = 16 * 1024;

    private readonly Stream _source;
    private readonly string _logPath;
    private readonly long _capBytes;
    private readonly Action<string>? _onLine;
    private readonly MemoryStream _line = new();
    private bool _lineOverflow;
    private long _total;
    private long _kept;

    public OutputCapture(Stream source, string logPath, long capBytes, Action<string>? onLine)
    {
        _source = source;
        _logPath = logPath;
        _capBytes = capBytes;
        _onLine = onLine;
        _thread = new Thread(Pump) { IsBackground = true, Name = $"ctoharness-output {Path.GetFileName(logPath)}" };
        _thread.Start();
    }

    private readonly Thread _thread;

    /// <summary>Waits for the stream to end; false when it did not within <paramref name="timeout"/>.</summary>
    public bool Wait(TimeSpan timeout) => _thread.Join(timeout);

    public CapturedOutput Result => new(Interlocked.Read(ref _total), Interlocked.Read(ref _kept));

    /// <summary>Why the log could not be written (e.g. no space left on device), once it could not; reading goes on.</summary>
    public string? Fault => Volatile.Read(ref _fault);

    private string? _fault;

    private void Pump()
    {
        var log = OpenLog();
        var buffer = new byte[BufferSize];
        try
        {
            int read;
            while ((read = _source.Read(buffer, 0, buffer.Length)) > 0)
            {
                var keep = (int)Math.Min(read, Math.Max(0, _capBytes - _kept));
                if (keep > 0 && log is not null)
                {
                    log = Write(log, buffer.AsSpan(0, keep));
                    Interlocked.Add(ref _kept, keep);
                }
                Interlocked.Add(ref _total, read);
                SplitLines(buffer.AsSpan(0, read));
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The supervisor closed the pipe because a leftover process kept it open; what was read stays.
        }
        FlushLine();
        if (_total > _kept && log is not null)
        {
            var note = $"\n[ctoharness] output truncated: kept the first {_kept} of {_total} bytes (cap {_capBytes}).\n";
            log = Write(log, Encoding.UTF8.GetBytes(note));
        }
        Close(log);
    }

    private FileStream? OpenLog()
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_logPath)!);
            return new FileStream(_logPath, FileMode.Create, FileAccess.Write, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Volatile.Write(ref _fault, $"{_logPath}: {e.Message}");
            return null;
        }
    }

    /// <summary>Writes, or records the fault and stops writing (the pipe is still drained, so the child never blocks on it).</summary>
    private FileStream? Write(FileStream log, ReadOnlySpan<byte> bytes)
    {
        try
        {
            log.Write(bytes);
            return log;
        }
        catch (IOException e)
        {
            Volatile.Write(ref _fault, $"{_logPath}: {e.Message}");
            Close(log);
            return null;
        }
    }

    private static void Close(FileStream? log)
    {
        try
        {
            log?.Dispose();
        }
        catch (IOException)
        {
            // Flushing the last buffered bytes failed the same way; the fault is already recorded.
        }
    }

    private void SplitLines(ReadOnlySpan<byte> chunk)
    {
        if (_onLine is null)
        {
            return;
        }
        while (!chunk.IsEmpty)
        {
            var newline = chunk.IndexOf((byte)'\n');
            var part = newline < 0 ? chunk : chunk[..newline];
            var room = MaxLineBytes - (int)_line.Length;
            if (part.Length > room)
            {
                _lineOverflow = true;
            }
            _line.Write(part[..Math.Min(part.Length, Math.Max(0, room))]);
            if (newline < 0)
            {
                return;
            }
            FlushLine();
            chunk = chunk[(newline + 1)..];
        }
    }

    private void FlushLine()
    {
        if (_onLine is not null && (_line.Length > 0 || _lineOverflow))
        {
            _onLine(Encoding.UTF8.GetString(_line.GetBuffer(), 0, (int)_line.Length).TrimEnd('\r'));
        }
        _line.SetLength(0);
        _lineOverflow = false;
    }
}

using System.Net;
using System.Text;

namespace CtoHarness.Pages;

/// <summary>
/// Building blocks of the run pages. Everything that comes from a run (what the model or the agent wrote, file
/// names, messages) goes through <see cref="Text"/> or <see cref="Href"/>: it becomes text on the page, never
/// markup, and a link is only ever a relative path inside the run (no scheme, so never <c>javascript:</c>).
/// </summary>
internal static class Html
{
    /// <summary>No script at all, no network, nothing but the page's own inline style.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>
    /// Text, never markup. Bidirectional controls (which can reverse how a name reads, U+202E) and other invisible
    /// format characters are shown as visible escapes such as <c>&lt;U+202E&gt;</c>.
    /// </summary>
    public static string Text(string? text) => WebUtility.HtmlEncode(VisibleControls(text ?? ""));

    private static string VisibleControls(string text)
    {
        if (!text.Any(IsHiddenControl))
        {
            return text;
        }
        var visible = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            visible.Append(IsHiddenControl(c) ? $"<U+{(int)c:X4}>" : c);
        }
        return visible.ToString();
    }

    /// <summary>Bidi embeddings, overrides and isolates, marks, and zero-width characters.</summary>
    private static bool IsHiddenControl(char c) =>
        c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C' or >= '\u200B' and <= '\u200D' or '\u2060' or '\uFEFF';

    /// <summary>True for a regular file of the run: the pages never read through a link, a FIFO or a device.</summary>
    public static bool IsReadable(string path)
    {
        var info = new FileInfo(path);
        return info.Exists && info.LinkTarget is null && !Processes.Posix.IsSpecialFile(path);
    }

    /// <summary>A file of the run as text, or why it is not shown.</summary>
    public static string ReadEvidence(string path) =>
        IsReadable(path) ? File.ReadAllText(path) : new FileInfo(path).LinkTarget is not null ? "(a link: not followed)" : File.Exists(path) ? "(not a regular file: not read)" : "(missing)";

    /// <summary>A relative link to a file of the run: each segment percent-encoded, so no part of it can be a scheme or markup.</summary>
    public static string Href(string relativePath) =>
        string.Join('/', relativePath.Split('/').Select(Uri.EscapeDataString));

    public static string Capped(string text, int max) =>
        text.Length <= max ? text : text[..max] + $"\n… ({text.Length - max} more characters in the raw file)";

    public static string Page(string title, string body)
    {
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        page.Append($"<meta http-equiv=\"Content-Security-Policy\" content=\"{ContentSecurityPolicy}\">\n");
        page.Append("<meta name=\"referrer\" content=\"no-referrer\">\n");
        page.Append($"<title>{Text(title)}</title>\n<style>{Style}</style>\n</head>\n<body>\n");
        page.Append(body);
        page.Append("\n</body>\n</html>\n");
        return page.ToString();
    }

    private const string Style = """
        body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 16px; color: #1b1f23; }
        h1 { font-size: 20px; margin: 0 0 8px; } h2 { font-size: 16px; margin: 24px 0 8px; border-bottom: 1px solid #ddd; }
        .banner { padding: 12px 16px; border-radius: 6px; margin-bottom: 16px; }
        .pass { background: #e6ffed; border: 1px solid #34d058; } .fail, .error { background: #ffeef0; border: 1px solid #d73a49; }
        .blocked, .cancelled { background: #fff5b1; border: 1px solid #dbab09; }
        table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
        th { background: #f6f8fa; } code, pre { font: 12px/1.4 ui-monospace, monospace; }
        pre { background: #f6f8fa; padding: 8px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; margin: 4px 0; }
        .add { background: #e6ffed; } .del { background: #ffeef0; } .hunk { color: #6f42c1; }
        .result { border-left: 4px solid #28a745; } .missing { border-left: 4px solid #d73a49; }
        .flag { color: #d73a49; font-weight: bold; } .muted { color: #6a737d; }
        details { margin: 4px 0; } summary { cursor: pointer; }
        .bar { background: #0366d6; height: 10px; display: inline-block; vertical-align: middle; }
        """;
}

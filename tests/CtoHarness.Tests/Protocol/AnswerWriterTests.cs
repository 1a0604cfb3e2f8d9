using System.Text.Json.Nodes;
using CtoHarness.Loopback;
using CtoHarness.Protocol;

namespace CtoHarness.Tests.Protocol;

/// <summary>What each style's writer sends, its reader reads back: the harness's scripted model and the relay agree on every style.</summary>
[Trait("Layer", "Unit")]
public class AnswerWriterTests
{
    private static readonly ModelAnswer Reply = new("Ran the tests — all green ✓\n<<<AGENT_RESULT\n{\"status\":\"completed\"}\nAGENT_RESULT>>>",
        [new ToolCall("read", new JsonObject { ["path"] = "strings.py" }), new ToolCall("bash", new JsonObject { ["command"] = "python3 -m unittest" })]);

    public static TheoryData<string, bool> StylesAndModes()
    {
        var data = new TheoryData<string, bool>();
        foreach (var style in ApiStyles.All)
        {
            data.Add(style, true);
            data.Add(style, false);
        }
        return data;
    }

    private static (int Status, byte[] Body, bool EventStream) Serve(string style, Action<AnswerWriter> write)
    {
        using var server = new LoopbackServer("test-writer", context => write(ApiStyles.WriterFor(style, context.Response, "m", 4000)));
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        try
        {
            using var response = client.Send(new HttpRequestMessage(HttpMethod.Post, $"{server.Origin}/v1/x"), HttpCompletionOption.ResponseHeadersRead);
            using var body = new MemoryStream();
            try
            {
                response.Content.ReadAsStream().CopyTo(body);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                // a cut stream: what arrived is what there is
            }
            return ((int)response.StatusCode, body.ToArray(), response.Content.Headers.ContentType?.MediaType == "text/event-stream");
        }
        catch (HttpRequestException)
        {
            return (0, [], true);
        }
    }

    private static AnswerReader ReadBack(string style, (int Status, byte[] Body, bool EventStream) served)
    {
        var reader = ApiStyles.ReaderFor(style);
        reader.Feed(served.Body, served.EventStream);
        reader.Finish();
        return reader;
    }

    [Theory]
    [MemberData(nameof(StylesAndModes))]
    public void What_a_writer_sends_its_reader_reads_back(string style, bool streamed)
    {
        var served = Serve(style, writer =>
        {
            if (streamed)
            {
                writer.Stream(Reply, textChunk: 7);
            }
            else
            {
                writer.Complete(Reply);
            }
        });
        var reader = ReadBack(style, served);

        Assert.Equal(200, served.Status);
        Assert.Equal(streamed, served.EventStream);
        Assert.True(reader.Ended);
        Assert.Null(reader.Error);
        Assert.Equal(Reply.Text, reader.TextTail);
        Assert.Equal(["read", "bash"], reader.ToolCalls);
        Assert.Equal(1000, reader.PromptTokens);
        Assert.True(reader.CompletionTokens > 0);
        Assert.True(ResultBlock.IsWellFormed(reader.TextTail));
    }

    [Theory]
    [MemberData(nameof(StylesAndModes))]
    public void A_cut_stream_has_not_ended_and_an_error_is_the_style_s_envelope(string style, bool streamed)
    {
        if (streamed)
        {
            Assert.False(ReadBack(style, Serve(style, writer =>
            {
                try
                {
                    writer.Stream(Reply, cutAfterEvents: 3, textChunk: 7);
                }
                catch (OperationCanceledException)
                {
                    // the writer cut its own stream
                }
            })).Ended);
            return;
        }
        var served = Serve(style, writer => writer.Fail(529, "Overloaded", "overloaded"));
        Assert.Equal(529, served.Status);
        Assert.Contains("Overloaded", ReadBack(style, served).Error);
    }
}

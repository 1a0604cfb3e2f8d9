using System.Text;
using System.Text.Json.Nodes;
using CtoHarness.Protocol;

namespace CtoHarness.Tests.Protocol;

/// <summary>
/// Each API style's answers as the public APIs send them, fed in pieces of every size (multi-byte characters split
/// across reads): what the relay reads from them.
/// </summary>
[Trait("Layer", "Unit")]
public class AnswerReaderTests
{
    private const string Result = "Done — naïve slug fixed ✓\n<<<AGENT_RESULT\n{\"status\":\"completed\",\"summary\":\"fixed\"}\nAGENT_RESULT>>>";

    private static string Json(object value) => System.Text.Json.JsonSerializer.Serialize(value);

    private static string Event(string? name, string data) => (name is null ? "" : $"event: {name}\n") + $"data: {data}\n\n";

    public static TheoryData<int> PieceSizes() => [1, 2, 3, 7, 64, 100_000];

    private static T Read<T>(T reader, string stream, int piece, bool eventStream = true) where T : AnswerReader
    {
        var bytes = Encoding.UTF8.GetBytes(stream);
        for (var i = 0; i < bytes.Length; i += piece)
        {
            reader.Feed(bytes.AsSpan(i, Math.Min(piece, bytes.Length - i)), eventStream);
        }
        reader.Finish();
        return reader;
    }

    private static string AnthropicStream(bool stop = true)
    {
        var text = new StringBuilder()
            .Append(Event("message_start", """{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-6","stop_reason":null,"usage":{"input_tokens":1200,"cache_creation_input_tokens":100,"cache_read_input_tokens":800,"output_tokens":1}}}"""))
            .Append(Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""))
            .Append(Event("ping", """{"type": "ping"}"""));
        foreach (var part in new[] { Result[..12], Result[12..30], Result[30..] })
        {
            text.Append(Event("content_block_delta", $$$"""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":{{{Json(part)}}}}}"""));
        }
        text.Append(Event("content_block_stop", """{"type":"content_block_stop","index":0}"""))
            .Append(Event("content_block_start", """{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"read","input":{}}}"""))
            .Append(Event("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"path\": \"strings.py\"}"}}"""))
            .Append(Event("content_block_stop", """{"type":"content_block_stop","index":1}"""))
            .Append(Event("message_delta", """{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":57}}"""));
        if (stop)
        {
            text.Append(Event("message_stop", """{"type":"message_stop"}"""));
        }
        return text.ToString();
    }

    [Theory]
    [MemberData(nameof(PieceSizes))]
    public void An_anthropic_stream_gives_text_tools_stop_reason_and_every_input_token(int piece)
    {
        var reader = Read(new AnthropicMessagesReader(), AnthropicStream(), piece);

        Assert.True(reader.Ended);
        Assert.Equal(Result, reader.TextTail);
        Assert.Equal(["read"], reader.ToolCalls);
        Assert.Equal("tool_use", reader.FinishReason);
        Assert.Equal(2100, reader.PromptTokens);
        Assert.Equal(800, reader.CachedTokens);
        Assert.Equal(57, reader.CompletionTokens);
        Assert.Null(reader.Error);
        Assert.True(ResultBlock.IsWellFormed(reader.TextTail));
    }

    [Fact]
    public void An_anthropic_stream_cut_before_message_stop_has_not_ended()
    {
        Assert.False(Read(new AnthropicMessagesReader(), AnthropicStream(stop: false), 5).Ended);
    }

    [Fact]
    public void An_anthropic_error_event_or_error_body_is_the_api_s_error()
    {
        var overloaded = """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""";
        var streamed = Read(new AnthropicMessagesReader(), Event("message_start", """{"type":"message_start","message":{"usage":{"input_tokens":10,"output_tokens":1}}}""") + Event("error", overloaded), 9);
        var whole = Read(new AnthropicMessagesReader(), overloaded, 4, eventStream: false);

        Assert.Equal("overloaded_error: Overloaded", streamed.Error);
        Assert.False(streamed.Ended);
        Assert.Equal("overloaded_error: Overloaded", whole.Error);
    }

    [Fact]
    public void A_whole_anthropic_message_is_read_like_its_stream()
    {
        var body = $$$"""{"id":"msg_2","type":"message","role":"assistant","content":[{"type":"text","text":{{{Json(Result)}}}}],"stop_reason":"end_turn","usage":{"input_tokens":30,"output_tokens":12}}""";
        var reader = Read(new AnthropicMessagesReader(), body, 3, eventStream: false);

        Assert.True(reader.Ended);
        Assert.Equal(Result, reader.TextTail);
        Assert.Equal("end_turn", reader.FinishReason);
        Assert.Equal((30L, 12L), (reader.PromptTokens!.Value, reader.CompletionTokens!.Value));
    }

    private static string ResponsesStream(bool completed = true)
    {
        var text = new StringBuilder()
            .Append(Event("response.created", """{"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","status":"in_progress","output":[]}}"""))
            .Append(Event("response.output_item.added", """{"type":"response.output_item.added","output_index":0,"item":{"id":"msg_1","type":"message","role":"assistant","content":[]}}"""));
        foreach (var part in new[] { Result[..5], Result[5..40], Result[40..] })
        {
            text.Append(Event("response.output_text.delta", $$$"""{"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":{{{Json(part)}}}}"""));
        }
        text.Append(Event("response.output_item.added", """{"type":"response.output_item.added","output_index":1,"item":{"id":"fc_1","type":"function_call","call_id":"call_1","name":"bash","arguments":""}}"""))
            .Append(Event("response.function_call_arguments.delta", """{"type":"response.function_call_arguments.delta","item_id":"fc_1","output_index":1,"delta":"{\"command\":\"python3 -m unittest\"}"}"""))
            .Append(Event("response.output_item.done", """{"type":"response.output_item.done","output_index":1,"item":{"id":"fc_1","type":"function_call","name":"bash","arguments":"{}"}}"""));
        if (completed)
        {
            text.Append(Event("response.completed", """{"type":"response.completed","response":{"id":"resp_1","object":"response","status":"completed","usage":{"input_tokens":900,"input_tokens_details":{"cached_tokens":300},"output_tokens":40,"total_tokens":940}}}"""));
        }
        return text.ToString();
    }

    [Theory]
    [MemberData(nameof(PieceSizes))]
    public void A_responses_stream_gives_text_tools_status_and_usage(int piece)
    {
        var reader = Read(new OpenAiResponsesReader(), ResponsesStream(), piece);

        Assert.True(reader.Ended);
        Assert.Equal(Result, reader.TextTail);
        Assert.Equal(["bash"], reader.ToolCalls);
        Assert.Equal("completed", reader.FinishReason);
        Assert.Equal((900L, 300L, 40L), (reader.PromptTokens!.Value, reader.CachedTokens!.Value, reader.CompletionTokens!.Value));
    }

    [Fact]
    public void A_responses_stream_without_its_completion_has_not_ended_and_a_failed_one_is_an_error()
    {
        Assert.False(Read(new OpenAiResponsesReader(), ResponsesStream(completed: false), 11).Ended);
        var failed = Read(new OpenAiResponsesReader(),
            Event("response.failed", """{"type":"response.failed","response":{"status":"failed","error":{"code":"server_error","message":"The model failed"}}}"""), 6);
        Assert.Equal("server_error: The model failed", failed.Error);
    }

    [Fact]
    public void A_whole_response_is_read_like_its_stream()
    {
        var body = $$$"""{"id":"resp_2","object":"response","status":"completed","output":[{"type":"message","role":"assistant","content":[{"type":"output_text","text":{{{Json(Result)}}}}]}],"usage":{"input_tokens":50,"output_tokens":20}}""";
        var reader = Read(new OpenAiResponsesReader(), body, 8, eventStream: false);

        Assert.True(reader.Ended);
        Assert.Equal(Result, reader.TextTail);
        Assert.Equal((50L, 20L), (reader.PromptTokens!.Value, reader.CompletionTokens!.Value));
    }

    [Theory]
    [MemberData(nameof(PieceSizes))]
    public void A_chat_stream_with_interleaved_tool_calls_and_a_usage_only_final_chunk_is_read_whole(int piece)
    {
        var stream = new StringBuilder();
        foreach (var part in new[] { Result[..20], Result[20..] })
        {
            stream.Append(Event(null, $$$"""{"choices":[{"index":0,"delta":{"content":{{{Json(part)}}}}}]}"""));
        }
        stream.Append(Event(null, """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"write","arguments":""}}]}}]}"""))
            .Append(Event(null, """{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"""))
            .Append(Event(null, """{"choices":[],"usage":{"prompt_tokens":700,"completion_tokens":30,"prompt_tokens_details":{"cached_tokens":512}}}"""))
            .Append("data: [DONE]\n\n");
        var reader = Read(new ChatCompletionsReader(), stream.ToString(), piece);

        Assert.True(reader.Ended);
        Assert.Equal(Result, reader.TextTail);
        Assert.Equal(["write"], reader.ToolCalls);
        Assert.Equal("tool_calls", reader.FinishReason);
        Assert.Equal((700L, 512L, 30L), (reader.PromptTokens!.Value, reader.CachedTokens!.Value, reader.CompletionTokens!.Value));
    }

    [Theory]
    [InlineData("/v1/chat/completions", ApiStyles.OpenAiCompletions)]
    [InlineData("/v1/responses", ApiStyles.OpenAiResponses)]
    [InlineData("/v1/messages", ApiStyles.AnthropicMessages)]
    [InlineData("/v1/messages?beta=true", ApiStyles.AnthropicMessages)]
    [InlineData("/v1/models", null)]
    public void A_request_s_style_is_known_by_its_path(string path, string? style)
    {
        Assert.Equal(style, ApiStyles.OfPath(path));
    }

    [Fact]
    public void The_agent_is_read_from_wherever_each_style_carries_the_system_prompt()
    {
        var anthropicString = new JsonObject { ["system"] = "# Reviewer\nreview", ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "go" }) };
        var anthropicBlocks = new JsonObject { ["system"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "# Closer\nclose" }), ["messages"] = new JsonArray() };
        var responsesInput = new JsonObject { ["input"] = new JsonArray(new JsonObject { ["role"] = "developer", ["content"] = "# Implementer\nfix" }, new JsonObject { ["role"] = "user", ["content"] = "go" }) };
        var responsesInstructions = new JsonObject { ["instructions"] = "# Retrospective\nlook back", ["input"] = "go" };

        Assert.Equal("reviewer", AgentRole.Of(anthropicString));
        Assert.Equal("closer", AgentRole.Of(anthropicBlocks));
        Assert.Equal("implementer", AgentRole.Of(responsesInput));
        Assert.Equal("retrospective", AgentRole.Of(responsesInstructions));
    }

    [Fact]
    public void A_flood_of_tool_calls_and_arguments_is_held_in_bounded_memory()
    {
        var stream = new StringBuilder();
        for (var index = 0; index < 1000; index++)
        {
            stream.Append(Event(null, $$$"""{"choices":[{"index":0,"delta":{"tool_calls":[{"index":{{{index}}},"function":{"name":"bash","arguments":{{{Json(new string('x', 100_000))}}}}}]}}]}"""));
        }
        var reader = Read(new ChatCompletionsReader(), stream.ToString(), 65_536);

        Assert.Equal(256, reader.ToolCalls.Count);
        Assert.All(reader.ToolCallsWithArguments, call => Assert.Equal(64 * 1024, call.Arguments.Length));
    }
}

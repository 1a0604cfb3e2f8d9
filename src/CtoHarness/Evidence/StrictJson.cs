using System.Collections;
using System.Reflection;
using System.Text.Json;

namespace CtoHarness.Evidence;

/// <summary>
/// Reads the harness's own JSON documents (fixture manifests, locks, summaries, reports) so that a <c>null</c>
/// where the type says a value is required is a <see cref="JsonException"/> naming the member, like a wrong type
/// is, instead of a null that breaks a later step.
/// </summary>
public static class StrictJson
{
    /// <summary>NullabilityInfoContext caches without locking: one per thread (runs of a set load documents in parallel).</summary>
    [ThreadStatic]
    private static NullabilityInfoContext? _nullability;

    private static NullabilityInfoContext Nullability => _nullability ??= new NullabilityInfoContext();

    public static T Deserialize<T>(byte[] bytes, JsonSerializerOptions options) where T : class
    {
        var value = JsonSerializer.Deserialize<T>(bytes, options) ?? throw new JsonException("the document is null");
        if (FirstNull(value, "$") is { } path)
        {
            throw new JsonException($"{path} is null; a value is required there");
        }
        return value;
    }

    private static string? FirstNull(object value, string path)
    {
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is null || property.GetIndexParameters().Length > 0 || property.PropertyType.IsValueType)
            {
                continue; // not read from JSON, or cannot be null
            }
            var info = Nullability.Create(property);
            var name = $"{path}.{JsonNamingPolicy.CamelCase.ConvertName(property.Name)}";
            if (FirstNull(property.GetValue(value), info, name) is { } found)
            {
                return found;
            }
        }
        return null;
    }

    private static string? FirstNull(object? value, NullabilityInfo info, string path)
    {
        if (value is null)
        {
            return info.ReadState == NullabilityState.NotNull ? path : null;
        }
        switch (value)
        {
            case string:
                return null;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (FirstNull(entry.Value, info.GenericTypeArguments[^1], $"{path}[\"{entry.Key}\"]") is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case IList list:
                var element = info.ElementType ?? info.GenericTypeArguments[0];
                for (var i = 0; i < list.Count; i++)
                {
                    if (FirstNull(list[i], element, $"{path}[{i}]") is { } found)
                    {
                        return found;
                    }
                }
                return null;
            default:
                return value.GetType().Namespace?.StartsWith(nameof(CtoHarness), StringComparison.Ordinal) == true ? FirstNull(value, path) : null;
        }
    }
}

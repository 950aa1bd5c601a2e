using System.Text.Json;
using CommissionPlanner.Domain.Planning;

namespace CommissionPlanner.Web.Planning;

/// <summary>Reads one merge-patch value (RFC 7396: null clears), adding an error naming the field when it has the wrong type.</summary>
internal static class PatchValues
{
    public static string? Text(string field, JsonElement value, FieldErrors errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return value.GetString();
            default:
                errors.Add(field, $"'{field}' must be a string.");
                return null;
        }
    }

    public static int? Integer(string field, JsonElement value, FieldErrors errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        errors.Add(field, $"'{field}' must be a whole number or null.");
        return null;
    }

    public static List<string>? Strings(string field, JsonElement value, FieldErrors errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
        {
            return [.. value.EnumerateArray().Select(e => e.GetString()!)];
        }

        errors.Add(field, $"'{field}' must be an array of strings.");
        return null;
    }
}

using System.Text.Json;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace CommissionPlanner.Data;

/// <summary>Adds audit entries to a context, so they commit in the same transaction as the change they describe.</summary>
public static class AuditTrail
{
    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        // History shows kinds, statuses, replies, roles and travel modes by their wire names ("site-visit", "cancelled", "accepted"), as the API does, whatever type the row holds.
        Converters =
        {
            new WireNameJsonConverter<EngagementStatus>(EngagementStatuses.ToWire, EngagementStatuses.TryParse),
            new WireNameJsonConverter<EngagementKind>(EngagementKinds.ToWire, EngagementKinds.TryParse),
            new WireNameJsonConverter<ReviewStatus>(ReviewStatuses.ToWire, ReviewStatuses.TryParse),
            new WireNameJsonConverter<Response>(Responses.ToWire, Responses.TryParse),
            new WireNameJsonConverter<AttendeeRole>(AttendeeRoles.ToWire, AttendeeRoles.TryParse),
            new WireNameJsonConverter<DelegateRole>(DelegateRoles.ToWire, DelegateRoles.TryParse),
            new WireNameJsonConverter<TravelMode>(TravelModes.ToWire, TravelModes.TryParse),
        },
    }.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);

    public static void Audit(
        this PlannerDbContext db, ChangeActor actor, Instant at, string entityType, Guid entityId, Guid? programmeId, string action,
        string? before, string? after)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.AuditEntries.Add(Entry(actor, at, entityType, entityId, programmeId, action, before, after));
    }

    /// <summary>An audit entry for a write that does not go through a context's change tracker (<see cref="AttendeeWrites"/>).</summary>
    public static AuditRecord Entry(
        ChangeActor actor, Instant at, string entityType, Guid entityId, Guid? programmeId, string action, string? before, string? after)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new AuditRecord
        {
            At = at,
            Actor = actor.Name,
            KeyId = actor.KeyId,
            ClientAddress = actor.ClientAddress,
            EntityType = entityType,
            EntityId = entityId,
            ProgrammeId = programmeId,
            Action = action,
            Before = before,
            After = after,
            RequestClaim = actor.RequestClaim,
        };
    }

    /// <summary>A JSON copy of a value as it is now: take it before changing a record for the "before" state.</summary>
    public static string Snapshot(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return JsonSerializer.Serialize(value, value.GetType(), Json);
    }
}

/// <summary>A domain enum as its wire name in JSON (System.Text.Json would write its number).</summary>
internal sealed class WireNameJsonConverter<TEnum>(Func<TEnum, string> toWire, Configurations.WireNameColumns.TryParse<TEnum> tryParse)
    : System.Text.Json.Serialization.JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        tryParse(reader.GetString(), out var value) ? value : throw new JsonException($"'{reader.GetString()}' is not a {typeof(TEnum).Name}.");

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(toWire(value));
    }
}

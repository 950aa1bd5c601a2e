using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using Orleans.Serialization;

namespace CommissionPlanner.Grains;

public static class GrainSerialization
{
    /// <summary>
    /// The domain library knows nothing of Orleans (no [GenerateSerializer] there), so its records cross grain
    /// calls as JSON, with NodaTime's converters; so do the data library's rows, which an engagement grain sends to an
    /// itinerary grain as it wrote them (ItineraryBooking). JSON is also tolerant of added fields in rolling upgrades.
    /// </summary>
    public static IServiceCollection AddPlannerGrainSerialization(this IServiceCollection services)
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.General).ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        return services.AddSerializer(serializer => serializer.AddJsonSerializer(
            isSupported: type => type.Namespace is { } name
                && (name.StartsWith("CommissionPlanner.Domain", StringComparison.Ordinal) || name.StartsWith("CommissionPlanner.Data.Entities", StringComparison.Ordinal)
                    || name == "CommissionPlanner.Data.Queries"),
            jsonSerializerOptions: json));
    }
}

using CommissionPlanner.Domain;
using Microsoft.Extensions.Options;

namespace CommissionPlanner.Web.Hosting;

/// <summary>
/// <c>Planner:Travel</c>: the transfer-estimate rule's figures (see docs/travel-rule.md), in plain numbers so
/// they can be set from environment variables such as <c>Planner__Travel__AirOverheadMinutes</c>.
/// </summary>
public sealed class TravelSettings
{
    public const string Section = "Planner:Travel";

    public int? SameCityBufferMinutes { get; set; }
    public double? GroundThresholdKm { get; set; }
    public double? GroundSpeedKmh { get; set; }
    public int? GroundOverheadMinutes { get; set; }
    public double? AirSpeedKmh { get; set; }
    public int? AirOverheadMinutes { get; set; }
    public int? FlightCheckInMinutes { get; set; }
    public int? TrainCheckInMinutes { get; set; }

    public TravelOptions ToOptions()
    {
        var defaults = TravelOptions.Default;
        return new TravelOptions
        {
            SameCityBuffer = SameCityBufferMinutes is { } same ? NodaTime.Duration.FromMinutes(same) : defaults.SameCityBuffer,
            GroundThresholdKm = GroundThresholdKm ?? defaults.GroundThresholdKm,
            GroundSpeedKmh = GroundSpeedKmh ?? defaults.GroundSpeedKmh,
            GroundOverhead = GroundOverheadMinutes is { } ground ? NodaTime.Duration.FromMinutes(ground) : defaults.GroundOverhead,
            AirSpeedKmh = AirSpeedKmh ?? defaults.AirSpeedKmh,
            AirOverhead = AirOverheadMinutes is { } air ? NodaTime.Duration.FromMinutes(air) : defaults.AirOverhead,
            FlightCheckIn = FlightCheckInMinutes is { } flight ? NodaTime.Duration.FromMinutes(flight) : defaults.FlightCheckIn,
            TrainCheckIn = TrainCheckInMinutes is { } train ? NodaTime.Duration.FromMinutes(train) : defaults.TrainCheckIn,
        };
    }

    public static IServiceCollection AddTravelRule(IServiceCollection services) =>
        services.AddSingleton<IOptions<TravelOptions>>(provider =>
        {
            var settings = provider.GetRequiredService<IConfiguration>().GetSection(Section).Get<TravelSettings>() ?? new TravelSettings();
            var options = settings.ToOptions();
            if (options.SameCityBuffer < NodaTime.Duration.Zero || options.GroundOverhead < NodaTime.Duration.Zero || options.AirOverhead < NodaTime.Duration.Zero
                || options.FlightCheckIn < NodaTime.Duration.Zero || options.TrainCheckIn < NodaTime.Duration.Zero
                || options.GroundSpeedKmh <= 0 || options.AirSpeedKmh <= 0 || options.GroundThresholdKm < 0)
            {
                throw new StartupException("Planner:Travel settings must be positive speeds and non-negative minutes and distances.");
            }

            return Options.Create(options);
        });
}

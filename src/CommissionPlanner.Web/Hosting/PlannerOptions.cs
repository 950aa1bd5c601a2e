using System.ComponentModel.DataAnnotations;

namespace CommissionPlanner.Web.Hosting;

/// <summary>Settings under <c>Planner</c> (environment variables <c>Planner__…</c>).</summary>
public sealed class PlannerOptions
{
    public const string Section = "Planner";

    /// <summary>
    /// The admin key that works before any key exists. Required outside Development, where it must be a
    /// long random secret; <c>deploy/local/run.sh</c> generates one when none is set.
    /// </summary>
    public string? BootstrapAdminKey { get; set; }

    /// <summary>Apply EF Core migrations when the host starts. On in Development; production runs them as a deploy step.</summary>
    public bool? MigrateOnStart { get; set; }

    /// <summary>The absolute base URL people reach the planner at (for links in feeds); defaults to the request's own.</summary>
    [Url]
    public string? PublicBaseUrl { get; set; }
}

/// <summary>Settings under <c>Orleans</c>: where this silo listens and which cluster it joins.</summary>
public sealed class SiloOptions
{
    public const string Section = "Orleans";

    /// <summary>Silos with the same ClusterId on the same database form one cluster.</summary>
    [Required]
    public string ClusterId { get; set; } = "commission-planner";

    [Required]
    public string ServiceId { get; set; } = "commission-planner";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port for external Orleans clients; 0 turns the gateway off (the web API is in-process).</summary>
    [Range(0, 65535)]
    public int GatewayPort { get; set; }

    /// <summary>The address other silos reach this one at.</summary>
    [Required]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";
}

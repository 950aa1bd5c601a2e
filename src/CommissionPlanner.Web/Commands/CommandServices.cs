namespace CommissionPlanner.Web.Commands;

public static class CommandServices
{
    /// <summary>The application commands the endpoints and the pages share. Stateless, so one of each.</summary>
    public static IServiceCollection AddPlannerCommands(this IServiceCollection services)
    {
        services.AddSingleton<EngagementCommands>();
        services.AddSingleton<ReferenceCommands>();
        services.AddSingleton<LogisticsCommands>();
        services.AddSingleton<LogisticsPlanCommands>();
        services.AddSingleton<MemberSheetCommands>();
        services.AddSingleton<Members.MemberSheetExport>();
        return services;
    }
}

namespace CommissionPlanner.Web.Tests.Infrastructure;

/// <summary>The checkout the tests run from: the directory above the test binaries that holds CommissionPlanner.sln.</summary>
internal static class Repository
{
    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CommissionPlanner.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("CommissionPlanner.sln not found above the test binaries");
    }
}

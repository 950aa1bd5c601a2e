namespace CommissionPlanner.Data.Orleans;

/// <summary>
/// The PostgreSQL tables, functions and query texts Orleans' ADO.NET clustering and reminder providers need
/// (see README.md beside this file). Applied by the <c>InitialSchema</c> migration.
/// </summary>
public static class OrleansSchema
{
    public static string Script { get; } = Load();

    /// <summary>Drops what <see cref="Script"/> creates, for the migration's Down.</summary>
    public const string DropScript = """
        DROP FUNCTION IF EXISTS orleans_membership_insert;
        DROP FUNCTION IF EXISTS orleans_membership_update;
        DROP TABLE IF EXISTS orleansremindertable;
        DROP TABLE IF EXISTS orleansmembershiptable;
        DROP TABLE IF EXISTS orleansmembershipversiontable;
        DROP TABLE IF EXISTS orleansquery;
        """;

    private static string Load()
    {
        using var stream = typeof(OrleansSchema).Assembly.GetManifestResourceStream("orleans-postgres.sql")
            ?? throw new InvalidOperationException("The embedded Orleans schema script is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

using Npgsql;

namespace CommissionPlanner.Web.Hosting;

/// <summary>
/// The database could not be reached while a grain handled a call. Thrown in place of Npgsql's exceptions by
/// <see cref="DatabaseFaultFilter"/> so that it crosses silos: Orleans cannot serialize Npgsql's exception types, and
/// a grain on another silo failing with one reached the caller as a CodecNotFoundException, answered 500
/// instead of 503 (found by tests/CommissionPlanner.FaultTests). <see cref="PlannerExceptionHandler"/> answers it 503.
/// </summary>
[GenerateSerializer]
[Alias("CommissionPlanner.DatabaseUnavailableException")]
public sealed class DatabaseUnavailableException : Exception
{
    public DatabaseUnavailableException()
    {
    }

    public DatabaseUnavailableException(string message)
        : base(message)
    {
    }

    public DatabaseUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Runs around every grain call on this silo: a failure caused by Npgsql leaves the grain as an exception Orleans can
/// send back to another silo. A transient one (the server is down, restarting or refusing connections) becomes
/// <see cref="DatabaseUnavailableException"/>; any other keeps its type name and message in an InvalidOperationException.
/// </summary>
internal sealed class DatabaseFaultFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (ex is not DatabaseUnavailableException && ContainsNpgsql(ex))
        {
            if (IsTransient(ex))
            {
                throw new DatabaseUnavailableException($"The database is unavailable: {Innermost(ex).Message}");
            }

            throw new InvalidOperationException($"{Innermost(ex).GetType().FullName}: {Innermost(ex).Message}");
        }
    }

    private static bool ContainsNpgsql(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    private static Exception Innermost(Exception exception)
    {
        var e = exception;
        while (e.InnerException is not null && e is not NpgsqlException)
        {
            e = e.InnerException;
        }

        return e;
    }
}

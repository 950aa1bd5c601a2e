namespace CommissionPlanner.Web.Hosting;

/// <summary>Source-generated log messages: structured, cheap when disabled, and never carrying secrets.</summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Key {KeyId} ({Role}) created by {Actor}")]
    public static partial void KeyCreated(ILogger logger, Guid keyId, string role, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Key {KeyId} revoked by {Actor}")]
    public static partial void KeyRevoked(ILogger logger, Guid keyId, string actor);
}

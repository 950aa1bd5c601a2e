namespace CommissionPlanner.Web.Ui;

/// <summary>A page's download: the bytes an API endpoint answers, under the page's cookie sign-in, saved as a file.</summary>
internal static class Downloads
{
    /// <summary>
    /// Writes <paramref name="result"/> (the endpoint's own answer, so the file is byte for byte what the API serves) and,
    /// when it is a success, names the file to save it as. A refusal is written as the API writes it.
    /// </summary>
    public static async Task Send(HttpContext http, IResult result, string fileName)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(result);
        http.Response.OnStarting(() =>
        {
            if (http.Response.StatusCode == StatusCodes.Status200OK)
            {
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
            }

            return Task.CompletedTask;
        });
        await result.ExecuteAsync(http);
    }
}

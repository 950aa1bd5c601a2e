using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CommissionPlanner.Web.Pages.Import;

[PageAuthorize(Policies.Plan)]
public sealed class ImportStatusModel(ImportJobs jobs, IClock clock) : PlannerPageModel
{
    public ImportJob Job { get; private set; } = null!;

    public long Elapsed => (long)(clock.GetCurrentInstant() - Job.StartedAt).TotalSeconds;

    public IActionResult OnGet(Guid job)
    {
        // Only whoever started it sees an import's status (the job id is not a secret, but the errors may name people).
        if (jobs.Find(job) is not { } found || found.OwnerKeyId != User.KeyId())
        {
            return NotFound();
        }

        Job = found;
        return Page();
    }
}

using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Feeds;

/// <summary>
/// A fresh JCM programme with one UK delegate invited to the plenary at the Diaoyutai (10:00–12:30 Beijing
/// time on 11 November 2025): the smallest world in which a person's feed has something to show.
/// </summary>
internal sealed record FeedScenario(JcmSetup Jcm, string PersonId, string PersonEmail, string PlenaryId)
{
    public const string PlenaryTitle = "Plenary of the Joint Commission";

    public string ProgrammeId => Jcm.ProgrammeId;

    public static async Task<FeedScenario> Create(PlanningClient api, string fullName = "Professor Margaret Ellery")
    {
        var jcm = await Planning.Jcm.SetUp(api);
        var person = await api.AddMember(jcm.DelegationId, fullName, "member", organisation: "The Royal Society", title: "Foreign Secretary");
        var plenary = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", PlenaryTitle);
        await api.AddAttendee(plenary.Id(), person.Id());
        return new FeedScenario(jcm, person.Id(), person.Str("email"), plenary.Id());
    }
}

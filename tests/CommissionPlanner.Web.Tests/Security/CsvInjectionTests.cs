using System.Text;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Security;

public sealed class CsvInjectionTests(RemovedAttendeeLinkFixture fixture) : IClassFixture<RemovedAttendeeLinkFixture>
{
    [Fact]
    public void Every_cell_with_a_delimiter_is_quoted_and_every_formula_neutralised()
    {
        var bytes = CsvWriter.Write(["name", "note"],
        [
            ["Wang Fang", "plain"],
            ["Ministry;=HYPERLINK(\"http://evil.example\")", "a;b"],
            ["=1+1", "+44 20 7946 0000"],
            ["-2", "@SUM(A1)"],
            ["tab\there", "comma, here"],
            ["\"quoted\"", "line\nbreak"],
            ["王芳", null],
        ]);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.Equal(
            "name,note\r\n" +
            "Wang Fang,plain\r\n" +
            "\"Ministry;=HYPERLINK(\"\"http://evil.example\"\")\",\"a;b\"\r\n" +
            "\"'=1+1\",\"'+44 20 7946 0000\"\r\n" +
            "\"'-2\",\"'@SUM(A1)\"\r\n" +
            "\"tab\there\",\"comma, here\"\r\n" +
            "\"\"\"quoted\"\"\",\"line\nbreak\"\r\n" +
            "王芳,\r\n",
            text);
    }

    [Fact]
    public async Task An_attendee_list_as_csv_quotes_a_semicolon_cell_so_a_semicolon_spreadsheet_sees_no_formula()
    {
        using var admin = new PlanningClient(fixture.App.ClientWithKey(PlannerApp.AdminKey));
        var jcm = await Jcm.SetUp(admin);
        var person = (await admin.AddMember(jcm.DelegationId, "Dr Alan Pryce", organisation: "Royal Society;=cmd|' /C calc'!A0")).Id();
        var meeting = await admin.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:00");
        await admin.AddAttendee(meeting.Id(), person);
        var csv = (await admin.Get($"/api/engagements/{meeting.Id()}/attendees?format=csv")).Text;
        Assert.Contains(",\"Royal Society;=cmd|' /C calc'!A0\",", csv, StringComparison.Ordinal);
        // Split the way a spreadsheet set to ';' does, quotes respected: no cell starts a formula.
        foreach (var line in csv.Split("\r\n"))
        {
            Assert.DoesNotContain(SplitRespectingQuotes(line, ';'), cell => cell.Length > 0 && "=+-@".Contains(cell[0], StringComparison.Ordinal));
        }
    }

    private static List<string> SplitRespectingQuotes(string line, char separator)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == separator && !quoted)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }
}

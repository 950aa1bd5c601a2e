namespace CommissionPlanner.Domain.Tests;

public class AttendanceRulesTests
{
    private static readonly Guid Minister = Guid.Parse("10000000-0000-0000-0000-000000000001");
    private static readonly Guid Academic = Guid.Parse("10000000-0000-0000-0000-000000000002");
    private static readonly Guid Official = Guid.Parse("10000000-0000-0000-0000-000000000003");
    private static readonly Guid Interpreter = Guid.Parse("10000000-0000-0000-0000-000000000004");
    private static readonly Guid Adviser = Guid.Parse("10000000-0000-0000-0000-000000000005");

    private static AttendeeReply Accepted(Guid person, long order) => new(person, Response.Accepted, order);

    private static AttendeeReply Replied(Guid person, Response response) => new(person, response, 0);

    [Fact]
    public void With_unlimited_capacity_everyone_but_those_who_declined_attends()
    {
        AttendeeReply[] replies =
        [
            Accepted(Minister, 1),
            Replied(Academic, Response.Declined),
            Replied(Official, Response.NeedsAction),
            Replied(Interpreter, Response.Tentative),
        ];

        Assert.Equal(
            [
                new AttendanceStatus(Minister, Attendance.Attending, null),
                new AttendanceStatus(Academic, Attendance.NotAttending, null),
                new AttendanceStatus(Official, Attendance.Attending, null),
                new AttendanceStatus(Interpreter, Attendance.Attending, null),
            ],
            AttendanceRules.Compute(null, replies));
        Assert.Equal(1, AttendanceRules.CountAttending(null, replies));
    }

    [Fact]
    public void Places_go_by_acceptance_order_and_the_rest_wait_in_line_in_input_order_of_output()
    {
        AttendeeReply[] replies =
        [
            Accepted(Minister, 40),
            Accepted(Academic, 10),
            Accepted(Official, 30),
            Accepted(Interpreter, 20),
        ];

        var statuses = AttendanceRules.Compute(2, replies);

        Assert.Equal(
            [
                new AttendanceStatus(Minister, Attendance.Waiting, 2),
                new AttendanceStatus(Academic, Attendance.Attending, null),
                new AttendanceStatus(Official, Attendance.Waiting, 1),
                new AttendanceStatus(Interpreter, Attendance.Attending, null),
            ],
            statuses);
        Assert.Equal(2, AttendanceRules.CountAttending(2, replies));
    }

    [Fact]
    public void Invitees_who_have_not_accepted_hold_no_place_and_never_wait()
    {
        AttendeeReply[] replies =
        [
            Replied(Minister, Response.NeedsAction),
            Replied(Academic, Response.Tentative),
            Accepted(Official, 1),
            Accepted(Interpreter, 2),
        ];

        var statuses = AttendanceRules.Compute(1, replies);

        Assert.Equal(Attendance.Attending, statuses[0].Attendance);
        Assert.Equal(Attendance.Attending, statuses[1].Attendance);
        Assert.Equal(Attendance.Attending, statuses[2].Attendance);
        Assert.Equal(new AttendanceStatus(Interpreter, Attendance.Waiting, 1), statuses[3]);
    }

    [Fact]
    public void With_capacity_zero_everyone_who_accepts_waits()
    {
        AttendeeReply[] replies = [Accepted(Minister, 1), Accepted(Academic, 2), Replied(Official, Response.Declined)];

        Assert.Equal(
            [
                new AttendanceStatus(Minister, Attendance.Waiting, 1),
                new AttendanceStatus(Academic, Attendance.Waiting, 2),
                new AttendanceStatus(Official, Attendance.NotAttending, null),
            ],
            AttendanceRules.Compute(0, replies));
        Assert.Equal(0, AttendanceRules.CountAttending(0, replies));
    }

    [Fact]
    public void No_replies_means_no_statuses() => Assert.Empty(AttendanceRules.Compute(10, []));

    [Fact]
    public void A_negative_capacity_is_a_programming_error() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AttendanceRules.Compute(-1, []));

    [Fact]
    public void When_someone_with_a_place_declines_the_first_in_line_is_promoted_and_the_rest_move_up()
    {
        AttendeeReply[] replies =
        [
            Accepted(Minister, 1),
            Accepted(Academic, 2),
            Accepted(Official, 3),
            Accepted(Interpreter, 4),
            Accepted(Adviser, 5),
        ];
        var before = AttendanceRules.Compute(2, replies);

        replies[0] = Replied(Minister, Response.Declined);
        var after = AttendanceRules.Compute(2, replies);

        Assert.Equal([Official], AttendanceRules.Promoted(before, after));
        Assert.Equal(new AttendanceStatus(Interpreter, Attendance.Waiting, 1), after[3]);
        Assert.Equal(new AttendanceStatus(Adviser, Attendance.Waiting, 2), after[4]);
    }

    [Fact]
    public void Raising_the_capacity_promotes_people_in_the_order_they_waited()
    {
        AttendeeReply[] replies = [Accepted(Adviser, 5), Accepted(Interpreter, 4), Accepted(Official, 3), Accepted(Minister, 1)];
        var before = AttendanceRules.Compute(1, replies);
        var after = AttendanceRules.Compute(3, replies);

        Assert.Equal([Official, Interpreter], AttendanceRules.Promoted(before, after));
    }

    [Fact]
    public void Someone_who_waited_and_then_declined_is_not_promoted()
    {
        AttendeeReply[] replies = [Accepted(Minister, 1), Accepted(Academic, 2)];
        var before = AttendanceRules.Compute(1, replies);

        replies[1] = Replied(Academic, Response.Declined);
        var after = AttendanceRules.Compute(1, replies);

        Assert.Empty(AttendanceRules.Promoted(before, after));
    }

    [Fact]
    public void Accepting_again_after_declining_goes_to_the_back_of_the_line()
    {
        AttendeeReply[] replies = [Accepted(Minister, 1), Accepted(Academic, 2), Accepted(Official, 3)];
        replies[0] = Accepted(Minister, 4);

        var statuses = AttendanceRules.Compute(2, replies);

        Assert.Equal(new AttendanceStatus(Minister, Attendance.Waiting, 1), statuses[0]);
    }

    [Fact]
    public void Lowering_the_capacity_below_the_people_confirmed_is_refused_naming_both_numbers()
    {
        var error = AttendanceRules.ValidateCapacityChange(3, 5);

        Assert.Equal(
            "The capacity cannot be lowered to 3: 5 people have already been given a place. Choose at least 5, or ask attendees to decline first.",
            error);
    }

    [Theory]
    [InlineData(5, 5)]
    [InlineData(6, 5)]
    [InlineData(0, 0)]
    public void A_capacity_at_or_above_the_people_confirmed_is_allowed(int newCapacity, int accepted) =>
        Assert.Null(AttendanceRules.ValidateCapacityChange(newCapacity, accepted));

    [Fact]
    public void A_negative_capacity_is_refused() =>
        Assert.Equal("A capacity cannot be negative (got -1).", AttendanceRules.ValidateCapacityChange(-1, 0));

    [Fact]
    public void One_person_confirmed_is_singular() =>
        Assert.Contains("1 person has", AttendanceRules.ValidateCapacityChange(0, 1), StringComparison.Ordinal);
    [Fact]
    public void An_acceptance_needs_the_whole_list_to_place_it() =>
        Assert.Null(AttendanceRules.StatusWithoutList(Accepted(Minister, 1)));

    [Theory]
    [InlineData(Response.NeedsAction, Attendance.Attending)]
    [InlineData(Response.Tentative, Attendance.Attending)]
    [InlineData(Response.Declined, Attendance.NotAttending)]
    public void Any_other_reply_decides_its_status_alone(Response response, Attendance expected) =>
        Assert.Equal(new AttendanceStatus(Official, expected, null), AttendanceRules.StatusWithoutList(Replied(Official, response)));

    [Fact]
    public void A_status_without_the_list_is_the_status_the_whole_list_gives()
    {
        // Random lists, capacities and acceptance orders (ties included): wherever StatusWithoutList answers,
        // Compute over the whole list must answer the same, or a view of one attendee would disagree with the list.
        var random = new Random(11112025);
        var responses = Enum.GetValues<Response>();
        var answered = 0;
        for (var trial = 0; trial < 2_000; trial++)
        {
            var replies = Enumerable.Range(0, random.Next(1, 12))
                .Select(_ =>
                {
                    var response = responses[random.Next(responses.Length)];
                    return new AttendeeReply(Guid.NewGuid(), response, response == Response.Accepted ? random.Next(1, 6) : 0);
                })
                .ToArray();
            int? capacity = random.Next(4) == 0 ? null : random.Next(0, 6);

            var statuses = AttendanceRules.Compute(capacity, replies);
            for (var i = 0; i < replies.Length; i++)
            {
                if (AttendanceRules.StatusWithoutList(replies[i]) is { } alone)
                {
                    Assert.Equal(statuses[i], alone);
                    answered++;
                }
            }
        }

        Assert.True(answered > 1_000, $"only {answered} replies were answered without the list: the test must exercise them");
    }
}

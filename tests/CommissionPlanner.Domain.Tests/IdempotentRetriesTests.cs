using CommissionPlanner.Domain.Changes;

namespace CommissionPlanner.Domain.Tests;

public sealed class IdempotentRetriesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("add-attendee-2025-11-11T10:00/plenary#1")]
    [InlineData("~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}")]
    public void Visible_ascii_keys_up_to_200_characters_are_accepted(string key) => Assert.Null(IdempotentRetries.KeyProblem(key));

    [Fact]
    public void A_key_of_exactly_200_characters_is_accepted_and_201_is_not()
    {
        Assert.Null(IdempotentRetries.KeyProblem(new string('k', 200)));
        Assert.Contains("201", IdempotentRetries.KeyProblem(new string('k', 201)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData("tab\there")]
    [InlineData("ключ")]
    [InlineData("键")]
    [InlineData("line\nbreak")]
    public void Empty_keys_and_keys_with_invisible_or_non_ascii_characters_are_refused(string? key) =>
        Assert.NotNull(IdempotentRetries.KeyProblem(key));

    [Theory]
    // sameRequest, answered, applied, holderGone → decision
    [InlineData(false, true, true, false, RetryDecision.Mismatch)]
    [InlineData(false, false, false, true, RetryDecision.Mismatch)]
    [InlineData(true, true, true, false, RetryDecision.Replay)]
    [InlineData(true, true, false, true, RetryDecision.Replay)]
    [InlineData(true, false, false, false, RetryDecision.InProgress)]
    [InlineData(true, false, true, false, RetryDecision.InProgress)]
    [InlineData(true, false, false, true, RetryDecision.TakeOver)]
    [InlineData(true, false, true, true, RetryDecision.Recover)]
    public void A_repeat_gets_what_the_stored_state_says(bool sameRequest, bool answered, bool applied, bool holderGone, RetryDecision expected) =>
        Assert.Equal(expected, IdempotentRetries.Decide(sameRequest, answered, applied, holderGone));

    [Theory]
    [InlineData(201, false, true)]
    [InlineData(200, false, true)]
    [InlineData(400, false, true)]
    [InlineData(404, false, true)]
    [InlineData(422, false, true)]
    [InlineData(409, false, false)]
    [InlineData(429, false, false)]
    [InlineData(408, false, false)]
    [InlineData(503, false, false)]
    [InlineData(500, false, false)]
    [InlineData(409, true, true)]
    [InlineData(503, true, true)]
    public void Answers_are_kept_when_a_repeat_would_get_the_same_or_a_change_was_applied(int status, bool applied, bool kept) =>
        Assert.Equal(kept, IdempotentRetries.KeepAnswer(status, applied));
}

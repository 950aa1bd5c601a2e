using System.Globalization;
using CommissionPlanner.Domain.Languages;
using CommissionPlanner.Domain.Planning;

namespace CommissionPlanner.Domain.Tests;

public class InterpreterCoverageTests
{
    private static readonly Speaker Minister = Person("Lord Vallance", ["en"]);
    private static readonly Speaker ViceMinister = Person("Chen Jiachang", ["zh"]);
    private static readonly Speaker Secretary = Person("Sarah Brown", ["en", "zh"]);
    private static readonly Speaker Interpreter = Person("Joanna Wei", [], "en-zh");

    [Fact]
    public void A_meeting_in_one_language_needs_no_one()
    {
        Assert.Empty(InterpreterCoverage.Gaps([Minister, Person("Sir Chris Wormald", ["en"])]));
    }

    [Fact]
    public void A_language_everyone_shares_is_enough_even_when_some_have_others()
    {
        Assert.Empty(InterpreterCoverage.Gaps([Person("A", ["en", "fr"]), Person("B", ["zh", "en"]), Person("C", ["en"])]));
    }

    [Fact]
    public void Two_sides_with_no_shared_language_and_no_interpreter_each_have_a_gap_naming_the_other()
    {
        var gaps = InterpreterCoverage.Gaps([Minister, ViceMinister]);

        Assert.Equal([Minister.PersonId, ViceMinister.PersonId], gaps.Select(g => g.PersonId));
        Assert.Equal([ViceMinister], gaps[0].Others);
        Assert.Equal("Lord Vallance (en) shares no working language with Chen Jiachang (zh), and no attending interpreter covers en-zh.", gaps[0].Detail());
        Assert.Equal("At 'Bilateral', lord Vallance (en) shares no working language with Chen Jiachang (zh), and no attending interpreter covers en-zh.",
            gaps[0].Detail("Bilateral"));
    }

    [Fact]
    public void An_attending_interpreter_who_covers_the_pair_clears_it_in_either_direction()
    {
        Assert.Empty(InterpreterCoverage.Gaps([Minister, ViceMinister, Interpreter]));
        Assert.Empty(InterpreterCoverage.Gaps([Minister, ViceMinister, Person("Zheng Kaiwen", [], "zh-en")]));
    }

    [Fact]
    public void An_interpreter_for_another_pair_does_not_help()
    {
        var gaps = InterpreterCoverage.Gaps([Minister, ViceMinister, Person("Marie Dubois", [], "en-fr")]);

        Assert.Equal([Minister.PersonId, ViceMinister.PersonId], gaps.Select(g => g.PersonId));
    }

    [Fact]
    public void Someone_who_happens_to_speak_both_is_not_an_interpreter()
    {
        // The secretary follows everyone, but is at the table for their own work: the two principals still need one.
        var gaps = InterpreterCoverage.Gaps([Minister, ViceMinister, Secretary]);

        Assert.Equal([Minister.PersonId, ViceMinister.PersonId], gaps.Select(g => g.PersonId));
        Assert.Null(InterpreterCoverage.GapOf(Secretary.PersonId, [Minister, ViceMinister, Secretary]));
    }

    [Fact]
    public void People_whose_languages_are_not_recorded_never_cause_a_gap()
    {
        Assert.Empty(InterpreterCoverage.Gaps([Minister, Person("Unknown guest", [])]));
    }

    [Fact]
    public void Only_the_people_who_cannot_follow_someone_have_a_gap()
    {
        var french = Person("Marie Dubois", ["fr", "en"]);
        var gaps = InterpreterCoverage.Gaps([Minister, french, ViceMinister]);

        var gapOfFrench = Assert.Single(gaps, g => g.PersonId == french.PersonId);
        Assert.Equal([ViceMinister], gapOfFrench.Others);
        Assert.Equal([Minister, french], InterpreterCoverage.GapOf(ViceMinister.PersonId, [Minister, french, ViceMinister])!.Others);
    }

    [Fact]
    public void Gaps_computed_twice_are_equal()
    {
        Assert.Equal(InterpreterCoverage.Gaps([Minister, ViceMinister]), InterpreterCoverage.Gaps([Minister, ViceMinister]));
    }

    [Theory]
    [InlineData("en", "en")]
    [InlineData(" ZH ", "zh")]
    [InlineData("zh-Hans-CN", "zh")]
    [InlineData("en_GB", "en")]
    [InlineData("yue", "yue")]
    public void Language_tags_are_taken_as_their_language(string text, string code)
    {
        Assert.True(LanguageTags.TryNormalise(text, out var normalised));
        Assert.Equal(code, normalised);
    }

    [Theory]
    [InlineData("")]
    [InlineData("English")]
    [InlineData("e")]
    [InlineData("中文")]
    [InlineData("en--GB")]
    public void What_is_not_a_language_tag_is_refused(string text)
    {
        Assert.False(LanguageTags.TryNormalise(text, out _));
    }

    [Theory]
    [InlineData("en-zh")]
    [InlineData("zh-en")]
    [InlineData("zh/en")]
    [InlineData("EN <> ZH")]
    [InlineData("en–zh")]
    public void Pairs_are_read_in_any_order_and_kept_in_one(string text)
    {
        Assert.True(LanguagePair.TryParse(text, out var pair));
        Assert.Equal("en-zh", pair.ToString());
    }

    [Theory]
    [InlineData("en")]
    [InlineData("en-en")]
    [InlineData("en-zh-fr")]
    [InlineData("zh-Hans")]
    public void What_is_not_a_pair_is_refused(string text)
    {
        Assert.False(LanguagePair.TryParse(text, out _));
    }

    [Fact]
    public void Validation_normalises_drops_repeats_and_adds_an_interpreters_languages()
    {
        var errors = new FieldErrors();
        var spec = LanguageTags.Validate(["zh-CN", "zh", "en"], ["en-fr", "fr/en"], errors);

        Assert.False(errors.Any);
        Assert.Equal(["zh", "en", "fr"], spec!.Languages);
        Assert.Equal(["en-fr"], spec.InterpretsWire);
        Assert.True(spec.IsInterpreter);
    }

    [Fact]
    public void Validation_names_each_bad_entry_by_its_index()
    {
        var errors = new FieldErrors();

        Assert.Null(LanguageTags.Validate(["en", "Chinese"], ["en"], errors));
        var fields = errors.ToDictionary();
        Assert.Contains("languages[1]", fields.Keys);
        Assert.Contains("interprets[0]", fields.Keys);
    }

    [Fact]
    public void Validation_refuses_more_than_the_limit()
    {
        var errors = new FieldErrors();
        var many = new[] { "aa", "ab", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az" };

        Assert.Null(LanguageTags.Validate(many, [], errors));
        Assert.Contains("languages", errors.ToDictionary().Keys);
    }

    [Fact]
    public void Stored_languages_read_back_equal_to_what_was_validated()
    {
        var spec = LanguageTags.Validate(["en"], ["en-zh"], new FieldErrors())!;

        Assert.Equal(spec, LanguageSpec.FromStored(spec.Languages, spec.InterpretsWire));
    }

    [Fact]
    public void Language_names_follow_the_reader()
    {
        Assert.Equal("Chinese", LanguageTags.DisplayName("zh", CultureInfo.GetCultureInfo("en-GB")));
        Assert.Equal("中文", LanguageTags.DisplayName("zh", CultureInfo.GetCultureInfo("zh-CN")));
        // Named in Chinese, not in itself ("English") as the culture data would.
        Assert.Equal("英语", LanguageTags.DisplayName("en", CultureInfo.GetCultureInfo("zh-Hans")));
        Assert.Equal("qqq", LanguageTags.DisplayName("qqq", CultureInfo.GetCultureInfo("en-GB")));
    }

    private static Speaker Person(string name, string[] languages, params string[] interprets) =>
        new(Guid.NewGuid(), name, LanguageTags.Validate(languages, interprets, new FieldErrors())!);
}

public class InterpreterGapJsonTests
{
    [Fact]
    public void A_gap_crosses_grain_calls_as_json_unchanged()
    {
        // Grain calls carry domain records as JSON (GrainSerialization); an itinerary booking holds its gap.
        var errors = new CommissionPlanner.Domain.Planning.FieldErrors();
        var zh = new Speaker(Guid.NewGuid(), "Chen Jiachang", LanguageTags.Validate(["zh"], [], errors)!);
        var gap = new InterpreterGap(Guid.NewGuid(), "Lord Vallance", ["en"], [zh]);
        var interpreter = LanguageTags.Validate([], ["zh-en"], errors)!;

        var json = System.Text.Json.JsonSerializer.Serialize(gap);
        Assert.Equal(gap, System.Text.Json.JsonSerializer.Deserialize<InterpreterGap>(json));
        Assert.Equal(interpreter, System.Text.Json.JsonSerializer.Deserialize<LanguageSpec>(System.Text.Json.JsonSerializer.Serialize(interpreter)));
    }
}

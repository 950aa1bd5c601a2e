namespace CommissionPlanner.Calendar.Tests;

public class FeedLanguageTextTests
{
    [Theory]
    [InlineData(FeedLanguage.English, "Plenary", "全体会议", "Plenary")]
    [InlineData(FeedLanguage.Chinese, "Plenary", "全体会议", "全体会议")]
    [InlineData(FeedLanguage.Both, "Plenary", "全体会议", "Plenary / 全体会议")]
    [InlineData(FeedLanguage.Chinese, "Plenary", null, "Plenary")]
    [InlineData(FeedLanguage.Both, "Plenary", "", "Plenary")]
    [InlineData(FeedLanguage.Both, "", "全体会议", "全体会议")]
    public void A_feeds_language_picks_the_text_and_falls_back_to_english(FeedLanguage language, string english, string? chinese, string shown)
    {
        Assert.Equal(shown, FeedRenderer.InLanguage(english, chinese, language, " / "));
    }
}

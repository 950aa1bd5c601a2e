using NodaTime;

namespace CommissionPlanner.Data.Entities;

/// <summary>
/// The page language a person chose with the switch, kept for whoever signed in (an API key, a single sign-on subject),
/// so it follows them to another browser. Without a row, pages follow the browser's Accept-Language.
/// </summary>
public sealed class LanguageChoiceRecord
{
    /// <summary>Who chose: <c>key:{id}</c>, <c>user:{subject}</c> or <c>bootstrap</c> (Web/Ui/UiLanguages.HolderOf).</summary>
    public required string Holder { get; set; }

    /// <summary><c>en</c> or <c>zh</c>.</summary>
    public required string Language { get; set; }

    public Instant ChosenAt { get; set; }
}

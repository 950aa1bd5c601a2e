using System.Globalization;

namespace CommissionPlanner.Domain.Languages;

/// <summary>An attendee as interpreter coverage sees them: who they are and the languages they work in.</summary>
public sealed record Speaker(Guid PersonId, string Name, LanguageSpec Languages);

/// <summary>
/// Someone at an engagement who cannot follow some of the others: <see cref="PersonId"/> shares no working language with
/// <see cref="Others"/>, and no attending interpreter covers a pair between them.
/// </summary>
public sealed record InterpreterGap(Guid PersonId, string Name, IReadOnlyList<string> Languages, IReadOnlyList<Speaker> Others)
{
    /// <summary>
    /// A sentence for staff naming who cannot follow whom, and the pairs an interpreter could cover. The engagement's
    /// title comes first when given (an itinerary lists warnings apart from the engagements).
    /// </summary>
    public string Detail(string? engagementTitle = null)
    {
        var others = string.Join(", ", Others.Select(o => $"{o.Name} ({string.Join("/", o.Languages.Languages)})"));
        var pairs = string.Join(", ", Others.SelectMany(o => o.Languages.Languages)
            .SelectMany(theirs => Languages.Select(mine => new LanguagePair(mine, theirs).ToString())).Distinct());
        var at = engagementTitle is null ? "" : $"At '{engagementTitle}', ";
        var sentence = $"{Name} ({string.Join("/", Languages)}) shares no working language with {others}, and no attending interpreter covers {pairs}.";
        return at.Length == 0 ? sentence : at + char.ToLower(sentence[0], CultureInfo.InvariantCulture) + sentence[1..];
    }

    // Records compare lists by reference; two computations of the same gap must be equal (refreshes compare them).
    public bool Equals(InterpreterGap? other) =>
        other is not null && PersonId == other.PersonId && Name == other.Name && Languages.SequenceEqual(other.Languages) && Others.SequenceEqual(other.Others);

    public override int GetHashCode() => HashCode.Combine(PersonId, Others.Count);
}

/// <summary>
/// Whether everyone at an engagement can follow everyone else. Two attendees who share a working language need no one;
/// two who do not need an attending interpreter who covers a pair of their languages. Someone whose languages are not
/// recorded is not known to need anything, so they never cause a gap: the rule warns only about what it knows.
/// Interpreters are there to serve the others: they cover pairs, and are not themselves checked (an English–French
/// interpreter at a Chinese–English bilateral does not help, which shows as the principals' gap, not as theirs).
/// </summary>
public static class InterpreterCoverage
{
    /// <summary>Every attendee who cannot follow someone, in the order given; empty when all can follow all.</summary>
    public static IReadOnlyList<InterpreterGap> Gaps(IReadOnlyCollection<Speaker> attending)
    {
        ArgumentNullException.ThrowIfNull(attending);
        var known = attending.Where(s => s.Languages.Languages.Count > 0 && !s.Languages.IsInterpreter).ToList();
        if (known.Count < 2 || SharedByAll(known))
        {
            // The usual case, seen in one pass: a meeting in one language, or with a language everyone works in.
            return [];
        }

        var pairs = attending.SelectMany(s => s.Languages.Interprets).Distinct().ToList();
        var gaps = new List<InterpreterGap>();
        foreach (var person in known)
        {
            var others = known.Where(o => o.PersonId != person.PersonId && !CanFollow(person, o, pairs)).ToList();
            if (others.Count > 0)
            {
                gaps.Add(new InterpreterGap(person.PersonId, person.Name, person.Languages.Languages, others));
            }
        }

        return gaps;
    }

    /// <summary>The gap of one attendee, or null when they can follow everyone attending.</summary>
    public static InterpreterGap? GapOf(Guid personId, IReadOnlyCollection<Speaker> attending) =>
        Gaps(attending).FirstOrDefault(g => g.PersonId == personId);

    private static bool SharedByAll(List<Speaker> known) =>
        known[0].Languages.Languages.Any(code => known.All(s => s.Languages.Languages.Contains(code)));

    /// <summary>
    /// Whether a and b can follow each other: a shared language, or an interpreter between them.
    /// </summary>
    private static bool CanFollow(Speaker a, Speaker b, List<LanguagePair> pairs) =>
        a.Languages.Languages.Intersect(b.Languages.Languages).Any()
        || pairs.Any(p => a.Languages.Languages.Any(x => b.Languages.Languages.Any(y => p.Covers(x, y))));
}

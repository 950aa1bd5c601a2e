using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CommissionPlanner.Web.Ui;

/// <summary>
/// Validation and refusal messages in the reader's language. The domain, the grains and the endpoints write their
/// messages in English, often with values in them ("At most 8 working languages can be recorded."), and those messages
/// cross grain calls and the import as plain text. So they are translated where a person reads them, in one place: the
/// problem details of every answer (for a reader whose language is Chinese) and the pages' form errors.
/// </summary>
/// <remarks>
/// The catalogue is <c>Resources/Ui/Messages.zh-Hans.resx</c>: each key is an English message as a composite-format
/// template ("At most {0} working languages can be recorded."), each value its Chinese with the same placeholders. A
/// message is looked up whole first, then matched against the templates (most literal text first, so the most
/// specific template wins), and the values it carried are put into the Chinese template. A message the catalogue does
/// not know stays English: better a sentence in English than none (MessagesTests lists the ones that must translate).
/// </remarks>
public static class Messages
{
    private static readonly Lazy<Catalogue> Chinese = new(() => Catalogue.Load(UiLanguages.ChineseTexts));

    /// <summary>The message in the request's language (unchanged for English readers, or when it is not in the catalogue).</summary>
    public static string? Translate(string? message) =>
        message is null || UiLanguages.Current != UiLanguages.Chinese ? message : Chinese.Value.Translate(message);

    /// <summary>The Chinese catalogue itself, for tests.</summary>
    internal static Catalogue ChineseCatalogue => Chinese.Value;

    internal sealed class Catalogue
    {
        private readonly Dictionary<string, string> exact;
        private readonly List<(Regex Pattern, string Template)> templates;

        private Catalogue(Dictionary<string, string> exact, List<(Regex, string)> templates)
        {
            this.exact = exact;
            this.templates = templates;
        }

        public int Count => exact.Count + templates.Count;

        public static Catalogue Load(CultureInfo culture)
        {
            var manager = new System.Resources.ResourceManager("CommissionPlanner.Web.Resources.Ui.Messages", typeof(Messages).Assembly);
            var exact = new Dictionary<string, string>(StringComparer.Ordinal);
            var templates = new List<(Regex, string, int)>();
            var set = manager.GetResourceSet(culture, createIfNotExists: true, tryParents: false);
            foreach (DictionaryEntry entry in (IEnumerable?)set ?? Array.Empty<DictionaryEntry>())
            {
                if (entry.Key is not string key || entry.Value is not string value)
                {
                    continue;
                }

                if (Placeholder.IsMatch(key))
                {
                    templates.Add((PatternOf(key), value, Placeholder.Replace(key, "").Length));
                }
                else
                {
                    exact[key] = value;
                }
            }

            return new Catalogue(exact, templates.OrderByDescending(t => t.Item3).Select(t => (t.Item1, t.Item2)).ToList());
        }

        public string Translate(string message)
        {
            if (exact.TryGetValue(message, out var whole))
            {
                return whole;
            }

            foreach (var (pattern, template) in templates)
            {
                var match = pattern.Match(message);
                if (!match.Success)
                {
                    continue;
                }

                var values = new List<object?>();
                for (var i = 0; match.Groups[$"p{i}"] is { Success: true } group; i++)
                {
                    // A value may itself be a message the catalogue knows (a nested reason).
                    values.Add(exact.TryGetValue(group.Value, out var inner) ? inner : group.Value);
                }

                return string.Format(CultureInfo.InvariantCulture, template, values.ToArray());
            }

            return message;
        }

        /// <summary>"At most {0} rooms." → <c>^At\ most\ (?&lt;p0&gt;.+?)\ rooms\.$</c>; a repeated placeholder must repeat its value.</summary>
        private static Regex PatternOf(string template)
        {
            var pattern = new StringBuilder("^");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var at = 0;
            foreach (Match hole in Placeholder.Matches(template))
            {
                pattern.Append(Regex.Escape(template[at..hole.Index]));
                var name = $"p{hole.Groups[1].Value}";
                pattern.Append(seen.Add(name) ? $"(?<{name}>.+?)" : $"\\k<{name}>");
                at = hole.Index + hole.Length;
            }

            pattern.Append(Regex.Escape(template[at..])).Append('$');
            return new Regex(pattern.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
        }

        private static readonly Regex Placeholder = new(@"\{(\d+)\}", RegexOptions.CultureInvariant);
    }
}

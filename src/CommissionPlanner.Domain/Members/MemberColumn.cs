namespace CommissionPlanner.Domain.Members;

/// <summary>A member field a spreadsheet column can fill: the member's details and their needs.</summary>
public enum MemberColumn
{
    FullName,
    LocalName,
    Organisation,
    Title,
    Email,
    Role,
    Dietary,
    Accessibility,
    InterpreterLanguage,
    Nationality,
    SecurityClearance,
}

/// <summary>
/// The wire names of <see cref="MemberColumn"/> (the JSON names of the member and logistics resources), the header each
/// has in an exported sheet, and the headers, English or Chinese, a sheet from elsewhere is likely to use for it.
/// </summary>
public static class MemberColumns
{
    private static readonly WireNameMap<MemberColumn> Map = new(
        (MemberColumn.FullName, "fullName"),
        (MemberColumn.LocalName, "localName"),
        (MemberColumn.Organisation, "organisation"),
        (MemberColumn.Title, "title"),
        (MemberColumn.Email, "email"),
        (MemberColumn.Role, "role"),
        (MemberColumn.Dietary, "dietary"),
        (MemberColumn.Accessibility, "accessibility"),
        (MemberColumn.InterpreterLanguage, "interpreterLanguage"),
        (MemberColumn.Nationality, "nationality"),
        (MemberColumn.SecurityClearance, "securityClearance"));

    /// <summary>The columns a sheet must map: the member fields every member has and that a row cannot do without.</summary>
    public static IReadOnlyList<MemberColumn> Required { get; } =
        [MemberColumn.FullName, MemberColumn.Organisation, MemberColumn.Title, MemberColumn.Email];

    /// <summary>Every column, in the order an exported sheet has them.</summary>
    public static IReadOnlyList<MemberColumn> All { get; } = Enum.GetValues<MemberColumn>();

    /// <summary>The needs: sensitive, for organisers only, never in feeds, logs or audit values.</summary>
    public static bool IsNeed(this MemberColumn column) => column >= MemberColumn.Dietary;

    public static IReadOnlyList<string> WireNames => Map.Names;

    public static bool TryParse(string? wire, out MemberColumn value) => Map.TryParse(wire, out value);

    public static string ToWire(this MemberColumn value) => Map.ToWire(value);

    /// <summary>The header an exported sheet gives the column (and that <see cref="Recognise"/> maps back to it).</summary>
    public static string Header(this MemberColumn column) => column switch
    {
        MemberColumn.FullName => "Full name",
        MemberColumn.LocalName => "Local name",
        MemberColumn.Organisation => "Organisation",
        MemberColumn.Title => "Title",
        MemberColumn.Email => "E-mail",
        MemberColumn.Role => "Role",
        MemberColumn.Dietary => "Dietary",
        MemberColumn.Accessibility => "Accessibility",
        MemberColumn.InterpreterLanguage => "Interpreter language",
        MemberColumn.Nationality => "Nationality",
        MemberColumn.SecurityClearance => "Security clearance",
        _ => throw new ArgumentOutOfRangeException(nameof(column), column, null),
    };

    // Headers seen in delegation lists, compared after Key() folds case, spaces and punctuation away. The Chinese 姓名
    // ("name") is the name in Chinese script, so it fills localName when the sheet also has a Latin name; otherwise it is
    // the only name there is (see MemberSheet.Suggest).
    private static readonly Dictionary<string, MemberColumn> Synonyms = Build(
        (MemberColumn.FullName, ["fullname", "name", "englishname", "nameinenglish", "latinname", "namelatin", "pinyin", "英文姓名", "英文名", "姓名英文", "拼音", "拼音姓名"]),
        (MemberColumn.LocalName, ["localname", "nativename", "chinesename", "nameinchinese", "namelocal", "姓名", "中文姓名", "中文名", "中文名字"]),
        (MemberColumn.Organisation, ["organisation", "organization", "institution", "employer", "affiliation", "department", "单位", "工作单位", "机构", "所在单位", "部门"]),
        (MemberColumn.Title, ["title", "job", "jobtitle", "position", "post", "rank", "职务", "职位", "职称", "头衔"]),
        (MemberColumn.Email, ["email", "emailaddress", "mail", "电子邮箱", "邮箱", "电子邮件", "邮件", "邮箱地址"]),
        (MemberColumn.Role, ["role", "delegationrole", "roleindelegation", "角色", "身份", "团内职务"]),
        (MemberColumn.Dietary, ["dietary", "diet", "dietaryneeds", "dietaryrequirements", "dietaryrequirement", "饮食", "饮食要求", "饮食需求", "餐饮要求", "饮食禁忌"]),
        (MemberColumn.Accessibility, ["accessibility", "access", "accessneeds", "accessibilityneeds", "mobility", "无障碍", "无障碍需求", "行动需求", "特殊需求"]),
        (MemberColumn.InterpreterLanguage, ["interpreterlanguage", "interpreter", "interpretation", "language", "翻译语言", "口译语言", "口译", "翻译"]),
        (MemberColumn.Nationality, ["nationality", "citizenship", "国籍"]),
        (MemberColumn.SecurityClearance, ["securityclearance", "clearance", "vetting", "安全许可", "安全级别", "涉密等级", "安全审查"]));

    /// <summary>The column a header most likely means, or null when it means none of them.</summary>
    public static MemberColumn? Recognise(string header) =>
        TryParse(header?.Trim(), out var exact) ? exact : Synonyms.TryGetValue(Key(header ?? string.Empty), out var column) ? column : null;

    /// <summary>True when the header is one of the Chinese words for "name", which means the local name only beside a Latin one.</summary>
    internal static bool IsBareChineseName(string header) => Key(header) is "姓名";

    private static Dictionary<string, MemberColumn> Build(params (MemberColumn Column, string[] Words)[] entries)
    {
        var map = new Dictionary<string, MemberColumn>(StringComparer.Ordinal);
        foreach (var (column, words) in entries)
        {
            map[Key(column.Header())] = column;
            foreach (var word in words)
            {
                map[word] = column;
            }
        }

        return map;
    }

    /// <summary>Lower case, letters and digits only: "E-mail address" and "email_address" are one key; so are 邮箱 and 邮箱：.</summary>
    private static string Key(string header) =>
        string.Concat(header.Normalize(System.Text.NormalizationForm.FormKC).Where(char.IsLetterOrDigit)).ToLowerInvariant();
}

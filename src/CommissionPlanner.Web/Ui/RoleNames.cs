using CommissionPlanner.Web.Security;
using Microsoft.Extensions.Localization;

namespace CommissionPlanner.Web.Ui;

/// <summary>Roles as people read them (the wire names are <c>admin</c>, <c>organiser</c> …).</summary>
public static class RoleNames
{
    private static readonly IStringLocalizer L = Localised.For(typeof(RoleNames));

    public static string Label(string role) => role switch
    {
        Roles.Admin => L["administrator"],
        Roles.Organiser => L["organiser"],
        Roles.Reviewer => L["reviewer"],
        Roles.Delegate => L["delegate"],
        Roles.Viewer => L["viewer"],
        _ => role,
    };
}

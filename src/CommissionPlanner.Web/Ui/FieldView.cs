namespace CommissionPlanner.Web.Ui;

/// <summary>One labelled input of a simple form; <see cref="Name"/> is the API's JSON field name.</summary>
internal sealed record FieldView(string Name, string Label, string? Value, FormErrors Errors, string Type = "text", bool Required = false, string? Hint = null);

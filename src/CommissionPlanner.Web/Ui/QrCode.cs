using Microsoft.AspNetCore.Html;
using QRCoder;

namespace CommissionPlanner.Web.Ui;

/// <summary>A QR code as inline SVG (no image request, nothing leaves the page), for a feed URL to scan from a screen.</summary>
internal static class QrCode
{
    public static IHtmlContent Svg(string text, string label)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(4, "#000000", "#ffffff", drawQuietZones: true, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
        // Name it for assistive technology; the text link beside it is the accessible equivalent.
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        svg = svg[start..];
        svg = string.Concat("<svg role=\"img\" class=\"qr\" aria-label=\"", System.Net.WebUtility.HtmlEncode(label), "\"", svg.AsSpan(4));
        return new HtmlString(svg);
    }
}

using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CommissionPlanner.Web.Operations;

/// <summary>The Idempotency-Key header in the OpenAPI document, on every POST under /api (docs/idempotency.md).</summary>
internal static class IdempotencyOpenApi
{
    public static Task DescribeHeader(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (string.Equals(context.Description.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase)
            && context.Description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyMiddleware.Header,
                In = ParameterLocation.Header,
                Required = false,
                Description = "1–200 visible ASCII characters, new for each change and the same on every retry of it: a repeat within 24 hours " +
                    "gets the first answer and changes nothing (Idempotent-Replayed: true); the same key with another request is 422.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 200 },
            });
        }

        return Task.CompletedTask;
    }
}

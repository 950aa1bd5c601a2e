#!/usr/bin/env bash
# Writes the database migrations as one idempotent SQL script (every migration, each applied only if it is not
# yet recorded in __EFMigrationsHistory), with the repo's pinned dotnet-ef tool (dotnet-tools.json).
#
#   deploy/migrations/make-sql.sh [OUTPUT]     default OUTPUT: deploy/migrations/out/planner-migrations.sql
#
# Apply it as the schema owner, e.g.  psql "$ADMIN_URL" -v ON_ERROR_STOP=1 -f planner-migrations.sql
# It needs no database: the script comes from the migrations in src/CommissionPlanner.Data/Migrations.
# The other deploy step, `dotnet CommissionPlanner.Web.dll --migrate-only`, applies the same migrations directly.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:-$repo_root/deploy/migrations/out/planner-migrations.sql}
mkdir -p "$(dirname "$out")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

cd "$repo_root"
dotnet tool restore >/dev/null
dotnet tool run dotnet-ef migrations script --idempotent \
  --project src/CommissionPlanner.Data \
  --startup-project src/CommissionPlanner.Data \
  --output "$out"
echo "$out"

-- =============================================================================================
-- Orleans ADO.NET storage for PostgreSQL (15+): clustering (membership) and reminders.
--
-- Written for Microsoft.Orleans.Clustering.AdoNet 10.4.2 and Microsoft.Orleans.Reminders.AdoNet
-- 10.4.2 with Invariant "Npgsql". See README.md next to this file for the contract (query keys,
-- parameters, result columns) and where it was learned from.
--
-- How Orleans uses this:
--   * At start-up each provider runs `SELECT QueryKey, QueryText FROM OrleansQuery` and refuses to
--     start if a required key is missing. Afterwards it issues ONLY those query texts, binding
--     parameters by name (@DeploymentId, @Address, ...), and reads result columns by name.
--   * Orleans' own SQL is unquoted, so PostgreSQL folds every identifier to lower case. Everything
--     here is unquoted as well: OrleansQuery is really `orleansquery`, Version is `version`, etc.
--     Npgsql matches result column names case-insensitively, so `Version` finds `version`.
--     Never quote these identifiers, or Orleans will not find them.
--   * All objects are created unqualified, i.e. in the first schema of the search_path of the
--     connection that runs this script. The Orleans connection string must see that same schema.
--
-- The script is safe to run more than once: tables use IF NOT EXISTS, functions use OR REPLACE,
-- and query texts are upserted (re-running it updates the stored texts).
-- It uses no psql meta-commands, so it can be executed as a single Npgsql command batch
-- (e.g. from an EF Core migration through migrationBuilder.Sql(...)).
-- =============================================================================================


-- ---------------------------------------------------------------------------------------------
-- Query table shared by all Orleans ADO.NET providers.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,

    CONSTRAINT PK_OrleansQuery PRIMARY KEY (QueryKey)
);


-- =============================================================================================
-- (a) CLUSTERING
-- =============================================================================================

-- One row per cluster (Orleans passes ClusterOptions.ClusterId as @DeploymentId).
-- Version is the membership table's optimistic-concurrency etag: every InsertMembershipKey /
-- UpdateMembershipKey must present the current Version and bumps it by one on success.
-- The row is NOT created here: a silo creates it on start-up through InsertMembershipVersionKey.
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),  -- last change, for humans only
    Version      integer        NOT NULL DEFAULT 0,      -- Orleans parses it as Int32

    CONSTRAINT PK_OrleansMembershipVersionTable PRIMARY KEY (DeploymentId)
);

-- One row per silo incarnation (address + port + generation).
-- Times are timestamptz with millisecond precision: Orleans sends and expects UTC, and the
-- per-row cleanup query compares StartTime/IAmAliveTime for equality with values Orleans read
-- back from this table, which only works if they round-trip unchanged (they do at (3)).
CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL,
    Address      varchar(45)    NOT NULL,  -- IPv4 or IPv6 text form
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     text           NOT NULL,
    HostName     text           NOT NULL,
    Status       integer        NOT NULL,  -- Orleans SiloStatus: 3 = Active, 6 = Dead
    ProxyPort    integer        NOT NULL DEFAULT 0,  -- gateway port, 0 = not a gateway; read as Int32, so never NULL
    SuspectTimes text           NULL,      -- "silo,date|silo,date" written by Orleans, opaque to SQL
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,

    CONSTRAINT PK_OrleansMembershipTable PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_OrleansMembershipTable_Version FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- Insert a silo row, guarded by the table version.
-- Returns true only if the expected version matched AND the row was new; in that case the version
-- is bumped. When it returns false nothing has been written.
-- Locking the version row first (FOR UPDATE, re-checked after any wait) serialises all membership
-- writers of a cluster, so two silos racing with the same etag cannot both succeed.
CREATE OR REPLACE FUNCTION orleans_membership_insert(
    p_deployment_id    text,
    p_address          text,
    p_port             integer,
    p_generation       integer,
    p_silo_name        text,
    p_host_name        text,
    p_status           integer,
    p_proxy_port       integer,
    p_start_time       timestamptz,
    p_i_am_alive_time  timestamptz,
    p_expected_version integer)
RETURNS boolean
LANGUAGE plpgsql
AS $fn$
BEGIN
    PERFORM 1
    FROM OrleansMembershipVersionTable
    WHERE DeploymentId = p_deployment_id
      AND Version = p_expected_version
      AND Version < 2147483647          -- the etag is an Int32 on the Orleans side
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;                   -- stale etag (or no version row): Orleans re-reads and retries
    END IF;

    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName,
         Status, ProxyPort, StartTime, IAmAliveTime)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name,
         p_status, p_proxy_port, p_start_time, p_i_am_alive_time)
    ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;
    IF NOT FOUND THEN
        RETURN false;                   -- this silo incarnation is already registered
    END IF;

    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = p_deployment_id;
    RETURN true;
END
$fn$;

-- Update a silo row (status, suspicions, heartbeat), guarded by the table version.
-- Same contract as orleans_membership_insert: true = row updated and version bumped, false = no change.
-- IAmAliveTime never moves backwards (a late, older heartbeat must not hide a newer one).
CREATE OR REPLACE FUNCTION orleans_membership_update(
    p_deployment_id    text,
    p_address          text,
    p_port             integer,
    p_generation       integer,
    p_status           integer,
    p_suspect_times    text,
    p_i_am_alive_time  timestamptz,
    p_expected_version integer)
RETURNS boolean
LANGUAGE plpgsql
AS $fn$
BEGIN
    PERFORM 1
    FROM OrleansMembershipVersionTable
    WHERE DeploymentId = p_deployment_id
      AND Version = p_expected_version
      AND Version < 2147483647
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE OrleansMembershipTable
    SET Status       = p_status,
        SuspectTimes = p_suspect_times,
        IAmAliveTime = GREATEST(IAmAliveTime, p_i_am_alive_time)
    WHERE DeploymentId = p_deployment_id
      AND Address = p_address
      AND Port = p_port
      AND Generation = p_generation;
    IF NOT FOUND THEN
        RETURN false;                   -- unknown silo: leave the version alone
    END IF;

    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = p_deployment_id;
    RETURN true;
END
$fn$;


-- ---------------------------------------------------------------------------------------------
-- Clustering query texts. Dollar quoting ($q$ ... $q$) keeps the SQL readable without doubling
-- quotes. Each text may only use the parameters Orleans binds for that key (see README.md):
-- an unbound @Name is passed to PostgreSQL verbatim and fails.
-- ---------------------------------------------------------------------------------------------
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Silo start-up. Params: @DeploymentId. Must return one row with one column, true if the
-- version row was created now, false if it already existed.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (@DeploymentId)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created) AS Created;
$q$),

-- Params: @DeploymentId @Address @Port @Generation @SiloName @HostName @Status @ProxyPort
--         @StartTime @IAmAliveTime @Version (the table version etag the silo last read).
-- Returns one row, one boolean column.
('InsertMembershipKey', $q$
SELECT orleans_membership_insert(
    p_deployment_id    => @DeploymentId,
    p_address          => @Address,
    p_port             => @Port,
    p_generation       => @Generation,
    p_silo_name        => @SiloName,
    p_host_name        => @HostName,
    p_status           => @Status,
    p_proxy_port       => @ProxyPort,
    p_start_time       => @StartTime,
    p_i_am_alive_time  => @IAmAliveTime,
    p_expected_version => @Version) AS Inserted;
$q$),

-- Params: @DeploymentId @Address @Port @Generation @Status @SuspectTimes (may be NULL)
--         @IAmAliveTime @Version. Returns one row, one boolean column.
('UpdateMembershipKey', $q$
SELECT orleans_membership_update(
    p_deployment_id    => @DeploymentId,
    p_address          => @Address,
    p_port             => @Port,
    p_generation       => @Generation,
    p_status           => @Status,
    p_suspect_times    => @SuspectTimes,
    p_i_am_alive_time  => @IAmAliveTime,
    p_expected_version => @Version) AS Updated;
$q$),

-- Heartbeat; does not touch the version. Params: @DeploymentId @Address @Port @Generation
-- @IAmAliveTime. Result ignored.
('UpdateIAmAlivetimeKey', $q$
UPDATE OrleansMembershipTable
SET IAmAliveTime = GREATEST(IAmAliveTime, @IAmAliveTime)
WHERE DeploymentId = @DeploymentId
  AND Address = @Address
  AND Port = @Port
  AND Generation = @Generation;
$q$),

-- Params: @DeploymentId @Address @Port @Generation.
-- Must return AT LEAST ONE row: Orleans takes the etag from the first row's Version and treats a
-- NULL StartTime as "no such silo". Hence the version row drives a LEFT JOIN.
('MembershipReadRowKey', $q$
SELECT
    v.DeploymentId,
    m.Address, m.Port, m.Generation,
    m.SiloName, m.HostName, m.Status, m.ProxyPort,
    m.SuspectTimes, m.StartTime, m.IAmAliveTime,
    v.Version
FROM OrleansMembershipVersionTable AS v
LEFT JOIN OrleansMembershipTable AS m
       ON m.DeploymentId = v.DeploymentId
      AND m.Address = @Address
      AND m.Port = @Port
      AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId;
$q$),

-- Params: @DeploymentId. Same shape and same at-least-one-row rule as MembershipReadRowKey.
('MembershipReadAllKey', $q$
SELECT
    v.DeploymentId,
    m.Address, m.Port, m.Generation,
    m.SiloName, m.HostName, m.Status, m.ProxyPort,
    m.SuspectTimes, m.StartTime, m.IAmAliveTime,
    v.Version
FROM OrleansMembershipVersionTable AS v
LEFT JOIN OrleansMembershipTable AS m
       ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId;
$q$),

-- Used by clients (and silos) to find gateways. Params: @DeploymentId @Status (always 3 = Active).
-- Returns Address, ProxyPort, Generation per active gateway silo.
('GatewaysQueryKey', $q$
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = @Status
  AND ProxyPort > 0;
$q$),

-- Removes the whole cluster (members and version row). Params: @DeploymentId. Result ignored.
-- One statement, so the FK is checked only after both deletes.
('DeleteMembershipTableEntriesKey', $q$
WITH removed_members AS (
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId
)
DELETE FROM OrleansMembershipVersionTable
WHERE DeploymentId = @DeploymentId;
$q$),

-- Required key, but with CleanupDefunctSiloEntryKey present Orleans 10.4.2 does not call it;
-- it is the fallback bulk cleanup. Params: @DeploymentId @IAmAliveTime (the cut-off).
-- Conservative: only Dead (6) rows that started and last heartbeated before the cut-off and
-- carry no suspicion votes (SQL cannot judge the vote dates inside SuspectTimes).
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = 6
  AND IAmAliveTime < @IAmAliveTime
  AND StartTime < @IAmAliveTime
  AND COALESCE(SuspectTimes, '') = '';
$q$),

-- Optional key (10.4.2 uses it when present). Orleans reads all rows, decides in .NET which Dead
-- rows are older than the cut-off, and deletes each one only if it is still exactly what it read.
-- Params: @DeploymentId @Address @Port @Generation @SuspectTimes (may be NULL) @StartTime
-- @IAmAliveTime. Result ignored. NULL and '' SuspectTimes mean the same thing to Orleans.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Address = @Address
  AND Port = @Port
  AND Generation = @Generation
  AND Status = 6
  AND StartTime = @StartTime
  AND IAmAliveTime = @IAmAliveTime
  AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
$q$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;


-- =============================================================================================
-- (b) REMINDERS
-- =============================================================================================

-- One row per reminder. ServiceId is ClusterOptions.ServiceId; GrainId is GrainId.ToString().
-- GrainHash is the grain's uniform hash (a uint) reinterpreted as a signed int32 by Orleans; the
-- range queries below compare it in that signed form. Period is milliseconds (Orleans sends an
-- int or a bigint depending on size). Version is the reminder's etag.
CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    varchar(150)   NOT NULL,
    GrainId      text           NOT NULL,
    ReminderName text           NOT NULL,
    StartTime    timestamptz(3) NOT NULL,
    Period       bigint         NOT NULL,
    GrainHash    integer        NOT NULL,
    Version      integer        NOT NULL,

    CONSTRAINT PK_OrleansRemindersTable PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Each silo periodically reads the reminders of its hash range.
CREATE INDEX IF NOT EXISTS IX_OrleansRemindersTable_ServiceId_GrainHash
    ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Params: @ServiceId @GrainId. Returns GrainId, ReminderName, StartTime, Period, Version.
('ReadReminderRowsKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId;
$q$),

-- Params: @ServiceId @GrainId @ReminderName. Zero or one row, same columns.
('ReadReminderRowKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId
  AND ReminderName = @ReminderName;
$q$),

-- Used when (int)@BeginHash < (int)@EndHash: the range (Begin, End] does not wrap.
-- Params: @ServiceId @BeginHash @EndHash (signed int32).
('ReadRangeRows1Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainHash > @BeginHash
  AND GrainHash <= @EndHash;
$q$),

-- Used otherwise: the range wraps around (and Begin = End means the whole ring).
('ReadRangeRows2Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
$q$),

-- Insert or replace. Params: @ServiceId @GrainId @ReminderName @StartTime @Period @GrainHash.
-- Must return one row with a column named Version: the new etag (0 for a new reminder).
('UpsertReminderRowKey', $q$
INSERT INTO OrleansRemindersTable
    (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
SET StartTime = EXCLUDED.StartTime,
    Period    = EXCLUDED.Period,
    GrainHash = EXCLUDED.GrainHash,
    -- wrap instead of overflowing; an etag only has to differ from the previous one
    Version   = CASE WHEN OrleansRemindersTable.Version = 2147483647 THEN 0
                     ELSE OrleansRemindersTable.Version + 1 END
RETURNING Version;
$q$),

-- Delete one reminder if its etag still matches. Params: @ServiceId @GrainId @ReminderName
-- @Version. Returns one row, one boolean column: true if a row was deleted.
('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId
      AND GrainId = @GrainId
      AND ReminderName = @ReminderName
      AND Version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted) AS Deleted;
$q$),

-- Test/maintenance helper: drop every reminder of the service. Params: @ServiceId.
('DeleteReminderRowsKey', $q$
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId;
$q$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CommissionPlanner.Benchmarks;

// dotnet run -c Release --project tests/CommissionPlanner.Benchmarks -- feeds|itinerary|import|all [--quick] [BenchmarkDotNet options]
// dotnet run -c Release --project tests/CommissionPlanner.Benchmarks -- generate --out FILE [--people N --engagements N --slots N --events N --packed true|false --external-id ID --name NAME]
// dotnet tests/CommissionPlanner.Benchmarks/bin/Release/net10.0/CommissionPlanner.Benchmarks.dll drill --base URL --key KEY --connection PG (deploy/perf/fault-drill.sh)
// See docs/performance.md.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: CommissionPlanner.Benchmarks feeds|itinerary|import|all [--quick] [BenchmarkDotNet options] | generate --out FILE [--people N --engagements N --slots N --events N --packed true|false --external-id ID --name NAME] | bare --file FEED.ics --port N");
    return 2;
}

var rest = args.Skip(1).ToList();
if (args[0] == "drill")
{
    return await FaultDrill.RunAsync(rest);
}

if (args[0] == "render")
{
    // Cold renders of one generated organiser feed in this process, each from an empty render cache: what the first
    // GET of a large feed after a start pays for the render (docs/performance.md). render [EVENTS ATTENDEES PEOPLE RENDERS]
    var numbers = rest.Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    var (eventCount, perEvent, peopleCount, renders) = numbers.Length == 4 ? (numbers[0], numbers[1], numbers[2], numbers[3]) : (5000, 40, 20000, 5);
    var feed = FeedBenchmarks.Calendar(eventCount, perEvent, organiser: true, peopleCount);
    for (var i = 1; i <= renders; i++)
    {
        var (allocated, collections) = (GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(0));
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var bytes = CommissionPlanner.Calendar.FeedRenderer.RenderUtf8(feed, new CommissionPlanner.Calendar.FeedRenderCache(1L << 30));
        Console.WriteLine(
            $"render {i}: {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms, {bytes.Length / 1024} KiB, "
            + $"{(GC.GetTotalAllocatedBytes(precise: true) - allocated) / (1024 * 1024)} MiB allocated, {GC.CollectionCount(0) - collections} collections");
    }

    return 0;
}

if (args[0] == "bare")
{
    return await BareFeedServer.RunAsync(rest);
}

if (args[0] == "generate")
{
    var shape = ProgrammeShape.LoadTest;
    string? output = null;
    var externalId = "perf";
    string? name = null;
    for (var i = 0; i + 1 < rest.Count; i += 2)
    {
        var value = rest[i + 1];
        int Number() => int.Parse(value, CultureInfo.InvariantCulture);
        shape = rest[i] switch
        {
            "--people" => shape with { People = Number() },
            "--engagements" => shape with { Engagements = Number() },
            "--slots" => shape with { Slots = Number() },
            "--events" => shape with { EventsPerPerson = Number() },
            // --packed false: each person's events spread over all the slots (every Slots / events-th), as in the
            // import benchmark's shape, instead of the load test's slots 0 to events - 1.
            "--packed" => shape with { Packed = bool.Parse(value) },
            "--out" or "--external-id" or "--name" => shape,
            _ => throw new ArgumentException($"unknown option {rest[i]}"),
        };
        switch (rest[i])
        {
            case "--out":
                output = value;
                break;
            case "--external-id":
                externalId = value;
                break;
            case "--name":
                name = value;
                break;
        }
    }

    var json = JsonSerializer.SerializeToUtf8Bytes(ProgrammeGenerator.Generate(shape, externalId, name), JsonSerializerOptions.Web);
    if (output is null)
    {
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(json);
    }
    else
    {
        File.WriteAllBytes(output, json);
    }

    return 0;
}

// --quick: one launch, one warm-up and five measured iterations (the import: one warm-up, three), so a run takes minutes.
var quick = rest.Remove("--quick");
var inProcess = InProcessEmitToolchain.Instance;
var job = quick
    ? Job.Default.WithToolchain(inProcess).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5).WithId("quick")
    : Job.Default.WithToolchain(inProcess).WithId("default");
var importJob = Job.Default.WithToolchain(inProcess).WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1)
    .WithWarmupCount(1).WithIterationCount(quick ? 3 : 5).WithId(quick ? "import-quick" : "import");
// In-process: no generated project to build (it would inherit this repository's warnings-as-errors build rules).
var config = DefaultConfig.Instance.WithOptions(ConfigOptions.DisableOptimizationsValidator);
// Reports go to the repository's git-ignored .data/benchmarks/ unless --artifacts says otherwise.
var root = new DirectoryInfo(AppContext.BaseDirectory);
while (root is not null && !File.Exists(Path.Combine(root.FullName, "CommissionPlanner.sln")))
{
    root = root.Parent;
}

if (root is not null && !rest.Contains("--artifacts"))
{
    config = config.WithArtifactsPath(Path.Combine(root.FullName, ".data", "benchmarks"));
}

var types = args[0] switch
{
    "feeds" => [typeof(FeedBenchmarks)],
    "itinerary" => [typeof(ItineraryBenchmarks)],
    "import" => [typeof(ImportBenchmarks)],
    "all" => new[] { typeof(FeedBenchmarks), typeof(ItineraryBenchmarks), typeof(ImportBenchmarks) },
    _ => null,
};
if (types is null)
{
    Console.Error.WriteLine($"unknown command '{args[0]}'");
    return 2;
}

foreach (var type in types)
{
    BenchmarkRunner.Run(type, config.AddJob(type == typeof(ImportBenchmarks) ? importJob : job), [.. rest]);
}

return 0;

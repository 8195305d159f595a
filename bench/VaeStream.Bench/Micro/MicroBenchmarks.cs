using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using VaeStream.Model;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Windowing;
using VaeStream.Simulation;

namespace VaeStream.Bench.Micro;

/// <summary>
/// BenchmarkDotNet micro-benchmarks, in process (no generated projects to restore offline), short runs. Each reports
/// time per event: the loops cover a fixed number of events and declare it as the operations per invoke.
/// </summary>
public static class MicroBenchmarks
{
    public const int Events = 4096;

    public static void Run(string[] args)
    {
        TorchRuntime.Initialize(threads: 1);
        IConfig config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .AddExporter(MarkdownExporter.GitHub)
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        BenchmarkSwitcher.FromTypes([typeof(FeatureBenchmarks), typeof(ScoringBenchmarks), typeof(TrainingBenchmarks)]).Run(args.Length > 0 ? args : ["--filter", "*"], config);
    }

    /// <summary>A detector trained for one epoch on 5,000 events: its weights do not matter for timing, only its shape.</summary>
    internal static AnomalyDetector QuickDetector(FeatureSchema schema)
    {
        DetectorOptions options = BenchInputs.OpsModelOptions();
        return DetectorTrainer.Train(BenchInputs.Table(schema, 5_000, hosts: 20, seed: 4), options with { Training = options.Training with { Epochs = 1 } });
    }
}

/// <summary>JSON → feature row, and row → scaled model input (scaler plus per-entity window), per event.</summary>
public class FeatureBenchmarks
{
    private byte[][] events = [];
    private float[] row = [];
    private float[] input = [];
    private JsonFeatureExtractor extractor = null!;
    private RowPreparer preparer = null!;
    private string[] hosts = [];

    [GlobalSetup]
    public void Setup()
    {
        FeatureSchema schema = BenchInputs.OpsSchema();
        events = new OpsEventGenerator(hosts: 20, anomalyRate: 0.01, seed: 3).Generate(MicroBenchmarks.Events).Select(e => e.Value).ToArray();
        extractor = new JsonFeatureExtractor(schema);
        using AnomalyDetector detector = MicroBenchmarks.QuickDetector(schema);
        preparer = detector.CreatePreparer();
        row = new float[schema.FeatureCount];
        input = new float[schema.InputWidth];
        hosts = Enumerable.Range(0, 20).Select(h => $"h{h:D2}").ToArray();
    }

    [Benchmark(OperationsPerInvoke = MicroBenchmarks.Events, Description = "extract features from an ops event (8 fields, one nested object)")]
    public void Extract()
    {
        foreach (byte[] e in events)
        {
            extractor.Extract(e, row);
        }
    }

    [Benchmark(OperationsPerInvoke = MicroBenchmarks.Events, Description = "scale + assemble the model input for an entity")]
    public void Prepare()
    {
        for (int i = 0; i < MicroBenchmarks.Events; i++)
        {
            preparer.Prepare(hosts[i % hosts.Length], row, input);
        }
    }
}

/// <summary>VAE scoring per event at several batch sizes.</summary>
public class ScoringBenchmarks
{
    private AnomalyDetector detector = null!;
    private float[][] batches = [];
    private ScoreBatch output = null!;

    [Params(1, 16, 64, 256, 1024, 4096)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        FeatureSchema schema = BenchInputs.OpsSchema();
        detector = MicroBenchmarks.QuickDetector(schema);
        FeatureTable rows = BenchInputs.Table(schema, MicroBenchmarks.Events, hosts: 20, seed: 5);
        RowPreparer preparer = detector.CreatePreparer();
        float[] inputs = new float[MicroBenchmarks.Events * schema.InputWidth];
        for (int i = 0; i < MicroBenchmarks.Events; i++)
        {
            float[] row = rows.Values.AsSpan(i * schema.FeatureCount, schema.FeatureCount).ToArray();
            preparer.Prepare(rows.EntityKeys![i], row, inputs.AsSpan(i * schema.InputWidth, schema.InputWidth));
        }

        batches = inputs.Chunk(BatchSize * schema.InputWidth).ToArray();
        output = new ScoreBatch(BatchSize, schema.FeatureCount);
    }

    [GlobalCleanup]
    public void Cleanup() => detector.Dispose();

    [Benchmark(OperationsPerInvoke = MicroBenchmarks.Events, Description = "VAE score (mse) per event")]
    public void Score()
    {
        foreach (float[] batch in batches)
        {
            detector.Score(batch, BatchSize, output);
        }
    }
}

/// <summary>One training epoch (plus the threshold fit) over 10k, 50k and 100k rows.</summary>
public class TrainingBenchmarks
{
    private FeatureTable table = null!;
    private DetectorOptions options = null!;

    [Params(10_000, 50_000, 100_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        table = BenchInputs.Table(BenchInputs.OpsSchema(), Rows, hosts: 20, seed: 6);
        DetectorOptions defaults = BenchInputs.OpsModelOptions();
        options = defaults with { Training = defaults.Training with { Epochs = 1 } };
    }

    [Benchmark(Description = "train one epoch and fit the threshold")]
    public void Epoch()
    {
        using AnomalyDetector detector = DetectorTrainer.Train(table, options);
    }
}

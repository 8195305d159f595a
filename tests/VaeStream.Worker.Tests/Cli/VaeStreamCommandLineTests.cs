using System.Globalization;

namespace VaeStream.Worker.Tests.Cli;

public sealed class VaeStreamCommandLineTests : IDisposable
{
    private readonly TempDirectory directory = new("vaestream-cli-");

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task Train_then_score_on_smd_machine_1_2_writes_one_row_per_test_row_with_the_model_threshold()
    {
        string model = Path.Combine(directory.Path, "m12.vae");
        string scores = Path.Combine(directory.Path, "scores.csv");

        (int trainCode, string trainError) = await CliRunner.RunAsync("train", "--input",
            Path.Combine(CliRunner.SmdDirectory, "train", "machine-1-2.txt"), "--out", model, "--epochs", "3");
        (int scoreCode, string scoreError) = await CliRunner.RunAsync("score", "--model", model, "--input",
            Path.Combine(CliRunner.SmdDirectory, "test", "machine-1-2.txt"), "--output", scores);

        Assert.Equal((0, ""), (trainCode, trainError));
        Assert.Equal((0, ""), (scoreCode, scoreError));
        string[] lines = File.ReadAllLines(scores);
        Assert.Equal("row,score,threshold,anomaly,top_features", lines[0]);
        Assert.Equal(23_694, lines.Length - 1);
        string[][] rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Single(rows.Select(r => r[2]).Distinct());
        double threshold = double.Parse(rows[0][2], CultureInfo.InvariantCulture);
        Assert.All(rows, r => Assert.Equal(double.Parse(r[1], CultureInfo.InvariantCulture) > threshold ? "1" : "0", r[3]));
        Assert.All(rows.Take(100), r => Assert.Equal(3, r[4].Split(';').Length));
        Assert.Equal(Enumerable.Range(0, 23_694).Select(i => i.ToString(CultureInfo.InvariantCulture)), rows.Select(r => r[0]));

        // Streaming mode: the same scores, a threshold that learns from the file's own peaks, and decisions on the first
        // rows that the rows after them cannot change.
        string streaming = Path.Combine(directory.Path, "streaming.csv");
        string head = Path.Combine(directory.Path, "head.txt");
        string headScores = Path.Combine(directory.Path, "head.csv");
        File.WriteAllLines(head, File.ReadLines(Path.Combine(CliRunner.SmdDirectory, "test", "machine-1-2.txt")).Take(5_000));
        (int streamingCode, string streamingError) = await CliRunner.RunAsync("score", "--model", model, "--input",
            Path.Combine(CliRunner.SmdDirectory, "test", "machine-1-2.txt"), "--output", streaming, "--mode", "streaming");
        (int headCode, string headError) = await CliRunner.RunAsync("score", "--model", model, "--input", head, "--output", headScores,
            "--mode", "streaming");
        Assert.Equal((0, "", 0, ""), (streamingCode, streamingError, headCode, headError));
        string[][] streamed = File.ReadAllLines(streaming).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(rows.Select(r => r[1]), streamed.Select(r => r[1]));
        Assert.True(streamed.Select(r => r[2]).Distinct().Count() > 1, "the streaming threshold never moved");
        Assert.All(streamed, r => Assert.Equal(double.Parse(r[1], CultureInfo.InvariantCulture) > double.Parse(r[2], CultureInfo.InvariantCulture) ? "1" : "0", r[3]));
        Assert.Equal(streamed.Take(5_000).Select(r => string.Join(',', r[..4])), File.ReadAllLines(headScores).Skip(1).Select(l => string.Join(',', l.Split(',')[..4])));

        // One column too many, the same rows otherwise: by position it would shift nothing but drop a column silently.
        string wide = Path.Combine(directory.Path, "wide.txt");
        File.WriteAllLines(wide, File.ReadLines(Path.Combine(CliRunner.SmdDirectory, "test", "machine-1-2.txt")).Take(100).Select(l => l + ",0"));
        (int wideCode, string wideError) = await CliRunner.RunAsync("score", "--model", model, "--input", wide, "--output", scores);
        Assert.Equal(2, wideCode);
        Assert.StartsWith($"error: '{wide}' has 39 columns, but the model's schema has 38", wideError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_worker_asked_for_a_tool_command_exits_with_2_and_says_where_it_lives()
    {
        var error = new StringWriter();
        int code = await VaeStream.Worker.CommandLine.VaeStreamCommandLine.Worker().InvokeAsync(["demo"], error);

        Assert.Equal(2, code);
        Assert.Contains("'demo' is a command of the vaestream tool, not of vaestream-worker: dotnet run --project src/VaeStream.Cli -- demo",
            error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_usage_error_exits_with_2()
    {
        (int code, string error) = await CliRunner.RunAsync("train", "--input", "x.csv");

        Assert.Equal(2, code);
        Assert.Contains("--out", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_cell_exits_with_2_and_names_line_and_value()
    {
        string input = Path.Combine(directory.Path, "bad.csv");
        File.WriteAllText(input, "a,b\n1,2\n3,high\n");

        (int code, string error) = await CliRunner.RunAsync("train", "--input", input, "--out", Path.Combine(directory.Path, "m.vae"));

        Assert.Equal(2, code);
        Assert.Equal("error: feature 'b' at path 'b': line 3: expected a number (value: high)", error.Trim());
    }

    [Fact]
    public async Task A_corrupt_model_exits_with_2_and_says_so()
    {
        string model = Path.Combine(directory.Path, "corrupt.vae");
        File.WriteAllBytes(model, new byte[100]);

        (int code, string error) = await CliRunner.RunAsync("score", "--model", model, "--input", model, "--output", Path.Combine(directory.Path, "o.csv"));

        Assert.Equal(2, code);
        Assert.StartsWith($"error: checkpoint '{model}' is not a VaeStream model file", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_settings_file_exits_with_2_and_names_the_key()
    {
        string config = Path.Combine(directory.Path, "model.json");
        File.WriteAllText(config, """{ "training": { "epochs": 0 } }""");
        string input = Path.Combine(directory.Path, "ok.csv");
        File.WriteAllText(input, "a,b\n1,2\n3,4\n");

        (int code, string error) = await CliRunner.RunAsync("train", "--input", input, "--out", Path.Combine(directory.Path, "m.vae"), "--config", config);

        Assert.Equal(2, code);
        Assert.Equal($"error: '{config}': training.epochs: 0 is out of range; allowed 1..10000.", error.Trim());
    }

    [Fact]
    public async Task Evaluate_on_a_small_labelled_set_writes_the_report_and_a_plot_per_entity_and_mode()
    {
        string dataset = Path.Combine(directory.Path, "set");
        var random = new Random(3);
        foreach (string folder in new[] { "train", "test", "test_label" })
        {
            Directory.CreateDirectory(Path.Combine(dataset, folder));
        }

        string Row(double a, bool anomaly) =>
            string.Join(',', Enumerable.Range(0, 4).Select(f => (a * (f + 1) + 0.01 * random.NextDouble() + (anomaly && f == 2 ? 5 : 0))
                .ToString("F4", CultureInfo.InvariantCulture)));
        File.WriteAllLines(Path.Combine(dataset, "train", "e1.txt"), Enumerable.Range(0, 600).Select(_ => Row(random.NextDouble(), false)));
        bool[] labels = Enumerable.Range(0, 300).Select(i => i % 50 == 7).ToArray();
        File.WriteAllLines(Path.Combine(dataset, "test", "e1.txt"), labels.Select(l => Row(random.NextDouble(), l)));
        File.WriteAllLines(Path.Combine(dataset, "test_label", "e1.txt"), labels.Select(l => l ? "1" : "0"));
        string output = Path.Combine(directory.Path, "report");

        (int code, string error) = await CliRunner.RunAsync("evaluate", "--dataset", dataset, "--out", output, "--epochs", "5", "--window", "1");

        Assert.Equal((0, ""), (code, error));
        string report = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("| e1 | 600 | 300 | 2.0 % |", report, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(output, "e1.png")).Length > 1000);
        Assert.True(new FileInfo(Path.Combine(output, "e1-streaming.png")).Length > 1000);
        Assert.Contains("![e1-streaming](e1-streaming.png)", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_with_its_output_redirected_prints_full_width_markdown_rows()
    {
        // A separate process: whether standard output is redirected is a property of the process, as in a CI log.
        string dataset = Path.Combine(directory.Path, "wide-set");
        const string entity = "machine-with-a-name-longer-than-a-console-column-1";
        var random = new Random(4);
        foreach (string folder in new[] { "train", "test", "test_label" })
        {
            Directory.CreateDirectory(Path.Combine(dataset, folder));
        }

        string Row(bool anomaly) => string.Join(',', Enumerable.Range(0, 3).Select(f =>
            (random.NextDouble() * (f + 1) + (anomaly ? 4 : 0)).ToString("F4", CultureInfo.InvariantCulture)));
        File.WriteAllLines(Path.Combine(dataset, "train", $"{entity}.txt"), Enumerable.Range(0, 400).Select(_ => Row(false)));
        bool[] labels = Enumerable.Range(0, 200).Select(i => i % 40 == 7).ToArray();
        File.WriteAllLines(Path.Combine(dataset, "test", $"{entity}.txt"), labels.Select(Row));
        File.WriteAllLines(Path.Combine(dataset, "test_label", $"{entity}.txt"), labels.Select(l => l ? "1" : "0"));
        var start = new System.Diagnostics.ProcessStartInfo(
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "vaestream.dll"), "evaluate", "--dataset", dataset, "--out", Path.Combine(directory.Path, "wide-report"), "--epochs", "3", "--window", "1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        using var process = System.Diagnostics.Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string[] lines = (await process.StandardOutput.ReadToEndAsync()).Split('\n');
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, await error);
        // One table per detector and mode, each with its header and the entity's row on single full-width lines.
        string[] headers = lines.Where(l => l.StartsWith("| entity |", StringComparison.Ordinal)).ToArray();
        string[] rows = lines.Where(l => l.StartsWith($"| {entity} |", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(headers);
        Assert.Equal(headers.Length, rows.Length);
        Assert.All(headers, h => Assert.True(h.Length > 80, h));
        // Each entity row has as many cells as the header of its own table.
        int cells = 0;
        foreach (string line in lines)
        {
            cells = line.StartsWith("| entity |", StringComparison.Ordinal) ? line.Count(c => c == '|') : cells;
            if (line.StartsWith($"| {entity} |", StringComparison.Ordinal))
            {
                Assert.Equal(cells, line.Count(c => c == '|'));
            }
        }
        Assert.DoesNotContain(lines, l => l.Contains('…', StringComparison.Ordinal));
    }

    [Fact]
    public async Task Evaluate_refuses_mixing_dataset_and_single_entity_options()
    {
        (int code, string error) = await CliRunner.RunAsync("evaluate", "--dataset", directory.Path, "--train", "a.csv");

        Assert.Equal(2, code);
        Assert.Contains("Give either --dataset DIR, or all of --train, --test and --labels.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Shipped_default_settings_are_valid()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "config", "model.json");

        var settings = Model.Detection.DetectorSettings.Load(path);

        // Series read from CSV columns (SMD's 38 metrics, ASD's 19, NAB's one, or 8 of them) and the 38-metric SMD
        // schema of window 10 get the top level; the shipped event schemas' 4-8 metrics, scored one by one, 'narrow'.
        Assert.Equal(10, settings.For(19, null).Options.Window);
        Assert.Equal("default", settings.For(38, 10).Name);
        Assert.Equal("default", settings.For(1, null).Name);
        Assert.Equal("default", settings.For(8, null).Name);
        Assert.Equal("default", settings.For(8, 10).Name);
        Assert.Equal("narrow", settings.For(8, 1).Name);
        Assert.Equal("narrow", settings.For(6, 1).Name);
    }
}

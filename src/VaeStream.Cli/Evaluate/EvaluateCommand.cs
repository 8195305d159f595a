using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Spectre.Console;
using VaeStream.Cli.Incidents;
using VaeStream.Cli.Training;
using VaeStream.Evaluation;
using VaeStream.Evaluation.Datasets;
using VaeStream.Evaluation.Metrics;
using VaeStream.Evaluation.Reports;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Worker.CommandLine;
using VaeStream.Worker.Incidents;

namespace VaeStream.Cli.Evaluate;

/// <summary><c>vaestream evaluate</c>: the fair protocol on one labelled entity or a whole SMD/ASD-layout directory.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var dataset = new Option<DirectoryInfo?>("--dataset") { Description = "Directory in the SMD/ASD layout (train/, test/, test_label/), or NAB's (data/, labels/combined_windows.json; each series' first 15% trains)." };
        var train = new Option<FileInfo?>("--train") { Description = "Training file of one entity." };
        var test = new Option<FileInfo?>("--test") { Description = "Test file of the same entity." };
        var labels = new Option<FileInfo?>("--labels") { Description = "One 0/1 label per test row." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Where report.md and the plots go. Default: out/evaluate/<name>." };
        var schema = CommonOptions.Schema();
        var config = CommonOptions.Config();
        var window = CommonOptions.Window();
        var epochs = CommonOptions.Epochs();

        var command = new Command("evaluate", "Train on each entity's training rows, score its test rows, report F1, PA-F1 and AUC-PR.")
        {
            dataset, train, test, labels, output, schema, config, window, epochs,
        };
        command.Validators.Add(result =>
        {
            bool whole = result.GetValue(dataset) is not null;
            bool single = result.GetValue(train) is not null || result.GetValue(test) is not null || result.GetValue(labels) is not null;
            if (whole == single || (single && (result.GetValue(train) is null || result.GetValue(test) is null || result.GetValue(labels) is null)))
            {
                result.AddError("Give either --dataset DIR, or all of --train, --test and --labels.");
            }
        });

        command.SetAction(parse =>
        {
            CommonOptions.StartTorch();
            DetectorSettings settings = CommonOptions.LoadDetectorSettings(parse.GetValue(config), parse.GetValue(window), parse.GetValue(epochs));
            FeatureSchema? featureSchema = CommonOptions.LoadSchema(parse.GetValue(schema));
            DirectoryInfo? directory = parse.GetValue(dataset);
            string outDir = parse.GetValue(output)?.FullName ?? Path.Combine("out", "evaluate", directory?.Name ?? Path.GetFileNameWithoutExtension(parse.GetValue(train)!.Name));
            IReadOnlyList<LabelledEntity> entities = directory is not null
                ? LabelledEntity.Discover(NabDataset.IsNab(directory.FullName)
                    ? NabDataset.WriteSmdLayout(directory.FullName, Path.Combine(outDir, "layout"))
                    : directory.FullName)
                : [new LabelledEntity(Path.GetFileNameWithoutExtension(parse.GetValue(train)!.Name), parse.GetValue(train)!.FullName,
                    parse.GetValue(test)!.FullName, parse.GetValue(labels)!.FullName)];
            string name = directory?.Name ?? entities[0].Name;
            return Run(name, entities, settings, featureSchema, outDir);
        });
        return command;
    }

    private static int Run(string name, IReadOnlyList<LabelledEntity> entities, DetectorSettings settings, FeatureSchema? schema, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var clock = Stopwatch.StartNew();
        var results = new List<EntityEvaluation>();
        var streaming = new List<EntityEvaluation>();
        var baseline = new List<EntityEvaluation>();
        var baselineStreaming = new List<EntityEvaluation>();
        var plots = new List<string>();
        var profiles = new List<DetectorProfile>();
        var incidents = new List<(string Entity, int Flagged, IncidentDetection Detection)>();
        foreach (LabelledEntity entity in entities)
        {
            var view = new TrainingProgressView(Console.Out, entity.Name);
            EntityOutcome outcome = view.Run(progress => EntityEvaluator.Evaluate(entity, settings, schema, progress));
            profiles.Add(outcome.Profile);
            results.Add(outcome.Vae);
            streaming.Add(outcome.VaeStreaming);
            baseline.Add(outcome.Baseline);
            baselineStreaming.Add(outcome.BaselineStreaming);
            Console.WriteLine($"{entity.Name}: {Summary(outcome.Vae)}; pca_rw {Summary(outcome.Baseline)}");
            // What the worker would page on: its incident tracker, shipped defaults, over the streaming mode's flags.
            EntityTrace trace = outcome.Trace;
            List<IncidentSpan> spans = IncidentReplay.Spans(trace.StreamingPredicted, trace.StreamingScores, new IncidentOptions());
            incidents.Add((entity.Name, trace.StreamingPredicted.Count(p => p), IncidentReplay.Of(spans, trace.Labels)));
            string plot = $"{entity.Name}.png";
            ScorePlot.Save(Path.Combine(outDir, plot), $"{entity.Name}, batch mode: score, threshold and labelled anomalies",
                trace.Scores, trace.Labels, trace.Threshold);
            plots.Add(plot);
            // The worker's view: the live model's scores, the threshold in force (it moves when a drift retrain goes
            // live) and the incidents it would open, under the labelled segments.
            string streamingPlot = $"{entity.Name}-streaming.png";
            ScorePlot.Save(Path.Combine(outDir, streamingPlot), $"{entity.Name}, streaming mode: score of the live model, threshold in force, labelled anomalies, incidents",
                trace.StreamingScores, trace.Labels, trace.StreamingThresholds,
                incidents: IncidentReplay.InsideIncidents(spans, trace.StreamingPredicted.Length));
            plots.Add(streamingPlot);
        }

        // The profiles the entities' widths chose, each with the entities it served.
        string used = string.Join("; ", profiles.GroupBy(p => p.Name).Select(g =>
            $"profile '{g.Key}' for {g.Count()} entities: {JsonSerializer.Serialize(g.First().Options)}"));
        var tables = new EvaluationTables(results, streaming, baseline, baselineStreaming);
        string report = EvaluationReport.ToMarkdown(name, used, tables, clock.Elapsed, plots);
        File.WriteAllText(Path.Combine(outDir, "report.md"), report + IncidentTable(incidents));
        foreach ((string detector, string mode, IReadOnlyList<EntityEvaluation> rows) in tables.Sections())
        {
            PrintTable($"{detector}, {mode} mode", rows);
        }

        Console.Write(IncidentTable(incidents));
        Console.WriteLine($"{results.Count} entities in {clock.Elapsed.TotalSeconds:F0} s; report: {Path.Combine(outDir, "report.md")}");
        return ExitCodes.Success;
    }

    private static string IncidentTable(List<(string Entity, int Flagged, IncidentDetection Detection)> rows)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine();
        text.AppendLine("## Incidents (VAE, streaming mode, the worker's `Incidents:*` defaults, one row a minute)");
        text.AppendLine();
        text.AppendLine("| entity | flagged rows | incidents | incident precision | segment recall | median time to detect (rows) |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach ((string entity, int flagged, IncidentDetection d) in rows)
        {
            text.AppendLine(FormattableString.Invariant($"| {entity} | {flagged} | {d.Incidents} | {d.Precision:F3} | {d.SegmentRecall:F3} | {d.MedianTimeToDetect:F0} |"));
        }

        double Mean(Func<IncidentDetection, double> figure) => rows.Select(r => figure(r.Detection)).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
        text.AppendLine(FormattableString.Invariant(
            $"| **mean** | **{rows.Average(r => r.Flagged):F0}** | **{rows.Average(r => r.Detection.Incidents):F1}** | **{Mean(d => d.Precision):F3}** | **{Mean(d => d.SegmentRecall):F3}** | **{Mean(d => d.MedianTimeToDetect):F0}** |"));
        return text.ToString();
    }

    private static string Summary(EntityEvaluation r) =>
        FormattableString.Invariant($"AUC-PR {r.AveragePrecision:F3} VUS-PR {r.VusPr:F3} F1 {r.Point.F1:F3} PA-F1 {r.Adjusted.F1:F3} ") +
        FormattableString.Invariant($"segments {r.Segments.Detected}/{r.Segments.Segments} flagged {r.FlaggedRate:P1} (labelled {r.AnomalyRate:P1})");

    // On a terminal, a boxed table; redirected (CI logs, files), the report's own Markdown table at full width, since a
    // console table would wrap at 80 columns and cut the headers.
    private static void PrintTable(string title, IReadOnlyList<EntityEvaluation> results)
    {
        if (Console.IsOutputRedirected)
        {
            Console.WriteLine(title);
            Console.Write(EvaluationReport.MarkdownTable(results));
            return;
        }

        var table = new Table().Title(title).Border(TableBorder.Rounded);
        foreach (string column in EvaluationReport.Columns)
        {
            table.AddColumn(column);
        }

        foreach (string[] row in results.Append(EvaluationReport.Mean(results)).Select(EvaluationReport.Row))
        {
            table.AddRow(row.Select(Markup.Escape).ToArray());
        }

        AnsiConsole.Write(table);
    }
}

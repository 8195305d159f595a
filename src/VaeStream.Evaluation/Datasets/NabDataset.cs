using System.Globalization;
using System.Text.Json;

namespace VaeStream.Evaluation.Datasets;

/// <summary>
/// The Numenta Anomaly Benchmark's layout (<c>data/&lt;category&gt;/&lt;series&gt;.csv</c> of <c>timestamp,value</c>,
/// and labelled windows in <c>labels/combined_windows.json</c>) turned into the SMD layout that <see cref="LabelledEntity"/>
/// reads. NAB has no training files: each series' first 15%, NAB's own probationary period, is the training part and the
/// rest the test part; a test row is labelled when its timestamp lies in one of the series' windows.
/// </summary>
public static class NabDataset
{
    /// <summary>The share of each series that is training rows: NAB's probationary period.</summary>
    public const double ProbationaryFraction = 0.15;

    private static readonly string[] TimestampFormats = ["yyyy-MM-dd HH:mm:ss.ffffff", "yyyy-MM-dd HH:mm:ss"];

    /// <summary>Whether <paramref name="directory"/> is in NAB's layout.</summary>
    public static bool IsNab(string directory) => File.Exists(WindowsPath(directory));

    /// <summary>
    /// Writes the series that have a labelled test row into <paramref name="target"/> in the SMD layout, named
    /// <c>category__series</c>, and returns <paramref name="target"/>. Series without any labelled window after the
    /// probationary period are left out: they have no anomaly to find, so F1 and AUC-PR say nothing about them.
    /// </summary>
    public static string WriteSmdLayout(string directory, string target)
    {
        Dictionary<string, List<List<string>>> windows = JsonSerializer.Deserialize<Dictionary<string, List<List<string>>>>(File.ReadAllText(WindowsPath(directory)))
            ?? throw new FormatException($"'{WindowsPath(directory)}' holds no windows.");
        foreach (string part in new[] { "train", "test", "test_label" })
        {
            Directory.CreateDirectory(Path.Combine(target, part));
        }

        foreach ((string series, List<List<string>> spans) in windows.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            string path = Path.Combine(directory, "data", series);
            if (spans.Count == 0 || !File.Exists(path))
            {
                continue;
            }

            (DateTime Start, DateTime End)[] labelled = [.. spans.Select(s => (Timestamp(s[0], series), Timestamp(s[1], series)))];
            (DateTime Time, string Value)[] rows = [.. File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l => Row(l, series))];
            int cut = (int)(rows.Length * ProbationaryFraction);
            string[] labels = [.. rows[cut..].Select(r => labelled.Any(w => r.Time >= w.Start && r.Time <= w.End) ? "1" : "0")];
            if (!labels.Contains("1"))
            {
                continue;
            }

            string name = $"{Path.GetDirectoryName(series)}__{Path.GetFileNameWithoutExtension(series)}.txt";
            File.WriteAllLines(Path.Combine(target, "train", name), rows[..cut].Select(r => r.Value));
            File.WriteAllLines(Path.Combine(target, "test", name), rows[cut..].Select(r => r.Value));
            File.WriteAllLines(Path.Combine(target, "test_label", name), labels);
        }

        return target;
    }

    private static string WindowsPath(string directory) => Path.Combine(directory, "labels", "combined_windows.json");

    private static (DateTime Time, string Value) Row(string line, string series)
    {
        int comma = line.IndexOf(',', StringComparison.Ordinal);
        return comma > 0
            ? (Timestamp(line[..comma], series), line[(comma + 1)..])
            : throw new FormatException($"'{series}': expected 'timestamp,value', found '{line}'.");
    }

    private static DateTime Timestamp(string text, string series) =>
        DateTime.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime time)
            ? time
            : throw new FormatException($"'{series}': '{text}' is not a timestamp of the form yyyy-MM-dd HH:mm:ss.");
}

namespace VaeStream.Evaluation.Datasets;

/// <summary>One machine or server of a labelled set: its training rows, test rows and test labels.</summary>
/// <param name="Name">Entity name, from the file name.</param>
/// <param name="TrainPath">Training rows (never labelled, never scored for metrics).</param>
/// <param name="TestPath">Test rows, scored in order.</param>
/// <param name="LabelPath">One 0/1 label per test row.</param>
public sealed record LabelledEntity(string Name, string TrainPath, string TestPath, string LabelPath)
{
    /// <summary>
    /// The entities of a directory in the SMD/ASD layout (<c>train/</c>, <c>test/</c>, <c>test_label/</c>, files of
    /// the same name), sorted by name.
    /// </summary>
    public static IReadOnlyList<LabelledEntity> Discover(string directory)
    {
        string train = Path.Combine(directory, "train");
        string test = Path.Combine(directory, "test");
        string labels = Path.Combine(directory, "test_label");
        foreach (string required in new[] { train, test, labels })
        {
            if (!Directory.Exists(required))
            {
                throw new DirectoryNotFoundException($"'{directory}' is not in the SMD/ASD layout: '{required}' does not exist.");
            }
        }

        var entities = Directory.EnumerateFiles(train)
            .Select(Path.GetFileName)
            .Where(name => File.Exists(Path.Combine(test, name!)) && File.Exists(Path.Combine(labels, name!)))
            .Order(StringComparer.Ordinal)
            .Select(name => new LabelledEntity(Path.GetFileNameWithoutExtension(name!), Path.Combine(train, name!),
                Path.Combine(test, name!), Path.Combine(labels, name!)))
            .ToArray();
        return entities.Length > 0 ? entities : throw new FileNotFoundException($"'{directory}' holds no entity with train, test and label files.");
    }

    /// <summary>Reads a label file: one 0 or 1 per line; the message names the line of a bad one.</summary>
    public static bool[] ReadLabels(string path)
    {
        var labels = new List<bool>();
        int line = 0;
        foreach (string text in File.ReadLines(path))
        {
            line++;
            string trimmed = text.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            labels.Add(trimmed switch
            {
                "0" => false,
                "1" => true,
                _ => throw new FormatException($"'{path}' line {line}: expected 0 or 1, found '{trimmed}'."),
            });
        }

        return [.. labels];
    }
}

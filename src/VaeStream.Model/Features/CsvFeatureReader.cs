using System.Globalization;

namespace VaeStream.Model.Features;

/// <summary>
/// Reads comma-separated numeric files. A first row that is entirely numeric means there is no header, and the
/// columns are then named c0..cN (the SMD and ASD files have none). Without a schema every column is a feature.
/// </summary>
internal static class CsvFeatureReader
{
    /// <summary>Reads the file; errors name the row, the column and the value.</summary>
    public static FeatureTable Read(string path, FeatureSchema? schema)
    {
        using var reader = new StreamReader(path);
        string? first = reader.ReadLine() ?? throw new SchemaException($"'{path}' is empty.");
        string[] firstCells = first.Split(',');
        bool hasHeader = !firstCells.All(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        string[] columns = hasHeader
            ? firstCells.Select(c => c.Trim()).ToArray()
            : Enumerable.Range(0, firstCells.Length).Select(i => $"c{i}").ToArray();

        schema ??= FeatureSchema.ForColumns(columns);
        if (!hasHeader && MatchesByPosition(schema) && schema.Features.Count != columns.Length)
        {
            // Without a header, columns are matched by position: an extra or missing column shifts every feature after
            // it, and the scores would be garbage without a word.
            throw new SchemaException(
                $"'{path}' has {columns.Length} columns, but the model's schema has {schema.Features.Count} (c0..c{schema.Features.Count - 1}, " +
                "matched by position because the file has no header); give the file exactly the model's columns, or a header row and a schema that names them.");
        }

        int[] featureColumns = schema.Features.Select((f, i) => ColumnOf(f.Path, columns, $"features[{i}].path")).ToArray();
        int entityColumn = schema.EntityKeyPath is null ? -1 : ColumnOf(schema.EntityKeyPath, columns, "entityKeyPath");

        var values = new List<float>(1 << 16);
        List<string?>? entities = entityColumn >= 0 ? [] : null;
        int lineNumber = hasHeader ? 1 : 0;
        string? line = hasHeader ? reader.ReadLine() : first;
        while (line is not null)
        {
            lineNumber++;
            if (line.Length > 0)
            {
                string[] cells = line.Split(',');
                if (cells.Length != columns.Length)
                {
                    throw new FeatureExtractionException(FeatureErrorKind.MalformedJson, null, null, null,
                        $"line {lineNumber} of '{path}' has {cells.Length} cells; the file has {columns.Length} columns");
                }

                for (int f = 0; f < featureColumns.Length; f++)
                {
                    values.Add(ParseCell(schema.Features[f], cells[featureColumns[f]], lineNumber));
                }

                entities?.Add(cells[entityColumn].Trim());
            }

            line = reader.ReadLine();
        }

        return new FeatureTable(schema, values.ToArray(), entities?.ToArray());
    }

    private static float ParseCell(FeatureDefinition feature, string cell, int lineNumber)
    {
        string text = cell.Trim();
        if (text.Length == 0)
        {
            return feature.Missing == MissingValuePolicy.Reject
                ? throw new FeatureExtractionException(FeatureErrorKind.Missing, feature.Name, feature.Path, null,
                    $"line {lineNumber}: the cell is empty and the feature's policy is Reject")
                : float.NaN;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw new FeatureExtractionException(FeatureErrorKind.WrongType, feature.Name, feature.Path,
                FeatureExtractionException.Clip(text), $"line {lineNumber}: expected a number");
        }

        try
        {
            return FeatureTransforms.Apply(feature, value);
        }
        catch (FeatureExtractionException e)
        {
            throw new FeatureExtractionException(e.Kind, e.Field, e.Path, text, $"line {lineNumber}: {e.Reason}");
        }
    }

    // A schema inferred from a headerless file names its features c0..cN-1, in order.
    private static bool MatchesByPosition(FeatureSchema schema) =>
        schema.EntityKeyPath is null && schema.Features.Select((f, i) => f.Path == $"c{i}").All(match => match);

    private static int ColumnOf(string path, string[] columns, string key)
    {
        int index = Array.IndexOf(columns, path);
        if (index >= 0)
        {
            return index;
        }

        throw new SchemaException(
            $"{key} '{path}': no such column; the file's columns are {string.Join(", ", columns.Take(12))}{(columns.Length > 12 ? ", …" : "")}.");
    }
}

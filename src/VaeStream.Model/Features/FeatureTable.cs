namespace VaeStream.Model.Features;

/// <summary>
/// Rows read from a file, in file order: one transformed value per feature, NaN where a missing value is
/// allowed, and the entity key of each row when the schema has one.
/// </summary>
public sealed class FeatureTable
{
    /// <summary>Wraps row-major values.</summary>
    public FeatureTable(FeatureSchema schema, float[] values, string?[]? entityKeys)
    {
        if (values.Length % schema.FeatureCount != 0)
        {
            throw new ArgumentException($"{values.Length} values do not divide into rows of {schema.FeatureCount}.", nameof(values));
        }

        Schema = schema;
        Values = values;
        EntityKeys = entityKeys;
    }

    /// <summary>The schema the rows follow.</summary>
    public FeatureSchema Schema { get; }

    /// <summary>Row-major values, <see cref="Rows"/> × feature count.</summary>
    public float[] Values { get; }

    /// <summary>Entity key per row, or null when every row is of one entity.</summary>
    public string?[]? EntityKeys { get; }

    /// <summary>Number of rows.</summary>
    public int Rows => Values.Length / Schema.FeatureCount;

    /// <summary>One row's values.</summary>
    public ReadOnlySpan<float> Row(int row) => Values.AsSpan(row * Schema.FeatureCount, Schema.FeatureCount);

    /// <summary>The entity key of a row (null when the schema has none).</summary>
    public string? EntityKey(int row) => EntityKeys?[row];

    /// <summary>The given rows, in the given order, as a new table with their entity keys.</summary>
    public FeatureTable SelectRows(IReadOnlyList<int> rows)
    {
        float[] values = RowMajor.Gather(Values, Schema.FeatureCount, rows);
        return new FeatureTable(Schema, values, EntityKeys is { } keys ? [.. rows.Select(r => keys[r])] : null);
    }

    /// <summary>Reads a CSV (.csv, .txt) or JSON-lines (.jsonl, .json) file; JSON needs a schema.</summary>
    public static FeatureTable Read(string path, FeatureSchema? schema)
    {
        string extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".jsonl" or ".json" or ".ndjson" => JsonLinesReader.Read(path, schema
                ?? throw new SchemaException($"'{path}' is JSON lines: pass --schema to say which fields are features.")),
            _ => CsvFeatureReader.Read(path, schema),
        };
    }
}

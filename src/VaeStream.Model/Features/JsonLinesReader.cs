using System.Text;

namespace VaeStream.Model.Features;

/// <summary>Reads one JSON event per line through the same extractor the streaming worker uses.</summary>
internal static class JsonLinesReader
{
    public static FeatureTable Read(string path, FeatureSchema schema)
    {
        if (schema.Aggregation is not null)
        {
            return Aggregation.AggregatedLinesReader.Read(path, schema);
        }

        var extractor = new JsonFeatureExtractor(schema);
        var values = new List<float>(1 << 16);
        List<string?>? entities = schema.EntityKeyPath is null ? null : [];
        float[] row = new float[schema.FeatureCount];
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            ExtractedFields fields;
            try
            {
                fields = extractor.Extract(Encoding.UTF8.GetBytes(line), row);
            }
            catch (FeatureExtractionException e)
            {
                throw new FeatureExtractionException(e.Kind, e.Field, e.Path, e.Value, $"line {lineNumber}: {e.Reason}");
            }

            values.AddRange(row);
            entities?.Add(fields.EntityKey);
        }

        return new FeatureTable(schema, values.ToArray(), entities?.ToArray());
    }
}

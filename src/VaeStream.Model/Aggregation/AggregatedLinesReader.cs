using System.Text;
using VaeStream.Model.Features;

namespace VaeStream.Model.Aggregation;

/// <summary>
/// Reads a JSON-lines export through an aggregated schema into rows, as the worker would have built them: the same
/// record reader and intervals, closed by each entity's event time, and all closed at the end of the file. An interval
/// that cannot be a row (a Reject feature without a value, an aggregate outside its transform's domain) gives none, as
/// the worker dead-letters it; late records are passed over.
/// </summary>
internal static class AggregatedLinesReader
{
    public static FeatureTable Read(string path, FeatureSchema schema)
    {
        var reader = new RecordReader(schema);
        var intervals = new IntervalAggregator<int>(schema, int.MaxValue);
        var values = new List<float>(1 << 16);
        List<string?>? entities = schema.EntityKeyPath is null ? null : [];
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                // Offline, an event's own time stands in for the time it was read.
                reader.Read(Encoding.UTF8.GetBytes(line), (entity, time, record) =>
                {
                    if (record.Any)
                    {
                        intervals.Add(entity, time, record, time);
                    }
                });
            }
            catch (FeatureExtractionException e)
            {
                throw new FeatureExtractionException(e.Kind, e.Field, e.Path, e.Value, $"line {lineNumber}: {e.Reason}");
            }

            Take(intervals, schema, values, entities);
        }

        intervals.CloseAll();
        Take(intervals, schema, values, entities);
        return new FeatureTable(schema, values.ToArray(), entities?.ToArray());
    }

    private static void Take(IntervalAggregator<int> intervals, FeatureSchema schema, List<float> values, List<string?>? entities)
    {
        while (intervals.TryTakeClosed(out ClosedInterval<int> interval))
        {
            if (interval.Problem(schema) is null)
            {
                values.AddRange(interval.Row);
                entities?.Add(interval.Entity);
            }
        }
    }
}

using System.Text.Json;
using VaeStream.Model.Features;

namespace VaeStream.Model.Aggregation;

/// <summary>
/// Reads a message of an aggregated schema into records: the message itself, or each element when it is a JSON array
/// (collectd's <c>write_kafka</c> sends an array of value lists). Each record gives its entity, its event time and, per
/// feature, whether it matches the feature's <c>match</c> and <c>where</c> and the value of its path. A bad message throws
/// a <see cref="FeatureExtractionException"/> that names the field, as the per-event extractor does.
/// </summary>
public sealed class RecordReader
{
    private readonly FeatureSchema schema;
    private readonly IReadOnlyList<PathSegment>? entityPath;
    private readonly IReadOnlyList<PathSegment> timestampPath;
    private readonly IReadOnlyList<PathSegment>?[] valuePaths;
    private readonly RecordSelector?[] selectors;
    private readonly RecordValues values;

    /// <summary>A reader for <paramref name="schema"/>, which must be aggregated.</summary>
    public RecordReader(FeatureSchema schema)
    {
        this.schema = schema;
        entityPath = schema.EntityKeyPath is null ? null : FeaturePath.Parse(schema.EntityKeyPath, "entityKeyPath");
        timestampPath = FeaturePath.Parse(schema.TimestampPath, "timestampPath");
        int n = schema.FeatureCount;
        valuePaths = new IReadOnlyList<PathSegment>?[n];
        selectors = new RecordSelector?[n];
        for (int i = 0; i < n; i++)
        {
            FeatureDefinition f = schema.Features[i];
            valuePaths[i] = string.IsNullOrEmpty(f.Path) ? null : FeaturePath.Parse(f.Path, f.Name);
            selectors[i] = f.Match is null && f.Where is null ? null : new RecordSelector(f);
        }

        values = new RecordValues(n);
    }

    /// <summary>Calls <paramref name="record"/> for each record of the message; returns how many there were.</summary>
    public int Read(ReadOnlyMemory<byte> message, Action<string?, DateTimeOffset, RecordValues> record) =>
        Read(message, record, static (call, entity, time, values) => call(entity, time, values));

    /// <summary>
    /// Calls <paramref name="record"/> with <paramref name="state"/> for each record of the message; returns how many
    /// there were. A static callback with its state allocates nothing per message.
    /// </summary>
    public int Read<TState>(ReadOnlyMemory<byte> message, TState state, Action<TState, string?, DateTimeOffset, RecordValues> record)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new FeatureExtractionException(FeatureErrorKind.MalformedJson, null, null, null, $"the payload is not valid JSON: {e.Message}");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                int count = 0;
                foreach (JsonElement element in root.EnumerateArray())
                {
                    ReadRecord(element, state, record);
                    count++;
                }

                return count;
            }

            ReadRecord(root, state, record);
            return 1;
        }
    }

    private void ReadRecord<TState>(JsonElement element, TState state, Action<TState, string?, DateTimeOffset, RecordValues> record)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FeatureExtractionException(FeatureErrorKind.WrongType, null, null, null,
                $"expected a JSON object (or an array of them), found {JsonElements.Describe(element.ValueKind)}");
        }

        string? entity = null;
        if (entityPath is not null)
        {
            entity = JsonElements.Find(element, entityPath) switch
            {
                { ValueKind: JsonValueKind.String } e => JsonElements.EntityKey(e),
                { ValueKind: JsonValueKind.Number } e => e.GetRawText(),
                { ValueKind: JsonValueKind.Null } or null => throw new FeatureExtractionException(FeatureErrorKind.Missing, "entityKey", schema.EntityKeyPath, null, "the entity key is missing"),
                { } e => throw new FeatureExtractionException(FeatureErrorKind.WrongType, "entityKey", schema.EntityKeyPath, null, $"expected a string or number, found {JsonElements.Describe(e.ValueKind)}"),
            };
        }

        DateTimeOffset time = ReadTime(JsonElements.Find(element, timestampPath));
        for (int i = 0; i < values.Matched.Length; i++)
        {
            values.Matched[i] = false;
            FeatureDefinition feature = schema.Features[i];
            if (feature.Aggregate == AggregateKind.Ratio || selectors[i]?.Selects(element) == false)
            {
                continue;
            }

            if (valuePaths[i] is not { } path)
            {
                (values.Matched[i], values.Values[i]) = (true, double.NaN);
                continue;
            }

            JsonElement? field = JsonElements.Find(element, path);
            if (field is null || field.Value.ValueKind == JsonValueKind.Null)
            {
                // Not this record's metric after all: it neither counts nor gives a value.
                continue;
            }

            values.Matched[i] = true;
            if (feature.Aggregate == AggregateKind.Distinct)
            {
                values.Hashes[i] = DistinctSketch.Hash(field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString()! : field.Value.GetRawText());
                values.Values[i] = double.NaN;
            }
            else if (feature.Aggregate == AggregateKind.Count)
            {
                values.Values[i] = double.NaN;
            }
            else
            {
                values.Values[i] = ReadNumber(field.Value, feature);
            }
        }

        record(state, entity, time, values);
    }

    private DateTimeOffset ReadTime(JsonElement? field)
    {
        const string Field = "timestamp";
        string? path = schema.TimestampPath;
        switch (field)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                throw new FeatureExtractionException(FeatureErrorKind.Missing, Field, path, null, "an aggregated schema needs each event's time, and this event has none");
            case { ValueKind: JsonValueKind.String } text when text.TryGetDateTimeOffset(out DateTimeOffset parsed):
                return parsed;
            case { ValueKind: JsonValueKind.Number } number:
                double amount = number.GetDouble();
                double ms = schema.TimestampUnit == TimestampUnit.Seconds ? amount * 1000 : amount;
                if (ms is >= JsonFieldValues.MinUnixMilliseconds and <= JsonFieldValues.MaxUnixMilliseconds)
                {
                    return DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(ms * TimeSpan.TicksPerMillisecond));
                }

                throw new FeatureExtractionException(FeatureErrorKind.OutOfDomain, Field, path, number.GetRawText(),
                    $"Unix {(schema.TimestampUnit == TimestampUnit.Seconds ? "seconds" : "milliseconds")} must lie between years 0001 and 9999");
            default:
                throw new FeatureExtractionException(FeatureErrorKind.WrongType, Field, path, JsonElements.Clip(field.Value),
                    $"expected Unix {(schema.TimestampUnit == TimestampUnit.Seconds ? "seconds" : "milliseconds")} (a JSON number) or an ISO-8601 string");
        }
    }

    private static double ReadNumber(JsonElement field, FeatureDefinition feature)
    {
        if (field.ValueKind != JsonValueKind.Number)
        {
            throw new FeatureExtractionException(FeatureErrorKind.WrongType, feature.Name, feature.Path, JsonElements.Clip(field),
                $"expected a number, found {JsonElements.Describe(field.ValueKind)}");
        }

        double value = field.GetDouble();
        return double.IsFinite(value)
            ? value
            : throw new FeatureExtractionException(FeatureErrorKind.NonFinite, feature.Name, feature.Path, field.GetRawText(), "the number overflows a double");
    }
}

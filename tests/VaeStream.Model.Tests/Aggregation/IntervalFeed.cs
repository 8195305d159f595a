using System.Text;
using VaeStream.Model.Aggregation;
using VaeStream.Model.Features;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary>
/// Messages through a schema's <see cref="RecordReader"/> into an <see cref="IntervalAggregator{TMember}"/>, the way the
/// worker and the offline reader feed it: only records that some feature selects are added, and processing time is the
/// event's own time unless a test gives one.
/// </summary>
internal sealed class IntervalFeed
{
    private readonly RecordReader reader;

    public IntervalFeed(FeatureSchema schema, int maxEntities = 1000)
    {
        Schema = schema;
        reader = new RecordReader(schema);
        Intervals = new IntervalAggregator<int>(schema, maxEntities);
    }

    public FeatureSchema Schema { get; }

    public IntervalAggregator<int> Intervals { get; }

    /// <summary>Adds each selected record of the message; returns the interval each joined (null when it was late).</summary>
    public List<OpenInterval<int>?> Add(string message, DateTimeOffset? now = null)
    {
        var joined = new List<OpenInterval<int>?>();
        reader.Read(Encoding.UTF8.GetBytes(message), (entity, time, record) =>
        {
            if (record.Any)
            {
                joined.Add(Intervals.Add(entity, time, record, now ?? time));
            }
        });
        return joined;
    }

    /// <summary>Adds a message of one selected record.</summary>
    public OpenInterval<int>? AddOne(string message, DateTimeOffset? now = null) => Assert.Single(Add(message, now));

    public List<ClosedInterval<int>> TakeClosed()
    {
        var taken = new List<ClosedInterval<int>>();
        while (Intervals.TryTakeClosed(out ClosedInterval<int> interval))
        {
            taken.Add(interval);
        }

        return taken;
    }

    /// <summary>Closes everything (the end of a file) and returns the one interval the test fed.</summary>
    public ClosedInterval<int> CloseSingle()
    {
        Intervals.CloseAll();
        return Assert.Single(TakeClosed());
    }
}

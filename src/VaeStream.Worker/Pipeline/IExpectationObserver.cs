using VaeStream.Kafka.Consuming;

namespace VaeStream.Worker.Pipeline;

/// <summary>
/// Optional tap on what the model expected of every scored event, in the event's own units (the demo measures how
/// close the expected values in anomaly messages are to a host's normal). Called on the pipeline thread; converting
/// every event's expectation costs time, so the pipeline does it only when an observer asks.
/// </summary>
public interface IExpectationObserver
{
    /// <summary>One event was scored: its feature values and the model's expected values, both in event units.</summary>
    void Expected(InputEvent source, string? entity, bool flagged, ReadOnlySpan<double> values, ReadOnlySpan<double> expected);
}

using VaeStream.Kafka.Consuming;

namespace VaeStream.Kafka.Producing;

/// <summary>
/// Publishes the pipeline's outputs, each to its topic. A source event completes when the broker acknowledges the
/// output, which is what lets its offset be stored.
/// </summary>
public interface IOutputPublisher
{
    /// <summary>An anomaly or drift message on the anomaly topic.</summary>
    void PublishAnomaly(InputEvent source, byte[]? key, byte[] message);

    /// <summary><paramref name="source"/>, untouched, on the dead-letter topic, with headers that say why.</summary>
    void PublishDeadLetter(InputEvent source, DeadLetter letter);

    /// <summary>
    /// An incident's state on the incident topic, keyed by incident id. A null source is an output no input offset
    /// waits for (an incident resolved by a timer).
    /// </summary>
    void PublishIncident(byte[] key, byte[] message, InputEvent? source);
}

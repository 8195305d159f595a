using VaeStream.Kafka.Consuming;

namespace VaeStream.Worker.Pipeline;

/// <summary>Optional tap on every scored event (the demo draws its timeline from it). Called on the pipeline thread.</summary>
public interface IScoreObserver
{
    /// <summary>One event was scored.</summary>
    void Scored(InputEvent source, string? entity, float score, double threshold, int modelVersion);
}

namespace VaeStream.Worker.Incidents;

/// <summary>An entity's last N scored events: the anomalies among them (null for a normal event).</summary>
internal sealed class EntityWindow(int size)
{
    private readonly Queue<AnomalyPoint?> recent = new(size);

    public int Anomalies { get; private set; }

    public void Push(AnomalyPoint? point)
    {
        if (recent.Count == size && recent.Dequeue() is not null)
        {
            Anomalies--;
        }

        recent.Enqueue(point);
        Anomalies += point is null ? 0 : 1;
    }

    public void Clear()
    {
        recent.Clear();
        Anomalies = 0;
    }

    /// <summary>The events from the oldest anomaly in the window on.</summary>
    public IReadOnlyList<AnomalyPoint?> FromFirstAnomaly() => recent.SkipWhile(p => p is null).ToList();
}

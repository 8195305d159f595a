namespace VaeStream.Worker.Tests.Integration.HeldOut;

/// <summary>A labelled stream the held-out tests run through the worker.</summary>
internal interface IHeldOutStream
{
    /// <summary>The kind of each injected segment.</summary>
    Dictionary<int, HeldOutKind> SegmentKinds { get; }

    /// <summary>The events in stream order.</summary>
    IEnumerable<HeldOutEvent> Generate();

    /// <summary>The <see cref="HeldOutEvent.Key"/> of <paramref name="entity"/>'s event at <paramref name="eventTime"/> (its <c>ts</c>).</summary>
    string EventKey(string entity, DateTimeOffset eventTime);
}

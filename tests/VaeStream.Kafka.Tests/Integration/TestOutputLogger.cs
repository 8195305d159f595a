using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace VaeStream.Kafka.Tests.Integration;

/// <summary>The loop's log in the test's output, so that a failed run shows what the group did.</summary>
internal sealed class TestOutputLogger<T>(string member, ITestOutputHelper output, long started) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        string line = $"{Stopwatch.GetElapsedTime(started).TotalSeconds,6:F2} s {member} {logLevel}: {formatter(state, exception)}";
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // By design: librdkafka may still log from its threads after the test finished, when xunit refuses output.
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace VaeStream.Worker.Tests.Integration.Scenarios;

/// <summary>One log entry: when (stopwatch time), its category, level, text and structured fields.</summary>
internal sealed record LoggedEntry(TimeSpan At, string Category, LogLevel Level, string Text, IReadOnlyDictionary<string, object?> Fields);

/// <summary>A logger provider that keeps every entry the worker writes, for tests that assert on its logs.</summary>
internal sealed class LogRecorder : ILoggerProvider
{
    private readonly ConcurrentQueue<LoggedEntry> entries = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();

    /// <summary>Time on the recorder's clock, to bracket a test's phases.</summary>
    public TimeSpan Now => clock.Elapsed;

    public IReadOnlyList<LoggedEntry> Entries => entries.ToArray();

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Recorder(LogRecorder owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value)
                : new Dictionary<string, object?>();
            owner.entries.Enqueue(new LoggedEntry(owner.clock.Elapsed, category, logLevel, formatter(state, exception), fields));
        }
    }
}

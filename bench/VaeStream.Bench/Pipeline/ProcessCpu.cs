using System.Diagnostics;

namespace VaeStream.Bench.Pipeline;

/// <summary>
/// CPU time of this process, every thread (user and system), broker included. Divided by the events of a span, it
/// says what one event costs the machine, which a rate alone hides when the cores are saturated.
/// </summary>
internal static class ProcessCpu
{
    public static TimeSpan Used()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>Microseconds of CPU per event over a span, and the cores that span kept busy on average.</summary>
    public static CpuCost Cost(TimeSpan cpu, TimeSpan wall, long events) =>
        new(cpu.TotalMicroseconds / events, cpu / wall);
}

/// <summary>CPU per event and the average number of busy cores over a measured span.</summary>
internal readonly record struct CpuCost(double MicrosecondsPerEvent, double Cores);

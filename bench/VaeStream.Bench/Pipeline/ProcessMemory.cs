namespace VaeStream.Bench.Pipeline;

/// <summary>Resident memory from /proc/PID/status (Linux), current and peak, in MB: of this process, or of another.</summary>
internal static class ProcessMemory
{
    public static double ResidentMb() => (ReadKb("self", "VmRSS:") ?? 0) / 1024.0;

    public static double PeakResidentMb() => (ReadKb("self", "VmHWM:") ?? 0) / 1024.0;

    /// <summary>Current resident memory of process <paramref name="pid"/>; NaN when /proc does not say.</summary>
    public static double ResidentMb(int pid) => (ReadKb(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "VmRSS:") ?? double.NaN) / 1024.0;

    /// <summary>Peak resident memory of process <paramref name="pid"/>; NaN when /proc does not say.</summary>
    public static double PeakResidentMb(int pid) => (ReadKb(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "VmHWM:") ?? double.NaN) / 1024.0;

    /// <summary>Restarts the peak counter (writing 5 to clear_refs resets VmHWM), so each scenario has its own peak.</summary>
    public static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static long? ReadKb(string process, string field)
    {
        string? line = File.ReadLines($"/proc/{process}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? null : long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}

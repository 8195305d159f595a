namespace VaeStream.Bench.Pipeline;

/// <summary>Resident memory of this process from /proc/self/status (Linux): current and peak, in MB.</summary>
internal static class ProcessMemory
{
    public static double ResidentMb() => ReadKb("VmRSS:") / 1024.0;

    public static double PeakResidentMb() => ReadKb("VmHWM:") / 1024.0;

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

    private static long ReadKb(string field)
    {
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}

using System.Reflection;
using System.Runtime.InteropServices;

namespace VaeStream.Kafka.Testing;

/// <summary>
/// librdkafka's mock-cluster API, from the same native file Confluent.Kafka loads. On Debian 12 the default
/// <c>librdkafka.so</c> needs libsasl2.so.3, which Debian lacks, so Confluent.Kafka falls back to the CentOS 8
/// build in the same folder; the resolver does the same. .NET cannot call C varargs on Linux, hence the
/// <c>_array</c> variants.
/// </summary>
internal static partial class NativeMethods
{
    private const string Library = "librdkafka";

    static NativeMethods() => NativeLibrary.SetDllImportResolver(typeof(NativeMethods).Assembly, Resolve);

    [LibraryImport(Library)]
    internal static partial nint rd_kafka_conf_new();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_conf_set(nint conf, string name, string value, byte[] errstr, nuint errstrSize);

    [LibraryImport(Library)]
    internal static partial nint rd_kafka_new(int type, nint conf, byte[] errstr, nuint errstrSize);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_destroy(nint rk);

    [LibraryImport(Library)]
    internal static partial nint rd_kafka_mock_cluster_new(nint rk, int brokerCount);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_cluster_destroy(nint cluster);

    [LibraryImport(Library)]
    internal static partial nint rd_kafka_mock_cluster_bootstraps(nint cluster);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_mock_topic_create(nint cluster, string topic, int partitions, int replicationFactor);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_group_initial_rebalance_delay_ms(nint cluster, int delayMs);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_push_request_errors_array(nint cluster, short apiKey, nuint count, int[] errors);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_set_down(nint cluster, int brokerId);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_set_up(nint cluster, int brokerId);

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
        {
            return 0;
        }

        string native = Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeFolder(), "native");
        foreach (string candidate in new[] { "librdkafka.so", "centos8-librdkafka.so", "librdkafka.dylib", "librdkafka.dll" })
        {
            if (NativeLibrary.TryLoad(Path.Combine(native, candidate), out nint handle))
            {
                return handle;
            }
        }

        return 0;
    }

    private static string RuntimeFolder()
    {
        string arch = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "arm64" : "x64";
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        return $"{os}-{arch}";
    }
}

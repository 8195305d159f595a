// Compiled by MSBuild's RoslynCodeTaskFactory from TorchSharpGlibcxxFix.targets; not part of any project.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

public class MarkMissingGlibcxxVersionsWeak : Microsoft.Build.Utilities.Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    private static readonly string[] LibStdCxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
    };

    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; }

    public override bool Execute()
    {
        string libStdCxx = LibStdCxxCandidates.FirstOrDefault(File.Exists);
        if (libStdCxx == null)
        {
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "No system libstdc++.so.6 found; TorchSharp glue left as shipped.");
            return true;
        }

        HashSet<string> available = GlibcxxVersionsIn(File.ReadAllBytes(libStdCxx));
        foreach (var item in Libraries)
        {
            string path = item.GetMetadata("FullPath");
            byte[] elf = File.ReadAllBytes(path);
            List<string> weakened = WeakenMissing(elf, available);
            if (weakened.Count == 0)
            {
                continue;
            }

            string temporary = path + ".glibcxx-fix.tmp";
            File.WriteAllBytes(temporary, elf);
            File.Delete(path);
            File.Move(temporary, path);
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                "VaeStream: marked " + string.Join(", ", weakened) + " weak in " + path + " (" + libStdCxx + " lacks it).");
        }

        return !Log.HasLoggedErrors;
    }

    private static HashSet<string> GlibcxxVersionsIn(byte[] library)
    {
        var versions = new HashSet<string>(StringComparer.Ordinal);
        byte[] prefix = Encoding.ASCII.GetBytes("GLIBCXX_");
        for (int i = 0; i <= library.Length - prefix.Length; i++)
        {
            if (!StartsWithAt(library, i, prefix))
            {
                continue;
            }

            int end = i;
            while (end < library.Length && library[end] != 0)
            {
                end++;
            }

            versions.Add(Encoding.ASCII.GetString(library, i, end - i));
            i = end;
        }

        return versions;
    }

    // Walks .gnu.version_r (Elf64_Verneed -> Elf64_Vernaux) and sets VER_FLG_WEAK on every GLIBCXX
    // requirement the system library cannot satisfy. Returns the names it changed.
    private List<string> WeakenMissing(byte[] elf, HashSet<string> available)
    {
        var changed = new List<string>();
        bool isElf64LittleEndian = elf.Length > 64 && elf[0] == 0x7f && elf[1] == (byte)'E' && elf[2] == (byte)'L'
            && elf[3] == (byte)'F' && elf[4] == 2 && elf[5] == 1;
        if (!isElf64LittleEndian)
        {
            Log.LogWarning("VaeStream: not a 64-bit little-endian ELF file; left as is.");
            return changed;
        }

        long sectionHeaders = BitConverter.ToInt64(elf, 0x28);
        int sectionHeaderSize = BitConverter.ToUInt16(elf, 0x3A);
        int sectionCount = BitConverter.ToUInt16(elf, 0x3C);
        for (int s = 0; s < sectionCount; s++)
        {
            long header = sectionHeaders + (long)s * sectionHeaderSize;
            if (BitConverter.ToUInt32(elf, (int)header + 4) != ShtGnuVerneed)
            {
                continue;
            }

            long verneed = BitConverter.ToInt64(elf, (int)header + 0x18);
            uint needCount = BitConverter.ToUInt32(elf, (int)header + 0x2C);
            uint stringSection = BitConverter.ToUInt32(elf, (int)header + 0x28);
            long strings = BitConverter.ToInt64(elf, (int)(sectionHeaders + (long)stringSection * sectionHeaderSize) + 0x18);

            long need = verneed;
            for (uint n = 0; n < needCount; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    string name = ReadCString(elf, strings + BitConverter.ToUInt32(elf, (int)aux + 8));
                    ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                    if (name.StartsWith("GLIBCXX_", StringComparison.Ordinal) && !available.Contains(name) && (flags & VerFlagWeak) == 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | VerFlagWeak)).CopyTo(elf, (int)aux + 4);
                        changed.Add(name);
                    }

                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }

                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
        }

        return changed;
    }

    private static bool StartsWithAt(byte[] bytes, int offset, byte[] prefix)
    {
        for (int k = 0; k < prefix.Length; k++)
        {
            if (bytes[offset + k] != prefix[k])
            {
                return false;
            }
        }

        return true;
    }

    private static string ReadCString(byte[] bytes, long offset)
    {
        int end = (int)offset;
        while (bytes[end] != 0)
        {
            end++;
        }

        return Encoding.ASCII.GetString(bytes, (int)offset, end - (int)offset);
    }
}

using VaeStream.Evaluation.Reports;

namespace VaeStream.Evaluation.Tests.Reports;

public sealed class ScorePlotTests
{
    [Fact]
    public void Segments_are_contiguous_runs()
    {
        bool[] flags = [false, true, true, false, true];

        Assert.Equal([(1, 3), (4, 5)], ScorePlot.Segments(flags));
    }

    [Fact]
    public void Writes_a_png_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vaestream-plot-{Guid.NewGuid():N}.png");
        float[] scores = Enumerable.Range(0, 500).Select(i => 1f + (i % 50 == 0 ? 100 : 0)).ToArray();
        bool[] labels = scores.Select(s => s > 10).ToArray();

        ScorePlot.Save(path, "test", scores, labels, threshold: 10);

        byte[] header = File.ReadAllBytes(path)[..8];
        File.Delete(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, header);
    }
}

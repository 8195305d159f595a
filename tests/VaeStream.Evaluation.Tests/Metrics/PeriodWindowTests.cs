using VaeStream.Evaluation.Metrics;

namespace VaeStream.Evaluation.Tests.Metrics;

public sealed class PeriodWindowTests
{
    [Fact]
    public void Period_of_a_clean_sine_is_its_period()
    {
        float[] sine = Enumerable.Range(0, 1000).Select(t => (float)Math.Sin(2 * Math.PI * t / 24)).ToArray();

        Assert.Equal(24, PeriodWindow.Of(sine));
    }

    [Fact]
    public void Constant_series_falls_back_to_125()
    {
        float[] constant = Enumerable.Repeat(3f, 1000).ToArray();

        Assert.Equal(125, PeriodWindow.Of(constant));
    }
}

using VaeStream.Model.Training;

namespace VaeStream.Model.Tests.Training;

public sealed class TrainingOptionsTests
{
    [Theory]
    [InlineData(600, 1, 1)] // the code default: one pass
    [InlineData(600, 64, 22)] // 3 steps a pass
    [InlineData(1_200, 64, 13)] // 5 steps a pass
    [InlineData(18_960, 64, 1)] // 75 steps a pass: SMD's machines pass once
    [InlineData(1, 64, 64)]
    public void A_small_training_set_passes_over_its_rows_until_an_epoch_has_the_minimum_steps(int rows, int minSteps, int passes)
    {
        var options = new TrainingOptions { BatchSize = 256, MinStepsPerEpoch = minSteps };

        Assert.Equal(passes, options.PassesPerEpoch(rows));
        Assert.True(passes * ((rows + 255) / 256) >= minSteps);
    }

    [Fact]
    public void An_out_of_range_minimum_names_the_key()
    {
        var error = Assert.Throws<ArgumentException>(() => new TrainingOptions { MinStepsPerEpoch = 0 }.Validate());

        Assert.Contains("training.minStepsPerEpoch", error.Message, StringComparison.Ordinal);
    }
}

using VaeStream.Worker.Configuration;

namespace VaeStream.Worker.Tests.Configuration;

public sealed class KeySuggestionTests
{
    [Theory]
    [InlineData("MaxBatchSzie", "MaxBatchSize")]
    [InlineData("maxbatchsize", "MaxBatchSize")]
    [InlineData("MaxBatchDelays", "MaxBatchDelay")]
    [InlineData("ChanelCapacity", "ChannelCapacity")]
    public void The_nearest_name_is_suggested(string typed, string expected) =>
        Assert.Equal(expected, KeySuggestion.Nearest(typed, ["MaxBatchSize", "MaxBatchDelay", "ChannelCapacity"]));

    [Fact]
    public void Nothing_is_suggested_when_every_name_is_far() =>
        Assert.Null(KeySuggestion.Nearest("Colour", ["MaxBatchSize", "MaxBatchDelay", "ChannelCapacity"]));
}

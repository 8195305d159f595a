using VaeStream.Model.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeStream.Model.Tests.Network;

public sealed class VariationalAutoencoderTests
{
    [Fact]
    public void TorchSharp_initialises_and_a_forward_pass_gives_finite_outputs_of_the_right_shape()
    {
        TorchRuntime.Initialize();
        random.manual_seed(1);
        using var model = new VariationalAutoencoder(38, new NetworkOptions { HiddenSizes = [64, 32], LatentSize = 4, LearnVariance = true });
        using DisposeScope scope = NewDisposeScope();

        VaeOutput output = model.forward(randn(16, 38));

        Assert.Equal([16L, 38L], output.Mean.shape);
        Assert.Equal([16L, 38L], output.LogVariance!.shape);
        Assert.Equal([16L, 4L], output.LatentMean.shape);
        Assert.True(output.Mean.isfinite().all().item<bool>());
    }

    [Fact]
    public void State_dict_keys_are_the_stable_field_names()
    {
        TorchRuntime.Initialize();
        using var model = new VariationalAutoencoder(5, new NetworkOptions { HiddenSizes = [8], LatentSize = 2 });

        string[] keys = [.. model.state_dict().Keys.Order(StringComparer.Ordinal)];

        Assert.Equal(
            ["decoder.linear0.bias", "decoder.linear0.weight", "encoder.linear0.bias", "encoder.linear0.weight",
             "latent_logvar.bias", "latent_logvar.weight", "latent_mean.bias", "latent_mean.weight",
             "output_mean.bias", "output_mean.weight"],
            keys);
    }
}

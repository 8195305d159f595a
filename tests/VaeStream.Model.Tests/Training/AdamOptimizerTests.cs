using VaeStream.Model.Network;
using VaeStream.Model.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeStream.Model.Tests.Training;

public sealed class AdamOptimizerTests
{
    public AdamOptimizerTests() => TorchRuntime.Initialize();

    [Fact]
    public void Its_weights_are_bit_identical_to_TorchSharps_Adam_after_the_same_steps()
    {
        var options = new NetworkOptions { HiddenSizes = [16, 8], LatentSize = 2, LearnVariance = true };
        using var ours = new VariationalAutoencoder(6, options, seed: 3);
        using var theirs = new VariationalAutoencoder(6, options, seed: 3);
        using var optimizer = new AdamOptimizer(ours.parameters(), 1e-2);
        using var reference = optim.Adam(theirs.parameters(), 1e-2);
        using var data = randn([64, 6], generator: new Generator(5));

        for (int step = 0; step < 40; step++)
        {
            using DisposeScope scope = NewDisposeScope();
            using var oursNoise = new Generator((ulong)step);
            using var theirsNoise = new Generator((ulong)step);
            optimizer.ZeroGrad();
            VaeLoss.Compute(ours.Sample(data, oursNoise), data, 0.5).backward();
            optimizer.Step();
            reference.zero_grad();
            VaeLoss.Compute(theirs.Sample(data, theirsNoise), data, 0.5).backward();
            reference.step();
        }

        Dictionary<string, Tensor> expected = theirs.state_dict();
        foreach ((string name, Tensor weight) in ours.state_dict())
        {
            Assert.True(weight.equal(expected[name]).all().item<bool>(), $"{name} differs by {(weight - expected[name]).abs().sum().item<float>()} of {expected[name].abs().sum().item<float>()}");
        }

        using DisposeScope check = NewDisposeScope();
        using var first = new VariationalAutoencoder(6, options, seed: 3);
        Assert.False(first.state_dict()["output_mean.weight"].equal(ours.state_dict()["output_mean.weight"]).all().item<bool>(), "the steps changed nothing");
    }

    [Fact]
    public void Training_survives_collections_and_finalizers_running_beside_it()
    {
        // The race it removes: an implicit Scalar finalized while libtorch still reads it. Forced collections on
        // another thread make the window as wide as it gets: with TorchSharp's own Adam in place of this one, this
        // test (then at 3,000 steps) failed with libtorch's "Expected false to be true" (Scalar.h:140) within seconds,
        // 3 runs of 3.
        var options = new NetworkOptions { HiddenSizes = [32, 32], LatentSize = 3, LearnVariance = true };
        using var model = new VariationalAutoencoder(8, options, seed: 1);
        using var optimizer = new AdamOptimizer(model.parameters(), 1e-3);
        using var data = randn([256, 8], generator: new Generator(2));
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                _ = new byte[1 << 16];
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        collector.Start();
        try
        {
            using var noise = new Generator(7);
            for (int step = 0; step < 1000; step++)
            {
                using DisposeScope scope = NewDisposeScope();
                optimizer.ZeroGrad();
                Tensor loss = VaeLoss.Compute(model.Sample(data, noise), data, 1.0);
                loss.backward();
                optimizer.Step();
                Assert.True(float.IsFinite(loss.item<float>()), $"loss at step {step} is not finite");
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
    }
}

namespace VaeStream.Worker.Tests.Integration.HeldOut;

/// <summary>The draws the held-out generators make from their seeded <see cref="Random"/>.</summary>
internal static class RandomDraws
{
    /// <summary>A normal draw with mean 0 and standard deviation <paramref name="sd"/> (Box–Muller).</summary>
    public static double Normal(this Random random, double sd) =>
        sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>A Poisson draw with mean <paramref name="mean"/> (Knuth's product of uniforms).</summary>
    public static int Poisson(this Random random, double mean)
    {
        double limit = Math.Exp(-mean), product = 1;
        int k = 0;
        do
        {
            k++;
            product *= random.NextDouble();
        }
        while (product > limit);
        return k - 1;
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace VaeStream.Model.Training;

/// <summary>
/// Adam (Kingma and Ba, 2015), computing step for step what TorchSharp's <c>optim.Adam(parameters, lr)</c> computes
/// (β₁ 0.9, β₂ 0.999 as that factory defaults in 0.107, ε 1e-8, no weight decay), so trained weights are bit-identical to it.
/// It exists because TorchSharp's version passes implicit Scalars to native calls and leaves them to the finalizer
/// (see <see cref="HeldScalars"/>): training beside other allocating threads failed in libtorch's Scalar check inside
/// that <c>step</c>. Here every Scalar is created explicitly and disposed only after the calls that read it.
/// </summary>
internal sealed class AdamOptimizer : IDisposable
{
    private readonly Parameter[] parameters;
    private readonly Tensor[] firstMoments;
    private readonly Tensor[] secondMoments;
    private readonly long[] steps;
    private readonly double learningRate;
    private readonly double beta1;
    private readonly double beta2;
    private readonly double epsilon;

    /// <summary>Starts both moment estimates of every parameter at zero.</summary>
    public AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        this.parameters = [.. parameters];
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        firstMoments = [.. this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        secondMoments = [.. this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        steps = new long[this.parameters.Length];
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (Parameter parameter in parameters)
        {
            using Tensor? gradient = parameter.grad;
            gradient?.zero_();
        }
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        using IDisposable noGrad = no_grad();
        using DisposeScope scope = NewDisposeScope();
        using Scalar decay1 = beta1.ToScalar(), keep1 = (1 - beta1).ToScalar();
        using Scalar decay2 = beta2.ToScalar(), keep2 = (1 - beta2).ToScalar();
        using Scalar eps = epsilon.ToScalar();
        for (int i = 0; i < parameters.Length; i++)
        {
            Tensor? gradient = parameters[i].grad;
            if (gradient is null)
            {
                continue;
            }

            long step = ++steps[i];
            double correction1 = 1 - Math.Pow(beta1, step);
            double correction2 = 1 - Math.Pow(beta2, step);
            firstMoments[i].mul_(decay1).add_(gradient, keep1);
            secondMoments[i].mul_(decay2).addcmul_(gradient, gradient.conj(), keep2);
            using Scalar correction2Root = Math.Sqrt(correction2).ToScalar();
            using Scalar stepSize = (-(learningRate / correction1)).ToScalar();
            Tensor denominator = secondMoments[i].sqrt().div(correction2Root).add_(eps, HeldScalars.One);
            parameters[i].addcdiv_(firstMoments[i], denominator, stepSize);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Tensor moment in firstMoments.Concat(secondMoments))
        {
            moment.Dispose();
        }
    }
}

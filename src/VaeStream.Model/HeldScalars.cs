using TorchSharp;

namespace VaeStream.Model;

/// <summary>
/// The constant Scalars the model's tensor arithmetic uses, created once and kept alive for the process.
/// TorchSharp 0.107 turns a number passed to a tensor operation into a Scalar implicitly and leaves it to the
/// finalizer; a collection while the native call still reads it frees it under libtorch, which then fails with
/// "Expected false to be true" at Scalar.h (dotnet/TorchSharp#1434). So no tensor call here takes a bare number:
/// constants come from this class, and a value known only at run time is a Scalar disposed after its call.
/// </summary>
internal static class HeldScalars
{
    /// <summary>1, also the explicit alpha of every tensor addition (TorchSharp's <c>add(Tensor)</c> converts its own).</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>2, the exponent of a square.</summary>
    public static readonly Scalar Two = 2.ToScalar();

    /// <summary>0.5.</summary>
    public static readonly Scalar Half = 0.5.ToScalar();

    /// <summary>−0.5.</summary>
    public static readonly Scalar MinusHalf = (-0.5).ToScalar();
}

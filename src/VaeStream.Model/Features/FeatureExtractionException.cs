namespace VaeStream.Model.Features;

/// <summary>Why an event could not be turned into a feature row.</summary>
public enum FeatureErrorKind
{
    /// <summary>The payload is not valid JSON (or nests deeper than allowed).</summary>
    MalformedJson,

    /// <summary>A value has the wrong JSON type, for example a string where a number is expected.</summary>
    WrongType,

    /// <summary>A value is NaN or infinite.</summary>
    NonFinite,

    /// <summary>A required value is absent.</summary>
    Missing,

    /// <summary>A value is outside the transform's domain, for example log1p of −2.</summary>
    OutOfDomain,
}

/// <summary>A bad event: the message names the field, its path and the offending value.</summary>
public sealed class FeatureExtractionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FeatureExtractionException(FeatureErrorKind kind, string? field, string? path, string? value, string reason)
        : base(Describe(field, path, value, reason))
    {
        Kind = kind;
        Field = field;
        Path = path;
        Value = value;
        Reason = reason;
    }

    /// <summary>The kind of error, for metrics and dead-letter headers.</summary>
    public FeatureErrorKind Kind { get; }

    /// <summary>The feature (or <c>entityKey</c>, <c>timestamp</c>), when the error concerns one.</summary>
    public string? Field { get; }

    /// <summary>The path or column of the field.</summary>
    public string? Path { get; }

    /// <summary>The offending value as text, cut to 100 characters.</summary>
    public string? Value { get; }

    /// <summary>What is wrong, without the field and path.</summary>
    public string Reason { get; }

    internal static string Clip(string text) => text.Length <= 100 ? text : string.Concat(text.AsSpan(0, 100), "…");

    private static string Describe(string? field, string? path, string? value, string reason)
    {
        string where = field is null ? "event" : $"feature '{field}' at path '{path}'";
        return value is null ? $"{where}: {reason}" : $"{where}: {reason} (value: {value})";
    }
}

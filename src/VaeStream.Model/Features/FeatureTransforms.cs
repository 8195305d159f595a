namespace VaeStream.Model.Features;

/// <summary>Applies a feature's transform and checks the result; shared by the JSON and CSV readers.</summary>
internal static class FeatureTransforms
{
    public static float Apply(FeatureDefinition feature, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new FeatureExtractionException(FeatureErrorKind.NonFinite, feature.Name, feature.Path,
                value.ToString(System.Globalization.CultureInfo.InvariantCulture), "NaN and infinite values are not allowed");
        }

        switch (feature.Transform)
        {
            case FeatureTransform.Log1p when value <= -1:
                throw new FeatureExtractionException(FeatureErrorKind.OutOfDomain, feature.Name, feature.Path,
                    value.ToString(System.Globalization.CultureInfo.InvariantCulture), "log1p needs a value greater than -1");
            case FeatureTransform.Log1p:
                return (float)Math.Log(1 + value);
            default:
                float single = (float)value;
                if (!float.IsFinite(single))
                {
                    throw new FeatureExtractionException(FeatureErrorKind.NonFinite, feature.Name, feature.Path,
                        value.ToString(System.Globalization.CultureInfo.InvariantCulture), "the value overflows a 32-bit float");
                }

                return single;
        }
    }

    /// <summary>Back from the transformed scale to the event's own units, for "expected value" reports.</summary>
    public static double Invert(FeatureTransform transform, double value) =>
        transform == FeatureTransform.Log1p ? Math.Exp(value) - 1 : value;
}

namespace VaeStream.Model.Training;

/// <summary>Which training rows are held out for early stopping, the residual scale and the threshold.</summary>
public enum HoldoutLayout
{
    /// <summary>The last rows: the stretch just before the data that will be scored (the offline protocol's choice).</summary>
    Tail,

    /// <summary>
    /// Ten blocks spread evenly over the rows, the end of each tenth. The worker's window is recent traffic in time
    /// order: in a fleet that shares a daily cycle its last fifth is a part of the day, not a sample of it.
    /// </summary>
    Spread,
}

namespace VaeStream.Evaluation.Baselines;

/// <summary>
/// Eigenvalues and eigenvectors of a small symmetric matrix by cyclic Jacobi rotations: exact to rounding for the
/// few dozen features of a PCA baseline, and free of a linear-algebra package.
/// </summary>
internal static class SymmetricEigen
{
    /// <summary>
    /// Decomposes the symmetric <paramref name="n"/>×<paramref name="n"/> row-major <paramref name="matrix"/>.
    /// Returns the eigenvalues in descending order and, row-major, one eigenvector per column in the same order.
    /// </summary>
    public static (double[] Values, double[] Vectors) Decompose(double[] matrix, int n)
    {
        if (matrix.Length != n * n)
        {
            throw new ArgumentException($"a {n}×{n} matrix needs {n * n} values; got {matrix.Length}.", nameof(matrix));
        }

        double[] a = [.. matrix];
        double[] v = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            v[i * n + i] = 1;
        }

        for (int sweep = 0; sweep < 100 && OffDiagonal(a, n) > 1e-22 * Math.Max(1, Diagonal(a, n)); sweep++)
        {
            for (int p = 0; p < n - 1; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    Rotate(a, v, n, p, q);
                }
            }
        }

        int[] order = [.. Enumerable.Range(0, n).OrderByDescending(i => a[i * n + i])];
        double[] values = [.. order.Select(i => a[i * n + i])];
        double[] vectors = new double[n * n];
        for (int column = 0; column < n; column++)
        {
            for (int row = 0; row < n; row++)
            {
                vectors[row * n + column] = v[row * n + order[column]];
            }
        }

        return (values, vectors);
    }

    // One rotation in the (p, q) plane that zeroes a[p, q] (Golub and Van Loan, algorithm 8.4.2).
    private static void Rotate(double[] a, double[] v, int n, int p, int q)
    {
        double apq = a[p * n + q];
        if (Math.Abs(apq) < 1e-300)
        {
            return;
        }

        double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
        if (theta == 0)
        {
            t = 1;
        }

        double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
        for (int k = 0; k < n; k++)
        {
            double akp = a[k * n + p], akq = a[k * n + q];
            a[k * n + p] = c * akp - s * akq;
            a[k * n + q] = s * akp + c * akq;
        }

        for (int k = 0; k < n; k++)
        {
            double apk = a[p * n + k], aqk = a[q * n + k];
            a[p * n + k] = c * apk - s * aqk;
            a[q * n + k] = s * apk + c * aqk;
        }

        for (int k = 0; k < n; k++)
        {
            double vkp = v[k * n + p], vkq = v[k * n + q];
            v[k * n + p] = c * vkp - s * vkq;
            v[k * n + q] = s * vkp + c * vkq;
        }
    }

    private static double OffDiagonal(double[] a, int n)
    {
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                sum += i == j ? 0 : a[i * n + j] * a[i * n + j];
            }
        }

        return sum;
    }

    private static double Diagonal(double[] a, int n)
    {
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += a[i * n + i] * a[i * n + i];
        }

        return sum;
    }
}

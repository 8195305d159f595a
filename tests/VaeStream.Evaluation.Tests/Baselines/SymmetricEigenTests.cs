using VaeStream.Evaluation.Baselines;

namespace VaeStream.Evaluation.Tests.Baselines;

public sealed class SymmetricEigenTests
{
    [Fact]
    public void Eigenvalues_come_in_descending_order_and_each_column_is_an_eigenvector()
    {
        double[] matrix = [2, 1, 0, 1, 2, 0, 0, 0, 5];

        (double[] values, double[] vectors) = SymmetricEigen.Decompose(matrix, 3);

        Assert.Equal([5, 3, 1], values.Select(v => Math.Round(v, 9)));
        for (int c = 0; c < 3; c++)
        {
            for (int row = 0; row < 3; row++)
            {
                double product = Enumerable.Range(0, 3).Sum(k => matrix[row * 3 + k] * vectors[k * 3 + c]);
                Assert.Equal(values[c] * vectors[row * 3 + c], product, 9);
            }

            Assert.Equal(1, Enumerable.Range(0, 3).Sum(k => vectors[k * 3 + c] * vectors[k * 3 + c]), 9);
        }
    }
}

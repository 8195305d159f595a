using VaeStream.Evaluation.Datasets;

namespace VaeStream.Evaluation.Tests.Datasets;

public sealed class LabelledEntityTests : IDisposable
{
    private readonly TempDirectory root = new("vaestream-layout-");

    public void Dispose() => root.Dispose();

    [Fact]
    public void Discovers_entities_present_in_train_test_and_labels_only()
    {
        foreach (string folder in new[] { "train", "test", "test_label" })
        {
            Directory.CreateDirectory(Path.Combine(root.Path, folder));
            File.WriteAllText(Path.Combine(root.Path, folder, "m-2.txt"), "0\n");
            File.WriteAllText(Path.Combine(root.Path, folder, "m-1.txt"), "0\n");
        }

        File.WriteAllText(Path.Combine(root.Path, "train", "orphan.txt"), "0\n");

        IReadOnlyList<LabelledEntity> entities = LabelledEntity.Discover(root.Path);

        Assert.Equal(["m-1", "m-2"], entities.Select(e => e.Name));
    }

    [Fact]
    public void A_directory_without_the_layout_names_the_missing_folder()
    {
        DirectoryNotFoundException error = Assert.Throws<DirectoryNotFoundException>(() => LabelledEntity.Discover(root.Path));

        Assert.Equal($"'{root.Path}' is not in the SMD/ASD layout: '{Path.Combine(root.Path, "train")}' does not exist.", error.Message);
    }

    [Fact]
    public void A_bad_label_names_its_line()
    {
        string path = Path.Combine(root.Path, "labels.txt");
        File.WriteAllText(path, "0\n1\n2\n");

        FormatException error = Assert.Throws<FormatException>(() => LabelledEntity.ReadLabels(path));

        Assert.Equal($"'{path}' line 3: expected 0 or 1, found '2'.", error.Message);
    }

    [Fact]
    public void Shared_smd_machine_1_2_has_as_many_labels_as_test_rows()
    {
        string smd = Path.Combine(RepositoryRoot.SharedData, "SMD", "ServerMachineDataset");
        LabelledEntity entity = LabelledEntity.Discover(smd).Single(e => e.Name == "machine-1-2");

        Assert.Equal(File.ReadLines(entity.TestPath).Count(), LabelledEntity.ReadLabels(entity.LabelPath).Length);
    }
}

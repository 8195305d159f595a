using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using VaeStream.Worker.Configuration;
using VaeStream.Worker.Pipeline;

namespace VaeStream.Worker.Tests.Configuration;

public sealed class OptionsFailuresTests
{
    [Fact]
    public void A_generated_validator_failure_names_the_configuration_key_and_the_value_written()
    {
        var options = new PipelineOptions { MaxBatchSize = 0 };
        ValidateOptionsResult result = new PipelineOptionsValidator().Validate(null, options);
        var failure = new OptionsValidationException("", typeof(PipelineOptions), result.Failures!);
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Pipeline:MaxBatchSize"] = "0" }).Build();

        string line = Assert.Single(OptionsFailures.Describe(failure, PipelineOptions.Section, configuration));

        Assert.Equal("Pipeline:MaxBatchSize = '0': must be between 1 and 65536", line);
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// Binds <see cref="MemoryPressureHostingOptions"/> from the configuration section
/// <see cref="MemoryPressureHostingOptions.SectionName"/>, when the container has an <see cref="IConfiguration"/>.
/// </summary>
/// <remarks>
/// Reads the section by hand rather than with the configuration binder: conditions are text to
/// parse, and every value that cannot be read is kept, with its key, for the validator to report
/// at start-up instead of being skipped or thrown without a key.
/// </remarks>
internal sealed class MemoryPressureConfigureOptions(IConfiguration? configuration = null) : IConfigureOptions<MemoryPressureHostingOptions>
{
    public void Configure(MemoryPressureHostingOptions options)
    {
        if (configuration is not null)
        {
            MemoryPressureConfigurationReader.Read(configuration.GetSection(MemoryPressureHostingOptions.SectionName), options);
        }
    }
}

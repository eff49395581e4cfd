using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Qlip.Shared.Storage;

/// <summary>Registers (once) <see cref="StorageOptions"/> (section <c>Storage</c>, plus <c>QLIP_STORAGE</c>), the clients and the provisioner.</summary>
public static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddQlipStorage(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(StorageClients))) return services;
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                    options.ConnectionString = configuration[StorageOptions.ConnectionStringVariable];
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<StorageClients>();
        services.AddSingleton<StorageProvisioner>();
        return services;
    }
}

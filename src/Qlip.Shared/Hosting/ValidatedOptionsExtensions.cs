using Microsoft.Extensions.DependencyInjection;

namespace Qlip.Shared.Hosting;

/// <summary>The one way a host binds its options: from a configuration section, validated at start-up.</summary>
public static class ValidatedOptionsExtensions
{
    /// <summary>Binds <typeparamref name="TOptions"/> to <paramref name="section"/>; a bad value fails the host at start and names the key.</summary>
    public static IServiceCollection AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}

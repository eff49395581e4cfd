using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Qlip.Shared.Messages;
using Qlip.Shared.Storage;

namespace Qlip.Shared.Queues;

/// <summary>Registers queue handlers, each with its own listener, options (<c>Queues</c> then <c>Queues:{queue}</c>) and DI scope per message.</summary>
public static class QueueHandlerServiceCollectionExtensions
{
    /// <summary>
    /// Runs <typeparamref name="THandler"/> for every message of <paramref name="queueName"/>, under the Azure Functions
    /// queue-trigger contract (see <see cref="QueueWorkerOptions"/>). One handler per queue.
    /// </summary>
    public static IServiceCollection AddQueueHandler<TMessage, THandler>(this IServiceCollection services, string queueName)
        where TMessage : class, IQueueMessage<TMessage>
        where THandler : class, IQueueHandler<TMessage>
    {
        if (services.Any(d => d.IsKeyedService && Equals(d.ServiceKey, queueName) && d.ServiceType.IsGenericType
                              && d.ServiceType.GetGenericTypeDefinition() == typeof(IQueueHandler<>)))
            throw new InvalidOperationException($"queue '{queueName}' already has a handler: register one handler per queue");

        services.AddQlipStorage();
        services.AddOptions<QueueWorkerOptions>(queueName)
            .BindConfiguration(QueueWorkerOptions.SectionName)
            .BindConfiguration($"{QueueWorkerOptions.SectionName}:{queueName}")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddKeyedScoped<IQueueHandler<TMessage>, THandler>(queueName);
        services.AddSingleton<IHostedService>(provider => ActivatorUtilities.CreateInstance<QueueWorker<TMessage>>(provider, queueName));
        return services;
    }
}

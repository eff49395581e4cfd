using Qlip.Shared.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Qlip.ML.Training.Runs;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;

namespace Qlip.TrainerHost.Hosting;

/// <summary>The trainer host's registrations, shared by its Program.cs and tests.</summary>
public static class TrainerHostingExtensions
{
    public static IHostApplicationBuilder AddTrainer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<TrainerHostOptions>(TrainerHostOptions.SectionName);
        builder.Services.AddSingleton(_ => RunKinds.Create());
        // One run at a time per host (a run uses every core), and no grace period of more training on stop: a run is never
        // about to finish, so it is cancelled at once and its checkpoint write starts while the platform's grace is fresh
        // (the host then waits up to its shutdown timeout: DOTNET_shutdownTimeoutSeconds, 290 s in Azure; see docs/deploy.md).
        // Defaults that Queues:train-runs:* settings still override, since the queue's configuration is bound after them.
        builder.Services.Configure<QueueWorkerOptions>(StorageNames.Queues.TrainRuns,
            queue => (queue.BatchSize, queue.NewBatchThreshold, queue.ShutdownTimeout) = (1, 1, TimeSpan.Zero));
        builder.Services.AddQueueHandler<TrainRunRequest, TrainRunHandler>(StorageNames.Queues.TrainRuns);
        return builder;
    }
}

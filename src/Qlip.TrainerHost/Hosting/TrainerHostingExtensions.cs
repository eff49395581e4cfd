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
        builder.Services.AddQueueHandler<TrainRunRequest, TrainRunHandler>(StorageNames.Queues.TrainRuns);
        return builder;
    }
}

using Azure.Core;
using Azure.Core.Pipeline;
using Polly;
using Polly.Retry;

namespace Qlip.Shared.Storage;

/// <summary>
/// Replaces the Azure SDK's retry step with a Polly pipeline (exponential backoff with jitter). It sits where the SDK's
/// own retry policy sits, so each attempt is signed again and upload streams are rewound by the SDK as usual.
/// What counts as transient is the SDK's own classifier for the service being called.
/// </summary>
internal sealed class StorageRetryPolicy : HttpPipelinePolicy
{
    private static readonly ResiliencePropertyKey<HttpMessage> MessageKey = new("qlip.storage.message");
    private readonly ResiliencePipeline<bool> _pipeline;

    public StorageRetryPolicy(StorageOptions options)
    {
        var builder = new ResiliencePipelineBuilder<bool>();
        if (options.MaxRetries > 0)
            builder.AddRetry(new RetryStrategyOptions<bool>
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Context, args.Outcome)),
                OnRetry = args =>
                {
                    // The failed attempt's response is replaced by the next one; release its connection now.
                    var message = args.Context.Properties.GetValue(MessageKey, null!);
                    if (message.HasResponse) message.Response.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        _pipeline = builder.Build();
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var context = Rent(message);
        try
        {
            await _pipeline.ExecuteAsync(static async (_, state) =>
            {
                await ProcessNextAsync(state.message, state.pipeline).ConfigureAwait(false);
                return state.message.ResponseClassifier.IsRetriableResponse(state.message);
            }, context, (message, pipeline)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var context = Rent(message);
        try
        {
            _pipeline.Execute(static (_, state) =>
            {
                ProcessNext(state.message, state.pipeline);
                return state.message.ResponseClassifier.IsRetriableResponse(state.message);
            }, context, (message, pipeline));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static ResilienceContext Rent(HttpMessage message)
    {
        var context = ResilienceContextPool.Shared.Get(message.CancellationToken);
        context.Properties.Set(MessageKey, message);
        return context;
    }

    private static bool ShouldRetry(ResilienceContext context, Outcome<bool> outcome)
    {
        var message = context.Properties.GetValue(MessageKey, null!);
        if (message.CancellationToken.IsCancellationRequested) return false;
        return outcome.Exception is { } exception
            ? message.ResponseClassifier.IsRetriable(message, exception)
            : outcome.Result;
    }
}

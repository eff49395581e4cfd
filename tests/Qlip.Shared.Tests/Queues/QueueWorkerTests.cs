using Qlip.Shared.Messages;
using Qlip.Testing.Azurite;

namespace Qlip.Shared.Tests.Queues;

[Collection(AzuriteCollection.Name)]
public sealed class QueueWorkerTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_succeeding_handler_deletes_its_message_and_base64_and_plain_bodies_read_the_same()
    {
        await using var worker = await WorkerHarness<RecordingHandler>.CreateAsync(azurite);
        await worker.SendAsync(WorkerHarness<RecordingHandler>.Request("00000001"), QueueBodyEncoding.Base64);
        await worker.SendAsync(WorkerHarness<RecordingHandler>.Request("00000002"), QueueBodyEncoding.PlainJson);

        await worker.Host.StartAsync();
        await WorkerHarness<RecordingHandler>.WaitUntilAsync(async () => await worker.CountAsync(worker.Queue) == 0, Patience, "both messages deleted");

        var calls = worker.Probe.Calls.ToList();
        Assert.Equal(["00000001", "00000002"], calls.Select(c => c.Message.ShardId).Order());
        Assert.All(calls, c => Assert.Equal(WorkerHarness<RecordingHandler>.Request(c.Message.ShardId), c.Message));
        Assert.All(calls, c => Assert.Equal(1, c.Context.DequeueCount));
        Assert.All(calls, c => Assert.Equal(worker.QueueName, c.Context.QueueName));
        Assert.Equal(0, await worker.CountAsync(worker.Poison));
    }

    [Fact]
    public async Task Poisons_after_five_failed_attempts_with_the_reason()
    {
        await using var worker = await WorkerHarness<FailingHandler>.CreateAsync(azurite);
        var body = QueueMessageCodec.Encode(WorkerHarness<FailingHandler>.Request("00000003"), QueueBodyEncoding.Base64);
        await worker.Queue.SendMessageAsync(body);

        await worker.Host.StartAsync();
        await WorkerHarness<FailingHandler>.WaitUntilAsync(async () => await worker.CountAsync(worker.Poison) == 1, Patience, "the poison message");

        var poison = Assert.Single(await worker.PoisonedAsync());
        Assert.Equal([1L, 2, 3, 4, 5], worker.Probe.Calls.Select(c => c.Context.DequeueCount));
        Assert.Equal("System.IO.InvalidDataException: shard 00000003 is truncated", poison.Reason);
        Assert.Equal(5, poison.Attempts);
        Assert.Equal(typeof(FailingHandler).FullName, poison.Handler);
        Assert.Equal(worker.QueueName, poison.Queue);
        Assert.Equal(body, poison.Body);
        Assert.Equal(0, await worker.CountAsync(worker.Queue));
    }

    [Fact]
    public async Task A_permanent_failure_is_poisoned_after_its_first_attempt_with_the_reason()
    {
        await using var worker = await WorkerHarness<PermanentlyFailingHandler>.CreateAsync(azurite);
        var body = QueueMessageCodec.Encode(WorkerHarness<PermanentlyFailingHandler>.Request("00000004"), QueueBodyEncoding.Base64);
        await worker.Queue.SendMessageAsync(body);

        await worker.Host.StartAsync();
        await WorkerHarness<PermanentlyFailingHandler>.WaitUntilAsync(async () => await worker.CountAsync(worker.Poison) == 1, Patience, "the poison message");

        var poison = Assert.Single(await worker.PoisonedAsync());
        Assert.Equal([1L], worker.Probe.Calls.Select(c => c.Context.DequeueCount));
        Assert.Equal("permanent failure: shard id 00000004 names no shard format this worker reads", poison.Reason);
        Assert.Equal((1L, typeof(PermanentlyFailingHandler).FullName, body), (poison.Attempts, poison.Handler, poison.Body));
        Assert.Equal(0, await worker.CountAsync(worker.Queue));
    }

    [Fact]
    public async Task A_deferred_message_comes_back_as_its_next_message_after_its_delay_and_is_never_poisoned_for_waiting()
    {
        await using var worker = await WorkerHarness<DeferringHandler>.CreateAsync(azurite);
        var request = WorkerHarness<DeferringHandler>.Request("00000005");
        await worker.SendAsync(request);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await worker.Host.StartAsync();
        await WorkerHarness<DeferringHandler>.WaitUntilAsync(async () => worker.Probe.Calls.Count > DeferringHandler.Deferrals
            && await worker.CountAsync(worker.Queue) == 0, Patience, "the message to succeed after its deferrals");
        var elapsed = clock.Elapsed;

        // More deferrals than MaxDequeueCount (5), each a fresh copy on its first dequeue, carrying what the handler put in it.
        var calls = worker.Probe.Calls.ToList();
        Assert.Equal(DeferringHandler.Deferrals + 1, calls.Count);
        Assert.All(calls, c => Assert.Equal(1, c.Context.DequeueCount));
        Assert.Equal(request, calls[0].Message);
        Assert.All(calls.Skip(1), c => Assert.Equal(request with { WaitingForCaptionsSince = DeferringHandler.FirstLook }, c.Message));
        Assert.Equal(calls.Count, calls.Select(c => c.Context.MessageId).Distinct().Count());
        // Each copy stayed invisible for the delay (without it, polling brings each copy back within ~20 ms).
        Assert.True(elapsed >= DeferringHandler.Delay * DeferringHandler.Deferrals, $"{DeferringHandler.Deferrals} deferrals took {elapsed}");
        Assert.Equal(0, await worker.CountAsync(worker.Poison));
    }

    [Fact]
    public async Task Malformed_and_unknown_version_messages_go_straight_to_poison_with_their_reason()
    {
        await using var worker = await WorkerHarness<RecordingHandler>.CreateAsync(azurite);
        await worker.Queue.SendMessageAsync("{\"version\":1,\"dataset\":\"fmnist\"");
        await worker.Queue.SendMessageAsync(Convert.ToBase64String("{\"version\":2,\"dataset\":\"fmnist\",\"shardId\":\"00000004\"}"u8));

        await worker.Host.StartAsync();
        await WorkerHarness<RecordingHandler>.WaitUntilAsync(async () => await worker.CountAsync(worker.Poison) == 2, Patience, "two poison messages");

        var poisoned = await worker.PoisonedAsync();
        Assert.Empty(worker.Probe.Calls);
        Assert.All(poisoned, p => Assert.Equal(1, p.Attempts));
        Assert.Contains(poisoned, p => p.Reason.StartsWith("TokenizeRequest: malformed JSON"));
        Assert.Contains(poisoned, p => p.Reason == "TokenizeRequest: unknown version 2 (this host reads version 1)");
        Assert.Equal(0, await worker.CountAsync(worker.Queue));
    }

    [Fact]
    public async Task A_message_whose_workers_kept_dying_is_poisoned_without_running_the_handler()
    {
        await using var worker = await WorkerHarness<RecordingHandler>.CreateAsync(azurite);
        await worker.SendAsync(WorkerHarness<RecordingHandler>.Request("00000005"));
        for (var i = 0; i < 5; i++)
        {
            // Five deliveries whose worker vanished: received, never completed.
            var leased = (await worker.Queue.ReceiveMessagesAsync(1)).Value.Single();
            await worker.Queue.UpdateMessageAsync(leased.MessageId, leased.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        }

        await worker.Host.StartAsync();
        await WorkerHarness<RecordingHandler>.WaitUntilAsync(async () => await worker.CountAsync(worker.Poison) == 1, Patience, "the poison message");

        var poison = Assert.Single(await worker.PoisonedAsync());
        Assert.Empty(worker.Probe.Calls);
        Assert.Equal(6, poison.Attempts);
        Assert.Contains("more than MaxDequeueCount 5", poison.Reason);
    }

    [Fact]
    public async Task Renews_visibility_so_a_handler_slower_than_the_timeout_runs_once()
    {
        await using var worker = await WorkerHarness<SlowHandler>.CreateAsync(azurite, o => o.VisibilityTimeout = TimeSpan.FromSeconds(4));
        await worker.SendAsync(WorkerHarness<SlowHandler>.Request("00000006"));

        await worker.Host.StartAsync();
        await worker.Probe.Started.Task.WaitAsync(Patience);
        await WorkerHarness<SlowHandler>.WaitUntilAsync(async () => await worker.CountAsync(worker.Queue) == 0, Patience, "the message deleted");

        Assert.Single(worker.Probe.Calls);
        Assert.Equal(1, worker.Probe.MaxRunning);
    }

    [Fact]
    public async Task Shutdown_releases_an_unfinished_message_at_once()
    {
        await using var worker = await WorkerHarness<BlockingHandler>.CreateAsync(azurite, o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(200));
        await worker.SendAsync(WorkerHarness<BlockingHandler>.Request("00000007"));

        await worker.Host.StartAsync();
        await worker.Probe.Started.Task.WaitAsync(Patience);
        await worker.Host.StopAsync();
        // The lease was 30 s: receiving it now proves it was released, not left to expire.
        var again = (await worker.Queue.ReceiveMessagesAsync(1)).Value;

        Assert.Equal(2, Assert.Single(again).DequeueCount);
        Assert.Equal(0, await worker.CountAsync(worker.Poison));
    }

    [Fact]
    public async Task Shutdown_lets_a_running_handler_finish_and_delete_its_message()
    {
        await using var worker = await WorkerHarness<SlowHandler>.CreateAsync(azurite);
        await worker.SendAsync(WorkerHarness<SlowHandler>.Request("00000008"));

        await worker.Host.StartAsync();
        await worker.Probe.Started.Task.WaitAsync(Patience);
        await worker.Host.StopAsync();

        Assert.Single(worker.Probe.Calls);
        Assert.Equal(0, await worker.CountAsync(worker.Queue));
    }

    [Fact]
    public async Task Fetches_a_new_batch_only_below_the_threshold()
    {
        await using var worker = await WorkerHarness<BriefHandler>.CreateAsync(azurite, o =>
        {
            o.BatchSize = 2;
            o.Processors = 1;
        });
        for (var i = 0; i < 6; i++) await worker.SendAsync(WorkerHarness<BriefHandler>.Request($"{i:D8}"));

        await worker.Host.StartAsync();
        await WorkerHarness<BriefHandler>.WaitUntilAsync(async () => await worker.CountAsync(worker.Queue) == 0, Patience, "all messages deleted");

        // Threshold = BatchSize/2 × Processors = 1: a batch of 2 runs, and the next is fetched only when none is left.
        Assert.Equal(6, worker.Probe.Calls.Count);
        Assert.Equal(2, worker.Probe.MaxRunning);
    }
}

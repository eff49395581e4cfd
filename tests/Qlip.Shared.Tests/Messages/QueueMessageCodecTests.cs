using System.Text;
using System.Text.Json;
using Qlip.Shared.Messages;

namespace Qlip.Shared.Tests.Messages;

public sealed class QueueMessageCodecTests
{
    // Shaped like what Event Grid writes to a storage queue for a block blob upload (Event Grid schema).
    private const string EventGridBlobCreated = """
        {"topic":"/subscriptions/0000/resourceGroups/qlip/providers/Microsoft.Storage/storageAccounts/qlipdata",
         "subject":"/blobServices/default/containers/incoming/blobs/fmnist/00000002.tar",
         "eventType":"Microsoft.Storage.BlobCreated","id":"831e1650-001e-001b-66ab-eeb76e069631",
         "data":{"api":"PutBlockList","clientRequestId":"6d79dbfb-0e37-4fc4-981f-442c9ca65760",
                 "requestId":"831e1650-001e-001b-66ab-eeb76e000000","eTag":"0x8D4BCC2E4835CD0",
                 "contentType":"application/x-tar","contentLength":524288,"blobType":"BlockBlob",
                 "url":"https://qlipdata.blob.core.windows.net/incoming/fmnist/00000002.tar",
                 "sequencer":"00000000000004420000000000028963","storageDiagnostics":{"batchId":"b68529f3-68cd-4744-baa4-3c0498ec19f0"}},
         "dataVersion":"","metadataVersion":"1","eventTime":"2026-11-23T01:02:03.9584103Z"}
        """;

    [Fact]
    public void Reads_an_event_grid_blob_created_event_as_plain_json_and_as_base64()
    {
        var plain = QueueMessageCodec.Decode<BlobCreatedEvent>(EventGridBlobCreated);
        var base64 = QueueMessageCodec.Decode<BlobCreatedEvent>(Convert.ToBase64String(Encoding.UTF8.GetBytes(EventGridBlobCreated)));

        Assert.True(plain.Ok, plain.Rejection);
        Assert.Equal(new Uri("https://qlipdata.blob.core.windows.net/incoming/fmnist/00000002.tar"), plain.Message.Data.Url);
        Assert.Equal(524288, plain.Message.Data.ContentLength);
        Assert.Equal("0x8D4BCC2E4835CD0", plain.Message.Data.ETag);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 1, 2, 3, TimeSpan.Zero), plain.Message.EventTime.AddTicks(-9584103));
        Assert.True(base64.Ok, base64.Rejection);
        Assert.Equal(plain.Message.Data, base64.Message.Data);
    }

    [Fact]
    public void Writes_blob_created_with_event_grid_field_names()
    {
        var url = new Uri("http://127.0.0.1:10000/devstoreaccount1/incoming/fmnist/00000002.tar");
        var json = QueueMessageCodec.Encode(BlobCreatedEvent.For(url, 10, "\"0x1\"", "application/x-tar", DateTimeOffset.UnixEpoch), QueueBodyEncoding.PlainJson);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        Assert.Equal("Microsoft.Storage.BlobCreated", root.GetProperty("eventType").GetString());
        Assert.Equal("/blobServices/default/containers/incoming/blobs/fmnist/00000002.tar", root.GetProperty("subject").GetString());
        Assert.Equal(url.ToString(), root.GetProperty("data").GetProperty("url").GetString());
        Assert.Equal(10, root.GetProperty("data").GetProperty("contentLength").GetInt64());
        Assert.Equal("\"0x1\"", root.GetProperty("data").GetProperty("eTag").GetString());
        Assert.Equal("1", root.GetProperty("metadataVersion").GetString());
    }

    [Fact]
    public void Round_trips_every_qlip_message_in_both_encodings()
    {
        var train = new TrainRunRequest
        {
            RunId = "fmnist-s1",
            Kind = TrainRunKinds.QlipStage1,
            Preset = "QLIP-T-4-28",
            ManifestUris = [new Uri("https://qlipdata.blob.core.windows.net/shards/fmnist/manifest.json")],
            Hyperparameters = new Dictionary<string, JsonElement>
            {
                ["lr"] = JsonSerializer.SerializeToElement(1e-3, QlipJsonContext.Default.Double),
                ["schedule"] = JsonSerializer.SerializeToElement("cosine", QlipJsonContext.Default.String),
            },
            Budget = new TrainBudget { Steps = 500 },
            Resume = ResumePolicy.FailIfExists,
            Seed = 42,
            Deterministic = true,
        };
        foreach (var encoding in Enum.GetValues<QueueBodyEncoding>())
        {
            var back = QueueMessageCodec.Decode<TrainRunRequest>(QueueMessageCodec.Encode(train, encoding));
            Assert.True(back.Ok, back.Rejection);
            Assert.Equal(train.ManifestUris, back.Message.ManifestUris);
            Assert.Equal(1e-3, back.Message.Hyperparameters["lr"].GetDouble());
            Assert.Equal("cosine", back.Message.Hyperparameters["schedule"].GetString());
            Assert.Equal(train with { ManifestUris = back.Message.ManifestUris, Hyperparameters = back.Message.Hyperparameters }, back.Message);
        }

        var caption = new CaptionRequest { Dataset = "fmnist", ShardId = "00000001", Backend = "zero-shot", Keys = ["000000010"], Policy = CaptionPolicy.Replace };
        var captionJson = QueueMessageCodec.Encode(caption, QueueBodyEncoding.PlainJson);
        var captionBack = QueueMessageCodec.Decode<CaptionRequest>(captionJson).Message!;
        Assert.Contains("\"policy\":\"replace\"", captionJson);
        Assert.Equal(caption.Keys, captionBack.Keys);
        Assert.Equal(caption with { Keys = captionBack.Keys }, captionBack);

        var tokenize = new TokenizeRequest { Dataset = "fmnist", ShardId = "00000001", CheckpointUri = new Uri("https://x.blob.core.windows.net/checkpoints/r/step-1.safetensors") };
        Assert.Equal(tokenize, QueueMessageCodec.Decode<TokenizeRequest>(QueueMessageCodec.Encode(tokenize, QueueBodyEncoding.Base64)).Message);
    }

    [Theory]
    [InlineData("{\"version\":2,\"dataset\":\"d\",\"shardId\":\"1\",\"checkpointUri\":\"https://x/c\"}", "unknown version 2")]
    [InlineData("{\"dataset\":\"d\",\"shardId\":\"1\",\"checkpointUri\":\"https://x/c\"}", "missing 'version'")]
    [InlineData("{\"version\":\"1\",\"dataset\":\"d\"}", "'version' must be an integer")]
    [InlineData("{\"version\":1,\"dataset\":\"d\",\"shardId\":\"1\"", "malformed JSON")]
    [InlineData("{\"version\":1,\"dataset\":\"d\",\"shardId\":\"1\"}", "checkpointUri")]
    [InlineData("{\"version\":1,\"dataset\":\" \",\"shardId\":\"1\",\"checkpointUri\":\"https://x/c\"}", "'dataset' is empty")]
    [InlineData("{\"version\":1,\"dataset\":null,\"shardId\":\"1\",\"checkpointUri\":\"https://x/c\"}", "dataset")]
    [InlineData("[1,2]", "expected a JSON object, got Array")]
    [InlineData("not json at all!", "neither JSON nor base64")]
    [InlineData("AAEC", "neither JSON nor base64")]
    public void Rejects_with_a_reason_naming_the_problem(string body, string reason)
    {
        var result = QueueMessageCodec.Decode<TokenizeRequest>(body);

        Assert.False(result.Ok);
        Assert.Contains(reason, result.Rejection, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("\"metadataVersion\":\"1\"", "\"metadataVersion\":\"2\"", "unknown metadataVersion")]
    [InlineData("Microsoft.Storage.BlobCreated", "Microsoft.Storage.BlobDeleted", "eventType is 'Microsoft.Storage.BlobDeleted'")]
    [InlineData("\"contentLength\":524288,", "", "contentLength")]
    public void Rejects_blob_events_it_does_not_understand(string from, string to, string reason)
    {
        var result = QueueMessageCodec.Decode<BlobCreatedEvent>(EventGridBlobCreated.Replace(from, to));

        Assert.False(result.Ok);
        Assert.Contains(reason, result.Rejection);
    }

    [Fact]
    public void Refuses_to_write_a_message_over_64_KiB()
    {
        var keys = Enumerable.Range(0, 6000).Select(i => $"{i:D9}").ToList();
        var request = new CaptionRequest { Dataset = "fmnist", ShardId = "00000001", Backend = "openai", Keys = keys };

        var error = Assert.Throws<InvalidOperationException>(() => QueueMessageCodec.Encode(request, QueueBodyEncoding.Base64));

        Assert.Contains("65536", error.Message);
        Assert.Contains("blob references", error.Message);
    }

    [Theory]
    [InlineData("{\"version\":1,\"runId\":\"Bad Id\",\"kind\":\"qlip-stage1\",\"preset\":\"p\",\"manifestUris\":[\"https://x/m\"],\"budget\":{\"steps\":1}}", "runId 'Bad Id'")]
    [InlineData("{\"version\":1,\"runId\":\"r\",\"kind\":\"qlip-stage1\",\"preset\":\"p\",\"manifestUris\":[],\"budget\":{\"steps\":1}}", "'manifestUris' is empty")]
    [InlineData("{\"version\":1,\"runId\":\"r\",\"kind\":\"qlip-stage1\",\"preset\":\"p\",\"manifestUris\":[\"https://x/m\"],\"budget\":{}}", "needs steps or minutes")]
    [InlineData("{\"version\":1,\"runId\":\"r\",\"kind\":\"qlip-stage1\",\"preset\":\"p\",\"manifestUris\":[\"https://x/m\"],\"budget\":{\"steps\":1},\"resume\":\"sometimes\"}", "malformed JSON")]
    public void Rejects_train_runs_with_unusable_fields(string body, string reason)
    {
        var result = QueueMessageCodec.Decode<TrainRunRequest>(body);

        Assert.False(result.Ok);
        Assert.Contains(reason, result.Rejection);
    }
}

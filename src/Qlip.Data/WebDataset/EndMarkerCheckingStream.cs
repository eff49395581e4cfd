namespace Qlip.Data.WebDataset;

// A read-only pass-through that remembers how many zero bytes the stream ended with. TarReader reports a stream
// that stops at a member boundary exactly like a proper end of archive; only the two zero blocks tell them apart.
internal sealed class EndMarkerCheckingStream(Stream inner) : Stream
{
    public long TrailingZeros { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Track(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override int Read(Span<byte> buffer) => Track(buffer[..inner.Read(buffer)]);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var read = await inner.ReadAsync(buffer, ct);
        return Track(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    private int Track(ReadOnlySpan<byte> read)
    {
        if (read.IsEmpty) return 0;
        var lastNonZero = read.LastIndexOfAnyExcept((byte)0);
        TrailingZeros = lastNonZero < 0 ? TrailingZeros + read.Length : read.Length - 1 - lastNonZero;
        return read.Length;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

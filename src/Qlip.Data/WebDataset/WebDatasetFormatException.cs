namespace Qlip.Data.WebDataset;

/// <summary>A tar shard that cannot be read on (truncated, corrupt header, oversized member). The shard as a whole fails.</summary>
public sealed class WebDatasetFormatException(string message, Exception? inner = null) : Exception(message, inner);

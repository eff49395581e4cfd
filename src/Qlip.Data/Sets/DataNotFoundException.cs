namespace Qlip.Data.Sets;

/// <summary>A packaged data set is not where setup puts it; the message names what and how to get it.</summary>
public sealed class DataNotFoundException(string message) : Exception(message);

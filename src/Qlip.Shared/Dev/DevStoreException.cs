namespace Qlip.Shared.Dev;

/// <summary>A dev-store problem the user can fix (port taken, Azurite not installed, node missing); the message says how.</summary>
public sealed class DevStoreException(string message, Exception? inner = null) : Exception(message, inner);

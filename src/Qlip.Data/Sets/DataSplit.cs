namespace Qlip.Data.Sets;

/// <summary>Train or test part of a data set. Sets without an official split use every 10th item (index % 10 == 9) as test.</summary>
public enum DataSplit
{
    Train,
    Test,
}

namespace Qlip.Shared.Messages;

/// <summary>The run kinds a <see cref="TrainRunRequest"/> names; a trainer host rejects kinds it does not know.</summary>
public static class TrainRunKinds
{
    public const string QlipStage1 = "qlip-stage1";
    public const string QlipStage2 = "qlip-stage2";
    public const string TextToImage = "t2i";
    public const string Um3 = "um3";
}

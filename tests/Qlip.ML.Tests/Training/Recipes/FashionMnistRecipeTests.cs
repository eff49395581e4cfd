using Qlip.ML.Training.Recipes;
using Qlip.ML.Training.Runs;
using Qlip.ML.Training.Stage1;

namespace Qlip.ML.Tests.Training.Recipes;

/// <summary>The demo's recipe is a valid stage-1 spec: every override is a known hyperparameter with a valid value.</summary>
public sealed class FashionMnistRecipeTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_recipe_validates_as_a_stage1_spec(bool quick)
    {
        var recipe = FashionMnistRecipe.Default;
        var spec = new RunSpec("recipe", QlipStage1RunKind.KindName, recipe.Preset) { MaxSteps = recipe.StepsFor(quick), Hyperparameters = recipe.Hyperparameters };
        RunKinds.Create().Get(spec.Kind).Validate(spec);
        Assert.True(recipe.QuickSteps < recipe.Steps);
        Assert.Equal(recipe.Hyperparameters.Count, recipe.SetArguments().Count(a => a.Contains('=')));
    }
}

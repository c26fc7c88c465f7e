using JobServer.Registry;
using JobServer.Sdk;
using JobServer.Sdk.Errors;

namespace JobServer.Tests.Registry;

/// <summary>[Job(Validator = …)]: the registry creates the validator once and hands it to the Dispatcher.</summary>
public sealed class CallValidatorRegistrationTests
{
    [Fact]
    public void Build_JobWithValidator_CreatesItThroughTheFactory()
    {
        var created = new List<Type>();

        var registry = MethodRegistryBuilder.Build([new ValidatedService()], type =>
        {
            created.Add(type);
            return Activator.CreateInstance(type)!;
        });

        registry.TryGetMethod("validated.run", out var run).Should().BeTrue();
        run.Validator.Should().BeOfType<RefuseNegative>();
        created.Should().Equal(typeof(RefuseNegative));
        registry.TryGetMethod("validated.plain", out var plain).Should().BeTrue();
        plain.Validator.Should().BeNull();
    }

    [Fact]
    public void Validator_SeesTheBoundWireArguments()
    {
        var registry = MethodRegistryBuilder.Build([new ValidatedService()]);
        registry.TryGetMethod("validated.run", out var run).Should().BeTrue();

        var refuse = () => run.Validator!.Validate(null!, [-1L]);

        refuse.Should().Throw<ValidationException>().Which.Errors[0].Attribute.Should().Be("validated_run.count");
        run.Validator!.Validate(null!, [1L]);
    }

    [Fact]
    public void Build_ValidatorNotImplementingTheInterface_IsRefused()
    {
        var build = () => MethodRegistryBuilder.Build([new WronglyValidatedService()]);

        build.Should().Throw<InvalidOperationException>().WithMessage("*does not implement ICallValidator*");
    }

    [Namespace("validated")]
    private sealed class ValidatedService : Service
    {
        [Job(Validator = typeof(RefuseNegative))]
        public long Run(IJobContext job, long count) => count;

        [Job]
        public long Plain(IJobContext job, long count) => count;
    }

    [Namespace("wrongly")]
    private sealed class WronglyValidatedService : Service
    {
        [Job(Validator = typeof(string))]
        public long Run(IJobContext job, long count) => count;
    }

    private sealed class RefuseNegative : ICallValidator
    {
        public void Validate(ICallContext caller, IReadOnlyList<object?> arguments)
        {
            if ((long)arguments[0]! < 0)
            {
                throw new ValidationException("validated_run.count", "Must not be negative");
            }
        }
    }
}

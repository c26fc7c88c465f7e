using System.ComponentModel;
using JobServer.Sdk;
using JobServer.Sdk.Errors;

namespace HelloPlugin;

/// <summary>An example plugin service: <c>hello.greet</c> and <c>hello.add</c>.</summary>
public sealed class HelloService : Service
{
    /// <summary>Greets someone by name.</summary>
    [Description("Greets someone by name.")]
    public string Greet(string name, string greeting = "Hello")
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ValidationException("hello_greet.name", "A name is required");
        }

        return $"{greeting}, {name}!";
    }

    /// <summary>Adds two integers.</summary>
    [Description("Adds two integers.")]
    public long Add(long a, long b) => a + b;

    /// <summary>Reached only from inside the daemon.</summary>
    [Private]
    public string Secret() => "hidden";
}

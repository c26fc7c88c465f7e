using System.Text.Json.Nodes;
using JobServer.Sdk;

namespace JobServer.Tests.Registry;

public enum Color
{
    Red,
    Green,
}

public sealed record Point(int X, int Y);

/// <summary>A service whose methods cover each kind of parameter the binder handles.</summary>
[Namespace("sample.things")]
public sealed class SampleService : Service
{
    public string Text(string value) => value;

    public long Integer(long value) => value;

    public int SmallInteger(int value) => value;

    public double Number(double value) => value;

    public bool Flag(bool value) => value;

    public string? NullableText(string? value) => value;

    public int? NullableInteger(int? value) => value;

    public IReadOnlyList<string> List(List<string> values) => values;

    public Point Record(Point point) => point;

    public JsonObject Object(JsonObject value) => value;

    public JsonNode? Anything(JsonNode? value) => value;

    public Color Enum(Color color) => color;

    public DateTimeOffset Date(DateTimeOffset when) => when;

    public string Optional(string required, int count = 3, string? label = null) => $"{required}:{count}:{label}";

    public string WithContext(ICallContext caller, string value, CancellationToken cancellationToken) =>
        value + caller.SessionId + cancellationToken.IsCancellationRequested;

    public Task<int> AsyncResult() => Task.FromResult(7);

    public ValueTask<string> ValueTaskResult() => ValueTask.FromResult("v");

    public Task Nothing() => Task.CompletedTask;

    public void Void()
    {
    }

    [Private]
    public string Hidden() => "hidden";

    public string GetThing() => "thing";

    [NoAuth]
    public string Open() => "open";

    [Roles(Role.Authenticated)]
    public string AnyUser() => "any";
}

namespace JobServer.Rest.Mirror;

/// <summary>
/// A request the mirror cannot turn into a call (a bad query string, a body that is not the JSON the route
/// takes): answered with <see cref="Status"/> and <c>{"message", "errno"}</c> before anything runs.
/// </summary>
internal sealed class RestRequestException(string message, int status = StatusCodes.Status400BadRequest)
    : Exception(message)
{
    public int Status { get; } = status;
}

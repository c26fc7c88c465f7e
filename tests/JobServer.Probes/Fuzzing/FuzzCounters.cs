namespace JobServer.Probes.Fuzzing;

/// <summary>What a fuzzer run counts, from every connection of a batch at once.</summary>
internal sealed class FuzzCounters
{
    private int _inputs;
    private long _answers;
    private int _serverCloses;
    private int _invalidUtf8Drops;

    public int Inputs => Volatile.Read(ref _inputs);

    public long Answers => Interlocked.Read(ref _answers);

    public int ServerCloses => Volatile.Read(ref _serverCloses);

    public void CountInput() => Interlocked.Increment(ref _inputs);

    public void CountAnswer() => Interlocked.Increment(ref _answers);

    public void CountServerClose() => Interlocked.Increment(ref _serverCloses);

    public int InvalidUtf8Drops => Volatile.Read(ref _invalidUtf8Drops);

    public void CountInvalidUtf8Drop() => Interlocked.Increment(ref _invalidUtf8Drops);
}

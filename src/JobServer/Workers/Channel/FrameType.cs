namespace JobServer.Workers.Channel;

/// <summary>
/// What a frame on a worker's channel carries. The daemon and its worker speak over the worker's standard input
/// and output (anonymous pipes the daemon creates, so nobody else can reach them); each frame is a 4-byte length,
/// this type, and the payload. JSON payloads are the records of WorkerMessages.cs; data payloads are raw bytes.
/// </summary>
internal enum FrameType : byte
{
    // Worker → daemon.

    /// <summary>The worker is up and waits for a job (<see cref="ReadyMessage"/>).</summary>
    Ready = 1,

    /// <summary>The job reported progress (<see cref="ProgressMessage"/>; only the values given change).</summary>
    Progress = 2,

    /// <summary>The job changed its description (a UTF-8 string).</summary>
    Description = 3,

    /// <summary>Text the job wrote to its log (UTF-8).</summary>
    Log = 4,

    /// <summary>Bytes the job wrote to its output pipe; the daemon acknowledges each frame with <see cref="OutputAck"/>.</summary>
    OutputData = 5,

    /// <summary>The job has read this many <see cref="InputData"/> frames (a 4-byte count): the daemon may send more.</summary>
    InputAck = 6,

    /// <summary>The job calls another method as its caller (<see cref="CallMessage"/>).</summary>
    Call = 7,

    /// <summary>The job ended (<see cref="DoneMessage"/>); the worker then waits for its next job.</summary>
    Done = 8,

    // Daemon → worker.

    /// <summary>Run a job (<see cref="RunMessage"/>).</summary>
    Run = 20,

    /// <summary>The job was aborted: cancel its token.</summary>
    Abort = 21,

    /// <summary>Bytes of the job's input (never more than the window the worker has acknowledged room for).</summary>
    InputData = 22,

    /// <summary>The input ended: empty for its end, else a UTF-8 reason why it broke.</summary>
    InputEnd = 23,

    /// <summary>The daemon has passed on this many <see cref="OutputData"/> frames (a 4-byte count): the worker may write more.</summary>
    OutputAck = 24,

    /// <summary>The answer to a <see cref="Call"/> (<see cref="CallResultMessage"/>).</summary>
    CallResult = 25,

    /// <summary>The output's reader went away (a UTF-8 reason): the job's next write fails with it.</summary>
    OutputBroken = 26,
}

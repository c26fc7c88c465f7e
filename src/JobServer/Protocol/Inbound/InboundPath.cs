using JobServer.Calls;

namespace JobServer.Protocol.Inbound;

/// <summary>
/// Where <see cref="InboundJson"/>'s reader is: one frame per open object or array, with the keys seen so far
/// (to find duplicates at every depth) or the index of the current element.
/// </summary>
internal sealed class InboundPath
{
    private readonly List<Frame> _frames = [];

    public void EnterObject()
    {
        CountValue();
        _frames.Add(new Frame(isObject: true));
    }

    public void EnterArray()
    {
        CountValue();
        _frames.Add(new Frame(isObject: false));
    }

    public void Leave() => _frames.RemoveAt(_frames.Count - 1);

    /// <summary>Records a key of the current object; false when the object already has it.</summary>
    public bool TryAddKey(string key)
    {
        var frame = _frames[^1];
        frame.CurrentKey = key;
        frame.Keys ??= new HashSet<string>(StringComparer.Ordinal);
        return frame.Keys.Add(key);
    }

    /// <summary>A value starts: in an array it is the next element.</summary>
    public void CountValue()
    {
        if (_frames.Count > 0 && !_frames[^1].IsObject)
        {
            _frames[^1].Index++;
        }
    }

    /// <summary>A problem with a value that has just been read.</summary>
    public InboundProblem ProblemAtValue(string message) => Problem(message, _frames.Count, null);

    /// <summary>A problem with a key of the current object, such as a duplicate.</summary>
    public InboundProblem ProblemAtKey(string key, string message) => Problem(message, _frames.Count - 1, key);

    /// <summary>A problem with a key that cannot be named: the current object, as a value, is where it is.</summary>
    public InboundProblem ProblemAtCurrent(string message) => Problem(message, _frames.Count - 1, null);

    /// <summary>
    /// Builds the problem's location from the first <paramref name="leading"/> frames (those whose current
    /// element leads to it): the root object's current key is the member; inside <c>params</c> (frame 1, an
    /// array) the element index; the frames below that, and the key, make the inner path.
    /// </summary>
    private InboundProblem Problem(string message, int leading, string? key)
    {
        if (_frames.Count == 0 || !_frames[0].IsObject)
        {
            return new InboundProblem(message, null, null, "");
        }

        if (leading == 0)
        {
            // A key of the root object itself (a duplicate "id"): the envelope, at that member.
            return new InboundProblem(message, key, null, "");
        }

        var member = _frames[0].CurrentKey;
        if (member != "params" || leading < 2 || _frames[1].IsObject)
        {
            return new InboundProblem(message, member, null, "");
        }

        var inner = new System.Text.StringBuilder();
        for (var i = 2; i < leading; i++)
        {
            Append(inner, _frames[i]);
        }

        if (key is not null)
        {
            inner.Append('.').Append(key);
        }

        return new InboundProblem(message, member, _frames[1].Index, inner.ToString());
    }

    private static void Append(System.Text.StringBuilder path, Frame frame)
    {
        if (frame.IsObject)
        {
            path.Append('.').Append(frame.CurrentKey);
        }
        else
        {
            path.Append('[').Append(frame.Index).Append(']');
        }
    }

    private sealed class Frame(bool isObject)
    {
        public bool IsObject { get; } = isObject;

        public string? CurrentKey { get; set; }

        public HashSet<string>? Keys { get; set; }

        /// <summary>The current element's index in an array; -1 before the first.</summary>
        public int Index { get; set; } = -1;
    }
}

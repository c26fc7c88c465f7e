namespace JobServer.Sdk.Query;

/// <summary>The property types the SQL push-down understands, by how they appear on the wire.</summary>
internal enum ScalarKind
{
    /// <summary>A string: compared by code point, as SQLite's BINARY collation.</summary>
    String,

    /// <summary>An integer type up to 64 bits (not unsigned long), a JSON integer.</summary>
    Integer,

    /// <summary>A double. Float and decimal are left out: their SQLite storage does not round-trip with JSON.</summary>
    Real,

    /// <summary>A boolean: JSON true/false, SQLite 0/1.</summary>
    Boolean,

    /// <summary>A DateTime, assumed UTC: only <c>field.$date</c> conditions are translated.</summary>
    DateTime,
}

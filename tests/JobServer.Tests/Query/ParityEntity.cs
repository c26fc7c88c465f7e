namespace JobServer.Tests.Query;

/// <summary>An entity with every kind of property the SQL push-down handles, nullable and not.</summary>
public sealed class ParityEntity
{
    public long Id { get; set; }

    public string? Name { get; set; }

    public string Label { get; set; } = string.Empty;

    public int? Size { get; set; }

    public int Rank { get; set; }

    public double Ratio { get; set; }

    public bool Enabled { get; set; }

    public bool? Flag { get; set; }

    public DateTime? CreatedAt { get; set; }

    public static List<ParityEntity> Create() =>
    [
        New(1, "alpha", "x", 10, 3, 1.5, true, true, new DateTime(2024, 1, 1)),
        New(2, "Alpha", "y", null, 1, 2.0, false, null, null),
        New(3, "ALPHA_beta", "x", 20, 2, 0.5, true, false, new DateTime(2024, 6, 1, 12, 30, 0)),
        New(4, "beta", string.Empty, 5, 3, -1, false, true, new DateTime(2023, 12, 31, 23, 59, 59, 500)),
        New(5, null, "z", 20, 0, 2.5, true, null, new DateTime(2024, 1, 1)),
        New(6, "gamma%", "x_y", -3, 5, 10, false, false, null),
        New(7, "Éclair", "É", 7, 1, 7, true, true, new DateTime(2025, 1, 1)),
        New(8, "b", "B", 0, 2, 0, false, null, new DateTime(2024, 3, 1)),
    ];

    private static ParityEntity New(
        long id, string? name, string label, int? size, int rank, double ratio, bool enabled, bool? flag,
        DateTime? createdAt) => new()
        {
            Id = id,
            Name = name,
            Label = label,
            Size = size,
            Rank = rank,
            Ratio = ratio,
            Enabled = enabled,
            Flag = flag,
            CreatedAt = createdAt,
        };
}

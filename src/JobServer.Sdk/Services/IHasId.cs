namespace JobServer.Sdk;

/// <summary>An item of a <see cref="CrudService{TEntity, TCreate, TUpdate}"/> collection.</summary>
public interface IHasId
{
    /// <summary>The item's primary key.</summary>
    long Id { get; }
}

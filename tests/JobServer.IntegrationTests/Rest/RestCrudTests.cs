using System.Net;

namespace JobServer.IntegrationTests.Rest;

/// <summary>A CRUD service (<c>user</c>) and a config service (<c>system.general</c>) over the REST mirror.</summary>
[Collection(RestCollection.Name)]
public sealed class RestCrudTests(RestDaemon fixture)
{
    [Fact]
    public async Task User_CreateGetUpdateDelete_GoesThroughTheCrudRoutes()
    {
        using var root = fixture.Root;

        var (created, user) = await root.CallAsync(HttpMethod.Post, "/api/v2.0/user",
            new { username = "rest-cycle", password = "pw", full_name = "Rest Cycle" });
        created.Should().Be(HttpStatusCode.OK, user.ToString());
        var id = user.GetProperty("id").GetInt64();
        var (got, instance) = await root.GetAsync($"/api/v2.0/user/id/{id}");
        var (updated, changed) = await root.CallAsync(HttpMethod.Put, $"/api/v2.0/user/id/{id}", new { full_name = "Renamed" });
        var (deleted, answer) = await root.CallAsync(HttpMethod.Delete, $"/api/v2.0/user/id/{id}");
        var (gone, missing) = await root.GetAsync($"/api/v2.0/user/id/{id}");

        got.Should().Be(HttpStatusCode.OK);
        instance.GetProperty("username").GetString().Should().Be("rest-cycle");
        instance.GetRawText().Should().NotContain("password");
        updated.Should().Be(HttpStatusCode.OK);
        changed.GetProperty("full_name").GetString().Should().Be("Renamed");
        deleted.Should().Be(HttpStatusCode.OK);
        answer.GetBoolean().Should().BeTrue();
        gone.Should().Be(HttpStatusCode.NotFound);
        missing.GetProperty("message").GetString().Should().Contain($"{id} does not exist");
        missing.GetProperty("errno").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task User_QueryStringFilters_AreTheQuerysFiltersAndOptions()
    {
        using var root = fixture.Root;
        foreach (var name in new[] { "rest-filter-a", "rest-filter-b", "rest-filter-c" })
        {
            (await root.CallAsync(HttpMethod.Post, "/api/v2.0/user", new { username = name, password = "pw" }))
                .Status.Should().Be(HttpStatusCode.OK);
        }

        var (_, exact) = await root.GetAsync("/api/v2.0/user?username=rest-filter-b");
        var (_, regex) = await root.GetAsync("/api/v2.0/user?username__regex=^rest-filter-&sort=-username&limit=2");
        var (_, count) = await root.GetAsync("/api/v2.0/user?username__neq=rest-filter-a&username__regex=^rest-filter&count=true");
        var (_, offset) = await root.GetAsync("/api/v2.0/user?username__regex=^rest-filter-&sort=username&offset=2");
        var (_, typed) = await root.GetAsync("/api/v2.0/user?username=rest-filter-a&locked=false");

        exact.EnumerateArray().Select(u => u.GetProperty("username").GetString()).Should().Equal("rest-filter-b");
        regex.EnumerateArray().Select(u => u.GetProperty("username").GetString()).Should().Equal("rest-filter-c", "rest-filter-b");
        count.GetInt32().Should().Be(2);
        offset.EnumerateArray().Select(u => u.GetProperty("username").GetString()).Should().Equal("rest-filter-c");
        typed.GetArrayLength().Should().Be(1, "false is read as a boolean, as upstream converts it");
    }

    [Theory]
    [InlineData("/api/v2.0/user?username__like=x", "Unknown operator")]
    [InlineData("/api/v2.0/user?limit=-1", "limit")]
    [InlineData("/api/v2.0/user?count=maybe", "count")]
    [InlineData("/api/v2.0/user?a=1&a=2", "once")]
    public async Task User_BadQueryString_Is400AndSaysWhy(string path, string why)
    {
        using var root = fixture.Root;

        var (status, body) = await root.GetAsync(path);

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("message").GetString().Should().Contain(why);
    }

    [Fact]
    public async Task SystemGeneral_GetAndPut_AreConfigAndUpdate()
    {
        using var root = fixture.Root;

        var (got, config) = await root.GetAsync("/api/v2.0/system/general");
        var retention = config.GetProperty("job_retention_count").GetInt32();
        var (put, updated) = await root.CallAsync(HttpMethod.Put, "/api/v2.0/system/general",
            new { job_retention_count = retention + 1 });
        var (_, after) = await root.GetAsync("/api/v2.0/system/general");
        await root.CallAsync(HttpMethod.Put, "/api/v2.0/system/general", new { job_retention_count = retention });

        got.Should().Be(HttpStatusCode.OK);
        put.Should().Be(HttpStatusCode.OK, updated.ToString());
        updated.GetProperty("job_retention_count").GetInt32().Should().Be(retention + 1);
        after.GetProperty("job_retention_count").GetInt32().Should().Be(retention + 1);
    }

    [Fact]
    public async Task SystemGeneral_PutUnknownField_Is422PerAttributeAndChangesNothing()
    {
        using var root = fixture.Root;
        var (_, before) = await root.GetAsync("/api/v2.0/system/general");

        var (status, body) = await root.CallAsync(HttpMethod.Put, "/api/v2.0/system/general",
            new { job_retention_count = 5, no_such_setting = 1 });
        var (_, after) = await root.GetAsync("/api/v2.0/system/general");

        status.Should().Be(HttpStatusCode.UnprocessableEntity);
        var errors = body.GetProperty("system_general_update.no_such_setting");
        errors[0].GetProperty("message").GetString().Should().Be("Field was not expected");
        errors[0].GetProperty("errno").GetInt32().Should().Be(22);
        after.GetRawText().Should().Be(before.GetRawText());
    }
}

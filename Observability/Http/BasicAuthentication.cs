using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace GrainMQ.Observability.Http;

/// <summary>Checks the <c>Authorization: Basic</c> header against <see cref="BasicAuthOptions"/> in constant time.</summary>
internal sealed class BasicAuthentication
{
    private readonly byte[]? _expected;

    public BasicAuthentication(BasicAuthOptions options)
    {
        if (options.Required)
        {
            _expected = Encoding.UTF8.GetBytes("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(options.User + ":" + options.Password)));
        }
    }

    /// <summary>True when the request may go on; otherwise answers 401 with a challenge.</summary>
    public bool Authorize(HttpContext context)
    {
        if (_expected is null)
        {
            return true;
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), _expected))
        {
            return true;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"GrainMQ\", charset=\"UTF-8\"";
        return false;
    }
}

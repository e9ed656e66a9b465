namespace GrainMQ.Observability.Http;

/// <summary>
/// The HTTP listener that serves <c>/metrics</c>, <c>/healthz/*</c> and the dashboard (configuration section
/// <c>Http</c>).
/// </summary>
public sealed class HttpOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Http";

    /// <summary><c>Http:Enabled</c>: whether the HTTP listener is opened. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// <c>Http:Host</c>: the bind address, read like <c>Mqtt:Host</c> (<c>0.0.0.0</c>, <c>*</c>, <c>localhost</c>, an IP).
    /// Empty (the default) = the same as <c>Mqtt:Host</c>.
    /// </summary>
    public string Host { get; set; } = "";

    /// <summary><c>Http:Port</c>: the port; 0 picks a free port (the bound one is logged). Default 8080.</summary>
    public int Port { get; set; } = 8080;

    /// <summary><c>Http:BasicAuth</c>: when both are set, the dashboard and <c>/metrics</c> ask for them (the health endpoints never do).</summary>
    public BasicAuthOptions BasicAuth { get; set; } = new();

    /// <summary>A description of what is wrong with these options, or null.</summary>
    public string? Validate()
    {
        if (Port is < 0 or > 65535)
        {
            return "Http:Port must be 0 to 65535.";
        }

        return string.IsNullOrEmpty(BasicAuth.User) != string.IsNullOrEmpty(BasicAuth.Password)
            ? "Http:BasicAuth needs both User and Password (or neither)."
            : null;
    }
}

/// <summary>Optional basic authentication of the dashboard and <c>/metrics</c>.</summary>
public sealed class BasicAuthOptions
{
    /// <summary><c>Http:BasicAuth:User</c>. Default empty (no authentication).</summary>
    public string User { get; set; } = "";

    /// <summary><c>Http:BasicAuth:Password</c>. Default empty.</summary>
    public string Password { get; set; } = "";

    /// <summary>Whether authentication is required.</summary>
    public bool Required => User.Length > 0 && Password.Length > 0;
}

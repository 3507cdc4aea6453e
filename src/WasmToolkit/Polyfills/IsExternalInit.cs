#if NETSTANDARD2_0
namespace System.Runtime.CompilerServices
{
    /// <summary>Lets netstandard2.0 use <c>init</c> accessors and records.</summary>
    internal static class IsExternalInit { }
}
#endif

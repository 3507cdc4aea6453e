namespace System.Runtime.CompilerServices;

// netstandard2.0 lacks it; records and init accessors need it (the front end carries its own, internal).
internal static class IsExternalInit
{
}

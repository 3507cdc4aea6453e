using System;

namespace WasmToolkit.Runtime;

/// <summary>
/// Binds a <c>partial</c> class to a WebAssembly module: the WasmToolkit source generator reads the module
/// (a <c>.wat</c> file listed as an <c>AdditionalFiles</c> item, matched by path suffix), validates it at
/// build time and generates typed members for its exports, an interface per import module, and a
/// constructor that instantiates the module.
/// </summary>
/// <remarks>
/// The attribute lives in the runtime rather than being emitted by the generator: the generated code
/// needs the runtime anyway, and one public type avoids the duplicate-type conflicts (CS0436) that a
/// generator-emitted internal attribute causes between projects joined by <c>InternalsVisibleTo</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class WasmModuleAttribute : Attribute
{
    /// <summary>Binds the class to the module at <paramref name="path"/> (relative; matched against the end of each additional file's path).</summary>
    public WasmModuleAttribute(string path) => Path = path;

    /// <summary>The module's path as written in the attribute.</summary>
    public string Path { get; }
}

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using WasmToolkit.Compiler;
using WasmToolkit.Instructions;
using WasmToolkit.Runtime.Native;

namespace WasmToolkit.Runtime;

/// <summary>
/// A module instance: its code mapped executable, its memory, tables and globals in native memory,
/// its imports bound, and the context block generated code reaches through the context register.
/// </summary>
/// <remarks>
/// <para>Instances created through one <see cref="Linker"/> share its store: one thread at a time runs
/// their code (calls nest on that thread); their native memory lives until the linker is disposed.
/// A standalone instance (<see cref="Create(CompiledModule)"/>) has a store of its own, freed by
/// <see cref="Dispose"/>.</para>
/// </remarks>
public sealed unsafe partial class Instance : IDisposable
{
    private readonly Store _store;
    private readonly bool _ownsStore;
    private readonly ExecutableMemory _code;
    private readonly VmContextLayout _layout;
    private readonly byte* _context;
    private readonly byte* _records;
    private readonly Function?[] _functions;
    private readonly Table[] _tables;
    private readonly Memory? _memory;
    private readonly Global?[] _globals;
    private readonly ulong[]?[] _elements;
    private readonly ReadOnlyMemory<byte>[] _data;
    private readonly Dictionary<string, Export> _exports = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>
    /// Refuses code this process cannot run: compiled for another architecture (cross-compiled code is for inspection
    /// and caches) or, on x64, for extensions the processor lacks.
    /// </summary>
    private static void EnsureRunnable(CompilerOptions options)
    {
        if (options.Architecture != HostFeatures.Architecture)
        {
            throw new NotSupportedException($"The code was compiled for {options.Architecture} and this process runs on {RuntimeInformation.ProcessArchitecture}: code of a foreign architecture cannot run here (compile with CompilerOptions.Architecture = HostFeatures.Architecture, or HostFeatures.CompilerOptions).");
        }

        var missing = options.Architecture == TargetArchitecture.X64 ? options.X64Features & ~HostFeatures.X64 : X64Features.None;
        if (missing != 0) throw new NotSupportedException($"The code was compiled for {missing}, which this processor lacks; compile with CompilerOptions.X64Features = HostFeatures.X64.");
    }

    internal Instance(CompiledModule compiled, IReadOnlyList<Extern> imports, Store store, bool ownsStore)
    {
        Libc.EnsureSupportedPlatform();
        EnsureRunnable(compiled.Options);

        var module = compiled.Module;
        var problems = ImportMatcher.Check(module, imports);
        if (problems.Count > 0) throw new LinkException(problems.ToImmutableArray());

        Compiled = compiled;
        _store = store;
        _ownsStore = ownsStore;
        _layout = VmContextLayout.For(module);
        store.Own(SharedCode.Acquire(compiled, out _code));

        _context = store.Allocate(_layout.Size);
        var handle = GCHandle.ToIntPtr(GCHandle.Alloc(this, GCHandleType.Weak));
        store.Own(new HandleOwner(handle));
        Set(VmContextLayout.InstanceHandle, (ulong)handle);

        // A lazy module's compile stubs need this object (through the weak handle) whenever one of its functions is
        // first called, which may be long after the host dropped it: through a table or a funcref another instance
        // of the store holds. The store keeps it alive as it keeps the instance's native memory.
        if (compiled.Lazy is not null) store.KeepAlive(this);
        Builtins.Install(_context, _layout);
        // Canonical ids once per type (hashing a FuncType is not free), then per function by its type index.
        var typeIds = new uint[module.Types.Length];
        for (var t = 0; t < typeIds.Length; t++) *(uint*)(_context + _layout.TypeId(t)) = typeIds[t] = TypeRegistry.GetId(module.Types[t]);

        // Imports, in index order within each kind.
        _functions = new Function?[module.TotalFunctionCount];
        _tables = new Table[module.TotalTableCount];
        _globals = new Global?[module.TotalGlobalCount];
        int functions = 0, tables = 0, globals = 0;
        for (var i = 0; i < imports.Count; i++)
        {
            store.KeepAlive(imports[i]);
            switch (imports[i])
            {
                case Function f:
                    _functions[functions] = f;
                    Set(_layout.FuncRef(functions++), (ulong)f.Record);
                    break;
                case Table t:
                    _tables[tables] = t;
                    Set(_layout.Table(tables++), (ulong)t.Definition);
                    break;
                case Memory m:
                    _memory = m;
                    Set(VmContextLayout.MemoryDefinition, (ulong)m.Definition);
                    break;
                case Global g:
                    _globals[globals] = g;
                    Set(_layout.Global(globals++), (ulong)g.Cell);
                    break;
            }
        }

        // Defined functions: one function-reference record each, pointing at this context.
        _records = store.Allocate(Math.Max(1, compiled.Functions.Length) * FuncRefLayout.RecordSize);
        for (var i = 0; i < compiled.Functions.Length; i++)
        {
            var f = compiled.Functions[i];
            var record = _records + (i * FuncRefLayout.RecordSize);
            *(nint*)(record + FuncRefLayout.Code) = (nint)(_code.Pointer + f.Offset);
            *(nint*)(record + FuncRefLayout.Context) = (nint)_context;
            *(uint*)(record + FuncRefLayout.TypeId) = typeIds[(int)module.Functions[i].Type.Value];
            Set(_layout.FuncRef(module.ImportedFunctionCount + i), (ulong)record);
        }

        foreach (var table in module.Tables) _tables[tables++] = new Table(store, table.Type, 0);
        for (var t = module.ImportedTableCount; t < _tables.Length; t++) Set(_layout.Table(t), (ulong)_tables[t].Definition);

        if (module.Memories.Length > 0)
        {
            _memory = new Memory(store, _context, module.Memories[0].Type);
            Set(VmContextLayout.MemoryDefinition, (ulong)_context);
        }

        for (var g = 0; g < module.Globals.Length; g++)
        {
            var index = module.ImportedGlobalCount + g;
            Evaluate(module.Globals[g].Init, _context + _layout.Global(index));
        }

        foreach (var export in module.Exports) _exports[export.Name] = export;

        _elements = new ulong[]?[module.Elements.Length];
        for (var s = 0; s < _elements.Length; s++)
        {
            var segment = module.Elements[s];
            var items = new ulong[segment.Count];
            for (var k = 0; k < items.Length; k++)
            {
                items[k] = segment.UsesExpressions ? Evaluate(segment.Expressions[k]) : *(ulong*)(_context + _layout.FuncRef((int)segment.FunctionIndices[k].Value));
            }

            _elements[s] = items;
        }

        _data = new ReadOnlyMemory<byte>[module.Data.Length];
        for (var d = 0; d < _data.Length; d++) _data[d] = module.Data[d].Data;

        // Segments in the 2.0 order (elements, then data); a segment that does not fit traps, and what
        // earlier segments wrote to imported tables and memories stays (spec 4.5.4).
        for (var s = 0; s < _elements.Length; s++)
        {
            var segment = module.Elements[s];
            if (segment.Mode == SegmentMode.Passive) continue;
            if (segment.Mode == SegmentMode.Active)
            {
                var offset = (uint)Evaluate(segment.Offset!);
                var code = Builtins.TableInit(this, segment.Table.Value, (uint)s, offset, 0, (uint)_elements[s]!.Length);
                if (code != 0) throw new TrapException((TrapKind)code);
            }

            _elements[s] = null;
        }

        for (var d = 0; d < _data.Length; d++)
        {
            var segment = module.Data[d];
            if (segment.Mode != SegmentMode.Active) continue;
            var offset = (uint)Evaluate(segment.Offset!);
            var code = Builtins.MemoryInit(this, (uint)d, offset, 0, (uint)_data[d].Length);
            if (code != 0) throw new TrapException((TrapKind)code);
            _data[d] = ReadOnlyMemory<byte>.Empty;
        }

        if (module.Start is { } start)
        {
            var slot = 0UL;
            GetFunction((int)start.Value).Call(&slot);
        }
    }

    /// <summary>The compiled module this instance runs.</summary>
    public CompiledModule Compiled { get; }

    /// <summary>Instantiates <paramref name="compiled"/>, which must have no imports (use a <see cref="Linker"/> otherwise).</summary>
    /// <exception cref="LinkException">The module has imports.</exception>
    /// <exception cref="TrapException">A segment does not fit, or the start function trapped.</exception>
    public static Instance Create(CompiledModule compiled) => Create(compiled, Array.Empty<Extern>());

    /// <summary>Instantiates <paramref name="compiled"/> with <paramref name="imports"/> in the order of the module's imports.</summary>
    /// <exception cref="LinkException">An import is missing or does not match.</exception>
    /// <exception cref="TrapException">A segment does not fit, or the start function trapped.</exception>
    public static Instance Create(CompiledModule compiled, IReadOnlyList<Extern> imports)
    {
        if (compiled is null) throw new ArgumentNullException(nameof(compiled));
        if (imports is null) throw new ArgumentNullException(nameof(imports));
        var store = new Store();
        try
        {
            return new Instance(compiled, imports, store, ownsStore: true);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Compiles and instantiates <paramref name="module"/> (no imports); without <paramref name="options"/>, for this process (<see cref="HostFeatures.CompilerOptions"/>).</summary>
    public static Instance Create(Module module, CompilerOptions? options = null) => Create(ModuleCompiler.Compile(module, options ?? HostFeatures.CompilerOptions));

    internal bool IsDisposed => _disposed || _store.IsDisposed;

    internal Store Store => _store;

    /// <summary>Where the code is mapped (for tests of the memory protection).</summary>
    internal nint CodeAddress => (nint)_code.Pointer;

    /// <summary>Where linear memory 0 starts, or 0.</summary>
    internal nint MemoryAddress => _memory is null ? 0 : (nint)(*(byte**)(_memory.Definition + MemoryDefinitionLayout.Base));

    /// <summary>Current size of memory 0 in bytes (0 without a memory).</summary>
    public long MemorySize => _memory?.Size ?? 0;

    /// <summary>Memory 0 (defined or imported), or null.</summary>
    public Memory? Memory => _memory;

    /// <summary>The contents of memory 0. Invalidated by growth; do not hold across calls.</summary>
    public Span<byte> GetMemory()
    {
        ThrowIfDisposed();
        return _memory is null ? Span<byte>.Empty : _memory.GetSpan();
    }

    /// <summary>Reads defined global <paramref name="index"/> (f32/f64 as bit patterns) as a 64-bit value.</summary>
    /// <exception cref="ArgumentException">The global is a v128, which does not fit (read it through <see cref="GetGlobal(string)"/>).</exception>
    public long GetGlobal(int index)
    {
        ThrowIfDisposed();
        var globals = Compiled.Module.Globals;
        if ((uint)index >= (uint)globals.Length) throw new ArgumentOutOfRangeException(nameof(index));
        if (globals[index].Type.ValueType.Kind == ValTypeKind.V128) throw new ArgumentException($"Global {index} is a v128, which does not fit 64 bits; read it as a Global (Value, Bits and HighBits).", nameof(index));
        var raw = Get(_layout.Global(Compiled.Module.ImportedGlobalCount + index));
        return globals[index].Type.ValueType.Kind is ValTypeKind.I32 or ValTypeKind.F32 ? (int)(uint)raw : (long)raw;
    }

    /// <summary>
    /// Calls an exported function with boxed arguments (<c>int</c>/<c>uint</c> for i32, <c>long</c>/<c>ulong</c> for i64,
    /// <c>float</c> for f32, <c>double</c> for f64, <see cref="V128"/> or any <see cref="System.Runtime.Intrinsics.Vector128{T}"/>
    /// for v128, <see cref="Function"/> for funcref, any object for externref).
    /// </summary>
    /// <returns>The boxed result (a v128 as <see cref="V128"/>), an <c>object[]</c> of them for several results, or null for none.</returns>
    public object? Invoke(string name, params object?[] args) => GetFunction(name).Invoke(args ?? Array.Empty<object?>());

    /// <summary>The export named <paramref name="name"/>, or null.</summary>
    public Extern? GetExport(string name)
    {
        ThrowIfDisposed();
        if (name is null) throw new ArgumentNullException(nameof(name));
        if (!_exports.TryGetValue(name, out var export)) return null;
        var index = (int)export.Index;
        return export.Kind switch
        {
            ExternalKind.Function => GetFunction(index),
            ExternalKind.Table => _tables[index],
            ExternalKind.Memory => _memory,
            _ => GetGlobalObject(index),
        };
    }

    /// <summary>Every export by name, in the module's order.</summary>
    public IEnumerable<KeyValuePair<string, Extern>> GetExports()
    {
        foreach (var export in Compiled.Module.Exports) yield return new(export.Name, GetExport(export.Name)!);
    }

    /// <summary>The exported function <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No function of that name is exported.</exception>
    public Function GetFunction(string name)
        => GetExport(name) as Function ?? throw new ArgumentException($"No exported function named \"{name}\".", nameof(name));

    /// <summary>The exported global <paramref name="name"/>.</summary>
    public Global GetGlobal(string name)
        => GetExport(name) as Global ?? throw new ArgumentException($"No exported global named \"{name}\".", nameof(name));

    /// <summary>The exported table <paramref name="name"/>.</summary>
    public Table GetTable(string name)
        => GetExport(name) as Table ?? throw new ArgumentException($"No exported table named \"{name}\".", nameof(name));

    /// <summary>The exported memory <paramref name="name"/>.</summary>
    public Memory GetMemory(string name)
        => GetExport(name) as Memory ?? throw new ArgumentException($"No exported memory named \"{name}\".", nameof(name));

    internal Function GetFunction(int index)
    {
        if (_functions[index] is { } f) return f;
        var defined = index - Compiled.Module.ImportedFunctionCount;
        return _functions[index] = new Function(Compiled.Functions[defined].Type, _records + (defined * FuncRefLayout.RecordSize), _store, this);
    }

    internal Function? GetFunctionByRecord(byte* record)
    {
        var offset = record - _records;
        if (offset < 0 || offset % FuncRefLayout.RecordSize != 0 || offset / FuncRefLayout.RecordSize >= Compiled.Functions.Length) return null;
        return GetFunction(Compiled.Module.ImportedFunctionCount + (int)(offset / FuncRefLayout.RecordSize));
    }

    private Global GetGlobalObject(int index)
    {
        if (_globals[index] is { } g) return g;
        var type = Compiled.Module.Globals[index - Compiled.Module.ImportedGlobalCount].Type;
        return _globals[index] = new Global(_store, _context + _layout.Global(index), type);
    }

    /// <summary>The instance whose context is <paramref name="context"/> (null when collected).</summary>
    internal static Instance? FromContext(byte* context)
    {
        var handle = *(nint*)(context + VmContextLayout.InstanceHandle);
        return handle == 0 ? null : GCHandle.FromIntPtr(handle).Target as Instance;
    }

    internal Table GetTable(uint index) => _tables[index];

    internal ulong[]? GetElementSegment(uint index) => _elements[index];

    internal void DropElementSegment(uint index) => _elements[index] = null;

    internal ReadOnlyMemory<byte> GetDataSegment(uint index) => _data[index];

    internal void DropDataSegment(uint index) => _data[index] = ReadOnlyMemory<byte>.Empty;

    internal byte* MemoryDefinition => _memory is null ? null : _memory.Definition;

    /// <summary>Value of a constant expression of a scalar or reference type.</summary>
    private ulong Evaluate(ConstantExpression expression)
    {
        var cell = stackalloc ulong[2];
        Evaluate(expression, (byte*)cell);
        return cell[0];
    }

    /// <summary>
    /// Writes the value of a constant expression (2.0: one constant, <c>ref.null</c>, <c>ref.func</c> or
    /// <c>global.get</c>, then <c>end</c>) into a 16-byte <paramref name="cell"/>.
    /// </summary>
    private void Evaluate(ConstantExpression expression, byte* cell)
    {
        var reader = expression.GetInstructionReader();
        ulong value = 0, high = 0;
        while (reader.Read())
        {
            switch (reader.Opcode)
            {
                case Opcode.I32Const: value = (uint)reader.Value; break;
                case Opcode.I64Const: value = reader.Value; break;
                case Opcode.F32Const: value = (uint)reader.Value; break;
                case Opcode.F64Const: value = reader.Value; break;
                case Opcode.V128Const:
                    value = reader.V128.Low;
                    high = reader.V128.High;
                    break;
                case Opcode.RefNull: value = 0; break;
                case Opcode.RefFunc: value = Get(_layout.FuncRef((int)reader.Index)); break;
                case Opcode.GlobalGet:
                    var at = _context + _layout.Global((int)reader.Index);
                    var source = _layout.IsGlobalImported((int)reader.Index) ? *(ulong**)at : (ulong*)at;
                    value = source[0];
                    high = source[1];
                    break;
                case Opcode.End:
                    ((ulong*)cell)[0] = value;
                    ((ulong*)cell)[1] = high;
                    return;
                default: throw new NotSupportedException($"Constant expressions with {reader.Opcode} are not supported.");
            }
        }

        ((ulong*)cell)[0] = value;
        ((ulong*)cell)[1] = high;
    }

    private ulong Get(int offset) => *(ulong*)(_context + offset);

    private void Set(int offset, ulong value) => *(ulong*)(_context + offset) = value;

    private void ThrowIfDisposed()
    {
        if (IsDisposed) throw new ObjectDisposedException(nameof(Instance));
    }

    /// <summary>
    /// Ends the instance: calls throw <see cref="ObjectDisposedException"/> from now on. A standalone
    /// instance frees its native memory at once; one created by a linker leaves that to the linker.
    /// </summary>
    public void Dispose()
    {
        if (_ownsStore) _store.Dispose();
        _disposed = true;
    }

    private sealed class HandleOwner : IDisposable
    {
        private readonly nint _handle;

        public HandleOwner(nint handle) => _handle = handle;

        public void Dispose() => GCHandle.FromIntPtr(_handle).Free();
    }

    private sealed class Unregister : IDisposable
    {
        private readonly nint _start;

        public Unregister(nint start) => _start = start;

        public void Dispose() => CodeRegistry.Unregister(_start);
    }
}

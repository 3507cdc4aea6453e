using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace WasmToolkit.Text;

/// <summary>
/// Writes a <see cref="Module"/> as WebAssembly text (WAT, spec chapter 6), such that parsing the
/// text gives back an equal module.
/// </summary>
/// <remarks>
/// <para>Instructions are printed flat, one per line; labels as relative depths; floats exactly
/// (hexadecimal, NaN payloads kept). Names come from the <c>name</c> section when
/// <see cref="TextPrinterOptions.UseNames"/> is set and they are valid, unique identifiers.</para>
/// <para>Printing never throws on malformed function bodies or constant expressions: what decodes is
/// printed, followed by a <c>;; malformed: …</c> comment. Custom sections appear as comments only.</para>
/// <para>Thread-safe: the module is immutable and each call has its own state.</para>
/// </remarks>
public static class ModulePrinter
{
    /// <summary>Prints <paramref name="module"/> as WAT.</summary>
    /// <param name="module">The module to print.</param>
    /// <param name="options">Settings; null for <see cref="TextPrinterOptions.Default"/>.</param>
    /// <returns>The text, ending with a line break.</returns>
    public static string Print(Module module, TextPrinterOptions? options = null)
    {
        if (module is null) throw new ArgumentNullException(nameof(module));
        var builder = new StringBuilder(EstimateLength(module));
        Print(module, new StringWriter(builder, CultureInfo.InvariantCulture), options);
        return builder.ToString();
    }

    /// <summary>Prints <paramref name="module"/> as WAT to <paramref name="writer"/> (flushed at the end, not closed).</summary>
    /// <param name="module">The module to print.</param>
    /// <param name="writer">Where the text goes.</param>
    /// <param name="options">Settings; null for <see cref="TextPrinterOptions.Default"/>.</param>
    public static void Print(Module module, TextWriter writer, TextPrinterOptions? options = null)
    {
        if (module is null) throw new ArgumentNullException(nameof(module));
        options ??= TextPrinterOptions.Default;
        Print(module, options.UseNames ? module.Names : NameSection.Empty, writer, options);
    }

    /// <summary>Prints with the given names instead of the module's own name section.</summary>
    internal static void Print(Module module, NameSection names, TextWriter writer, TextPrinterOptions? options)
    {
        if (module is null) throw new ArgumentNullException(nameof(module));
        if (names is null) throw new ArgumentNullException(nameof(names));
        if (writer is null) throw new ArgumentNullException(nameof(writer));
        options ??= TextPrinterOptions.Default;
        var output = new TextOutput(writer, options.IndentSize);
        var printerNames = options.UseNames ? PrinterNames.Create(module, names) : PrinterNames.None;
        new ModuleTextWriter(module, printerNames, output, options).WriteModule();
        output.Flush();
    }

    // Roughly four characters of text per byte of code, so the builder rarely regrows.
    private static int EstimateLength(Module module)
    {
        long bytes = 256;
        foreach (var function in module.Functions) bytes += function.Code.Length * 4L;
        foreach (var segment in module.Data) bytes += segment.Data.Length * 2L;
        return (int)Math.Min(bytes, 64L * 1024 * 1024);
    }
}

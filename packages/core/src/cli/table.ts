/** Prints rows as aligned columns under a header and a rule, each line after `indent`. */
export function printTable(stream: NodeJS.WritableStream, header: string[], rows: string[][], indent = ''): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)))
  const line = (cells: string[]) =>
    indent +
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  stream.write(
    `${[line(header), indent + widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')}\n`,
  )
}

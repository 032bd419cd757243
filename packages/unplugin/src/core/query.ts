/**
 * An import id (`/app/src/hero.jpg?rembg&w=320;640&as=srcset`) parsed in pure stages: id → file + query text →
 * fields (core's parseQuery) → the plugin's own keys split off → one field set per size → core's resolved parameters.
 * Every parameter rule and message is core's; this file adds only the keys the plugin reads itself.
 */
import {
  type Preset,
  parsePreset,
  parseQuery,
  RembgError,
  type RemoveParams,
  type ResolvedParams,
  resolveParams,
} from '@rembg-kit/core'

/** What the default export of a cutout import is. */
export const outputKinds = ['url', 'meta', 'srcset'] as const
export type OutputKind = (typeof outputKinds)[number]

/** Query keys read by the plugin, not by core. */
export const pluginKeys = ['as', 'inline', 'preset'] as const

/** Separates several sizes in one value: `w=320;640;960`. */
const sizeSeparator = ';'

export interface CutoutRequest {
  /** The image file, without the query. */
  file: string
  as: OutputKind
  /** Data URLs instead of emitted files. */
  inline: boolean
  /** One parameter set per requested size, in the order written; never empty. */
  variants: ResolvedParams[]
  /** The local engine's preset asked for by `&preset=fast`; undefined: the plugin's `preset` option. */
  preset?: Preset
}

/** The query text after the first `?`; a `#` in it is a character (`bg_color=#fff`), not a fragment. */
export function splitId(id: string): { file: string; query: string } {
  const mark = id.indexOf('?')
  return mark === -1 ? { file: id, query: '' } : { file: id.slice(0, mark), query: id.slice(mark + 1) }
}

/** True when the id's query carries the `rembg` key, wherever it stands (`?rembg&w=1`, `?w=1&rembg`). */
export function isRembgId(id: string): boolean {
  return rembgIdPattern.test(id)
}

/** The cheap test of {@link isRembgId}, as a RegExp for the bundlers' hook filters. */
export const rembgIdPattern = /\?(?:.*&)?rembg(?:[&=#]|$)/

function pluginError(message: string, field: string): RembgError {
  return new RembgError(message, { status: 400, code: 'INVALID_PARAMETER', field })
}

function readOutputKind(raw: string | undefined): OutputKind {
  if (raw === undefined) return 'url'
  const kind = outputKinds.find((name) => name === raw)
  if (kind === undefined) {
    throw pluginError(`Invalid value '${raw}' for 'as'. Allowed values: ${outputKinds.join(', ')}`, 'as')
  }
  return kind
}

function readInline(raw: string | undefined): boolean {
  if (raw === undefined) return false
  if (raw !== '') throw pluginError(`'inline' takes no value, got: '${raw}'`, 'inline')
  return true
}

/** One field set per size: `w=320;640` gives two; several values in both `w` and `h` are refused. */
export function expandSizes(fields: Readonly<Record<string, string>>): Record<string, string>[] {
  const widths = fields.w?.split(sizeSeparator) ?? []
  const heights = fields.h?.split(sizeSeparator) ?? []
  if (widths.length > 1 && heights.length > 1) {
    throw pluginError(`Give several sizes in 'w' or in 'h', not in both (got w=${fields.w} and h=${fields.h})`, 'h')
  }
  if (widths.length > 1) return widths.map((w) => ({ ...fields, w }))
  if (heights.length > 1) return heights.map((h) => ({ ...fields, h }))
  return [{ ...fields }]
}

/**
 * Parses an import id into the file and the cutouts it asks for.
 *
 * @param defaults the plugin's `defaults` option, applied under the query's own parameters.
 * @throws RembgError with core's message for a bad parameter or an unknown key (listing core's keys and `as`,
 *   `inline`), or the plugin's for a bad `as`/`inline` or several sizes with `as=url`.
 * @example
 * parseCutoutId('/app/a.jpg?w=320;640&rembg&as=srcset').variants.map((params) => params.w) // [320, 640]
 */
export function parseCutoutId(id: string, defaults: RemoveParams = {}): CutoutRequest {
  const { file, query } = splitId(id)
  const fields = parseQuery(query)
  const kind = readOutputKind(fields.as)
  const inline = readInline(fields.inline)
  // Core's check and message: "Unknown preset 'turbo'. Presets: quality, fast".
  const preset = fields.preset === undefined ? undefined : parsePreset(fields.preset)
  const variants = expandSizes(fields).map((sized) => resolveParams(sized, { extraKeys: pluginKeys, defaults }))
  // The meta object is for <img> and framework image components (Astro's ImageMetadata has no bmp): none shows a BMP.
  if (kind === 'meta' && variants.some((params) => params.format === 'bmp')) {
    throw pluginError(
      `'as=meta' takes format webp, png or jpeg, not bmp (the object is for <img> and image components)`,
      'format',
    )
  }
  if (kind === 'url' && variants.length > 1) {
    throw pluginError(
      `Several sizes need 'as=srcset' or 'as=meta' (got w=${fields.w ?? ''}, h=${fields.h ?? ''})`,
      'as',
    )
  }
  return { file, as: kind, inline, variants, ...(preset === undefined ? {} : { preset }) }
}

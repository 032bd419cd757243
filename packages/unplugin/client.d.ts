/**
 * Types of `?rembg` imports. Reference once in the project:
 *   /// <reference types="@rembg-kit/unplugin/client" />
 * or add "@rembg-kit/unplugin/client" to `compilerOptions.types`.
 *
 * TypeScript matches an import against patterns with a single `*`, by how the import string ends. Covered endings:
 *   `?rembg`, `&rembg`                        → string (URL)
 *   `&format=webp|png|jpeg|jpg|bmp`           → string (URL)
 *   `&inline`                                 → string (data URL)
 *   `&as=url`, `&as=srcset`                   → string
 *   `&as=meta`                                → RembgImageMeta (assignable to Astro's `ImageMetadata`)
 * So end an import with `rembg`, its `format`, `inline` or the `as=` key: `./a.jpg?rembg&w=800&format=png`,
 * `./a.jpg?w=800&rembg`, `./a.jpg?rembg&w=320;640&as=meta`. `./a.jpg?rembg&w=800` builds but is not typed.
 */

/** The default export of an `&as=meta` import. */
interface RembgImageMeta {
  /** URL of the widest size (a data URL with `&inline`). */
  src: string
  width: number
  height: number
  /** `bmp` is refused with `as=meta`: the object is for `<img>` and framework image components (Astro's `<Image>`). */
  format: 'webp' | 'png' | 'jpeg'
  /** `url 320w, url 640w`: present when several widths were asked for (`w=320;640`). */
  srcset?: string
  /** A 20 px wide webp data URL of the cutout, to show blurred while the image loads; with several widths. */
  placeholder?: string
}

declare module '*?rembg' {
  const url: string
  export default url
}

declare module '*&rembg' {
  const url: string
  export default url
}

declare module '*&inline' {
  const dataUrl: string
  export default dataUrl
}

declare module '*&as=url' {
  const url: string
  export default url
}

declare module '*&as=srcset' {
  const srcset: string
  export default srcset
}

declare module '*&as=meta' {
  const meta: RembgImageMeta
  export default meta
}

declare module '*&format=webp' {
  const url: string
  export default url
}

declare module '*&format=png' {
  const url: string
  export default url
}

declare module '*&format=jpeg' {
  const url: string
  export default url
}

declare module '*&format=jpg' {
  const url: string
  export default url
}

declare module '*&format=bmp' {
  const url: string
  export default url
}

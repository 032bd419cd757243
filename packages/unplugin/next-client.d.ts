/**
 * Types of `?rembg` imports in Next.js, where each is a static image (`StaticImageData`: `src`, `width`, `height`,
 * `blurDataURL`), as `import hero from './hero.jpg'` is. Reference once in the project:
 *   /// <reference types="@rembg-kit/unplugin/next-client" />
 * or add "@rembg-kit/unplugin/next-client" to `compilerOptions.types`.
 *
 * TypeScript matches an import against patterns with a single `*`, by how the import string ends. Covered endings:
 *   `?rembg`, `&rembg`
 *   `&format=webp`, `&format=png`, `&format=jpeg`, `&format=jpg`
 *   `&crop` (bare), `&exact_resize=true`
 * So `./hero.jpg?rembg&w=800&format=webp` is typed as written; otherwise end the import with `rembg`:
 * `./hero.jpg?w=800&crop_margin=10%&rembg`.
 */

declare module '*?rembg' {
  const image: import('next/image').StaticImageData
  export default image
}

declare module '*&rembg' {
  const image: import('next/image').StaticImageData
  export default image
}

declare module '*&format=webp' {
  const image: import('next/image').StaticImageData
  export default image
}

declare module '*&format=png' {
  const image: import('next/image').StaticImageData
  export default image
}

declare module '*&format=jpeg' {
  const image: import('next/image').StaticImageData
  export default image
}

declare module '*&format=jpg' {
  const image: import('next/image').StaticImageData
  export default image
}

declare module '*&crop' {
  const image: import('next/image').StaticImageData
  export default image
}

declare module '*&exact_resize=true' {
  const image: import('next/image').StaticImageData
  export default image
}

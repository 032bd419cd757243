// Ending the query with `&rembg` types the import in any key order (see rembg-env.d.ts).
import vase from '../../images/vase.jpg?w=480&format=png&rembg'

// A route handler: the cutout's URL, size and blur placeholder, for clients that build their own markup.
export function GET(): Response {
  return Response.json({ src: vase.src, width: vase.width, height: vase.height, blurDataURL: vase.blurDataURL })
}

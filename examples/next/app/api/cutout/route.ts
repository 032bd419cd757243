import vase from '../../images/vase.jpg?rembg&w=480&format=png'

// A route handler: the cutout's URL and size, for clients that build their own markup.
export function GET(): Response {
  return Response.json({ src: vase.src, width: vase.width, height: vase.height })
}

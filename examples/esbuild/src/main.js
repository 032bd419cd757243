// Three cutouts made at build time by @rembg-kit/unplugin: a plain URL, a responsive srcset and a meta object.
import ball from './images/ball.jpg?rembg&w=480&format=png'
import box from './images/box.jpg?rembg&w=320&format=webp&as=meta'
import vaseSrcset from './images/vase.jpg?rembg&w=160;320&as=srcset'

/** An <img> with the given attributes (numbers as strings, as the DOM keeps them). */
function image(attributes) {
  const img = document.createElement('img')
  for (const [name, value] of Object.entries(attributes)) img.setAttribute(name, String(value))
  return img
}

document.body.append(
  image({ id: 'ball', src: ball, alt: 'A ball without its background' }),
  image({ id: 'vase', srcset: vaseSrcset, sizes: '160px', alt: 'A vase without its background' }),
  image({
    id: 'box',
    src: box.src,
    width: box.width,
    height: box.height,
    'data-format': box.format,
    alt: 'A box without its background',
  }),
)

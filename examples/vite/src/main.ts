import { renderFigure } from './figure'
import hero from './images/ball.jpg?w=480&format=png&rembg'
import box from './images/box.jpg?rembg&w=320&format=webp&as=meta'
import vase from './images/vase.jpg?rembg&w=160;320;480&as=srcset'

const app = document.querySelector<HTMLElement>('#app')
if (!app) throw new Error('index.html has no #app element')

app.innerHTML = `
  <h1>Background removed at build time</h1>
  ${renderFigure(`<img id="hero" src="${hero}" alt="A ball, background removed">`, '?w=480&format=png&rembg')}
  ${renderFigure(
    `<img id="vase" srcset="${vase}" sizes="(max-width: 400px) 160px, 320px" alt="A vase, background removed">`,
    '?rembg&w=160;320;480&as=srcset',
  )}
  ${renderFigure(
    `<img id="box" src="${box.src}" width="${box.width}" height="${box.height}" alt="A box, background removed">`,
    '?rembg&w=320&format=webp&as=meta',
  )}
`

// `as=meta` carries a blurred placeholder when the import asks for several widths: show it until the cutout loads.
const boxImage = document.querySelector<HTMLImageElement>('#box')
if (boxImage && box.placeholder) boxImage.style.backgroundImage = `url("${box.placeholder}")`

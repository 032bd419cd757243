import { renderFigure } from './figure'
import hero from './images/ball.jpg?w=480&format=png&rembg'

/** Server-side render of the hero: the SSR build resolves the same `?rembg` import to the client build's URL. */
export function render(): string {
  return `<!doctype html><html lang="en"><body>${renderFigure(
    `<img id="hero" src="${hero}" alt="A ball, background removed">`,
    '?w=480&format=png&rembg',
  )}</body></html>`
}

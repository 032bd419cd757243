/** One cutout on the checkerboard, captioned with the query that made it. */
export function renderFigure(image: string, query: string): string {
  return `<figure class="cutout">${image}<figcaption><code>${query}</code></figcaption></figure>`
}

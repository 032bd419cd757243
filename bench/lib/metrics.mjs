// Comparisons of output PNGs: two engines' mattes against each other, and a matte against a known cutout.
import sharp from 'sharp'

/** The decoded RGBA pixels of an image file (an alpha of 255 is added where it has none). */
async function rgba(file) {
  const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

function sameSize(a, b, what) {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`${what}: ${a.width}x${a.height} against ${b.width}x${b.height}`)
  }
}

/** How far two cutouts' alpha channels are apart: the share of pixels differing by more than 2/255, and the largest. */
export async function matteAgreement(fileA, fileB) {
  const [a, b] = await Promise.all([rgba(fileA), rgba(fileB)])
  sameSize(a, b, `${fileA} vs ${fileB}`)
  const pixels = a.width * a.height
  let over = 0
  let max = 0
  for (let i = 3; i < a.data.length; i += 4) {
    const diff = Math.abs(a.data[i] - b.data[i])
    if (diff > 2) over++
    if (diff > max) max = diff
  }
  return { overPct: (100 * over) / pixels, maxDiff: max }
}

/**
 * A cutout of a composite against the exact cutout it was made from: IoU of the masks at alpha > 127, mean absolute
 * alpha error (0..255), and the mean absolute colour error (0..255, over R, G, B) inside the subject (true alpha
 * >= 128) and on its soft edge (0 < true alpha < 255), where the new background bleeds in as a halo. Colours are
 * compared only where the result is not fully transparent, since a transparent pixel's colour is never seen.
 */
export async function cutQuality(truthFile, resultFile) {
  const [truth, result] = await Promise.all([rgba(truthFile), rgba(resultFile)])
  sameSize(truth, result, `${truthFile} vs ${resultFile}`)
  const t = truth.data
  const r = result.data
  const sums = { inter: 0, union: 0, alpha: 0, inside: 0, insideCount: 0, edge: 0, edgeCount: 0 }
  for (let i = 0; i < t.length; i += 4) {
    const at = t[i + 3]
    const ar = r[i + 3]
    const inT = at > 127
    const inR = ar > 127
    if (inT && inR) sums.inter++
    if (inT || inR) sums.union++
    sums.alpha += Math.abs(at - ar)
    if (ar === 0) continue
    const colour = (Math.abs(t[i] - r[i]) + Math.abs(t[i + 1] - r[i + 1]) + Math.abs(t[i + 2] - r[i + 2])) / 3
    if (at >= 128) {
      sums.inside += colour
      sums.insideCount++
    }
    if (at > 0 && at < 255) {
      sums.edge += colour
      sums.edgeCount++
    }
  }
  return {
    iou: sums.union ? sums.inter / sums.union : 1,
    alphaMae: sums.alpha / (t.length / 4),
    colourInside: sums.insideCount ? sums.inside / sums.insideCount : 0,
    colourEdge: sums.edgeCount ? sums.edge / sums.edgeCount : 0,
    edgePixels: sums.edgeCount,
  }
}

/**
 * Synthetic photos with a known answer: a shaded object standing on a textured floor in front of a noisy wall. The
 * object's silhouette is the exact ground truth, so the demo and the tests can check a cut without any photo.
 */
import sharp from 'sharp'

/** Deterministic noise, so every run renders the same pixels. */
function noise(seed) {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff
    return state / 0x7fffffff - 0.5
  }
}

const clamp = (v) => Math.min(255, Math.max(0, v))

function background(x, y, height, n) {
  const floor = y > height * 0.75
  const base = floor
    ? [150 + 20 * Math.sin(x / 9), 120 + 8 * Math.sin(x / 23 + y / 7), 90]
    : [200 - (y * 60) / height, 205 - (y * 50) / height, 210]
  const grain = n() * 24
  return base.map((v) => v + grain)
}

/** Each subject: inside(x, y) says whether a pixel belongs to it, colour(x, y) shades it. Coordinates are 0..1. */
const subjects = {
  ball: {
    inside: (x, y) => Math.hypot(x - 0.5, (y - 0.52) * 0.75) < 0.235,
    colour: (x, y) => {
      const dx = (x - 0.5) / 0.235
      const dy = ((y - 0.52) * 0.75) / 0.235
      const lit = Math.max(0, -dx * 0.4 - dy * 0.6 + Math.sqrt(Math.max(0, 1 - dx * dx - dy * dy)) * 0.7)
      return [40 + 200 * lit, 60 + 60 * lit, 20 + 180 * lit]
    },
  },
  vase: {
    // A body of revolution: radius as a function of height.
    inside: (x, y) => {
      if (y < 0.2 || y > 0.85) return false
      const t = (y - 0.2) / 0.65
      const radius = 0.06 + 0.13 * Math.sin(Math.PI * (0.15 + 0.8 * t)) ** 2
      return Math.abs(x - 0.5) < radius
    },
    colour: (x, y) => {
      const lit = 0.35 + 0.65 * Math.cos(((x - 0.45) / 0.2) * Math.PI * 0.5) ** 2
      return [30 + 50 * lit, 110 + 120 * lit, 120 + 100 * lit - y * 30]
    },
  },
  box: {
    inside: (x, y) => x > 0.3 && x < 0.72 && y > 0.3 && y < 0.82 && y > 0.3 + (x - 0.3) * 0.15,
    colour: (x, y) => (x < 0.55 ? [210, 160 - y * 60, 40] : [150, 110 - y * 40, 30]),
  },
}

export const sceneNames = Object.keys(subjects)

/**
 * Renders one scene: `rgb` (3 channels), `truth` (255 where the subject is), and `png`, the image encoded.
 * @param {'ball'|'vase'|'box'} name
 */
export async function renderScene(name, width = 640, height = 480) {
  const subject = subjects[name]
  const n = noise(name.length * 7919)
  const rgb = Buffer.alloc(width * height * 3)
  const truth = Buffer.alloc(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x
      const u = x / width
      const v = y / height
      const inside = subject.inside(u, v)
      const pixel = inside ? subject.colour(u, v) : background(x, y, height, n)
      if (inside) truth[i] = 255
      rgb[i * 3] = clamp(pixel[0])
      rgb[i * 3 + 1] = clamp(pixel[1])
      rgb[i * 3 + 2] = clamp(pixel[2])
    }
  }
  const png = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer()
  return { name, width, height, rgb, truth, png }
}

/** Intersection over union of a matte (or the alpha of a cutout) with the ground truth, both thresholded at 50 %. */
export function iou(matte, truth) {
  let intersection = 0
  let union = 0
  for (let i = 0; i < truth.length; i++) {
    const a = matte[i] > 127
    const b = truth[i] > 127
    if (a && b) intersection++
    if (a || b) union++
  }
  return union === 0 ? 1 : intersection / union
}
